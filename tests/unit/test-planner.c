/* test-planner.c: where the planner puts care, on a real scratch database.
 *
 * Busy events go straight into calendars/events/occurrences with SQL, as the
 * importer stores them; stressors through stressor_add(). The clock (TEND_NOW) and
 * zone (TZ) are fixed per test, and every placement is asserted to the second.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tend/agenda.h"
#include "tend/alarms.h"
#include "tend/planner.h"
#include "tend/stressor.h"

#include "test-util.h"

typedef struct {
    char *dir;
    TendStore *store;
    TendContext ctx;
} Fixture;

static void fixture_open(Fixture *f, const char *tz, const char *now)
{
    g_autoptr(GError) error = NULL;
    g_setenv("TZ", tz, TRUE);
    g_setenv("TEND_NOW", now, TRUE);
    g_assert_true(tend_context_init(&f->ctx, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(f->ctx.tzid, ==, tz);
    f->dir = g_dir_make_tmp("tend-planner-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(f->dir, "tend.db", NULL);
    f->store = store_open(path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
    g_assert_true(store_exec(
        f->store, "INSERT INTO calendars (name, imported_at) VALUES ('Family', 0)", NULL));
}

static void fixture_close(Fixture *f)
{
    test_close_and_delete(f->store);
    g_autofree char *config = g_build_filename(f->dir, "tend.conf", NULL);
    g_unlink(config);
    g_rmdir(f->dir);
    g_free(f->dir);
    tend_context_clear(&f->ctx);
}

/* Moves the fixture's clock, as a later run would see it. */
static void set_now(Fixture *f, const char *now)
{
    g_setenv("TEND_NOW", now, TRUE);
    g_assert_true(tend_clock_init(&f->ctx.clock, NULL));
}

static gint64 local(Fixture *f, const char *text)
{
    gint64 value;
    gboolean all_day;
    g_assert_true(tend_time_parse(text, f->ctx.tz, &value, &all_day, NULL));
    return value;
}

/* An imported event: timed ("2026-12-24T13:30", local) or all-day ("2026-12-26",
 * end exclusive). */
static void add_event(Fixture *f, const char *summary, const char *start, const char *end,
                      gboolean transparent)
{
    gboolean all_day = strlen(start) == 10;
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(f->store,
                      "INSERT INTO events (calendar_id, uid, summary, start_utc, end_utc, "
                      "all_day, transparent, raw, raw_hash) "
                      "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, 'BEGIN:VEVENT', ?1)",
                      NULL);
    g_assert_nonnull(stmt);
    g_autofree char *uid = g_strdup_printf("%s-%s@test", summary, start);
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, summary, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 3, local(f, start));
    sqlite3_bind_int64(stmt, 4, local(f, end));
    sqlite3_bind_int(stmt, 5, all_day);
    sqlite3_bind_int(stmt, 6, transparent);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
    g_autoptr(sqlite3_stmt) occurrence = store_prepare(
        f->store, "INSERT INTO occurrences (event_id, start_utc, end_utc) VALUES (?, ?, ?)", NULL);
    sqlite3_bind_int64(occurrence, 1, sqlite3_last_insert_rowid(store_db(f->store)));
    sqlite3_bind_int64(occurrence, 2, local(f, start));
    sqlite3_bind_int64(occurrence, 3, local(f, end));
    g_assert_cmpint(sqlite3_step(occurrence), ==, SQLITE_DONE);
}

static gint64 add_stressor(Fixture *f, const char *title, const char *start, const char *end,
                           int intensity)
{
    g_autoptr(TendStressor) stressor = stressor_new();
    gboolean all_day = strlen(start) == 10;
    stressor->title = g_strdup(title);
    stressor->kind = TEND_KIND_FAMILY;
    stressor->intensity = intensity;
    stressor->start = local(f, start);
    stressor->end = local(f, end) + (all_day ? TEND_DAY_SECONDS : 0);
    stressor->all_day = all_day;
    g_autoptr(GError) error = NULL;
    g_assert_true(stressor_add(f->store, stressor, 0, &error));
    g_assert_no_error(error);
    return stressor->id;
}

static void exec(Fixture *f, const char *sql)
{
    g_autoptr(GError) error = NULL;
    g_assert_true(store_exec(f->store, sql, &error));
    g_assert_no_error(error);
}

/* Runs the planner over [from, to) (local dates, @to inclusive) and checks the
 * counts it reports. */
static void plan(Fixture *f, const char *from, const char *to, guint placed, guint moved,
                 guint kept, guint removed, guint unplaced, TendPlanResult *out_result)
{
    TendPlanResult result = {0};
    g_autoptr(GError) error = NULL;
    g_assert_true(planner_run(f->store, &f->ctx, local(f, from), local(f, to) + TEND_DAY_SECONDS,
                              &result, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(result.placed, ==, placed);
    g_assert_cmpuint(result.moved, ==, moved);
    g_assert_cmpuint(result.kept, ==, kept);
    g_assert_cmpuint(result.removed, ==, removed);
    g_assert_cmpuint(result.unplaced, ==, unplaced);
    g_assert_cmpuint(result.notes->len, ==, unplaced);
    if (out_result)
        *out_result = result;
    else
        plan_result_clear(&result);
}

/* "kind/slot start end busy sequence" per activity, by start then id. */
static char *placements(Fixture *f)
{
    g_autoptr(GPtrArray) activities = activity_list(f->store, 0, NULL);
    g_assert_nonnull(activities);
    g_autoptr(GString) out = g_string_new(NULL);
    for (guint i = 0; i < activities->len; i++) {
        const TendActivity *a = activities->pdata[i];
        g_autofree char *start = tend_format_utc(a->start);
        g_autofree char *end = tend_format_utc(a->end);
        g_string_append_printf(out, "%s/%d %s %s %s %" G_GINT64_FORMAT "\n", a->kind, a->slot,
                               start, end, a->busy ? "busy" : "reminder", a->sequence);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Every column of every row, to prove a second run changed nothing at all. */
static char *rows(Fixture *f)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        f->store,
        "SELECT id || '|' || uid || '|' || stressor_id || '|' || kind || '|' || slot || '|' || "
        "title || '|' || start_utc || '|' || end_utc || '|' || busy || '|' || sequence || '|' "
        "|| status || '|' || pinned FROM activities ORDER BY id",
        NULL);
    g_autoptr(GString) out = g_string_new(NULL);
    while (sqlite3_step(stmt) == SQLITE_ROW)
        g_string_append_printf(out, "%s\n", sqlite3_column_text(stmt, 0));
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static const TendActivity *find(GPtrArray *activities, const char *kind, int slot)
{
    for (guint i = 0; i < activities->len; i++) {
        const TendActivity *a = activities->pdata[i];
        if (g_str_equal(a->kind, kind) && a->slot == slot)
            return a;
    }
    g_assert_not_reached();
}

/* No busy activity overlaps any other busy item (periods excepted), all lie in
 * waking hours, and no day has more than the budget. */
static void assert_rules_hold(Fixture *f)
{
    const TendContext *ctx = &f->ctx;
    g_autoptr(GPtrArray) items = agenda_between(f->store, ctx, 0, G_MAXINT32, NULL);
    g_autoptr(GHashTable) per_day = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < items->len; i++) {
        const TendAgendaItem *a = items->pdata[i];
        if (a->type != TEND_ITEM_ACTIVITY || !a->busy)
            continue;
        gint64 day = tend_date_of(a->start, ctx->tz);
        g_autofree char *hm = tend_format_local(a->start, ctx->tz, "%H:%M");
        g_autofree char *end_hm = tend_format_local(a->end, ctx->tz, "%H:%M");
        int start_min = atoi(hm) * 60 + atoi(hm + 3);
        int end_min = atoi(end_hm) * 60 + atoi(end_hm + 3);
        g_assert_cmpint(start_min, >=, ctx->waking_start);
        g_assert_cmpint(end_min, <=, ctx->waking_end);
        g_assert_cmpint(tend_date_of(a->end - 1, ctx->tz), ==, day);
        gpointer key = GINT_TO_POINTER((int)(day / TEND_DAY_SECONDS));
        int count = GPOINTER_TO_INT(g_hash_table_lookup(per_day, key)) + 1;
        g_hash_table_insert(per_day, key, GINT_TO_POINTER(count));
        g_assert_cmpint(count, <=, ctx->daily_budget);
        for (guint j = 0; j < items->len; j++) {
            const TendAgendaItem *b = items->pdata[j];
            gint64 bs, be;
            if (i == j || !b->busy)
                continue;
            agenda_item_span(b, ctx->tz, &bs, &be);
            if (b->type == TEND_ITEM_STRESSOR && (b->all_day || be - bs > TEND_DAY_SECONDS))
                continue;
            if (bs < a->end && be > a->start)
                g_error("'%s' overlaps '%s'", a->title, b->title);
        }
    }
}

static const char christmas_bundle[] =
    "rehearse/1 2026-12-23T19:00:00Z 2026-12-23T19:20:00Z busy 0\n"
    "rehearse/0 2026-12-24T19:00:00Z 2026-12-24T19:20:00Z busy 0\n"
    "ground/0 2026-12-25T13:00:00Z 2026-12-25T13:15:00Z busy 0\n"
    "checkin/0 2026-12-25T20:30:00Z 2026-12-25T20:35:00Z reminder 0\n"
    "checkin/1 2026-12-25T22:00:00Z 2026-12-25T22:05:00Z reminder 0\n"
    "checkin/2 2026-12-25T23:30:00Z 2026-12-25T23:35:00Z reminder 0\n"
    "decompress/0 2026-12-26T00:30:00Z 2026-12-26T01:15:00Z busy 0\n"
    "reflect/0 2026-12-26T15:00:00Z 2026-12-26T15:20:00Z busy 0\n";

/* Christmas dinner 14:00-19:30 in New York, intensity 4, nothing else on. */
static void test_bundle_exact_placement(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    gint64 id = add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);

    TendPlanResult result;
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, &result);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==, christmas_bundle);
    g_assert_cmpuint(result.stressors, ==, 1);
    g_assert_cmpuint(result.activities->len, ==, 8);

    const TendActivity *rehearse = find(result.activities, "rehearse", 0);
    g_assert_cmpstr(rehearse->title, ==, "Rehearse your boundary words for Christmas dinner");
    g_assert_cmpint(rehearse->stressor_id, ==, id);
    g_assert_cmpstr(rehearse->status, ==, "planned");
    g_assert_true(g_str_has_suffix(rehearse->uid, "@tend"));
    g_assert_cmpuint(strlen(rehearse->uid), ==, 36 + 5);
    g_assert_cmpstr(find(result.activities, "checkin", 1)->title, ==,
                    "A quiet check-in: how are you doing?");
    g_assert_false(find(result.activities, "checkin", 1)->busy);
    g_assert_cmpstr(find(result.activities, "ground", 0)->title, ==,
                    "Ground yourself before Christmas dinner: feet on the floor, slow breaths");
    g_assert_cmpstr(find(result.activities, "decompress", 0)->title, ==,
                    "Decompress after Christmas dinner: somewhere quiet, nothing to prove");
    g_assert_cmpstr(find(result.activities, "reflect", 0)->title, ==,
                    "Reflect on Christmas dinner: what helped, what you needed");
    g_assert_cmpstr(find(result.activities, "rehearse", 0)->uid, !=,
                    find(result.activities, "rehearse", 1)->uid);

    g_autoptr(TendActivity) got_one = activity_get(f.store, rehearse->id, NULL);
    g_assert_cmpstr(got_one->uid, ==, rehearse->uid);
    g_autoptr(GError) error = NULL;
    g_assert_null(activity_get(f.store, 999, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_autoptr(GPtrArray) none = activity_list(f.store, id + 1, NULL);
    g_assert_cmpuint(none->len, ==, 0);
    plan_result_clear(&result);
    assert_rules_hold(&f);
    fixture_close(&f);
}

/* Intensity 3 gets one rehearsal; a stressor shorter than two hours no check-ins. */
static void test_bundle_depends_on_intensity_and_length(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Call with Dad", "2026-12-22T17:00", "2026-12-22T18:30", 3);
    plan(&f, "2026-12-20", "2026-12-31", 4, 0, 0, 0, 0, NULL);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-12-21T19:00:00Z 2026-12-21T19:20:00Z busy 0\n"
                    "ground/0 2026-12-22T13:00:00Z 2026-12-22T13:15:00Z busy 0\n"
                    "decompress/0 2026-12-22T23:30:00Z 2026-12-23T00:15:00Z busy 0\n"
                    "reflect/0 2026-12-23T15:00:00Z 2026-12-23T15:20:00Z busy 0\n");
    fixture_close(&f);
}

/* Busy events push activities aside; transparent ones do not; a day taken by an
 * all-day busy event leaves the reflection unplaced, with a kind note. */
static void test_avoids_busy_ignores_transparent(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    add_event(&f, "Dentist", "2026-12-24T13:30", "2026-12-24T15:00", FALSE);
    add_event(&f, "Church (free)", "2026-12-25T07:00", "2026-12-25T10:00", TRUE);
    add_event(&f, "Dishes with Aunt May", "2026-12-25T19:30", "2026-12-25T21:00", FALSE);
    add_event(&f, "Boxing Day shift", "2026-12-26", "2026-12-27", FALSE);

    TendPlanResult result;
    plan(&f, "2026-12-20", "2027-02-17", 7, 0, 0, 0, 1, &result);
    g_autofree char *got = placements(&f);
    /* Rehearsal: 14:00, 14:15, 13:45, 14:30, 13:30, 14:45, 13:15 all touch the
     * dentist; 15:00 is the first that fits. Decompression waits for the dishes. */
    g_assert_cmpstr(got, ==,
                    "rehearse/1 2026-12-23T19:00:00Z 2026-12-23T19:20:00Z busy 0\n"
                    "rehearse/0 2026-12-24T20:00:00Z 2026-12-24T20:20:00Z busy 0\n"
                    "ground/0 2026-12-25T13:00:00Z 2026-12-25T13:15:00Z busy 0\n"
                    "checkin/0 2026-12-25T20:30:00Z 2026-12-25T20:35:00Z reminder 0\n"
                    "checkin/1 2026-12-25T22:00:00Z 2026-12-25T22:05:00Z reminder 0\n"
                    "checkin/2 2026-12-25T23:30:00Z 2026-12-25T23:35:00Z reminder 0\n"
                    "decompress/0 2026-12-26T02:00:00Z 2026-12-26T02:45:00Z busy 0\n");
    g_assert_cmpstr(result.notes->pdata[0], ==,
                    "No free 20 minutes the day after 'Christmas dinner' to reflect; the "
                    "nearest free time is Sun 27 Dec 07:00.");
    plan_result_clear(&result);
    assert_rules_hold(&f);

    /* Nothing changed: the same rows and the same note again. */
    g_autofree char *before = rows(&f);
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 7, 0, 1, NULL);
    g_autofree char *after = rows(&f);
    g_assert_cmpstr(after, ==, before);
    fixture_close(&f);
}

/* When nothing nearby is free either, the note says so without blame. */
static void test_unplaced_without_suggestion(void)
{
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Funeral", "2027-01-08T11:00", "2027-01-08T12:00", 5);
    add_event(&f, "Work trip", "2027-01-02", "2027-01-08", FALSE);
    add_event(&f, "Hospital", "2027-01-08T07:00", "2027-01-08T11:00", FALSE);
    TendPlanResult result;
    plan(&f, "2027-01-01", "2027-01-31", 2, 0, 0, 0, 3, &result);
    g_assert_cmpstr(result.notes->pdata[0], ==,
                    "No free 20 minutes the day before 'Funeral' for a rehearsal, and none in "
                    "the days around it either; it is okay to let this one go.");
    g_assert_cmpstr(result.notes->pdata[1], ==,
                    "No free 20 minutes two days before 'Funeral' for a first rehearsal, and "
                    "none in the days around it either; it is okay to let this one go.");
    g_assert_cmpstr(result.notes->pdata[2], ==,
                    "No free 15 minutes the morning of 'Funeral' for grounding, and none in the "
                    "days around it either; it is okay to let this one go.");
    plan_result_clear(&result);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "decompress/0 2027-01-08T12:00:00Z 2027-01-08T12:45:00Z busy 0\n"
                    "reflect/0 2027-01-09T10:00:00Z 2027-01-09T10:20:00Z busy 0\n");
    fixture_close(&f);
}

/* Waking hours 09:00-21:00 and two activities a day: a crowded Christmas in London
 * (GMT, so local and UTC agree). */
static void test_waking_hours_and_budget(void)
{
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-12-20T09:00:00Z");
    f.ctx.waking_start = 9 * 60;
    f.ctx.waking_end = 21 * 60;
    f.ctx.daily_budget = 2;
    add_stressor(&f, "Family dinner", "2026-12-24T18:00", "2026-12-24T20:30", 3);
    add_stressor(&f, "Lunch with Dad", "2026-12-25T12:00", "2026-12-25T14:00", 4);

    TendPlanResult result;
    plan(&f, "2026-12-20", "2027-02-17", 10, 0, 0, 0, 1, &result);
    g_autofree char *got = placements(&f);
    /* Grounding waits for 09:00; the dinner ends too late to decompress before
     * 21:00, so that moves to the next morning; Dad's grounding finds the 25th
     * full (decompression and reflection for the dinner); his decompression goes
     * to the 26th. */
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-12-23T14:00:00Z 2026-12-23T14:20:00Z busy 0\n"
                    "rehearse/1 2026-12-23T14:30:00Z 2026-12-23T14:50:00Z busy 0\n"
                    "ground/0 2026-12-24T09:00:00Z 2026-12-24T09:15:00Z busy 0\n"
                    "rehearse/0 2026-12-24T14:00:00Z 2026-12-24T14:20:00Z busy 0\n"
                    "checkin/0 2026-12-24T19:30:00Z 2026-12-24T19:35:00Z reminder 0\n"
                    "decompress/0 2026-12-25T09:00:00Z 2026-12-25T09:45:00Z busy 0\n"
                    "reflect/0 2026-12-25T10:00:00Z 2026-12-25T10:20:00Z busy 0\n"
                    "checkin/0 2026-12-25T13:30:00Z 2026-12-25T13:35:00Z reminder 0\n"
                    "decompress/0 2026-12-26T09:00:00Z 2026-12-26T09:45:00Z busy 0\n"
                    "reflect/0 2026-12-26T10:00:00Z 2026-12-26T10:20:00Z busy 0\n");
    g_assert_cmpstr(result.notes->pdata[0], ==,
                    "No free 15 minutes the morning of 'Lunch with Dad' for grounding; the "
                    "nearest free time is Tue 22 Dec 20:45.");
    plan_result_clear(&result);
    assert_rules_hold(&f);
    fixture_close(&f);
}

/* A second run changes nothing at all: same ids, uids, times and sequences. */
static void test_idempotent(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    add_event(&f, "Dentist", "2026-12-24T13:30", "2026-12-24T15:00", FALSE);
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, NULL);
    g_autofree char *first = rows(&f);
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 8, 0, 0, NULL);
    g_autofree char *second = rows(&f);
    g_assert_cmpstr(second, ==, first);
    /* A narrower window that still covers the stressor changes nothing either. */
    plan(&f, "2026-12-25", "2026-12-25", 0, 0, 8, 0, 0, NULL);
    g_autofree char *third = rows(&f);
    g_assert_cmpstr(third, ==, first);
    fixture_close(&f);
}

/* A new busy event moves what it covers (same id and uid, sequence + 1); done and
 * pinned activities stay put. */
static void test_moves_but_not_done_or_pinned(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    TendPlanResult first;
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, &first);
    const TendActivity *old = find(first.activities, "rehearse", 0);

    add_event(&f, "Last-minute shopping", "2026-12-24T14:00", "2026-12-24T15:00", FALSE);
    exec(&f, "UPDATE activities SET status = 'done' WHERE kind = 'ground'");
    exec(&f, "UPDATE activities SET pinned = 1 WHERE kind = 'rehearse' AND slot = 1");
    add_event(&f, "Breakfast", "2026-12-25T07:30", "2026-12-25T08:30", FALSE);
    add_event(&f, "Call", "2026-12-23T14:00", "2026-12-23T14:30", FALSE);

    TendPlanResult second;
    plan(&f, "2026-12-20", "2027-02-17", 0, 1, 7, 0, 0, &second);
    const TendActivity *moved = find(second.activities, "rehearse", 0);
    g_assert_cmpint(moved->id, ==, old->id);
    g_assert_cmpstr(moved->uid, ==, old->uid);
    g_assert_cmpint(moved->sequence, ==, 1);
    /* 14:00, 14:15, 13:45 and 14:30 touch the shopping; 13:30 is free. */
    g_autofree char *start = tend_format_utc(moved->start);
    g_assert_cmpstr(start, ==, "2026-12-24T18:30:00Z");
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/1 2026-12-23T19:00:00Z 2026-12-23T19:20:00Z busy 0\n"
                    "rehearse/0 2026-12-24T18:30:00Z 2026-12-24T18:50:00Z busy 1\n"
                    "ground/0 2026-12-25T13:00:00Z 2026-12-25T13:15:00Z busy 0\n"
                    "checkin/0 2026-12-25T20:30:00Z 2026-12-25T20:35:00Z reminder 0\n"
                    "checkin/1 2026-12-25T22:00:00Z 2026-12-25T22:05:00Z reminder 0\n"
                    "checkin/2 2026-12-25T23:30:00Z 2026-12-25T23:35:00Z reminder 0\n"
                    "decompress/0 2026-12-26T00:30:00Z 2026-12-26T01:15:00Z busy 0\n"
                    "reflect/0 2026-12-26T15:00:00Z 2026-12-26T15:20:00Z busy 0\n");
    plan_result_clear(&first);
    plan_result_clear(&second);

    /* Moving once is enough: the next run keeps everything. */
    g_autofree char *before = rows(&f);
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 8, 0, 0, NULL);
    g_autofree char *after = rows(&f);
    g_assert_cmpstr(after, ==, before);
    fixture_close(&f);
}

/* When the stressor itself changes, its care follows: moved a day later,
 * renamed, and made less hard (the spaced rehearsal is no longer asked for). */
static void test_follows_stressor_changes(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    gint64 id = add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, NULL);
    g_autoptr(GPtrArray) before = activity_list(f.store, id, NULL);

    /* Renamed only: everything stays, titles follow, and what changed is re-sent. */
    exec(&f, "UPDATE stressors SET title = 'Christmas at Mom''s'");
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 8, 0, 0, NULL);
    g_autoptr(GPtrArray) renamed = activity_list(f.store, id, NULL);
    for (guint i = 0; i < renamed->len; i++) {
        const TendActivity *now = renamed->pdata[i], *then = before->pdata[i];
        g_assert_cmpint(now->id, ==, then->id);
        g_assert_cmpint(now->start, ==, then->start);
        g_assert_cmpint(now->sequence, ==, g_str_equal(now->kind, "checkin") ? 0 : 1);
    }
    g_assert_cmpstr(find(renamed, "reflect", 0)->title, ==,
                    "Reflect on Christmas at Mom's: what helped, what you needed");

    exec(&f, "UPDATE stressors SET start_utc = start_utc + 86400, end_utc = end_utc + 86400, "
             "intensity = 2, title = 'Boxing Day dinner'");
    TendPlanResult result;
    plan(&f, "2026-12-20", "2027-02-17", 0, 7, 0, 1, 0, &result);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-12-25T19:00:00Z 2026-12-25T19:20:00Z busy 2\n"
                    "ground/0 2026-12-26T13:00:00Z 2026-12-26T13:15:00Z busy 2\n"
                    "checkin/0 2026-12-26T20:30:00Z 2026-12-26T20:35:00Z reminder 1\n"
                    "checkin/1 2026-12-26T22:00:00Z 2026-12-26T22:05:00Z reminder 1\n"
                    "checkin/2 2026-12-26T23:30:00Z 2026-12-26T23:35:00Z reminder 1\n"
                    "decompress/0 2026-12-27T00:30:00Z 2026-12-27T01:15:00Z busy 2\n"
                    "reflect/0 2026-12-27T15:00:00Z 2026-12-27T15:20:00Z busy 2\n");
    g_assert_cmpstr(find(result.activities, "rehearse", 0)->title, ==,
                    "Rehearse your boundary words for Boxing Day dinner");
    g_assert_cmpint(find(result.activities, "reflect", 0)->id, ==, find(before, "reflect", 0)->id);
    plan_result_clear(&result);
    fixture_close(&f);
}

static gint64 count_rows(Fixture *f, const char *sql, gint64 id)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(f->store, sql, NULL);
    g_assert_nonnull(stmt);
    sqlite3_bind_int64(stmt, 1, id);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    return sqlite3_column_int64(stmt, 0);
}

/* Gives @activity a claimed and snoozed reminder and an urgent mark. */
static void remind_of(Fixture *f, const TendActivity *activity)
{
    g_autoptr(GError) error = NULL;
    TendReminder reminder = {
        .type = TEND_ITEM_ACTIVITY,
        .item_id = activity->id,
        .fire_at = activity->start,
        .due_at = activity->start,
        .start = activity->start,
    };
    gboolean claimed = FALSE;
    g_assert_true(alarms_claim(f->store, &reminder, activity->start, &claimed, &error));
    g_assert_true(claimed);
    g_assert_true(
        alarms_snooze(f->store, &reminder, activity->start, activity->start + 600, &error));
    g_assert_true(alarms_set_urgent(f->store, TEND_ITEM_ACTIVITY, activity->id, TRUE, &error));
    g_assert_no_error(error);
}

/* The activity a re-plan removes takes its reminders with it (its id can be handed to the
 * next new activity); those of the activities that stay are kept. */
static void test_removed_forgets_reminders(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    TendPlanResult first;
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, &first);
    gint64 spaced = find(first.activities, "rehearse", 1)->id;
    gint64 kept = find(first.activities, "rehearse", 0)->id;
    remind_of(&f, find(first.activities, "rehearse", 1));
    remind_of(&f, find(first.activities, "rehearse", 0));
    plan_result_clear(&first);

    /* Less hard now: the spaced rehearsal is no longer asked for. */
    exec(&f, "UPDATE stressors SET intensity = 2");
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 7, 1, 0, NULL);
    static const char log_sql[] =
        "SELECT count(*) FROM reminder_log WHERE item_type = 'activity' AND item_id = ?";
    static const char urgent_sql[] =
        "SELECT count(*) FROM reminder_urgent WHERE item_type = 'activity' AND item_id = ?";
    g_assert_cmpint(count_rows(&f, log_sql, spaced), ==, 0);
    g_assert_cmpint(count_rows(&f, urgent_sql, spaced), ==, 0);
    g_assert_cmpint(count_rows(&f, log_sql, kept), ==, 1);
    g_assert_cmpint(count_rows(&f, urgent_sql, kept), ==, 1);
    fixture_close(&f);
}

/* Records the person's answer to @activity's reminder, as the reminder service does. */
static void answer(Fixture *f, const TendActivity *activity, const char *outcome)
{
    g_autoptr(GError) error = NULL;
    TendReminder reminder = {
        .type = TEND_ITEM_ACTIVITY,
        .item_id = activity->id,
        .fire_at = activity->start - 3600,
        .due_at = activity->start - 3600,
        .start = activity->start,
    };
    gboolean claimed = FALSE;
    g_assert_true(alarms_claim(f->store, &reminder, reminder.fire_at, &claimed, &error));
    g_assert_true(claimed);
    g_assert_true(
        alarms_record_outcome(f->store, &reminder, outcome, reminder.fire_at + 60, &error));
    g_assert_no_error(error);
}

/* A reminder that comes an hour early was answered: Done for the rehearsal the day before,
 * Skip for the spaced one. A re-plan that would move the first (the shopping now takes its
 * hour) and remove the second (the dinner is less hard now) leaves both, with the answers. */
static void test_answered_stays(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    TendPlanResult first;
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, &first);
    gint64 done = find(first.activities, "rehearse", 0)->id;
    gint64 skipped = find(first.activities, "rehearse", 1)->id;
    answer(&f, find(first.activities, "rehearse", 0), "done");
    answer(&f, find(first.activities, "rehearse", 1), "skipped");
    plan_result_clear(&first);
    g_autofree char *before = rows(&f);

    add_event(&f, "Last-minute shopping", "2026-12-24T14:00", "2026-12-24T15:00", FALSE);
    exec(&f, "UPDATE stressors SET intensity = 2");
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 8, 0, 0, NULL);
    g_autofree char *after = rows(&f);
    g_assert_cmpstr(after, ==, before);
    static const char answered_sql[] = "SELECT count(*) FROM reminder_log WHERE item_type = "
                                       "'activity' AND item_id = ? AND outcome IN ('done', "
                                       "'skipped')";
    g_assert_cmpint(count_rows(&f, answered_sql, done), ==, 1);
    g_assert_cmpint(count_rows(&f, answered_sql, skipped), ==, 1);
    fixture_close(&f);
}

/* Nothing is planned in the past, and what is past is left as it was. */
static void test_never_in_the_past(void)
{
    Fixture f;
    /* 15:50 in New York on Christmas Eve. */
    fixture_open(&f, "America/New_York", "2026-12-24T20:50:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    plan(&f, "2026-12-24", "2027-02-17", 7, 0, 0, 0, 0, NULL);
    g_autofree char *got = placements(&f);
    /* Two days before is gone without a fuss; the day before starts at 16:00. */
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-12-24T21:00:00Z 2026-12-24T21:20:00Z busy 0\n"
                    "ground/0 2026-12-25T13:00:00Z 2026-12-25T13:15:00Z busy 0\n"
                    "checkin/0 2026-12-25T20:30:00Z 2026-12-25T20:35:00Z reminder 0\n"
                    "checkin/1 2026-12-25T22:00:00Z 2026-12-25T22:05:00Z reminder 0\n"
                    "checkin/2 2026-12-25T23:30:00Z 2026-12-25T23:35:00Z reminder 0\n"
                    "decompress/0 2026-12-26T00:30:00Z 2026-12-26T01:15:00Z busy 0\n"
                    "reflect/0 2026-12-26T15:00:00Z 2026-12-26T15:20:00Z busy 0\n");

    /* Next afternoon, 15:40: an event now covers the grounding that already
     * happened; it stays. The check-in at 15:30 is past and stays too. */
    set_now(&f, "2026-12-25T20:40:00Z");
    add_event(&f, "Breakfast", "2026-12-25T07:30", "2026-12-25T08:30", FALSE);
    g_autofree char *before = rows(&f);
    plan(&f, "2026-12-25", "2027-02-17", 0, 0, 7, 0, 0, NULL);
    g_autofree char *after = rows(&f);
    g_assert_cmpstr(after, ==, before);
    fixture_close(&f);
}

/* 14 March 2027: New York springs forward at 02:00. Times of day are local. */
static void test_dst_spring_forward(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2027-03-01T12:00:00Z");
    add_stressor(&f, "Mom's birthday lunch", "2027-03-14T12:00", "2027-03-14T15:00", 3);
    plan(&f, "2027-03-01", "2027-03-31", 5, 0, 0, 0, 0, NULL);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2027-03-13T19:00:00Z 2027-03-13T19:20:00Z busy 0\n"
                    "ground/0 2027-03-14T12:00:00Z 2027-03-14T12:15:00Z busy 0\n"
                    "checkin/0 2027-03-14T17:30:00Z 2027-03-14T17:35:00Z reminder 0\n"
                    "decompress/0 2027-03-14T19:00:00Z 2027-03-14T19:45:00Z busy 0\n"
                    "reflect/0 2027-03-15T14:00:00Z 2027-03-15T14:20:00Z busy 0\n");
    assert_rules_hold(&f);
    fixture_close(&f);
}

/* 25 October 2026: London falls back at 02:00 BST. */
static void test_dst_fall_back(void)
{
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-10-01T12:00:00Z");
    add_stressor(&f, "Sunday lunch", "2026-10-25T12:00", "2026-10-25T13:00", 3);
    plan(&f, "2026-10-01", "2026-10-31", 4, 0, 0, 0, 0, NULL);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-10-24T13:00:00Z 2026-10-24T13:20:00Z busy 0\n"
                    "ground/0 2026-10-25T08:00:00Z 2026-10-25T08:15:00Z busy 0\n"
                    "decompress/0 2026-10-25T13:00:00Z 2026-10-25T13:45:00Z busy 0\n"
                    "reflect/0 2026-10-26T10:00:00Z 2026-10-26T10:20:00Z busy 0\n");
    fixture_close(&f);
}

/* A whole season gets one light check-in a day inside the window, not a bundle;
 * it is not busy time itself, so a timed stressor inside it gets its bundle. */
static void test_period_daily_checkins(void)
{
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-12-20T09:00:00Z");
    gint64 season = add_stressor(&f, "The whole season", "2026-12-20", "2027-01-02", 2);
    add_event(&f, "Walk", "2026-12-29T08:30", "2026-12-29T09:30", FALSE);
    plan(&f, "2026-12-27", "2026-12-30", 8, 0, 0, 0, 0, NULL);
    g_autoptr(GPtrArray) daily = activity_list(f.store, season, NULL);
    g_autofree char *got = placements(&f);
    /* Slots count days from the season's first day, the 20th. */
    g_assert_cmpstr(got, ==,
                    "checkin/7 2026-12-27T09:00:00Z 2026-12-27T09:10:00Z busy 0\n"
                    "restore/7 2026-12-27T15:00:00Z 2026-12-27T15:20:00Z busy 0\n"
                    "checkin/8 2026-12-28T09:00:00Z 2026-12-28T09:10:00Z busy 0\n"
                    "restore/8 2026-12-28T15:00:00Z 2026-12-28T15:20:00Z busy 0\n"
                    "checkin/9 2026-12-29T09:30:00Z 2026-12-29T09:40:00Z busy 0\n"
                    "restore/9 2026-12-29T15:00:00Z 2026-12-29T15:20:00Z busy 0\n"
                    "checkin/10 2026-12-30T09:00:00Z 2026-12-30T09:10:00Z busy 0\n"
                    "restore/10 2026-12-30T15:00:00Z 2026-12-30T15:20:00Z busy 0\n");
    g_assert_cmpstr(((TendActivity *)daily->pdata[0])->title, ==,
                    "A gentle check-in during The whole season: how are you today?");

    /* A later, overlapping window keeps what lies outside it. */
    TendPlanResult result;
    add_stressor(&f, "New Year's Eve party", "2026-12-31T20:00", "2026-12-31T23:30", 2);
    plan(&f, "2026-12-30", "2027-01-05", 10, 0, 8, 0, 1, &result);
    g_autofree char *later = placements(&f);
    /* The party's bundle chooses before the season's rhythm: on New Year's Day its
     * decompression and reflection leave room for the check-in only. */
    g_assert_cmpstr(later, ==,
                    "checkin/7 2026-12-27T09:00:00Z 2026-12-27T09:10:00Z busy 0\n"
                    "restore/7 2026-12-27T15:00:00Z 2026-12-27T15:20:00Z busy 0\n"
                    "checkin/8 2026-12-28T09:00:00Z 2026-12-28T09:10:00Z busy 0\n"
                    "restore/8 2026-12-28T15:00:00Z 2026-12-28T15:20:00Z busy 0\n"
                    "checkin/9 2026-12-29T09:30:00Z 2026-12-29T09:40:00Z busy 0\n"
                    "restore/9 2026-12-29T15:00:00Z 2026-12-29T15:20:00Z busy 0\n"
                    "checkin/10 2026-12-30T09:00:00Z 2026-12-30T09:10:00Z busy 0\n"
                    "rehearse/0 2026-12-30T14:00:00Z 2026-12-30T14:20:00Z busy 0\n"
                    "restore/10 2026-12-30T15:00:00Z 2026-12-30T15:20:00Z busy 0\n"
                    "ground/0 2026-12-31T08:00:00Z 2026-12-31T08:15:00Z busy 0\n"
                    "checkin/11 2026-12-31T09:00:00Z 2026-12-31T09:10:00Z busy 0\n"
                    "restore/11 2026-12-31T15:00:00Z 2026-12-31T15:20:00Z busy 0\n"
                    "checkin/0 2026-12-31T21:30:00Z 2026-12-31T21:35:00Z reminder 0\n"
                    "decompress/0 2027-01-01T07:00:00Z 2027-01-01T07:45:00Z busy 0\n"
                    "checkin/12 2027-01-01T09:00:00Z 2027-01-01T09:10:00Z busy 0\n"
                    "reflect/0 2027-01-01T10:00:00Z 2027-01-01T10:20:00Z busy 0\n"
                    "checkin/13 2027-01-02T09:00:00Z 2027-01-02T09:10:00Z busy 0\n"
                    "restore/13 2027-01-02T15:00:00Z 2027-01-02T15:20:00Z busy 0\n");
    g_assert_cmpstr(result.notes->pdata[0], ==,
                    "No free 20 minutes on Fri 01 Jan during 'The whole season' for something "
                    "restoring; the nearest free time is Sat 02 Jan 07:00.");
    g_assert_cmpstr(find(result.activities, "restore", 7)->title, ==,
                    "Something restoring during The whole season: a walk, music, a warm drink");
    plan_result_clear(&result);
    assert_rules_hold(&f);
    fixture_close(&f);
}

/* A preview says what would happen and stores nothing. */
static void test_preview_changes_nothing(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    TendPlanResult result = {0};
    g_autoptr(GError) error = NULL;
    g_assert_true(planner_preview(f.store, &f.ctx, local(&f, "2026-12-20"), local(&f, "2027-02-18"),
                                  &result, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(result.placed, ==, 8);
    g_assert_cmpuint(result.activities->len, ==, 8);
    plan_result_clear(&result);
    plan_result_clear(&result);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==, "");
    fixture_close(&f);
}

/* Stability: one new busy event moves only the activity it covers; every other row
 * (ids, uids, times, sequences) stays exactly as it was. */
static void test_one_event_moves_only_what_it_covers(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    add_stressor(&f, "Call with Dad", "2026-12-28T17:00", "2026-12-28T18:30", 3);
    gint64 season = add_stressor(&f, "The whole season", "2026-12-21", "2026-12-23", 2);
    (void)season;
    plan(&f, "2026-12-20", "2027-01-10", 18, 0, 0, 0, 0, NULL);
    g_autofree char *before = rows(&f);

    /* 10:00-11:00 on the 26th covers the reflection after dinner, nothing else. */
    add_event(&f, "Coffee", "2026-12-26T10:00", "2026-12-26T11:00", FALSE);
    plan(&f, "2026-12-20", "2027-01-10", 0, 1, 17, 0, 0, NULL);
    g_autofree char *after = rows(&f);
    g_auto(GStrv) old_rows = g_strsplit(before, "\n", -1);
    g_auto(GStrv) new_rows = g_strsplit(after, "\n", -1);
    g_assert_cmpuint(g_strv_length(new_rows), ==, g_strv_length(old_rows));
    guint changed = 0;
    for (guint i = 0; old_rows[i]; i++) {
        if (g_str_equal(old_rows[i], new_rows[i]))
            continue;
        changed++;
        g_assert_nonnull(strstr(new_rows[i], "|reflect|0|Reflect on Christmas dinner"));
        /* Was 10:00 local (15:00Z); 10:15, 09:45 and 10:30 touch the coffee, so
         * 09:30 local (14:30Z), with the next sequence. */
        g_assert_nonnull(strstr(old_rows[i], "|1798297200|1798298400|1|0|planned|0"));
        g_assert_nonnull(strstr(new_rows[i], "|1798295400|1798296600|1|1|planned|0"));
    }
    g_assert_cmpuint(changed, ==, 1);
    assert_rules_hold(&f);
    fixture_close(&f);
}

/* What the person moved or marked by hand stays where they put it, even when a
 * busy event lands on it; skipping frees nothing for newcomers to take silently. */
static void test_person_moves_and_marks(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 4);
    TendPlanResult result;
    plan(&f, "2026-12-20", "2027-02-17", 8, 0, 0, 0, 0, &result);
    gint64 rehearse = find(result.activities, "rehearse", 0)->id;
    gint64 reflect = find(result.activities, "reflect", 0)->id;
    gint64 ground = find(result.activities, "ground", 0)->id;
    plan_result_clear(&result);

    g_autoptr(GError) error = NULL;
    /* Rehearsal moved to 11:00 on the 24th by the person. */
    g_assert_true(activity_move(f.store, rehearse, local(&f, "2026-12-24T11:00"), &error));
    g_assert_no_error(error);
    g_assert_true(activity_set_status(f.store, reflect, "done", &error));
    g_assert_true(activity_set_status(f.store, ground, "skipped", &error));
    g_assert_false(activity_set_status(f.store, ground, "maybe", &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error(&error);
    g_assert_false(activity_move(f.store, 999, 0, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_clear_error(&error);

    g_autoptr(TendActivity) moved = activity_get(f.store, rehearse, NULL);
    g_autofree char *moved_start = tend_format_utc(moved->start);
    g_autofree char *moved_end = tend_format_utc(moved->end);
    g_assert_cmpstr(moved_start, ==, "2026-12-24T16:00:00Z");
    g_assert_cmpstr(moved_end, ==, "2026-12-24T16:20:00Z");
    g_assert_true(moved->pinned);
    g_assert_cmpint(moved->sequence, ==, 1);

    /* Busy events now cover all three; none of them moves. */
    add_event(&f, "Errands", "2026-12-24T10:30", "2026-12-24T12:00", FALSE);
    add_event(&f, "Brunch", "2026-12-26T09:00", "2026-12-26T12:00", FALSE);
    add_event(&f, "Walk", "2026-12-25T07:45", "2026-12-25T08:45", FALSE);
    g_autofree char *before = rows(&f);
    plan(&f, "2026-12-20", "2027-02-17", 0, 0, 8, 0, 0, NULL);
    g_autofree char *after = rows(&f);
    g_assert_cmpstr(after, ==, before);
    fixture_close(&f);
}

/* A coping plan's exit-by time becomes a reminder at that time, follows changes to
 * it, and goes when the time is cleared. */
static void test_exit_by_reminder(void)
{
    Fixture f;
    fixture_open(&f, "America/New_York", "2026-12-20T09:00:00Z");
    gint64 id = add_stressor(&f, "Christmas dinner", "2026-12-25T14:00", "2026-12-25T19:30", 3);
    g_autofree char *sql = g_strdup_printf(
        "INSERT INTO plans (stressor_id, exit_by, updated) VALUES (%" G_GINT64_FORMAT
        ", %" G_GINT64_FORMAT ", 0)",
        id, local(&f, "2026-12-25T18:15"));
    exec(&f, sql);
    TendPlanResult result;
    plan(&f, "2026-12-20", "2026-12-31", 8, 0, 0, 0, 0, &result);
    const TendActivity *exit = find(result.activities, "exit", 0);
    g_assert_cmpstr(exit->title, ==,
                    "Time to leave Christmas dinner, as you planned. You can go now.");
    g_assert_false(exit->busy);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-12-24T19:00:00Z 2026-12-24T19:20:00Z busy 0\n"
                    "ground/0 2026-12-25T13:00:00Z 2026-12-25T13:15:00Z busy 0\n"
                    "checkin/0 2026-12-25T20:30:00Z 2026-12-25T20:35:00Z reminder 0\n"
                    "checkin/1 2026-12-25T22:00:00Z 2026-12-25T22:05:00Z reminder 0\n"
                    "exit/0 2026-12-25T23:15:00Z 2026-12-25T23:20:00Z reminder 0\n"
                    "checkin/2 2026-12-25T23:30:00Z 2026-12-25T23:35:00Z reminder 0\n"
                    "decompress/0 2026-12-26T00:30:00Z 2026-12-26T01:15:00Z busy 0\n"
                    "reflect/0 2026-12-26T15:00:00Z 2026-12-26T15:20:00Z busy 0\n");
    gint64 exit_id = exit->id;
    plan_result_clear(&result);

    exec(&f, "UPDATE plans SET exit_by = exit_by + 1800");
    plan(&f, "2026-12-20", "2026-12-31", 0, 1, 7, 0, 0, &result);
    g_assert_cmpint(find(result.activities, "exit", 0)->id, ==, exit_id);
    g_autofree char *later = tend_format_utc(find(result.activities, "exit", 0)->start);
    g_assert_cmpstr(later, ==, "2026-12-25T23:45:00Z");
    plan_result_clear(&result);

    exec(&f, "UPDATE plans SET exit_by = NULL");
    plan(&f, "2026-12-20", "2026-12-31", 0, 0, 7, 1, 0, NULL);
    fixture_close(&f);
}

/* A period across the autumn change keeps its rhythm at the same wall times. */
static void test_period_across_dst(void)
{
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-10-01T12:00:00Z");
    add_stressor(&f, "Visit from Mum", "2026-10-24", "2026-10-26", 3);
    plan(&f, "2026-10-01", "2026-10-31", 6, 0, 0, 0, 0, NULL);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "checkin/0 2026-10-24T08:00:00Z 2026-10-24T08:10:00Z busy 0\n"
                    "restore/0 2026-10-24T14:00:00Z 2026-10-24T14:20:00Z busy 0\n"
                    "checkin/1 2026-10-25T09:00:00Z 2026-10-25T09:10:00Z busy 0\n"
                    "restore/1 2026-10-25T15:00:00Z 2026-10-25T15:20:00Z busy 0\n"
                    "checkin/2 2026-10-26T09:00:00Z 2026-10-26T09:10:00Z busy 0\n"
                    "restore/2 2026-10-26T15:00:00Z 2026-10-26T15:20:00Z busy 0\n");
    assert_rules_hold(&f);
    fixture_close(&f);
}

static char *write_config(Fixture *f, const char *name, const char *text)
{
    char *path = g_build_filename(f->dir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

static char *shipped_config_path(void)
{
    return g_build_filename(tend_data_dir(), "data", "planner.conf", NULL);
}

/* data/planner.conf holds exactly the built-in rules and the documented defaults. */
static void test_config_shipped_matches_builtin(void)
{
    g_autofree char *shipped = shipped_config_path();
    g_autoptr(GError) error = NULL;
    g_autoptr(TendPlanConfig) loaded = plan_config_load(shipped, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(TendPlanConfig) builtin = plan_config_builtin();
    g_assert_cmpuint(plan_config_n_rules(loaded), ==, plan_config_n_rules(builtin));
    g_assert_cmpuint(plan_config_n_rules(loaded), ==, 9);
    for (guint i = 0; i < plan_config_n_rules(builtin); i++) {
        g_autofree char *a = plan_config_describe_rule(loaded, i);
        g_autofree char *b = plan_config_describe_rule(builtin, i);
        g_assert_cmpstr(a, ==, b);
    }
    int start, end, budget;
    plan_config_settings(loaded, &start, &end, &budget);
    g_assert_cmpint(start, ==, 7 * 60);
    g_assert_cmpint(end, ==, 22 * 60);
    g_assert_cmpint(budget, ==, 3);
    g_autofree char *first = plan_config_describe_rule(loaded, 0);
    g_assert_cmpstr(first, ==,
                    "rehearse-day-before kind=rehearse shape=event slot=0 count=0 minutes=20 "
                    "busy=1 min-intensity=1 window=day-before day-offset=1 prefer=840 "
                    "lead-minutes=0 every-minutes=0 min-length=0 title=Rehearse your boundary "
                    "words for {title} when=the day before purpose=for a rehearsal "
                    "strategy=rehearse-a-script");
}

/* The person's tend.conf changes settings and rules, switches one off, adds one. */
static void test_config_user_overrides(void)
{
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-12-20T09:00:00Z");
    g_autofree char *shipped = shipped_config_path();
    g_autofree char *user = write_config(&f, "tend.conf",
                                         "[safety]\nregion=gb\n"
                                         "[planner]\nwaking-hours=08:30-21:00\ndaily-budget=4\n"
                                         "[rule rehearse-day-before]\nprefer=11:00\n"
                                         "[rule reflect-day-after]\nenabled=false\n"
                                         "[rule period-restore]\nenabled=false\n"
                                         "[rule evening-walk]\nkind=walk\nwindow=day-after\n"
                                         "day-offset=1\nminutes=30\nprefer=17:00\n"
                                         "title=A slow walk after {title}\n");
    g_autoptr(GError) error = NULL;
    TendPlanConfig *config = plan_config_load(shipped, user, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(plan_config_n_rules(config), ==, 8);
    int start, end, budget;
    plan_config_settings(config, &start, &end, &budget);
    g_assert_cmpint(start, ==, 8 * 60 + 30);
    g_assert_cmpint(end, ==, 21 * 60);
    g_assert_cmpint(budget, ==, 4);
    f.ctx.plan_config = config; /* the fixture's context frees it */
    f.ctx.waking_start = start;
    f.ctx.waking_end = end;
    f.ctx.daily_budget = budget;

    add_stressor(&f, "Lunch with Dad", "2026-12-25T12:00", "2026-12-25T14:00", 3);
    plan(&f, "2026-12-20", "2026-12-31", 5, 0, 0, 0, 0, NULL);
    g_autofree char *got = placements(&f);
    g_assert_cmpstr(got, ==,
                    "rehearse/0 2026-12-24T11:00:00Z 2026-12-24T11:20:00Z busy 0\n"
                    "ground/0 2026-12-25T08:30:00Z 2026-12-25T08:45:00Z busy 0\n"
                    "checkin/0 2026-12-25T13:30:00Z 2026-12-25T13:35:00Z reminder 0\n"
                    "decompress/0 2026-12-25T14:00:00Z 2026-12-25T14:45:00Z busy 0\n"
                    "walk/0 2026-12-26T17:00:00Z 2026-12-26T17:30:00Z busy 0\n");
    assert_rules_hold(&f);
    fixture_close(&f);
}

/* A value tend cannot use is refused with the file, the group and the key. */
static void test_config_errors(void)
{
    static const struct {
        const char *text;
        const char *message; /* after "'PATH', " */
    } cases[] = {
        {"[planner]\nwaking-hours=7-22\n",
         "group [planner], key waking-hours: '7-22' is not a span of the day like 07:00-22:00"},
        {"[planner]\nwaking-hours=22:00-07:00\n",
         "group [planner], key waking-hours: '22:00-07:00' should end at least an hour after "
         "it starts, on the same day"},
        {"[planner]\ndaily-budget=0\n",
         "group [planner], key daily-budget: '0' is not a whole number from 1 to 12"},
        {"[planner]\nbudget=2\n",
         "group [planner], key budget: not a setting tend knows; use waking-hours or "
         "daily-budget"},
        {"[rule ground-morning-of]\nprefer=25:00\n",
         "group [rule ground-morning-of], key prefer: '25:00' is not a time of day like 14:00 "
         "(or none)"},
        {"[rule ground-morning-of]\nminute=10\n",
         "group [rule ground-morning-of], key minute: not a key of a planner rule (see "
         "data/planner.conf for the keys a rule has)"},
        {"[rule ground-morning-of]\nwindow=soon\n",
         "group [rule ground-morning-of], key window: 'soon' is not a window; use day-before, "
         "morning-of, during, exit-by, after-end, day-after or each-day"},
        {"[rule ground-morning-of]\nbusy=maybe\n",
         "group [rule ground-morning-of], key busy: 'maybe' should be true or false"},
        {"[rule checkin-during]\nbusy=true\n",
         "group [rule checkin-during], key busy: a reminder during the event takes no time: set "
         "busy=false"},
        {"[rule my-walk]\nkind=walk\nminutes=30\ntitle=Walk\n",
         "group [rule my-walk], key window: the key is missing"},
        {"[rule my-walk]\nwindow=day-after\nday-offset=1\nminutes=30\ntitle=Walk\n",
         "group [rule my-walk], key kind: the key is missing"},
        {"[rule my-rehearsal]\nkind=rehearse\nwindow=day-before\nday-offset=3\nminutes=10\n"
         "title=More\n",
         "group [rule my-rehearsal], key slot: rules [rule rehearse-day-before] and [rule "
         "my-rehearsal] both plan kind=rehearse in the same slot; give one of them another "
         "slot"},
    };
    Fixture f;
    fixture_open(&f, "Europe/London", "2026-12-20T09:00:00Z");
    g_autofree char *shipped = shipped_config_path();
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *user = write_config(&f, "tend.conf", cases[i].text);
        g_autoptr(GError) error = NULL;
        g_assert_null(plan_config_load(shipped, user, &error));
        g_assert_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
        g_autofree char *expected = g_strdup_printf("'%s', %s", user, cases[i].message);
        g_assert_cmpstr(error->message, ==, expected);
    }
    /* Not a key file at all, and no file at all (fine: the shipped rules). */
    g_autofree char *broken = write_config(&f, "tend.conf", "waking-hours=07:00-22:00\n");
    g_autoptr(GError) error = NULL;
    g_assert_null(plan_config_load(shipped, broken, &error));
    g_assert_true(g_str_has_prefix(error->message, "cannot read '"));
    g_clear_error(&error);
    g_autofree char *missing = g_build_filename(f.dir, "none.conf", NULL);
    TendPlanConfig *config = plan_config_load(shipped, missing, &error);
    g_assert_no_error(error);
    plan_config_free(config);
    g_assert_null(plan_config_load(missing, NULL, &error));
    g_assert_true(g_str_has_prefix(error->message, "cannot read '"));
    fixture_close(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/planner/bundle-exact-placement", test_bundle_exact_placement);
    g_test_add_func("/planner/bundle-depends-on-intensity-and-length",
                    test_bundle_depends_on_intensity_and_length);
    g_test_add_func("/planner/avoids-busy-ignores-transparent",
                    test_avoids_busy_ignores_transparent);
    g_test_add_func("/planner/unplaced-without-suggestion", test_unplaced_without_suggestion);
    g_test_add_func("/planner/waking-hours-and-budget", test_waking_hours_and_budget);
    g_test_add_func("/planner/idempotent", test_idempotent);
    g_test_add_func("/planner/moves-but-not-done-or-pinned", test_moves_but_not_done_or_pinned);
    g_test_add_func("/planner/follows-stressor-changes", test_follows_stressor_changes);
    g_test_add_func("/planner/removed-forgets-reminders", test_removed_forgets_reminders);
    g_test_add_func("/planner/answered-stays", test_answered_stays);
    g_test_add_func("/planner/never-in-the-past", test_never_in_the_past);
    g_test_add_func("/planner/dst-spring-forward", test_dst_spring_forward);
    g_test_add_func("/planner/dst-fall-back", test_dst_fall_back);
    g_test_add_func("/planner/period-daily-checkins", test_period_daily_checkins);
    g_test_add_func("/planner/preview-changes-nothing", test_preview_changes_nothing);
    g_test_add_func("/planner/one-event-moves-only-what-it-covers",
                    test_one_event_moves_only_what_it_covers);
    g_test_add_func("/planner/person-moves-and-marks", test_person_moves_and_marks);
    g_test_add_func("/planner/exit-by-reminder", test_exit_by_reminder);
    g_test_add_func("/planner/period-across-dst", test_period_across_dst);
    g_test_add_func("/planner/config-shipped-matches-builtin", test_config_shipped_matches_builtin);
    g_test_add_func("/planner/config-user-overrides", test_config_user_overrides);
    g_test_add_func("/planner/config-errors", test_config_errors);
    return g_test_run();
}
