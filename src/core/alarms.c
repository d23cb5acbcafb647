/* alarms.c: which reminders are due now, and the log that keeps each one to a single showing.
 *
 * Reminders are not stored: they are derived from the plan every time. A planned activity
 * fires at its start; a timed stressor an hour before its start; an all-day stressor at 09:00
 * local time on its first day. The reminder log (schema v2) holds one row per
 * (item_type, item_id, fire_at) once a process has claimed it, so the same reminder is never
 * shown twice however many `tend remind` processes run. A moved activity has a new fire time
 * and so fires again at its new time.
 *
 * The texts people see live in one table here. They are short and kind and never contain note
 * text. Nothing here prints or exits.
 */
#include "tend/alarms.h"

#include <gio/gio.h>

#define STRESSOR_LEAD_SECONDS ((gint64)3600)
#define ALL_DAY_HOUR 9

/* What a reminder says, by activity kind. The stressor row is used for stressors. */
static const struct {
    const char *kind;
    const char *body;
} reminder_texts[] = {
    {"rehearse", "A few minutes to say your boundary words out loud. You've got this."},
    {"ground", "Feet on the floor, three slow breaths."},
    {"checkin", "How are you doing? It's okay to step outside for a minute."},
    {"decompress", "Time to land. Something warm, something quiet."},
    {"reflect", "What helped yesterday? No right answers."},
    {"stressor", "Your plan is ready when you need it. If it gets too much: tend help-now."},
    {NULL, "A small moment of care, planned for now."},
};

static const char *reminder_body(const char *kind)
{
    guint i;
    for (i = 0; reminder_texts[i].kind; i++)
        if (g_strcmp0(kind, reminder_texts[i].kind) == 0)
            break;
    return reminder_texts[i].body;
}

/* The log's name for an item type; the reminder log only holds these two. */
static const char *log_type(TendItemType type)
{
    return type == TEND_ITEM_STRESSOR ? "stressor" : "activity";
}

void reminder_free(TendReminder *reminder)
{
    if (!reminder)
        return;
    g_free(reminder->title);
    g_free(reminder->summary);
    g_free(reminder);
}

static TendReminder *reminder_new(TendItemType type, gint64 item_id, gint64 fire_at, gint64 start,
                                  char *title, const char *kind)
{
    TendReminder *reminder = g_new0(TendReminder, 1);
    reminder->type = type;
    reminder->item_id = item_id;
    reminder->fire_at = fire_at;
    reminder->start = start;
    reminder->title = title;
    reminder->summary = g_strdup(reminder_body(kind));
    return reminder;
}

/* A stressor's title says how far off it is. A reminder shown late (after a suspend, within the
 * grace window) must not promise an hour that is no longer there. */
static char *stressor_title(const char *title, gint64 start, gboolean all_day, gint64 now)
{
    if (all_day)
        return g_strdup_printf("Today: %s", title);
    if (start - now > 45 * 60)
        return g_strdup_printf("In an hour: %s", title);
    if (start > now)
        return g_strdup_printf("Soon: %s", title);
    return g_strdup_printf("Now: %s", title);
}

/* 09:00 local on the day held in the all-day value @date; tend_local_to_utc() handles a
 * DST change on that day, which adding nine hours to local midnight would not. */
static gint64 all_day_fire_at(gint64 date, GTimeZone *tz)
{
    g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc(date);
    if (!day)
        return G_MININT64;
    return tend_local_to_utc(tz, g_date_time_get_year(day), g_date_time_get_month(day),
                             g_date_time_get_day_of_month(day), ALL_DAY_HOUR, 0, 0);
}

static gboolean is_logged(TendStore *store, TendItemType type, gint64 item_id, gint64 fire_at,
                          gboolean *out_logged, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store, "SELECT 1 FROM reminder_log WHERE item_type = ? AND item_id = ? AND fire_at = ?",
        error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, log_type(type), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, item_id);
    sqlite3_bind_int64(stmt, 3, fire_at);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the reminder log");
    *out_logged = rc == SQLITE_ROW;
    return TRUE;
}

static gint compare_reminders(gconstpointer a, gconstpointer b)
{
    const TendReminder *x = *(TendReminder *const *)a;
    const TendReminder *y = *(TendReminder *const *)b;
    if (x->fire_at != y->fire_at)
        return x->fire_at < y->fire_at ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->item_id != y->item_id)
        return x->item_id < y->item_id ? -1 : 1;
    return 0;
}

/* Planned activities and timed stressors: the fire time is a column expression, so SQLite
 * bounds the rows by the window (activities through their start index) and leaves out those
 * already in the log. */
static const char due_timed_sql[] =
    "SELECT 'activity', a.id, a.start_utc, a.start_utc, a.title, a.kind, 0"
    "  FROM activities a"
    " WHERE a.status = 'planned' AND a.start_utc > ?1 AND a.start_utc <= ?2"
    "   AND NOT EXISTS (SELECT 1 FROM reminder_log r WHERE r.item_type = 'activity'"
    "                      AND r.item_id = a.id AND r.fire_at = a.start_utc)"
    " UNION ALL "
    "SELECT 'stressor', s.id, s.start_utc - ?3, s.start_utc, s.title, 'stressor', 0"
    "  FROM stressors s"
    " WHERE s.all_day = 0 AND s.start_utc > ?1 + ?3 AND s.start_utc <= ?2 + ?3"
    "   AND NOT EXISTS (SELECT 1 FROM reminder_log r WHERE r.item_type = 'stressor'"
    "                      AND r.item_id = s.id AND r.fire_at = s.start_utc - ?3)"
    " UNION ALL "
    /* All-day stressors fire at 09:00 local, which lies within a day of the date value in
     * any zone; the exact time is worked out below with the zone's rules. */
    "SELECT 'stressor', s.id, NULL, s.start_utc, s.title, 'stressor', 1"
    "  FROM stressors s"
    " WHERE s.all_day = 1 AND s.start_utc > ?1 - 86400 AND s.start_utc <= ?2 + 86400";

GPtrArray *alarms_due(TendStore *store, const TendContext *ctx, gint64 now, GError **error)
{
    gint64 grace = (gint64)MAX(ctx->grace_minutes, 0) * 60;
    gint64 after = now - grace; /* the window is (after, now] */
    g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);

    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, due_timed_sql, error);
    if (!stmt) {
        g_prefix_error(error, "cannot find due reminders: ");
        return NULL;
    }
    sqlite3_bind_int64(stmt, 1, after);
    sqlite3_bind_int64(stmt, 2, now);
    sqlite3_bind_int64(stmt, 3, STRESSOR_LEAD_SECONDS);

    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        TendItemType type = g_str_equal(store_column_text(stmt, 0), "stressor")
                                ? TEND_ITEM_STRESSOR
                                : TEND_ITEM_ACTIVITY;
        gint64 id = sqlite3_column_int64(stmt, 1);
        gint64 start = sqlite3_column_int64(stmt, 3);
        const char *title = store_column_text(stmt, 4);
        const char *kind = store_column_text(stmt, 5);
        gboolean all_day = sqlite3_column_int(stmt, 6) != 0;
        gint64 fire_at;

        if (all_day) {
            gboolean logged = FALSE;
            fire_at = all_day_fire_at(start, ctx->tz);
            if (fire_at <= after || fire_at > now)
                continue;
            if (!is_logged(store, type, id, fire_at, &logged, error)) {
                g_prefix_error(error, "cannot find due reminders: ");
                return NULL;
            }
            if (logged)
                continue;
        } else {
            fire_at = sqlite3_column_int64(stmt, 2);
        }
        char *shown_title = type == TEND_ITEM_STRESSOR ? stressor_title(title, start, all_day, now)
                                                       : g_strdup(title);
        g_ptr_array_add(due, reminder_new(type, id, fire_at, start, shown_title, kind));
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot find due reminders");
        return NULL;
    }
    g_ptr_array_sort(due, compare_reminders);
    return g_steal_pointer(&due);
}

static void bind_key(sqlite3_stmt *stmt, int first, const TendReminder *reminder)
{
    sqlite3_bind_text(stmt, first, log_type(reminder->type), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, first + 1, reminder->item_id);
    sqlite3_bind_int64(stmt, first + 2, reminder->fire_at);
}

/* Runs one keyed write on the reminder log in its own BEGIN IMMEDIATE transaction and hands
 * back how many rows it changed. */
static gboolean log_write(TendStore *store, const char *sql, const TendReminder *reminder,
                          const char *outcome, gint64 when, int *out_changes, GError **error)
{
    if (!store_begin(store, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, error);
    if (!stmt) {
        store_rollback(store);
        return FALSE;
    }
    int next = 1;
    if (outcome)
        sqlite3_bind_text(stmt, next++, outcome, -1, SQLITE_STATIC);
    if (when != G_MININT64)
        sqlite3_bind_int64(stmt, next++, when);
    bind_key(stmt, next, reminder);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
        store_set_error(store, error, "cannot update the reminder log");
        store_rollback(store);
        return FALSE;
    }
    int changes = sqlite3_changes(store_db(store));
    if (!store_commit(store, error)) {
        store_rollback(store);
        return FALSE;
    }
    *out_changes = changes;
    return TRUE;
}

gboolean alarms_claim(TendStore *store, const TendReminder *reminder, gint64 now,
                      gboolean *out_claimed, GError **error)
{
    int changes;
    /* The primary key makes the insert the arbiter: of two processes claiming the same
     * reminder, exactly one inserts the row. */
    if (!log_write(store,
                   "INSERT OR IGNORE INTO reminder_log (claimed_at, item_type, item_id, fire_at) "
                   "VALUES (?, ?, ?, ?)",
                   reminder, NULL, now, &changes, error))
        return FALSE;
    *out_claimed = changes > 0;
    return TRUE;
}

gboolean alarms_release(TendStore *store, const TendReminder *reminder, GError **error)
{
    int changes;
    return log_write(store,
                     "DELETE FROM reminder_log WHERE item_type = ? AND item_id = ? AND fire_at = ?",
                     reminder, NULL, G_MININT64, &changes, error);
}

gboolean alarms_record_outcome(TendStore *store, const TendReminder *reminder, const char *outcome,
                               gint64 now, GError **error)
{
    static const char *const outcomes[] = {"shown", "done", "snoozed", "skipped", NULL};
    int changes;

    if (!outcome || !g_strv_contains(outcomes, outcome)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "'%s' is not a reminder outcome; use shown, done, snoozed or skipped",
                    outcome ? outcome : "");
        return FALSE;
    }
    if (!log_write(store,
                   "UPDATE reminder_log SET outcome = ?, outcome_at = ?"
                   " WHERE item_type = ? AND item_id = ? AND fire_at = ?",
                   reminder, outcome, now, &changes, error))
        return FALSE;
    if (changes == 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "the reminder for %s %" G_GINT64_FORMAT " was never claimed",
                    log_type(reminder->type), reminder->item_id);
        return FALSE;
    }
    return TRUE;
}
