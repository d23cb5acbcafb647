/* test-alarms.c: which reminders are due when, their texts, and the claim that keeps each
 * one to a single showing. Runs on a real scratch SQLite store. */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "tend/alarms.h"
#include "tend/planner.h"
#include "tend/stressor.h"

#include "test-util.h"

typedef struct {
    char *dir;
    TendStore *store;
    TendContext ctx;
} Fixture;

static void fixture_set_up(Fixture *fx, gconstpointer zone)
{
    fx->dir = g_dir_make_tmp("tend-alarms-XXXXXX", NULL);
    g_assert_nonnull(fx->dir);
    g_autofree char *path = g_build_filename(fx->dir, "tend.db", NULL);
    g_autoptr(GError) error = NULL;
    fx->store = store_open(path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
    memset(&fx->ctx, 0, sizeof fx->ctx);
    fx->ctx.tz = g_time_zone_new_identifier(zone ? zone : "Europe/Berlin");
    g_assert_nonnull(fx->ctx.tz);
    fx->ctx.tzid = g_strdup(zone ? zone : "Europe/Berlin");
    fx->ctx.grace_minutes = 120;
}

static void fixture_tear_down(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    test_close_and_delete(fx->store);
    g_rmdir(fx->dir);
    g_free(fx->dir);
    tend_context_clear(&fx->ctx);
}

static gint64 at(const char *text)
{
    gint64 instant = 0;
    g_autoptr(GError) error = NULL;
    g_assert_true(tend_time_parse_instant(text, NULL, &instant, &error));
    g_assert_no_error(error);
    return instant;
}

static gint64 add_stressor(Fixture *fx, const char *title, gint64 start, gint64 end,
                           gboolean all_day)
{
    g_autoptr(TendStressor) stressor = stressor_new();
    g_autoptr(GError) error = NULL;
    stressor->title = g_strdup(title);
    stressor->kind = TEND_KIND_FAMILY;
    stressor->start = start;
    stressor->end = end;
    stressor->all_day = all_day;
    g_assert_true(stressor_add(fx->store, stressor, at("2026-12-01T00:00:00Z"), &error));
    g_assert_no_error(error);
    return stressor->id;
}

/* The planner is written elsewhere; these rows follow its columns. */
static gint64 add_activity(Fixture *fx, gint64 stressor_id, const char *kind, int slot,
                           const char *title, gint64 start, const char *status)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        fx->store,
        "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc, end_utc, busy,"
        " sequence, status) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?)",
        &error);
    g_assert_no_error(error);
    g_autofree char *uid =
        g_strdup_printf("%s-%" G_GINT64_FORMAT "-%d@tend", kind, stressor_id, slot);
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, stressor_id);
    sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, slot);
    sqlite3_bind_text(stmt, 5, title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, start);
    sqlite3_bind_int64(stmt, 7, start + 15 * 60);
    sqlite3_bind_text(stmt, 8, status, -1, SQLITE_STATIC);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
    return sqlite3_last_insert_rowid(store_db(fx->store));
}

static GPtrArray *due_at(Fixture *fx, const char *now)
{
    g_autoptr(GError) error = NULL;
    GPtrArray *due = alarms_due(fx->store, &fx->ctx, NULL, at(now), &error);
    g_assert_no_error(error);
    g_assert_nonnull(due);
    return due;
}

/* One line per due reminder, "type id fire-time title | body", for exact comparison. */
static char *describe(GPtrArray *due)
{
    GString *text = g_string_new("");
    for (guint i = 0; i < due->len; i++) {
        const TendReminder *r = due->pdata[i];
        g_autofree char *fire = tend_format_utc(r->fire_at);
        g_string_append_printf(text, "%s %" G_GINT64_FORMAT " %s %s | %s\n",
                               agenda_item_type_to_string(r->type), r->item_id, fire, r->title,
                               r->summary);
    }
    return g_string_free(text, FALSE);
}

static char *describe_due_at(Fixture *fx, const char *now)
{
    g_autoptr(GPtrArray) due = due_at(fx, now);
    return describe(due);
}

static void assert_due(Fixture *fx, const char *now, const char *expected)
{
    g_autofree char *got = describe_due_at(fx, now);
    g_assert_cmpstr(got, ==, expected);
}

/* Christmas dinner 15:00-20:00 Berlin (14:00Z), a rehearsal at 13:00Z the same day. */
static void test_window_edges(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    gint64 dinner = add_stressor(fx, "Christmas dinner at Mom's", at("2026-12-24T14:00:00Z"),
                                 at("2026-12-24T19:00:00Z"), FALSE);
    add_activity(fx, dinner, "ground", 0, "Three slow breaths before dinner",
                 at("2026-12-24T13:30:00Z"), "planned");

    /* The stressor fires at 13:00Z: a second before, nothing; exactly then, due. */
    assert_due(fx, "2026-12-24T12:59:59Z", "");
    assert_due(fx, "2026-12-24T13:00:00Z",
               "stressor 1 2026-12-24T13:00:00Z In an hour: Christmas dinner at Mom's | Your plan "
               "is ready when you need it. If it gets too much: tend help-now.\n");
    /* At 13:30 the grounding joins; the stressor title no longer promises an hour. */
    assert_due(fx, "2026-12-24T13:30:00Z",
               "stressor 1 2026-12-24T13:00:00Z Soon: Christmas dinner at Mom's | Your plan is "
               "ready when you need it. If it gets too much: tend help-now.\n"
               "activity 1 2026-12-24T13:30:00Z Three slow breaths before dinner | Feet on the "
               "floor, three slow breaths.\n");
    /* Grace is 120 minutes: a second short of it is still due, exactly 120 minutes is not. */
    assert_due(fx, "2026-12-24T14:59:59Z",
               "stressor 1 2026-12-24T13:00:00Z Now: Christmas dinner at Mom's | Your plan is "
               "ready when you need it. If it gets too much: tend help-now.\n"
               "activity 1 2026-12-24T13:30:00Z Three slow breaths before dinner | Feet on the "
               "floor, three slow breaths.\n");
    assert_due(fx, "2026-12-24T15:00:00Z",
               "activity 1 2026-12-24T13:30:00Z Three slow breaths before dinner | Feet on the "
               "floor, three slow breaths.\n");
    assert_due(fx, "2026-12-24T15:30:00Z", "");

    /* A shorter grace window narrows what counts as still due. */
    fx->ctx.grace_minutes = 10;
    assert_due(fx, "2026-12-24T13:10:00Z", "");
    assert_due(fx, "2026-12-24T13:09:59Z",
               "stressor 1 2026-12-24T13:00:00Z In an hour: Christmas dinner at Mom's | Your plan "
               "is ready when you need it. If it gets too much: tend help-now.\n");
}

/* Every kind's text, and the order: fire time, then stressors before activities, then id. */
static void test_order_and_texts(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-24T15:00:00Z"),
                                 at("2026-12-24T19:00:00Z"), FALSE);
    gint64 call = add_stressor(fx, "Call with Dad", at("2026-12-24T15:00:00Z"),
                               at("2026-12-24T15:30:00Z"), FALSE);
    add_activity(fx, dinner, "reflect", 0, "What helped?", at("2026-12-24T14:00:00Z"), "planned");
    add_activity(fx, call, "rehearse", 0, "Rehearse your boundary words",
                 at("2026-12-24T14:00:00Z"), "planned");
    add_activity(fx, dinner, "checkin", 0, "Check in with yourself", at("2026-12-24T13:20:00Z"),
                 "planned");
    add_activity(fx, dinner, "decompress", 0, "Land after dinner", at("2026-12-24T13:10:00Z"),
                 "planned");
    add_activity(fx, dinner, "walk", 0, "Something new", at("2026-12-24T13:05:00Z"), "planned");

    assert_due(fx, "2026-12-24T14:00:00Z",
               "activity 5 2026-12-24T13:05:00Z Something new | A small moment of care, planned "
               "for now.\n"
               "activity 4 2026-12-24T13:10:00Z Land after dinner | Time to land. Something warm, "
               "something quiet.\n"
               "activity 3 2026-12-24T13:20:00Z Check in with yourself | How are you doing? It's "
               "okay to step outside for a minute.\n"
               "stressor 1 2026-12-24T14:00:00Z In an hour: Christmas dinner | Your plan is ready "
               "when you need it. If it gets too much: tend help-now.\n"
               "stressor 2 2026-12-24T14:00:00Z In an hour: Call with Dad | Your plan is ready "
               "when you need it. If it gets too much: tend help-now.\n"
               "activity 1 2026-12-24T14:00:00Z What helped? | What helped yesterday? No right "
               "answers.\n"
               "activity 2 2026-12-24T14:00:00Z Rehearse your boundary words | A few minutes to "
               "say your boundary words out loud. You've got this.\n");
}

/* All-day stressors fire at 09:00 local on their first day, also on a DST change day and in
 * zones far from UTC. */
static void test_all_day_nine_local(Fixture *fx, gconstpointer zone)
{
    gint64 christmas = at("2026-12-25T00:00:00Z"); /* all-day values are UTC midnights */
    gint64 spring = at("2026-03-29T00:00:00Z");    /* clocks go forward at 02:00 in Berlin */
    add_stressor(fx, "Christmas Day", christmas, christmas + 2 * TEND_DAY_SECONDS, TRUE);
    add_stressor(fx, "Moving day", spring, spring + TEND_DAY_SECONDS, TRUE);

    if (g_strcmp0(zone, "Europe/Berlin") == 0) {
        /* 09:00 CET is 08:00Z; on 29 March 09:00 CEST is 07:00Z, not local midnight + 9 h. */
        assert_due(fx, "2026-12-25T07:59:59Z", "");
        assert_due(fx, "2026-12-25T08:00:00Z",
                   "stressor 1 2026-12-25T08:00:00Z Today: Christmas Day | Your plan is ready "
                   "when you need it. If it gets too much: tend help-now.\n");
        assert_due(fx, "2026-12-25T09:59:59Z",
                   "stressor 1 2026-12-25T08:00:00Z Today: Christmas Day | Your plan is ready "
                   "when you need it. If it gets too much: tend help-now.\n");
        assert_due(fx, "2026-12-25T10:00:00Z", "");
        /* The second day of Christmas gets no second reminder. */
        assert_due(fx, "2026-12-26T08:00:00Z", "");
        assert_due(fx, "2026-03-29T06:59:59Z", "");
        assert_due(fx, "2026-03-29T07:00:00Z",
                   "stressor 2 2026-03-29T07:00:00Z Today: Moving day | Your plan is ready when "
                   "you need it. If it gets too much: tend help-now.\n");
    } else if (g_strcmp0(zone, "Pacific/Kiritimati") == 0) {
        /* UTC+14: 09:00 on the 25th is 19:00Z on the 24th. */
        assert_due(fx, "2026-12-24T18:59:59Z", "");
        assert_due(fx, "2026-12-24T19:00:00Z",
                   "stressor 1 2026-12-24T19:00:00Z Today: Christmas Day | Your plan is ready "
                   "when you need it. If it gets too much: tend help-now.\n");
    } else {
        /* Pacific/Pago_Pago, UTC-11: 09:00 on the 25th is 20:00Z the same day. */
        assert_due(fx, "2026-12-25T19:59:59Z", "");
        assert_due(fx, "2026-12-25T20:00:00Z",
                   "stressor 1 2026-12-25T20:00:00Z Today: Christmas Day | Your plan is ready "
                   "when you need it. If it gets too much: tend help-now.\n");
    }
}

/* Claiming is the once-only guarantee: a second claim, from this or another connection, is
 * refused; a released claim makes the reminder due again. */
static void test_claim_release(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-24T15:00:00Z"),
                                 at("2026-12-24T19:00:00Z"), FALSE);
    add_activity(fx, dinner, "ground", 0, "Ground", at("2026-12-24T14:00:00Z"), "planned");
    g_autoptr(GPtrArray) due = due_at(fx, "2026-12-24T14:00:00Z");
    g_assert_cmpuint(due->len, ==, 2);
    const TendReminder *stressor = due->pdata[0];
    const TendReminder *ground = due->pdata[1];

    gboolean claimed = FALSE;
    g_assert_true(alarms_claim(fx->store, ground, at("2026-12-24T14:00:05Z"), &claimed, &error));
    g_assert_no_error(error);
    g_assert_true(claimed);
    g_assert_true(alarms_claim(fx->store, ground, at("2026-12-24T14:00:06Z"), &claimed, &error));
    g_assert_false(claimed);

    /* A second connection, as a second `tend remind` process would have, is refused too. */
    g_autoptr(TendStore) other = store_open(store_path(fx->store), TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
    claimed = TRUE;
    g_assert_true(alarms_claim(other, ground, at("2026-12-24T14:00:07Z"), &claimed, &error));
    g_assert_false(claimed);

    assert_due(fx, "2026-12-24T14:01:00Z",
               "stressor 1 2026-12-24T14:00:00Z In an hour: Christmas dinner | Your plan is "
               "ready when you need it. If it gets too much: tend help-now.\n");
    g_assert_true(alarms_claim(other, stressor, at("2026-12-24T14:00:08Z"), &claimed, &error));
    g_assert_true(claimed);
    assert_due(fx, "2026-12-24T14:01:00Z", "");

    /* The claim records who took it when, with no outcome yet. */
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        fx->store,
        "SELECT item_type, item_id, fire_at, claimed_at, outcome IS NULL FROM reminder_log"
        " ORDER BY item_type",
        &error);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpstr(store_column_text(stmt, 0), ==, "activity");
    g_assert_cmpint(sqlite3_column_int64(stmt, 1), ==, 1);
    g_assert_cmpint(sqlite3_column_int64(stmt, 2), ==, at("2026-12-24T14:00:00Z"));
    g_assert_cmpint(sqlite3_column_int64(stmt, 3), ==, at("2026-12-24T14:00:05Z"));
    g_assert_cmpint(sqlite3_column_int(stmt, 4), ==, 1);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpstr(store_column_text(stmt, 0), ==, "stressor");
    g_assert_cmpint(sqlite3_column_int64(stmt, 3), ==, at("2026-12-24T14:00:08Z"));
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
    g_clear_pointer(&stmt, sqlite3_finalize);

    /* Showing failed: the claim goes back and the next run sees it again. */
    g_assert_true(alarms_release(fx->store, ground, &error));
    g_assert_no_error(error);
    assert_due(fx, "2026-12-24T14:01:00Z",
               "activity 1 2026-12-24T14:00:00Z Ground | Feet on the floor, three slow "
               "breaths.\n");
    g_assert_true(alarms_claim(other, ground, at("2026-12-24T14:02:00Z"), &claimed, &error));
    g_assert_true(claimed);
    assert_due(fx, "2026-12-24T14:02:00Z", "");
}

static void test_outcome(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-24T15:00:00Z"),
                                 at("2026-12-24T19:00:00Z"), FALSE);
    add_activity(fx, dinner, "checkin", 0, "Check in", at("2026-12-24T16:00:00Z"), "planned");
    g_autoptr(GPtrArray) due = due_at(fx, "2026-12-24T16:00:00Z");
    g_assert_cmpuint(due->len, ==, 1);
    const TendReminder *checkin = due->pdata[0];

    /* Nothing is recorded for a reminder nobody claimed. */
    g_assert_false(alarms_record_outcome(fx->store, checkin, "shown", 1, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_clear_error(&error);

    gboolean claimed = FALSE;
    g_assert_true(alarms_claim(fx->store, checkin, at("2026-12-24T16:00:00Z"), &claimed, &error));
    g_assert_true(claimed);
    g_assert_true(
        alarms_record_outcome(fx->store, checkin, "shown", at("2026-12-24T16:00:01Z"), &error));
    g_assert_no_error(error);
    g_assert_false(
        alarms_record_outcome(fx->store, checkin, "failed", at("2026-12-24T16:00:02Z"), &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error(&error);
    g_assert_true(
        alarms_record_outcome(fx->store, checkin, "done", at("2026-12-24T16:05:00Z"), &error));

    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        fx->store, "SELECT outcome, outcome_at, claimed_at FROM reminder_log", &error);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpstr(store_column_text(stmt, 0), ==, "done");
    g_assert_cmpint(sqlite3_column_int64(stmt, 1), ==, at("2026-12-24T16:05:00Z"));
    g_assert_cmpint(sqlite3_column_int64(stmt, 2), ==, at("2026-12-24T16:00:00Z"));
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
    assert_due(fx, "2026-12-24T16:10:00Z", "");
}

/* Only planned activities remind; a moved one reminds again at its new time. */
static void test_status_and_moves(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-28T15:00:00Z"),
                                 at("2026-12-28T19:00:00Z"), FALSE);
    add_activity(fx, dinner, "ground", 0, "Done already", at("2026-12-24T14:00:00Z"), "done");
    add_activity(fx, dinner, "ground", 1, "Skipped, and that's okay", at("2026-12-24T14:00:00Z"),
                 "skipped");
    gint64 moved =
        add_activity(fx, dinner, "reflect", 0, "Reflect", at("2026-12-24T14:00:00Z"), "planned");
    g_autoptr(GPtrArray) due = due_at(fx, "2026-12-24T14:00:00Z");
    g_assert_cmpuint(due->len, ==, 1);
    g_assert_cmpint(((TendReminder *)due->pdata[0])->item_id, ==, moved);
    gboolean claimed = FALSE;
    g_assert_true(
        alarms_claim(fx->store, due->pdata[0], at("2026-12-24T14:00:00Z"), &claimed, &error));
    g_assert_true(claimed);
    assert_due(fx, "2026-12-24T14:30:00Z", "");

    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(fx->store, "UPDATE activities SET start_utc = ? WHERE id = ?", &error);
    sqlite3_bind_int64(stmt, 1, at("2026-12-24T14:20:00Z"));
    sqlite3_bind_int64(stmt, 2, moved);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
    assert_due(fx, "2026-12-24T14:30:00Z",
               "activity 3 2026-12-24T14:20:00Z Reflect | What helped yesterday? No right "
               "answers.\n");

    g_assert_true(
        store_exec(fx->store, "UPDATE activities SET status = 'skipped' WHERE id = 3", &error));
    assert_due(fx, "2026-12-24T14:30:00Z", "");
}

static GPtrArray *due_with(Fixture *fx, const TendReminderSettings *settings, const char *now)
{
    g_autoptr(GError) error = NULL;
    GPtrArray *due = alarms_due(fx->store, &fx->ctx, settings, at(now), &error);
    g_assert_no_error(error);
    g_assert_nonnull(due);
    return due;
}

static void assert_due_with(Fixture *fx, const TendReminderSettings *settings, const char *now,
                            const char *expected)
{
    g_autoptr(GPtrArray) due = due_with(fx, settings, now);
    g_autofree char *got = describe(due);
    g_assert_cmpstr(got, ==, expected);
}

static char *next_after(Fixture *fx, const TendReminderSettings *settings, const char *now)
{
    g_autoptr(GError) error = NULL;
    gint64 next = 0;
    g_assert_true(alarms_next(fx->store, &fx->ctx, settings, at(now), &next, &error));
    g_assert_no_error(error);
    return next == G_MAXINT64 ? g_strdup("none") : tend_format_utc(next);
}

static void assert_next(Fixture *fx, const TendReminderSettings *settings, const char *now,
                        const char *expected)
{
    g_autofree char *got = next_after(fx, settings, now);
    g_assert_cmpstr(got, ==, expected);
}

/* The defaults: a stressor a day and an hour before, an activity at its start; the next
 * reminder is found however far off. */
static void test_several_leads(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    add_stressor(fx, "Christmas dinner", at("2026-12-24T14:00:00Z"), at("2026-12-24T19:00:00Z"),
                 FALSE);
    assert_next(fx, NULL, "2026-12-01T00:00:00Z", "2026-12-23T14:00:00Z");
    assert_due(fx, "2026-12-23T14:00:00Z",
               "stressor 1 2026-12-23T14:00:00Z Tomorrow at 15:00: Christmas dinner | Your plan "
               "is ready when you need it. If it gets too much: tend help-now.\n");
    assert_next(fx, NULL, "2026-12-23T14:00:00Z", "2026-12-24T13:00:00Z");
    /* Two hours before the dinner, the day-before one is past its grace. */
    assert_due(fx, "2026-12-24T12:00:00Z", "");

    TendReminderSettings settings;
    alarms_settings_init(&settings);
    settings.stressor_leads[0] = 2 * 3600;
    settings.stressor_leads[1] = 0;
    assert_due_with(fx, &settings, "2026-12-24T12:00:00Z",
                    "stressor 1 2026-12-24T12:00:00Z Today at 15:00: Christmas dinner | Your plan "
                    "is ready when you need it. If it gets too much: tend help-now.\n");
    /* At the start, the one two hours before has just left its grace window. */
    assert_due_with(fx, &settings, "2026-12-24T14:00:00Z",
                    "stressor 1 2026-12-24T14:00:00Z Now: Christmas dinner | Your plan is ready "
                    "when you need it. If it gets too much: tend help-now.\n");
    assert_next(fx, &settings, "2026-12-24T14:00:00Z", "none");
}

/* Quiet hours 22:00-08:00 Berlin: a reminder inside waits until 08:00; an urgent one does
 * not; an all-day item reminds at the morning time, a day before too. */
static void test_quiet_hours_and_urgent(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    /* 23:30 Berlin: the hour-before reminder (22:30) waits until 08:00 the next day. */
    gint64 late = add_stressor(fx, "Late call", at("2026-12-24T22:30:00Z"),
                               at("2026-12-24T23:00:00Z"), FALSE);
    gint64 boxing = at("2026-12-26T00:00:00Z");
    add_stressor(fx, "Boxing Day", boxing, boxing + TEND_DAY_SECONDS, TRUE);

    TendReminderSettings settings;
    alarms_settings_init(&settings);
    settings.stressor_leads[0] = 3600;
    settings.n_stressor_leads = 1;
    assert_due_with(fx, &settings, "2026-12-24T21:30:00Z", "");
    assert_next(fx, &settings, "2026-12-24T21:00:00Z", "2026-12-25T07:00:00Z");
    assert_due_with(fx, &settings, "2026-12-25T07:00:00Z",
                    "stressor 1 2026-12-24T21:30:00Z Now: Late call | Your plan is ready when you "
                    "need it. If it gets too much: tend help-now.\n");

    g_assert_true(alarms_set_urgent(fx->store, TEND_ITEM_STRESSOR, late, TRUE, &error));
    g_assert_no_error(error);
    assert_next(fx, &settings, "2026-12-24T21:00:00Z", "2026-12-24T21:30:00Z");
    assert_due_with(fx, &settings, "2026-12-24T21:30:00Z",
                    "stressor 1 2026-12-24T21:30:00Z In an hour: Late call | Your plan is ready "
                    "when you need it. If it gets too much: tend help-now.\n");
    g_assert_true(alarms_set_urgent(fx->store, TEND_ITEM_STRESSOR, late, FALSE, &error));
    assert_due_with(fx, &settings, "2026-12-24T21:30:00Z", "");
    g_assert_false(alarms_set_urgent(fx->store, TEND_ITEM_ACTIVITY, 42, TRUE, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_clear_error(&error);

    /* The all-day item: at 07:15 local with the morning set there, but quiet hours last to
     * 08:00, so it comes at 08:00; with a day's lead, the day before as well. */
    settings.morning = 7 * 60 + 15;
    settings.stressor_leads[0] = TEND_DAY_SECONDS;
    settings.stressor_leads[1] = 0;
    settings.n_stressor_leads = 2;
    assert_due_with(fx, &settings, "2026-12-25T07:00:00Z",
                    "stressor 1 2026-12-24T22:30:00Z Now: Late call | Your plan is ready when you "
                    "need it. If it gets too much: tend help-now.\n"
                    "stressor 2 2026-12-25T06:15:00Z Tomorrow: Boxing Day | Your plan is ready "
                    "when you need it. If it gets too much: tend help-now.\n");
    settings.quiet_start = settings.quiet_end = 0; /* none */
    assert_due_with(fx, &settings, "2026-12-26T06:15:00Z",
                    "stressor 2 2026-12-26T06:15:00Z Today: Boxing Day | Your plan is ready when "
                    "you need it. If it gets too much: tend help-now.\n");
}

/* A snoozed reminder is due again at its snooze time, once; discreet shows neutral text. */
static void test_snooze_and_discreet(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-24T15:00:00Z"),
                                 at("2026-12-24T19:00:00Z"), FALSE);
    add_activity(fx, dinner, "ground", 0, "Ground", at("2026-12-24T14:00:00Z"), "planned");
    g_autoptr(GPtrArray) due = due_at(fx, "2026-12-24T14:00:00Z");
    g_assert_cmpuint(due->len, ==, 2);
    const TendReminder *ground = due->pdata[1];
    gboolean claimed = FALSE;
    g_assert_true(alarms_claim(fx->store, ground, at("2026-12-24T14:00:00Z"), &claimed, &error));
    g_assert_true(claimed);
    g_assert_true(alarms_snooze(fx->store, ground, at("2026-12-24T14:01:00Z"),
                                at("2026-12-24T14:11:00Z"), &error));
    g_assert_no_error(error);
    assert_due(fx, "2026-12-24T14:10:59Z",
               "stressor 1 2026-12-24T14:00:00Z In an hour: Christmas dinner | Your plan is "
               "ready when you need it. If it gets too much: tend help-now.\n");
    assert_next(fx, NULL, "2026-12-24T14:05:00Z", "2026-12-24T14:11:00Z");

    TendReminderSettings settings;
    alarms_settings_init(&settings);
    settings.discreet = TRUE;
    g_autoptr(GPtrArray) back = due_with(fx, &settings, "2026-12-24T14:11:00Z");
    g_autofree char *text = describe(back);
    g_assert_cmpstr(text, ==,
                    "stressor 1 2026-12-24T14:00:00Z Personal time | A small moment for you, "
                    "when you're ready.\n"
                    "activity 1 2026-12-24T14:00:00Z Personal time | A small moment for you, "
                    "when you're ready.\n");
    const TendReminder *again = back->pdata[1];
    g_assert_cmpint(again->due_at, ==, at("2026-12-24T14:11:00Z"));
    g_assert_cmpint(again->snoozed_until, ==, at("2026-12-24T14:11:00Z"));
    /* Claimed once: a second claim of the same return is refused. */
    g_assert_true(alarms_claim(fx->store, again, at("2026-12-24T14:11:00Z"), &claimed, &error));
    g_assert_true(claimed);
    g_assert_true(alarms_claim(fx->store, again, at("2026-12-24T14:11:01Z"), &claimed, &error));
    g_assert_false(claimed);
    assert_due(fx, "2026-12-24T14:12:00Z",
               "stressor 1 2026-12-24T14:00:00Z In an hour: Christmas dinner | Your plan is "
               "ready when you need it. If it gets too much: tend help-now.\n");
    /* Released (the server was gone): snoozed again until the same time, so due at once. */
    g_assert_true(alarms_release(fx->store, again, &error));
    g_assert_no_error(error);
    g_autoptr(GPtrArray) retry = due_at(fx, "2026-12-24T14:12:00Z");
    g_assert_cmpuint(retry->len, ==, 2);
    g_assert_true(
        alarms_record_outcome(fx->store, again, "done", at("2026-12-24T14:13:00Z"), &error));
    assert_due(fx, "2026-12-24T14:14:00Z",
               "stressor 1 2026-12-24T14:00:00Z In an hour: Christmas dinner | Your plan is "
               "ready when you need it. If it gets too much: tend help-now.\n");
}

/* A snooze belongs to the fire time it was for: once the activity has moved, the snooze's
 * end brings nothing, and the activity reminds at its new time; moved back, the snooze
 * holds again. */
static void test_snooze_then_move(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-24T21:00:00Z"),
                                 at("2026-12-24T22:00:00Z"), FALSE);
    gint64 rehearse =
        add_activity(fx, dinner, "rehearse", 0, "Rehearse", at("2026-12-24T13:00:00Z"), "planned");
    g_autoptr(GPtrArray) due = due_at(fx, "2026-12-24T13:00:00Z");
    g_assert_cmpuint(due->len, ==, 1);
    gboolean claimed = FALSE;
    g_assert_true(
        alarms_claim(fx->store, due->pdata[0], at("2026-12-24T13:00:00Z"), &claimed, &error));
    g_assert_true(claimed);
    g_assert_true(alarms_snooze(fx->store, due->pdata[0], at("2026-12-24T13:01:00Z"),
                                at("2026-12-24T13:11:00Z"), &error));
    g_assert_no_error(error);
    assert_next(fx, NULL, "2026-12-24T13:02:00Z", "2026-12-24T13:11:00Z");

    g_assert_true(activity_move(fx->store, rehearse, at("2026-12-24T17:00:00Z"), &error));
    g_assert_no_error(error);
    assert_next(fx, NULL, "2026-12-24T13:02:00Z", "2026-12-24T17:00:00Z");
    assert_due(fx, "2026-12-24T13:11:00Z", "");
    assert_due(fx, "2026-12-24T17:00:00Z",
               "activity 1 2026-12-24T17:00:00Z Rehearse | A few minutes to say your boundary "
               "words out loud. You've got this.\n");

    g_assert_true(activity_move(fx->store, rehearse, at("2026-12-24T13:00:00Z"), &error));
    g_assert_no_error(error);
    g_autoptr(GPtrArray) back = due_at(fx, "2026-12-24T13:11:00Z");
    g_assert_cmpuint(back->len, ==, 1);
    g_assert_cmpint(((TendReminder *)back->pdata[0])->snoozed_until, ==,
                    at("2026-12-24T13:11:00Z"));
}

static gint64 count_rows(Fixture *fx, const char *sql)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(fx->store, sql, &error);
    g_assert_no_error(error);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    return sqlite3_column_int64(stmt, 0);
}

/* A removed stressor takes its reminders (and its activities') with it: the stressor and
 * activity added next get the same ids from SQLite, and must remind afresh, not as answered,
 * snoozed or urgent. */
static void test_removed_items_forgotten(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    static const char expected[] =
        "stressor 1 2026-12-24T14:00:00Z In an hour: Christmas dinner | Your plan is ready when "
        "you need it. If it gets too much: tend help-now.\n"
        "activity 1 2026-12-24T14:00:00Z Ground | Feet on the floor, three slow breaths.\n";
    gint64 old = add_stressor(fx, "Christmas dinner", at("2026-12-24T15:00:00Z"),
                              at("2026-12-24T19:00:00Z"), FALSE);
    add_activity(fx, old, "ground", 0, "Ground", at("2026-12-24T14:00:00Z"), "planned");
    g_autoptr(GPtrArray) due = due_at(fx, "2026-12-24T14:00:00Z");
    g_autofree char *first = describe(due);
    g_assert_cmpstr(first, ==, expected);
    gboolean claimed = FALSE;
    for (guint i = 0; i < due->len; i++) {
        g_assert_true(
            alarms_claim(fx->store, due->pdata[i], at("2026-12-24T14:00:00Z"), &claimed, &error));
        g_assert_true(claimed);
    }
    g_assert_true(alarms_snooze(fx->store, due->pdata[0], at("2026-12-24T14:01:00Z"),
                                at("2026-12-24T14:11:00Z"), &error));
    g_assert_true(alarms_record_outcome(fx->store, due->pdata[1], "done",
                                        at("2026-12-24T14:01:00Z"), &error));
    g_assert_true(alarms_set_urgent(fx->store, TEND_ITEM_STRESSOR, old, TRUE, &error));
    g_assert_true(alarms_set_urgent(fx->store, TEND_ITEM_ACTIVITY, 1, TRUE, &error));
    g_assert_no_error(error);
    assert_due(fx, "2026-12-24T14:05:00Z", "");

    g_assert_true(store_begin(fx->store, &error));
    g_assert_true(stressor_remove(fx->store, old, &error));
    g_assert_true(store_commit(fx->store, &error));
    g_assert_no_error(error);
    g_assert_cmpint(count_rows(fx, "SELECT count(*) FROM reminder_log"), ==, 0);
    g_assert_cmpint(count_rows(fx, "SELECT count(*) FROM reminder_urgent"), ==, 0);

    gint64 again = add_stressor(fx, "Christmas dinner", at("2026-12-24T15:00:00Z"),
                                at("2026-12-24T19:00:00Z"), FALSE);
    g_assert_cmpint(again, ==, old);
    g_assert_cmpint(
        add_activity(fx, again, "ground", 0, "Ground", at("2026-12-24T14:00:00Z"), "planned"), ==,
        1);
    g_autoptr(GPtrArray) fresh = due_at(fx, "2026-12-24T14:05:00Z");
    g_autofree char *text = describe(fresh);
    g_assert_cmpstr(text, ==, expected);
    for (guint i = 0; i < fresh->len; i++) {
        g_assert_false(((TendReminder *)fresh->pdata[i])->urgent);
        g_assert_cmpint(((TendReminder *)fresh->pdata[i])->snoozed_until, ==, 0);
    }
}

/* Missed while away: only those in (since, now - grace], claimed once as "missed". */
static void test_missed(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-25T15:00:00Z"),
                                 at("2026-12-25T19:00:00Z"), FALSE);
    add_activity(fx, dinner, "ground", 0, "Before last look", at("2026-12-24T08:00:00Z"),
                 "planned");
    add_activity(fx, dinner, "ground", 1, "Ten", at("2026-12-24T10:00:00Z"), "planned");
    add_activity(fx, dinner, "ground", 2, "Eleven", at("2026-12-24T11:00:00Z"), "planned");
    add_activity(fx, dinner, "ground", 3, "In grace", at("2026-12-24T13:30:00Z"), "planned");
    gint64 since = at("2026-12-24T09:00:00Z"), now = at("2026-12-24T14:00:00Z");

    g_autoptr(GPtrArray) missed = alarms_missed(fx->store, &fx->ctx, NULL, since, now, &error);
    g_assert_no_error(error);
    g_autofree char *text = describe(missed);
    g_assert_cmpstr(text, ==,
                    "activity 2 2026-12-24T10:00:00Z Ten | Feet on the floor, three slow "
                    "breaths.\n"
                    "activity 3 2026-12-24T11:00:00Z Eleven | Feet on the floor, three slow "
                    "breaths.\n");
    guint claimed = 0;
    g_assert_true(alarms_claim_missed(fx->store, missed, now, &claimed, &error));
    g_assert_cmpuint(claimed, ==, 2);
    g_assert_true(alarms_claim_missed(fx->store, missed, now, &claimed, &error));
    g_assert_cmpuint(claimed, ==, 0);
    g_autoptr(GPtrArray) again = alarms_missed(fx->store, &fx->ctx, NULL, since, now, &error);
    g_assert_cmpuint(again->len, ==, 0);
    g_assert_true(alarms_release_missed(fx->store, missed, &error));
    g_autoptr(GPtrArray) back = alarms_missed(fx->store, &fx->ctx, NULL, since, now, &error);
    g_assert_cmpuint(back->len, ==, 2);

    gint64 seen = 0;
    gboolean found = TRUE;
    g_assert_true(alarms_get_last_seen(fx->store, &seen, &found, &error));
    g_assert_false(found);
    g_assert_true(alarms_set_last_seen(fx->store, now, &error));
    g_assert_true(alarms_get_last_seen(fx->store, &seen, &found, &error));
    g_assert_true(found);
    g_assert_cmpint(seen, ==, now);
}

/* The clock is set 6.5 hours ahead, the service catches up (claiming as missed what that
 * clock had passed), then the clock is put back. What was claimed from the future comes at
 * its time after all; what had really passed beyond the grace period stays missed. */
static void test_clock_ahead_then_back(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    gint64 dinner = add_stressor(fx, "Christmas dinner", at("2026-12-24T18:00:00Z"),
                                 at("2026-12-24T21:00:00Z"), FALSE);
    /* 07:20 in Berlin, urgent so quiet hours do not hold it until 08:00. */
    gint64 missed_id = add_activity(fx, dinner, "ground", 0, "Really missed",
                                    at("2026-12-24T06:20:00Z"), "planned");
    g_assert_true(alarms_set_urgent(fx->store, TEND_ITEM_ACTIVITY, missed_id, TRUE, &error));
    add_activity(fx, dinner, "ground", 1, "Ten past nine", at("2026-12-24T08:10:00Z"), "planned");
    add_activity(fx, dinner, "ground", 2, "Ten", at("2026-12-24T09:00:00Z"), "planned");
    /* 22:30 the evening before, inside quiet hours: due at 08:00. */
    add_activity(fx, dinner, "ground", 3, "Late", at("2026-12-23T21:30:00Z"), "planned");
    gint64 since = at("2026-12-24T06:00:00Z"), ahead = at("2026-12-24T14:30:00Z");

    g_autoptr(GPtrArray) missed = alarms_missed(fx->store, &fx->ctx, NULL, since, ahead, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(missed->len, ==, 4);
    guint claimed = 0;
    g_assert_true(alarms_claim_missed(fx->store, missed, ahead, &claimed, &error));
    g_assert_cmpuint(claimed, ==, 4);
    assert_next(fx, NULL, "2026-12-24T08:30:00Z", "2026-12-24T17:00:00Z");

    /* Put back to 08:30 (09:30 in Berlin); the service looks again. */
    g_autoptr(GPtrArray) again =
        alarms_missed(fx->store, &fx->ctx, NULL, ahead, at("2026-12-24T08:30:00Z"), &error);
    g_assert_no_error(error);
    g_assert_cmpuint(again->len, ==, 0);
    assert_due(fx, "2026-12-24T08:30:00Z",
               "activity 4 2026-12-23T21:30:00Z Late | Feet on the floor, three slow breaths.\n"
               "activity 2 2026-12-24T08:10:00Z Ten past nine | Feet on the floor, three slow "
               "breaths.\n");
    assert_next(fx, NULL, "2026-12-24T08:30:00Z", "2026-12-24T09:00:00Z");
    g_autofree char *left = NULL;
    {
        g_autoptr(sqlite3_stmt) stmt = store_prepare(
            fx->store, "SELECT group_concat(item_id || ':' || outcome, ' ') FROM reminder_log",
            &error);
        g_assert_no_error(error);
        g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
        left = g_strdup(store_column_text(stmt, 0));
    }
    g_assert_cmpstr(left, ==, "1:missed");
}

/* tend.conf's [reminders]: values read over the defaults; a bad one names file and key and
 * changes nothing. */
static void test_settings_file(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename(fx->dir, "tend.conf", NULL);
    TendReminderSettings settings;
    alarms_settings_init(&settings);
    g_assert_true(alarms_settings_load(&settings, "/nonexistent/tend.conf", &error));
    g_assert_no_error(error);
    g_assert_cmpuint(settings.n_stressor_leads, ==, 2);
    g_assert_cmpint(settings.stressor_leads[0], ==, 86400);
    g_assert_cmpint(settings.stressor_leads[1], ==, 3600);
    g_assert_cmpint(settings.quiet_start, ==, 22 * 60);
    g_assert_cmpint(settings.quiet_end, ==, 8 * 60);

    g_assert_true(g_file_set_contents(path,
                                      "[safety]\nregion=DE\n[reminders]\n"
                                      "stressor_before = 0, 2d, 30m, 2d\n"
                                      "activity_before = 5m\nmorning = 08:45\n"
                                      "quiet_hours = none\nsnooze_minutes = 15\n"
                                      "grace_minutes = 30\ndiscreet = true\n",
                                      -1, NULL));
    g_assert_true(alarms_settings_load(&settings, path, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(settings.n_stressor_leads, ==, 3);
    g_assert_cmpint(settings.stressor_leads[0], ==, 2 * 86400);
    g_assert_cmpint(settings.stressor_leads[1], ==, 1800);
    g_assert_cmpint(settings.stressor_leads[2], ==, 0);
    g_assert_cmpuint(settings.n_activity_leads, ==, 1);
    g_assert_cmpint(settings.activity_leads[0], ==, 300);
    g_assert_cmpint(settings.morning, ==, 8 * 60 + 45);
    g_assert_cmpint(settings.quiet_start, ==, settings.quiet_end);
    g_assert_cmpint(settings.snooze_minutes, ==, 15);
    g_assert_cmpint(settings.grace_minutes, ==, 30);
    g_assert_true(settings.discreet);

    static const struct {
        const char *line, *message;
    } bad[] = {
        {"quiet_hours = 22-8", "[reminders] quiet_hours = '22-8' is not a span such as "
                               "22:00-08:00, or none"},
        {"morning = 25:00", "[reminders] morning = '25:00' is not a time of day such as 09:00"},
        {"stressor_before = 1w", "[reminders] stressor_before = '1w' is not a list of up to 8 "
                                 "times before the start such as '1d, 1h, 0' (m, h or d; at "
                                 "most 30 days)"},
        {"snooze_minutes = 0", "[reminders] snooze_minutes = '0' is not a number of minutes "
                               "from 1 to 1440"},
        {"discreet = yes", "[reminders] discreet = 'yes' is not true or false"},
        {"quiet = 1", "[reminders] has no setting 'quiet'"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *contents = g_strdup_printf("[reminders]\n%s\n", bad[i].line);
        g_assert_true(g_file_set_contents(path, contents, -1, NULL));
        TendReminderSettings before = settings;
        g_assert_false(alarms_settings_load(&settings, path, &error));
        g_assert_nonnull(strstr(error->message, path));
        g_assert_nonnull(strstr(error->message, bad[i].message));
        g_assert_cmpmem(&before, sizeof before, &settings, sizeof settings);
        g_clear_error(&error);
    }
}

/* The reminder log, one line per row: "type id fire-time outcome snooze-until". */
static char *log_rows(Fixture *fx)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(fx->store,
                      "SELECT item_type, item_id, fire_at, coalesce(outcome, '-'), snooze_until"
                      " FROM reminder_log ORDER BY item_type DESC, item_id, fire_at",
                      &error);
    g_assert_no_error(error);
    GString *text = g_string_new("");
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        g_autofree char *fire = tend_format_utc(sqlite3_column_int64(stmt, 2));
        g_autofree char *snooze = sqlite3_column_type(stmt, 4) == SQLITE_NULL
                                      ? g_strdup("-")
                                      : tend_format_utc(sqlite3_column_int64(stmt, 4));
        g_string_append_printf(text, "%s %" G_GINT64_FORMAT " %s %s %s\n",
                               store_column_text(stmt, 0), (gint64)sqlite3_column_int64(stmt, 1),
                               fire, store_column_text(stmt, 3), snooze);
    }
    return g_string_free(text, FALSE);
}

static void assert_log(Fixture *fx, const char *expected)
{
    g_autofree char *got = log_rows(fx);
    g_assert_cmpstr(got, ==, expected);
}

static void claim_due(Fixture *fx, const TendReminderSettings *settings, const char *now,
                      GPtrArray **out_due)
{
    g_autoptr(GError) error = NULL;
    *out_due = due_with(fx, settings, now);
    for (guint i = 0; i < (*out_due)->len; i++) {
        gboolean claimed = FALSE;
        g_assert_true(alarms_claim(fx->store, (*out_due)->pdata[i], at(now), &claimed, &error));
        g_assert_no_error(error);
        g_assert_true(claimed);
    }
}

static GPtrArray *follow_zone(Fixture *fx, const TendReminderSettings *settings, GTimeZone *to,
                              const char *now, GTimeZone **out_old)
{
    g_autoptr(GError) error = NULL;
    GPtrArray *passed = NULL;
    *out_old = fx->ctx.tz;
    fx->ctx.tz = g_time_zone_ref(to);
    g_assert_true(
        alarms_follow_zone(fx->store, &fx->ctx, settings, *out_old, at(now), &passed, &error));
    g_assert_no_error(error);
    return passed;
}

#define PLAN_BODY "Your plan is ready when you need it. If it gets too much: tend help-now."

/* Berlin to New York and back, reminding a day before and on the day. An all-day item's log
 * rows move to 09:00 where the person is, answered or snoozed (a snooze keeps its instant);
 * a timed item's stay. A reminder held in memory moves the same way, and an answer to it
 * finds its row. Going east, those the move made too late to show unseen are named, and
 * only those: not one already too late in the old zone, nor one within the grace period. */
static void test_follow_zone(Fixture *fx, gconstpointer zone)
{
    (void)zone;
    g_autoptr(GError) error = NULL;
    g_autoptr(GTimeZone) ny = g_time_zone_new_identifier("America/New_York");
    g_autoptr(GTimeZone) berlin = g_time_zone_ref(fx->ctx.tz);
    TendReminderSettings settings;
    alarms_settings_init(&settings);
    settings.stressor_leads[0] = TEND_DAY_SECONDS;
    settings.stressor_leads[1] = 0;
    add_stressor(fx, "Christmas", at("2026-12-25T00:00:00Z"), at("2026-12-26T00:00:00Z"), TRUE);
    add_stressor(fx, "Boxing Day", at("2026-12-26T00:00:00Z"), at("2026-12-27T00:00:00Z"), TRUE);
    add_stressor(fx, "Dinner", at("2026-12-25T18:00:00Z"), at("2026-12-25T21:00:00Z"), FALSE);
    add_stressor(fx, "Family lunch", at("2026-12-27T00:00:00Z"), at("2026-12-28T00:00:00Z"), TRUE);

    g_autoptr(GPtrArray) eve = NULL, dinner = NULL, morning = NULL;
    claim_due(fx, &settings, "2026-12-24T08:00:00Z", &eve);
    g_assert_true(alarms_record_outcome(fx->store, eve->pdata[0], "done",
                                        at("2026-12-24T08:01:00Z"), &error));
    claim_due(fx, &settings, "2026-12-24T18:00:00Z", &dinner);
    claim_due(fx, &settings, "2026-12-25T08:00:00Z", &morning);
    g_autofree char *shown = describe(morning);
    g_assert_cmpstr(shown, ==,
                    "stressor 1 2026-12-25T08:00:00Z Today: Christmas | " PLAN_BODY "\n"
                    "stressor 2 2026-12-25T08:00:00Z Tomorrow: Boxing Day | " PLAN_BODY "\n");
    g_assert_true(alarms_record_outcome(fx->store, morning->pdata[0], "shown",
                                        at("2026-12-25T08:00:00Z"), &error));
    g_assert_true(alarms_snooze(fx->store, morning->pdata[1], at("2026-12-25T08:01:00Z"),
                                at("2026-12-25T08:11:00Z"), &error));
    g_assert_no_error(error);

    /* West, at 09:30 Berlin (03:30 New York). */
    g_autoptr(GTimeZone) was = NULL;
    g_autoptr(GPtrArray) west = follow_zone(fx, &settings, ny, "2026-12-25T08:30:00Z", &was);
    g_assert_cmpuint(west->len, ==, 0);
    assert_log(fx, "stressor 1 2026-12-24T14:00:00Z done -\n"
                   "stressor 1 2026-12-25T14:00:00Z shown -\n"
                   "stressor 2 2026-12-25T14:00:00Z snoozed 2026-12-25T08:11:00Z\n"
                   "stressor 3 2026-12-24T18:00:00Z - -\n");
    /* The one on screen moves with its row; Done on it is kept. */
    TendReminder *on_screen = morning->pdata[0];
    alarms_reminder_follow_zone(&fx->ctx, &settings, was, on_screen);
    g_assert_cmpint(on_screen->fire_at, ==, at("2026-12-25T14:00:00Z"));
    g_assert_cmpint(on_screen->due_at, ==, at("2026-12-25T14:00:00Z"));
    g_assert_true(
        alarms_record_outcome(fx->store, on_screen, "done", at("2026-12-25T08:31:00Z"), &error));
    g_assert_no_error(error);
    /* The snooze ends in New York's quiet hours: it comes back at 08:00 there, once; 09:00
     * brings nothing more. */
    assert_due_with(fx, &settings, "2026-12-25T13:00:00Z",
                    "stressor 2 2026-12-25T14:00:00Z Tomorrow: Boxing Day | " PLAN_BODY "\n");
    g_autoptr(GPtrArray) back = NULL;
    claim_due(fx, &settings, "2026-12-25T13:00:00Z", &back);
    assert_due_with(fx, &settings, "2026-12-25T14:00:00Z", "");

    /* East at 05:30 New York on the 26th (11:30 Berlin): 09:00 Berlin passed two and a half
     * hours ago. One added late, whose reminders were past in New York already, is left out. */
    add_stressor(fx, "Added late", at("2026-12-25T00:00:00Z"), at("2026-12-26T00:00:00Z"), TRUE);
    g_autoptr(GTimeZone) was_ny = NULL;
    g_autoptr(GPtrArray) east = follow_zone(fx, &settings, berlin, "2026-12-26T10:30:00Z", &was_ny);
    g_autofree char *passed = describe(east);
    g_assert_cmpstr(passed, ==,
                    "stressor 2 2026-12-26T08:00:00Z Today: Boxing Day | " PLAN_BODY "\n"
                    "stressor 4 2026-12-26T08:00:00Z Tomorrow: Family lunch | " PLAN_BODY "\n");
    guint claimed = 0;
    g_assert_true(
        alarms_claim_missed(fx->store, east, at("2026-12-26T10:30:00Z"), &claimed, &error));
    g_assert_cmpuint(claimed, ==, 2);
    assert_log(fx, "stressor 1 2026-12-24T08:00:00Z done -\n"
                   "stressor 1 2026-12-25T08:00:00Z done -\n"
                   "stressor 2 2026-12-25T08:00:00Z - -\n"
                   "stressor 2 2026-12-26T08:00:00Z missed -\n"
                   "stressor 3 2026-12-24T18:00:00Z - -\n"
                   "stressor 4 2026-12-26T08:00:00Z missed -\n");

    /* Within the grace period it is simply due, not named. */
    store_exec(fx->store, "DELETE FROM reminder_log WHERE outcome = 'missed'", &error);
    g_assert_no_error(error);
    g_autoptr(GTimeZone) was_berlin = NULL;
    g_autoptr(GPtrArray) none = follow_zone(fx, &settings, ny, "2026-12-26T09:00:00Z", &was_berlin);
    g_assert_cmpuint(none->len, ==, 0);
    g_autoptr(GTimeZone) was_ny_again = NULL;
    g_autoptr(GPtrArray) near =
        follow_zone(fx, &settings, berlin, "2026-12-26T09:00:00Z", &was_ny_again);
    g_assert_cmpuint(near->len, ==, 0);
    assert_due_with(fx, &settings, "2026-12-26T09:00:00Z",
                    "stressor 2 2026-12-26T08:00:00Z Today: Boxing Day | " PLAN_BODY "\n"
                    "stressor 4 2026-12-26T08:00:00Z Tomorrow: Family lunch | " PLAN_BODY "\n");
}

static void add_test(const char *path, const char *zone,
                     void (*func)(Fixture *fx, gconstpointer zone))
{
    g_test_add(path, Fixture, zone, fixture_set_up, func, fixture_tear_down);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    add_test("/alarms/window-edges", "Europe/Berlin", test_window_edges);
    add_test("/alarms/order-and-texts", "Europe/Berlin", test_order_and_texts);
    add_test("/alarms/all-day/berlin-and-dst", "Europe/Berlin", test_all_day_nine_local);
    add_test("/alarms/all-day/utc-plus-14", "Pacific/Kiritimati", test_all_day_nine_local);
    add_test("/alarms/all-day/utc-minus-11", "Pacific/Pago_Pago", test_all_day_nine_local);
    add_test("/alarms/claim-twice-and-release", "Europe/Berlin", test_claim_release);
    add_test("/alarms/outcome", "Europe/Berlin", test_outcome);
    add_test("/alarms/only-planned-and-moved", "Europe/Berlin", test_status_and_moves);
    add_test("/alarms/several-leads-and-next", "Europe/Berlin", test_several_leads);
    add_test("/alarms/quiet-hours-urgent-all-day", "Europe/Berlin", test_quiet_hours_and_urgent);
    add_test("/alarms/snooze-and-discreet", "Europe/Berlin", test_snooze_and_discreet);
    add_test("/alarms/snooze-then-move", "Europe/Berlin", test_snooze_then_move);
    add_test("/alarms/removed-items-forgotten", "Europe/Berlin", test_removed_items_forgotten);
    add_test("/alarms/missed-while-away", "Europe/Berlin", test_missed);
    add_test("/alarms/clock-ahead-then-back", "Europe/Berlin", test_clock_ahead_then_back);
    add_test("/alarms/settings-file", "Europe/Berlin", test_settings_file);
    add_test("/alarms/follow-zone", "Europe/Berlin", test_follow_zone);
    return g_test_run();
}
