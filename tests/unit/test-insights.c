/* test-insights.c: the definitions in insights.h on a real SQLite file: which linked
 * notes count as before and after (exact boundaries, all-day days in a zone), how an
 * activity's outcome is read, the per-kind counts, and the daily means. */
#include <glib/gstdio.h>

#include "tend/insights.h"
#include "tend/notes.h"

#include "test-util.h"

typedef struct {
    char *dir;
    char *path;
    TendStore *store;
    GTimeZone *tz;
} Fixture;

static void fixture_setup(Fixture *fx, gconstpointer data)
{
    (void)data;
    fx->dir = g_dir_make_tmp("tend-insights-XXXXXX", NULL);
    fx->path = g_build_filename(fx->dir, "tend.db", NULL);
    g_autoptr(GError) error = NULL;
    fx->store = store_open(fx->path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
    fx->tz = g_time_zone_new_identifier("America/New_York");
}

static void fixture_teardown(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_clear_pointer(&fx->store, store_free);
    test_delete_database(fx->path);
    g_rmdir(fx->dir);
    g_free(fx->dir);
    g_free(fx->path);
    g_time_zone_unref(fx->tz);
}

static gint64 add_stressor(Fixture *fx, const char *title, TendKind kind, gint64 start, gint64 end,
                           gboolean all_day)
{
    g_autoptr(TendStressor) stressor = stressor_new();
    g_autoptr(GError) error = NULL;
    stressor->title = g_strdup(title);
    stressor->kind = kind;
    stressor->intensity = 3;
    stressor->start = start;
    stressor->end = end;
    stressor->all_day = all_day;
    g_assert_true(store_begin(fx->store, NULL));
    g_assert_true(stressor_add(fx->store, stressor, 1, &error));
    g_assert_no_error(error);
    g_assert_true(store_commit(fx->store, NULL));
    return stressor->id;
}

static void add_note(Fixture *fx, gint64 stressor_id, gint64 created, int mood, int stress)
{
    g_autoptr(TendNote) note = note_new();
    g_autoptr(GError) error = NULL;
    note->text = g_strdup("a few words");
    note->stressor_id = stressor_id;
    note->mood = mood;
    note->stress = stress;
    g_assert_true(store_begin(fx->store, NULL));
    g_assert_true(notes_add(fx->store, note, created, &error));
    g_assert_no_error(error);
    g_assert_true(store_commit(fx->store, NULL));
}

static gint64 add_activity(Fixture *fx, gint64 stressor_id, const char *kind, int slot,
                           const char *status, gint64 start)
{
    g_autofree char *sql = g_strdup_printf(
        "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc, end_utc, status)"
        " VALUES ('a-%" G_GINT64_FORMAT "-%s-%d', %" G_GINT64_FORMAT
        ", '%s', %d, 'x', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s')",
        stressor_id, kind, slot, stressor_id, kind, slot, start, start + 600, status);
    g_assert_true(store_exec(fx->store, sql, NULL));
    return sqlite3_last_insert_rowid(store_db(fx->store));
}

static void answer(Fixture *fx, gint64 activity_id, gint64 fire_at, const char *outcome, gint64 at)
{
    g_autofree char *sql = g_strdup_printf(
        "INSERT INTO reminder_log (item_type, item_id, fire_at, claimed_at, outcome, outcome_at)"
        " VALUES ('activity', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
        ", '%s', %" G_GINT64_FORMAT ")",
        activity_id, fire_at, fire_at, outcome, at);
    g_assert_true(store_exec(fx->store, sql, NULL));
}

/* 2026-12-25T14:00:00Z to 19:00Z. */
#define START G_GINT64_CONSTANT(1798207200)
#define END (START + 5 * 3600)

static void test_before_after_boundaries(Fixture *fx, gconstpointer data)
{
    (void)data;
    gint64 id = add_stressor(fx, "Dinner", TEND_KIND_FAMILY, START, END, FALSE);
    gint64 other = add_stressor(fx, "Call", TEND_KIND_FAMILY, END + 86400, END + 90000, FALSE);
    add_note(fx, id, START - 1, 4, 8);     /* before */
    add_note(fx, id, START - 7200, -1, 6); /* before, no mood */
    add_note(fx, id, START, 1, 10);        /* during: its first second */
    add_note(fx, id, END - 1, 1, 10);      /* during: its last second */
    add_note(fx, id, END, 7, 3);           /* after: the end itself */
    add_note(fx, 0, START - 60, 0, 0);     /* not linked */
    add_note(fx, other, START - 60, 0, 0); /* another stressor's */

    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items =
        insights_stressors(fx->store, fx->tz, START - 86400, END + 2 * 86400, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(items->len, ==, 2);
    TendInsightStressor *item = items->pdata[0];
    g_assert_cmpint(item->stressor->id, ==, id);
    g_assert_cmpuint(item->notes->len, ==, 5);
    g_assert_cmpuint(item->mood_before.count, ==, 1);
    g_assert_cmpfloat(insights_mean(&item->mood_before), ==, 4.0);
    g_assert_cmpuint(item->stress_before.count, ==, 2);
    g_assert_cmpfloat(insights_mean(&item->stress_before), ==, 7.0);
    g_assert_cmpuint(item->mood_after.count, ==, 1);
    g_assert_cmpfloat(insights_mean(&item->stress_after), ==, 3.0);
    /* Oldest first. */
    g_assert_cmpint(((TendNote *)item->notes->pdata[0])->created, ==, START - 7200);
}

static void test_all_day_begins_at_local_midnight(Fixture *fx, gconstpointer data)
{
    (void)data;
    /* 25 Dec 2026 as a date; in New York it runs from 05:00Z to 05:00Z the next day. */
    gint64 date = G_GINT64_CONSTANT(20812) * TEND_DAY_SECONDS;
    gint64 id =
        add_stressor(fx, "Christmas", TEND_KIND_HOLIDAY, date, date + TEND_DAY_SECONDS, TRUE);
    gint64 midnight = date + 5 * 3600;
    add_note(fx, id, midnight - 1, 3, 7);
    add_note(fx, id, midnight, 5, 5);
    add_note(fx, id, midnight + TEND_DAY_SECONDS, 8, 2);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items =
        insights_stressors(fx->store, fx->tz, midnight, midnight + 60, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(items->len, ==, 1);
    TendInsightStressor *item = items->pdata[0];
    g_assert_cmpint(item->start, ==, midnight);
    g_assert_cmpuint(item->stress_before.count, ==, 1);
    g_assert_cmpfloat(insights_mean(&item->stress_before), ==, 7.0);
    g_assert_cmpuint(item->stress_after.count, ==, 1);
    g_assert_cmpfloat(insights_mean(&item->stress_after), ==, 2.0);
    /* A window that ends at its local midnight leaves it out. */
    g_autoptr(GPtrArray) none =
        insights_stressors(fx->store, fx->tz, midnight - 3600, midnight, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(none->len, ==, 0);
}

static void test_outcomes_and_counts(Fixture *fx, gconstpointer data)
{
    (void)data;
    gint64 a = add_stressor(fx, "A", TEND_KIND_FAMILY, START, END, FALSE);
    gint64 b = add_stressor(fx, "B", TEND_KIND_FAMILY, START + 86400, END + 86400, FALSE);
    gint64 c = add_stressor(fx, "C", TEND_KIND_WORK, START + 172800, END + 172800, FALSE);
    /* A: grounding answered 'skipped' then 'done' (the last answer counts); stress fell. */
    gint64 ground_a = add_activity(fx, a, "ground", 0, "planned", START - 3600);
    answer(fx, ground_a, START - 3600, "skipped", START - 3000);
    answer(fx, ground_a, START - 1800, "done", START - 1700);
    add_note(fx, a, START - 60, 5, 8);
    add_note(fx, a, END + 60, 6, 4);
    /* B: grounding marked skipped, which wins over a 'done' answer; stress rose. A 'shown'
     * answer alone leaves decompressing not marked. */
    gint64 ground_b = add_activity(fx, b, "ground", 0, "skipped", START + 86400 - 3600);
    answer(fx, ground_b, START + 86400 - 3600, "done", START + 86400);
    gint64 decompress_b = add_activity(fx, b, "decompress", 0, "planned", END + 86400);
    answer(fx, decompress_b, END + 86400, "shown", END + 86400);
    add_note(fx, b, START + 86400 - 60, 5, 3);
    add_note(fx, b, END + 86400, 4, 6);
    /* C: another kind, done by status; no stress after, so not measured. */
    add_activity(fx, c, "ground", 0, "done", START + 172800 - 3600);
    add_note(fx, c, START + 172800 - 60, 5, 5);

    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items =
        insights_stressors(fx->store, fx->tz, START - 86400, END + 4 * 86400, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(items->len, ==, 3);
    TendInsightStressor *first = items->pdata[0];
    TendInsightActivity *activity = first->activities->pdata[0];
    g_assert_cmpstr(activity->outcome, ==, "done");
    g_assert_cmpstr(activity->strategy_id, ==, "feet-on-floor");
    TendInsightStressor *second = items->pdata[1];
    g_assert_cmpstr(((TendInsightActivity *)second->activities->pdata[0])->outcome, ==, "skipped");
    g_assert_cmpstr(((TendInsightActivity *)second->activities->pdata[1])->outcome, ==, "planned");

    g_autoptr(GPtrArray) groups = insights_by_kind(items);
    g_assert_cmpuint(groups->len, ==, 2);
    TendInsightKind *family = groups->pdata[0];
    g_assert_cmpstr(family->kind, ==, "family");
    g_assert_cmpuint(family->stressors, ==, 2);
    g_assert_cmpfloat(insights_mean(&family->stress_before), ==, 5.5);
    g_assert_cmpfloat(insights_mean(&family->stress_after), ==, 5.0);
    g_assert_cmpuint(family->practices->len, ==, 2);
    TendInsightPractice *ground = family->practices->pdata[0];
    g_assert_cmpstr(ground->kind, ==, "ground");
    g_assert_cmpuint(ground->done, ==, 1);
    g_assert_cmpuint(ground->skipped, ==, 1);
    g_assert_cmpuint(ground->planned, ==, 0);
    g_assert_cmpuint(ground->lower_with, ==, 1);
    g_assert_cmpuint(ground->measured_with, ==, 1);
    g_assert_cmpuint(ground->lower_without, ==, 0);
    g_assert_cmpuint(ground->measured_without, ==, 1);
    TendInsightPractice *decompress = family->practices->pdata[1];
    g_assert_cmpstr(decompress->kind, ==, "decompress");
    g_assert_cmpuint(decompress->planned, ==, 1);
    g_assert_cmpuint(decompress->measured_with, ==, 0);
    g_assert_cmpuint(decompress->measured_without, ==, 2);
    g_assert_cmpuint(decompress->lower_without, ==, 1);
    TendInsightKind *work = groups->pdata[1];
    g_assert_cmpstr(work->kind, ==, "work");
    TendInsightPractice *work_ground = work->practices->pdata[0];
    g_assert_cmpuint(work_ground->done, ==, 1);
    g_assert_cmpuint(work_ground->measured_with, ==, 0);
}

static void test_mean_rounds_halves_up(void)
{
    TendMeasure measure = {.sum = 25, .count = 4}; /* 6.25 */
    g_assert_cmpfloat(insights_mean(&measure), ==, 6.3);
    TendMeasure thirds = {.sum = 16, .count = 3}; /* 5.333 */
    g_assert_cmpfloat(insights_mean(&thirds), ==, 5.3);
    TendMeasure none = {0};
    g_assert_cmpfloat(insights_mean(&none), ==, 0.0);
}

static void test_daily_means(Fixture *fx, gconstpointer data)
{
    (void)data;
    gint64 date = G_GINT64_CONSTANT(20812) * TEND_DAY_SECONDS; /* 25 Dec */
    gint64 midnight = date + 5 * 3600;                         /* in New York */
    add_note(fx, 0, midnight - 1, 2, 9);                       /* 24 Dec, local */
    add_note(fx, 0, midnight, 4, 6);
    add_note(fx, 0, midnight + 3600, 6, -1);
    TendMeasure *mood = NULL, *stress = NULL;
    g_autoptr(GError) error = NULL;
    g_assert_true(insights_daily(fx->store, fx->tz, date - TEND_DAY_SECONDS,
                                 date + TEND_DAY_SECONDS, &mood, &stress, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(mood[0].count, ==, 1);
    g_assert_cmpfloat(insights_mean(&stress[0]), ==, 9.0);
    g_assert_cmpuint(mood[1].count, ==, 2);
    g_assert_cmpfloat(insights_mean(&mood[1]), ==, 5.0);
    g_assert_cmpuint(stress[1].count, ==, 1);
    g_assert_cmpuint(mood[2].count, ==, 0);
    g_free(mood);
    g_free(stress);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_setenv("TZ", "America/New_York", TRUE);
    g_test_add("/insights/before-after-boundaries", Fixture, NULL, fixture_setup,
               test_before_after_boundaries, fixture_teardown);
    g_test_add("/insights/all-day-begins-at-local-midnight", Fixture, NULL, fixture_setup,
               test_all_day_begins_at_local_midnight, fixture_teardown);
    g_test_add("/insights/outcomes-and-counts", Fixture, NULL, fixture_setup,
               test_outcomes_and_counts, fixture_teardown);
    g_test_add_func("/insights/mean-rounds-halves-up", test_mean_rounds_halves_up);
    g_test_add("/insights/daily-means", Fixture, NULL, fixture_setup, test_daily_means,
               fixture_teardown);
    return g_test_run();
}
