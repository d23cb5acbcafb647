/* alarms.c: which reminders are due, and the log that keeps each one to a single showing.
 *
 * Reminders are not stored: they are derived from the plan and the settings every time. A
 * timed item fires at each of its leads before its start (stressors by default a day and an
 * hour before, planned activities at their start); an all-day item at the morning time on its
 * day, or on a day before for a lead of a day or more. A fire time inside quiet hours is due
 * when they end, unless the item is marked urgent. The reminder log (schema v2, v4) holds one
 * row per (item_type, item_id, fire_at) once a process has claimed it, so the same reminder is
 * never shown twice however many `tend remind` processes run; a snoozed one keeps its row with
 * snooze_until and is claimed again by clearing it. A moved activity has a new fire time and so
 * fires again at its new time; a snooze of its old fire time then lapses.
 *
 * The texts people see live in one table here. They are short and kind and never contain note
 * text. Nothing here prints or exits.
 */
#include "tend/alarms.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR ((gint64)3600)
#define MAX_LEAD (30 * TEND_DAY_SECONDS)
#define DISCREET_TITLE "Personal time"
#define DISCREET_BODY "A small moment for you, when you're ready."

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

static gint64 sat_add(gint64 a, gint64 b)
{
    if (b > 0 && a > G_MAXINT64 - b)
        return G_MAXINT64;
    if (b < 0 && a < G_MININT64 - b)
        return G_MININT64;
    return a + b;
}

/* ---- settings ---- */

void alarms_settings_init(TendReminderSettings *settings)
{
    memset(settings, 0, sizeof *settings);
    settings->stressor_leads[0] = TEND_DAY_SECONDS;
    settings->stressor_leads[1] = HOUR;
    settings->n_stressor_leads = 2;
    settings->activity_leads[0] = 0;
    settings->n_activity_leads = 1;
    settings->morning = 9 * 60;
    settings->quiet_start = 22 * 60;
    settings->quiet_end = 8 * 60;
    settings->snooze_minutes = 10;
    settings->grace_minutes = 120;
    settings->discreet = FALSE;
}

char *alarms_config_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "tend", "tend.conf", NULL);
}

static gboolean bad_value(GError **error, const char *path, const char *key, const char *value,
                          const char *want)
{
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                "'%s': [reminders] %s = '%s' is not %s", path, key, value, want);
    return FALSE;
}

/* "0", "45m", "1h", "2d"; at most 30 days. */
static gboolean parse_lead(const char *text, gint64 *out_seconds)
{
    char *end = NULL;
    if (!g_ascii_isdigit(*text))
        return FALSE;
    guint64 n = g_ascii_strtoull(text, &end, 10);
    if (n > 100000)
        return FALSE;
    gint64 unit;
    if (*end == '\0' && n == 0)
        unit = 0;
    else if (g_str_equal(end, "m"))
        unit = 60;
    else if (g_str_equal(end, "h"))
        unit = HOUR;
    else if (g_str_equal(end, "d"))
        unit = TEND_DAY_SECONDS;
    else
        return FALSE;
    if ((gint64)n * unit > MAX_LEAD)
        return FALSE;
    *out_seconds = (gint64)n * unit;
    return TRUE;
}

static gint compare_leads_desc(gconstpointer a, gconstpointer b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
    return x == y ? 0 : (x > y ? -1 : 1);
}

static gboolean parse_leads(const char *value, gint64 *leads, guint *out_n)
{
    g_auto(GStrv) parts = g_strsplit_set(value, ",;", -1);
    gint64 found[TEND_REMINDERS_MAX_LEADS];
    guint n = 0;
    for (guint i = 0; parts[i]; i++) {
        char *part = g_strstrip(parts[i]);
        gint64 lead;
        if (!*part && parts[i + 1] == NULL && i > 0)
            continue; /* a trailing separator */
        if (!parse_lead(part, &lead))
            return FALSE;
        gboolean seen = FALSE;
        for (guint j = 0; j < n; j++)
            seen = seen || found[j] == lead;
        if (seen)
            continue;
        if (n == TEND_REMINDERS_MAX_LEADS)
            return FALSE;
        found[n++] = lead;
    }
    qsort(found, n, sizeof found[0], compare_leads_desc);
    memcpy(leads, found, n * sizeof found[0]);
    *out_n = n;
    return TRUE;
}

/* "HH:MM" in minutes after midnight. */
static gboolean parse_clock(const char *text, int *out_minutes)
{
    unsigned h, m;
    char tail;
    if (strlen(text) != 5 || sscanf(text, "%2u:%2u%c", &h, &m, &tail) != 2 || h > 23 || m > 59)
        return FALSE;
    *out_minutes = (int)(h * 60 + m);
    return TRUE;
}

gboolean alarms_settings_load(TendReminderSettings *settings, const char *path, GError **error)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_autoptr(GError) local = NULL;
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local)) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        g_set_error(error, local->domain, local->code, "cannot read '%s': %s", path,
                    local->message);
        return FALSE;
    }
    TendReminderSettings next = *settings;
    g_auto(GStrv) keys = g_key_file_get_keys(file, "reminders", NULL, NULL);
    for (guint i = 0; keys && keys[i]; i++) {
        const char *key = keys[i];
        g_autofree char *raw = g_key_file_get_string(file, "reminders", key, NULL);
        if (!raw)
            raw = g_strdup("");
        const char *value = g_strstrip(raw);
        if (g_str_equal(key, "stressor_before") || g_str_equal(key, "activity_before")) {
            gboolean stressor = key[0] == 's';
            if (!parse_leads(value, stressor ? next.stressor_leads : next.activity_leads,
                             stressor ? &next.n_stressor_leads : &next.n_activity_leads))
                return bad_value(error, path, key, value,
                                 "a list of up to 8 times before the start such as '1d, 1h, 0' "
                                 "(m, h or d; at most 30 days)");
        } else if (g_str_equal(key, "morning")) {
            if (!parse_clock(value, &next.morning))
                return bad_value(error, path, key, value, "a time of day such as 09:00");
        } else if (g_str_equal(key, "quiet_hours")) {
            g_auto(GStrv) ends = g_strsplit(value, "-", -1);
            if (g_ascii_strcasecmp(value, "none") == 0 || !*value) {
                next.quiet_start = next.quiet_end = 0;
            } else if (g_strv_length(ends) != 2 ||
                       !parse_clock(g_strstrip(ends[0]), &next.quiet_start) ||
                       !parse_clock(g_strstrip(ends[1]), &next.quiet_end)) {
                return bad_value(error, path, key, value, "a span such as 22:00-08:00, or none");
            }
        } else if (g_str_equal(key, "snooze_minutes") || g_str_equal(key, "grace_minutes")) {
            gboolean snooze = key[0] == 's';
            char *end = NULL;
            guint64 n = g_ascii_strtoull(value, &end, 10);
            if (!g_ascii_isdigit(*value) || *end || n < 1 || n > (snooze ? 1440 : 10080))
                return bad_value(error, path, key, value,
                                 snooze ? "a number of minutes from 1 to 1440"
                                        : "a number of minutes from 1 to 10080");
            *(snooze ? &next.snooze_minutes : &next.grace_minutes) = (int)n;
        } else if (g_str_equal(key, "discreet")) {
            if (g_ascii_strcasecmp(value, "true") == 0)
                next.discreet = TRUE;
            else if (g_ascii_strcasecmp(value, "false") == 0)
                next.discreet = FALSE;
            else
                return bad_value(error, path, key, value, "true or false");
        } else {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                        "'%s': [reminders] has no setting '%s'; the settings are "
                        "stressor_before, activity_before, morning, quiet_hours, "
                        "snooze_minutes, grace_minutes and discreet",
                        path, key);
            return FALSE;
        }
    }
    *settings = next;
    return TRUE;
}

/* ---- deriving reminders ---- */

void reminder_free(TendReminder *reminder)
{
    if (!reminder)
        return;
    g_free(reminder->title);
    g_free(reminder->summary);
    g_free(reminder);
}

/* A stressor's title says how far off it is, from when it is shown: a reminder shown late
 * (after a suspend, within the grace window, after quiet hours) must not promise an hour
 * that is no longer there. */
static char *lead_title(const char *title, gint64 start, gboolean all_day, gint64 now,
                        GTimeZone *tz)
{
    gint64 today = tend_date_of(now, tz);
    if (all_day) {
        if (start <= today)
            return g_strdup_printf("Today: %s", title);
        if (start == today + TEND_DAY_SECONDS)
            return g_strdup_printf("Tomorrow: %s", title);
        g_autofree char *day = tend_format_local(tend_date_to_local(start, tz), tz, "%a %-d %b");
        return g_strdup_printf("%s: %s", day, title);
    }
    gint64 left = start - now;
    if (left <= 0)
        return g_strdup_printf("Now: %s", title);
    if (left <= 45 * 60)
        return g_strdup_printf("Soon: %s", title);
    if (left <= 90 * 60)
        return g_strdup_printf("In an hour: %s", title);
    g_autofree char *at = tend_format_local(start, tz, "%H:%M");
    gint64 day = tend_date_of(start, tz);
    if (day == today)
        return g_strdup_printf("Today at %s: %s", at, title);
    if (day == today + TEND_DAY_SECONDS)
        return g_strdup_printf("Tomorrow at %s: %s", at, title);
    g_autofree char *when = tend_format_local(start, tz, "%a %-d %b at %H:%M");
    return g_strdup_printf("%s: %s", when, title);
}

/* The morning time on the day held in the all-day value @date; tend_local_to_utc() handles
 * a DST change on that day, which adding hours to local midnight would not. */
static gint64 all_day_fire_at(gint64 date, GTimeZone *tz, int morning)
{
    g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc(date);
    if (!day)
        return G_MININT64;
    return tend_local_to_utc(tz, g_date_time_get_year(day), g_date_time_get_month(day),
                             g_date_time_get_day_of_month(day), morning / 60, morning % 60, 0);
}

gint64 alarms_due_at(const TendReminderSettings *settings, GTimeZone *tz, gint64 when,
                     gboolean urgent)
{
    int start = settings->quiet_start, end = settings->quiet_end;
    if (urgent || start == end)
        return when;
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(when);
    if (!utc)
        return when;
    g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, tz);
    int minute = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
    gboolean wraps = start > end;
    gboolean inside = wraps ? (minute >= start || minute < end) : (minute >= start && minute < end);
    if (!inside)
        return when;
    g_autoptr(GDateTime) day =
        wraps && minute >= start ? g_date_time_add_days(local, 1) : g_date_time_ref(local);
    gint64 ends = tend_local_to_utc(tz, g_date_time_get_year(day), g_date_time_get_month(day),
                                    g_date_time_get_day_of_month(day), end / 60, end % 60, 0);
    return MAX(ends, when);
}

static TendReminder *reminder_new(const TendContext *ctx, const TendReminderSettings *settings,
                                  gint64 now, TendItemType type, gint64 item_id, gint64 fire_at,
                                  gint64 due_at, gint64 start, gboolean all_day, gboolean urgent,
                                  gint64 lead, const char *title, const char *kind)
{
    TendReminder *reminder = g_new0(TendReminder, 1);
    reminder->type = type;
    reminder->item_id = item_id;
    reminder->fire_at = fire_at;
    reminder->due_at = due_at;
    reminder->start = start;
    reminder->all_day = all_day;
    reminder->urgent = urgent;
    if (settings->discreet) {
        reminder->title = g_strdup(DISCREET_TITLE);
        reminder->summary = g_strdup(DISCREET_BODY);
    } else {
        /* Activities remind at their start by default, under their own title. */
        reminder->title = type == TEND_ITEM_STRESSOR || lead > 0
                              ? lead_title(title, start, all_day, MAX(due_at, now), ctx->tz)
                              : g_strdup(title);
        reminder->summary = g_strdup(reminder_body(kind));
    }
    return reminder;
}

static gint compare_reminders(gconstpointer a, gconstpointer b)
{
    const TendReminder *x = *(TendReminder *const *)a;
    const TendReminder *y = *(TendReminder *const *)b;
    if (x->due_at != y->due_at)
        return x->due_at < y->due_at ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->item_id != y->item_id)
        return x->item_id < y->item_id ? -1 : 1;
    if (x->fire_at != y->fire_at)
        return x->fire_at < y->fire_at ? -1 : 1;
    return 0;
}

#define URGENT_STRESSOR                                                                            \
    "EXISTS (SELECT 1 FROM reminder_urgent u WHERE u.item_type = 'stressor'"                       \
    " AND u.item_id = s.id)"
#define URGENT_ACTIVITY                                                                            \
    "EXISTS (SELECT 1 FROM reminder_urgent u WHERE (u.item_type = 'activity'"                      \
    " AND u.item_id = a.id) OR (u.item_type = 'stressor' AND u.item_id = a.stressor_id))"

/* Items that can have a reminder due in the window: bounded by start through the indexes. */
static const char items_sql[] =
    "SELECT 'activity', a.id, a.start_utc, 0, a.title, a.kind, " URGENT_ACTIVITY
    "  FROM activities a WHERE a.status = 'planned' AND a.start_utc > ?1 AND a.start_utc <= ?2"
    " UNION ALL "
    "SELECT 'stressor', s.id, s.start_utc, s.all_day, s.title, 'stressor', " URGENT_STRESSOR
    "  FROM stressors s WHERE s.start_utc > ?1 AND s.start_utc <= ?2";

/* Snoozed reminders coming back in the window, with their items. */
static const char snoozed_sql[] =
    "SELECT 'activity', a.id, a.start_utc, 0, a.title, a.kind, " URGENT_ACTIVITY
    ", r.fire_at, r.snooze_until"
    "  FROM reminder_log r JOIN activities a ON a.id = r.item_id"
    " WHERE r.item_type = 'activity' AND a.status = 'planned'"
    "   AND r.snooze_until > ?1 AND r.snooze_until <= ?2"
    " UNION ALL "
    "SELECT 'stressor', s.id, s.start_utc, s.all_day, s.title, 'stressor', " URGENT_STRESSOR
    ", r.fire_at, r.snooze_until"
    "  FROM reminder_log r JOIN stressors s ON s.id = r.item_id"
    " WHERE r.item_type = 'stressor' AND r.snooze_until > ?1 AND r.snooze_until <= ?2";

static gboolean is_logged(sqlite3_stmt *stmt, TendStore *store, TendItemType type, gint64 item_id,
                          gint64 fire_at, gboolean *out_logged, GError **error)
{
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, log_type(type), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, item_id);
    sqlite3_bind_int64(stmt, 3, fire_at);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the reminder log");
    *out_logged = rc == SQLITE_ROW;
    return TRUE;
}

static gint64 max_lead(const TendReminderSettings *settings)
{
    gint64 lead = 0;
    for (guint i = 0; i < settings->n_stressor_leads; i++)
        lead = MAX(lead, settings->stressor_leads[i]);
    for (guint i = 0; i < settings->n_activity_leads; i++)
        lead = MAX(lead, settings->activity_leads[i]);
    return lead;
}

/* The distinct fire times of an item that starts at @start, one per lead, in *out (room for
 * TEND_REMINDERS_MAX_LEADS); returns how many. Duplicates (two leads landing on the same
 * morning of an all-day item) come once. */
static guint fire_times(const TendContext *ctx, const TendReminderSettings *settings,
                        TendItemType type, gint64 start, gboolean all_day, gint64 *out,
                        gint64 *out_leads)
{
    const gint64 *leads =
        type == TEND_ITEM_STRESSOR ? settings->stressor_leads : settings->activity_leads;
    guint n_leads =
        type == TEND_ITEM_STRESSOR ? settings->n_stressor_leads : settings->n_activity_leads;
    guint n = 0;
    for (guint i = 0; i < n_leads; i++) {
        gint64 fire_at =
            all_day ? all_day_fire_at(start - leads[i] / TEND_DAY_SECONDS * TEND_DAY_SECONDS,
                                      ctx->tz, settings->morning)
                    : start - leads[i];
        gboolean repeat = FALSE;
        for (guint j = 0; j < n; j++)
            repeat = repeat || out[j] == fire_at;
        if (repeat)
            continue;
        out[n] = fire_at;
        out_leads[n] = leads[i];
        n++;
    }
    return n;
}

/* Every reminder not yet claimed (or snoozed until then) whose due time is in (@lo, @hi]. */
static gboolean collect(TendStore *store, const TendContext *ctx,
                        const TendReminderSettings *settings, gint64 lo, gint64 hi, gint64 now,
                        GPtrArray *out, GError **error)
{
    g_autoptr(sqlite3_stmt) items = store_prepare(store, items_sql, error);
    g_autoptr(sqlite3_stmt) logged = NULL;
    g_autoptr(sqlite3_stmt) snoozed = NULL;
    if (!items)
        return FALSE;
    logged = store_prepare(
        store, "SELECT 1 FROM reminder_log WHERE item_type = ? AND item_id = ? AND fire_at = ?",
        error);
    if (!logged)
        return FALSE;
    /* A due time is at most a day after its fire time (quiet hours) and a fire time at most
     * the longest lead (and a morning's distance from the date) before the start. */
    sqlite3_bind_int64(items, 1, sat_add(lo, -3 * TEND_DAY_SECONDS));
    sqlite3_bind_int64(items, 2, sat_add(hi, max_lead(settings) + TEND_DAY_SECONDS));

    int rc;
    while ((rc = sqlite3_step(items)) == SQLITE_ROW) {
        TendItemType type = g_str_equal(store_column_text(items, 0), "stressor")
                                ? TEND_ITEM_STRESSOR
                                : TEND_ITEM_ACTIVITY;
        gint64 id = sqlite3_column_int64(items, 1);
        gint64 start = sqlite3_column_int64(items, 2);
        gboolean all_day = sqlite3_column_int(items, 3) != 0;
        gboolean urgent = sqlite3_column_int(items, 6) != 0;
        gint64 fired[TEND_REMINDERS_MAX_LEADS], leads[TEND_REMINDERS_MAX_LEADS];
        guint n_fired = fire_times(ctx, settings, type, start, all_day, fired, leads);

        for (guint i = 0; i < n_fired; i++) {
            gint64 fire_at = fired[i];
            gboolean was_logged = FALSE;
            gint64 due_at = alarms_due_at(settings, ctx->tz, fire_at, urgent);
            if (due_at <= lo || due_at > hi)
                continue;
            if (!is_logged(logged, store, type, id, fire_at, &was_logged, error))
                return FALSE;
            if (was_logged)
                continue;
            g_ptr_array_add(out,
                            reminder_new(ctx, settings, now, type, id, fire_at, due_at, start,
                                         all_day, urgent, leads[i], store_column_text(items, 4),
                                         store_column_text(items, 5)));
        }
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the plan");

    snoozed = store_prepare(store, snoozed_sql, error);
    if (!snoozed)
        return FALSE;
    sqlite3_bind_int64(snoozed, 1, sat_add(lo, -TEND_DAY_SECONDS));
    sqlite3_bind_int64(snoozed, 2, hi);
    while ((rc = sqlite3_step(snoozed)) == SQLITE_ROW) {
        TendItemType type = g_str_equal(store_column_text(snoozed, 0), "stressor")
                                ? TEND_ITEM_STRESSOR
                                : TEND_ITEM_ACTIVITY;
        gint64 start = sqlite3_column_int64(snoozed, 2);
        gboolean all_day = sqlite3_column_int(snoozed, 3) != 0;
        gboolean urgent = sqlite3_column_int(snoozed, 6) != 0;
        gint64 fire_at = sqlite3_column_int64(snoozed, 7);
        gint64 until = sqlite3_column_int64(snoozed, 8);
        gint64 due_at = alarms_due_at(settings, ctx->tz, until, urgent);
        if (due_at <= lo || due_at > hi)
            continue;
        /* A snooze belongs to one fire time of the item. When the item has moved since (or
         * the leads changed), that reminder no longer exists: the item reminds at its new
         * times instead, and the old snooze stays quiet. */
        gint64 fired[TEND_REMINDERS_MAX_LEADS], leads[TEND_REMINDERS_MAX_LEADS];
        guint n_fired = fire_times(ctx, settings, type, start, all_day, fired, leads);
        guint match = 0;
        while (match < n_fired && fired[match] != fire_at)
            match++;
        if (match == n_fired)
            continue;
        TendReminder *reminder = reminder_new(
            ctx, settings, now, type, sqlite3_column_int64(snoozed, 1), fire_at, due_at, start,
            all_day, urgent, type == TEND_ITEM_STRESSOR ? 1 : leads[match],
            store_column_text(snoozed, 4), store_column_text(snoozed, 5));
        reminder->snoozed_until = until;
        g_ptr_array_add(out, reminder);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the reminder log");
    return TRUE;
}

static const TendReminderSettings *settings_or_defaults(const TendContext *ctx,
                                                        const TendReminderSettings *settings,
                                                        TendReminderSettings *defaults)
{
    if (settings)
        return settings;
    alarms_settings_init(defaults);
    defaults->grace_minutes = ctx->grace_minutes;
    return defaults;
}

/* Titles say how far off the item is as seen from @now (or from the due time if later). */
static GPtrArray *collect_sorted(TendStore *store, const TendContext *ctx,
                                 const TendReminderSettings *settings, gint64 lo, gint64 hi,
                                 gint64 now, GError **error)
{
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);
    if (lo < hi && !collect(store, ctx, settings, lo, hi, now, found, error))
        return NULL;
    g_ptr_array_sort(found, compare_reminders);
    return g_steal_pointer(&found);
}

GPtrArray *alarms_due(TendStore *store, const TendContext *ctx,
                      const TendReminderSettings *settings, gint64 now, GError **error)
{
    TendReminderSettings defaults;
    settings = settings_or_defaults(ctx, settings, &defaults);
    gint64 grace = (gint64)MAX(settings->grace_minutes, 0) * 60;
    GPtrArray *due = collect_sorted(store, ctx, settings, now - grace, now, now, error);
    if (!due)
        g_prefix_error(error, "cannot find due reminders: ");
    return due;
}

gboolean alarms_next(TendStore *store, const TendContext *ctx, const TendReminderSettings *settings,
                     gint64 now, gint64 *out_next, GError **error)
{
    TendReminderSettings defaults;
    settings = settings_or_defaults(ctx, settings, &defaults);
    g_autoptr(GPtrArray) later = collect_sorted(store, ctx, settings, now, G_MAXINT64, now, error);
    if (!later) {
        g_prefix_error(error, "cannot find the next reminder: ");
        return FALSE;
    }
    *out_next = later->len > 0 ? ((TendReminder *)later->pdata[0])->due_at : G_MAXINT64;
    return TRUE;
}

/* ---- the reminder log ---- */

/* Binds ?1-?3 to the reminder's key, ?4 to @when, ?5 to @extra and ?6 to @text; a statement
 * uses the ones it names (binding a missing number is a harmless SQLITE_RANGE). */
static void bind_row(sqlite3_stmt *stmt, const TendReminder *reminder, gint64 when, gint64 extra,
                     const char *text)
{
    sqlite3_bind_text(stmt, 1, log_type(reminder->type), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, reminder->item_id);
    sqlite3_bind_int64(stmt, 3, reminder->fire_at);
    if (sqlite3_bind_parameter_count(stmt) >= 4)
        sqlite3_bind_int64(stmt, 4, when);
    if (sqlite3_bind_parameter_count(stmt) >= 5)
        sqlite3_bind_int64(stmt, 5, extra);
    if (sqlite3_bind_parameter_count(stmt) >= 6)
        sqlite3_bind_text(stmt, 6, text, -1, SQLITE_STATIC);
}

/* Runs one keyed write on the reminder log for each of @reminders, in one BEGIN IMMEDIATE
 * transaction, and hands back how many rows changed in all. @sql_snoozed, when given, is used
 * for reminders coming back from a snooze (@extra is then their snooze_until). */
static gboolean log_write_many(TendStore *store, const char *sql, const char *sql_snoozed,
                               const TendReminder *const *reminders, guint n, gint64 when,
                               gint64 extra, const char *text, int *out_changes, GError **error)
{
    if (!store_begin(store, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) plain = store_prepare(store, sql, error);
    g_autoptr(sqlite3_stmt) snoozed = NULL;
    if (!plain || (sql_snoozed && !(snoozed = store_prepare(store, sql_snoozed, error)))) {
        store_rollback(store);
        return FALSE;
    }
    int changes = 0;
    for (guint i = 0; i < n; i++) {
        const TendReminder *reminder = reminders[i];
        gboolean back = snoozed && reminder->snoozed_until != 0;
        sqlite3_stmt *stmt = back ? snoozed : plain;
        sqlite3_reset(stmt);
        bind_row(stmt, reminder, when, back ? reminder->snoozed_until : extra, text);
        if (sqlite3_step(stmt) != SQLITE_DONE) {
            store_set_error(store, error, "cannot update the reminder log");
            store_rollback(store);
            return FALSE;
        }
        changes += sqlite3_changes(store_db(store));
    }
    if (!store_commit(store, error)) {
        store_rollback(store);
        return FALSE;
    }
    *out_changes = changes;
    return TRUE;
}

static gboolean log_write(TendStore *store, const char *sql, const char *sql_snoozed,
                          const TendReminder *reminder, gint64 when, gint64 extra, const char *text,
                          int *out_changes, GError **error)
{
    return log_write_many(store, sql, sql_snoozed, &reminder, 1, when, extra, text, out_changes,
                          error);
}

#define KEY " WHERE item_type = ?1 AND item_id = ?2 AND fire_at = ?3"

gboolean alarms_claim(TendStore *store, const TendReminder *reminder, gint64 now,
                      gboolean *out_claimed, GError **error)
{
    int changes;
    /* The primary key makes the insert the arbiter: of two processes claiming the same
     * reminder, exactly one inserts the row. For a snoozed one, exactly one clears the
     * snooze it saw. */
    if (!log_write(store,
                   "INSERT OR IGNORE INTO reminder_log (item_type, item_id, fire_at, claimed_at) "
                   "VALUES (?1, ?2, ?3, ?4)",
                   "UPDATE reminder_log SET claimed_at = ?4, outcome = NULL, outcome_at = NULL,"
                   " snooze_until = NULL" KEY " AND snooze_until = ?5",
                   reminder, now, 0, NULL, &changes, error))
        return FALSE;
    *out_claimed = changes > 0;
    return TRUE;
}

gboolean alarms_release(TendStore *store, const TendReminder *reminder, GError **error)
{
    int changes;
    return log_write(store, "DELETE FROM reminder_log" KEY,
                     "UPDATE reminder_log SET outcome = 'snoozed', snooze_until = ?5" KEY, reminder,
                     0, 0, NULL, &changes, error);
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
                   "UPDATE reminder_log SET outcome = ?6, outcome_at = ?4, snooze_until = NULL" KEY,
                   NULL, reminder, now, 0, outcome, &changes, error))
        return FALSE;
    if (changes == 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "the reminder for %s %" G_GINT64_FORMAT " was never claimed",
                    log_type(reminder->type), reminder->item_id);
        return FALSE;
    }
    return TRUE;
}

gboolean alarms_snooze(TendStore *store, const TendReminder *reminder, gint64 now, gint64 until,
                       GError **error)
{
    int changes;
    if (!log_write(store,
                   "UPDATE reminder_log SET outcome = 'snoozed', outcome_at = ?4,"
                   " snooze_until = ?5, snoozes = snoozes + 1" KEY,
                   NULL, reminder, now, until, NULL, &changes, error))
        return FALSE;
    if (changes == 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "the reminder for %s %" G_GINT64_FORMAT " was never claimed",
                    log_type(reminder->type), reminder->item_id);
        return FALSE;
    }
    return TRUE;
}

gboolean alarms_claim_missed(TendStore *store, GPtrArray *missed, gint64 now, guint *out_claimed,
                             GError **error)
{
    int changes = 0;
    if (missed->len > 0 &&
        !log_write_many(store,
                        "INSERT OR IGNORE INTO reminder_log (item_type, item_id, fire_at,"
                        " claimed_at, outcome, outcome_at) VALUES (?1, ?2, ?3, ?4, 'missed', ?4)",
                        "UPDATE reminder_log SET outcome = 'missed', outcome_at = ?4,"
                        " snooze_until = NULL" KEY " AND snooze_until = ?5",
                        (const TendReminder *const *)missed->pdata, missed->len, now, 0, NULL,
                        &changes, error))
        return FALSE;
    *out_claimed = (guint)changes;
    return TRUE;
}

gboolean alarms_release_missed(TendStore *store, GPtrArray *missed, GError **error)
{
    int changes;
    return missed->len == 0 ||
           log_write_many(store, "DELETE FROM reminder_log" KEY " AND outcome = 'missed'",
                          "UPDATE reminder_log SET outcome = 'snoozed', snooze_until = ?5" KEY
                          " AND outcome = 'missed'",
                          (const TendReminder *const *)missed->pdata, missed->len, 0, 0, NULL,
                          &changes, error);
}

/* "missed" claims made at a time after @now, never shown since (outcome_at is still the claim
 * time; a snoozed one caught up has a later outcome_at and is left alone), with whether their
 * item is urgent. */
static const char ahead_sql[] =
    "SELECT r.item_type, r.item_id, r.fire_at,"
    "  CASE r.item_type WHEN 'stressor' THEN " URGENT_STRESSOR " ELSE " URGENT_ACTIVITY " END"
    "  FROM reminder_log r"
    "  LEFT JOIN stressors s ON r.item_type = 'stressor' AND s.id = r.item_id"
    "  LEFT JOIN activities a ON r.item_type = 'activity' AND a.id = r.item_id"
    " WHERE r.outcome = 'missed' AND r.outcome_at = r.claimed_at AND r.claimed_at > ?1";

/* The clock was set ahead and has been put back: what it claimed as missed had not happened.
 * Gives back those claims whose reminder is not yet due, or due within the grace period,
 * at @now, so each comes at its time (or now) after all. One that was due before that stays
 * as missed: the summary counted it, and it is too late to show. */
static gboolean release_claims_from_ahead(TendStore *store, const TendContext *ctx,
                                          const TendReminderSettings *settings, gint64 now,
                                          gint64 grace, GError **error)
{
    g_autoptr(sqlite3_stmt) ahead = store_prepare(store, ahead_sql, error);
    if (!ahead)
        return FALSE;
    sqlite3_bind_int64(ahead, 1, now);
    g_autoptr(GPtrArray) release = g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);
    int rc;
    while ((rc = sqlite3_step(ahead)) == SQLITE_ROW) {
        gint64 fire_at = sqlite3_column_int64(ahead, 2);
        gboolean urgent = sqlite3_column_int(ahead, 3) != 0;
        gint64 due_at = alarms_due_at(settings, ctx->tz, fire_at, urgent);
        if (due_at <= now - grace)
            continue;
        TendReminder *reminder = g_new0(TendReminder, 1);
        reminder->type = g_str_equal(store_column_text(ahead, 0), "stressor") ? TEND_ITEM_STRESSOR
                                                                              : TEND_ITEM_ACTIVITY;
        reminder->item_id = sqlite3_column_int64(ahead, 1);
        reminder->fire_at = fire_at;
        g_ptr_array_add(release, reminder);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the reminder log");
    g_clear_pointer(&ahead, sqlite3_finalize);
    int changes;
    return release->len == 0 ||
           log_write_many(store,
                          "DELETE FROM reminder_log" KEY " AND outcome = 'missed'"
                          " AND outcome_at = claimed_at AND claimed_at > ?4",
                          NULL, (const TendReminder *const *)release->pdata, release->len, now, 0,
                          NULL, &changes, error);
}

GPtrArray *alarms_missed(TendStore *store, const TendContext *ctx,
                         const TendReminderSettings *settings, gint64 since, gint64 now,
                         GError **error)
{
    TendReminderSettings defaults;
    settings = settings_or_defaults(ctx, settings, &defaults);
    gint64 grace = (gint64)MAX(settings->grace_minutes, 0) * 60;
    if (!release_claims_from_ahead(store, ctx, settings, now, grace, error)) {
        g_prefix_error(error, "cannot find missed reminders: ");
        return NULL;
    }
    GPtrArray *missed = collect_sorted(store, ctx, settings, since, now - grace, now, error);
    if (!missed)
        g_prefix_error(error, "cannot find missed reminders: ");
    return missed;
}

/* ---- a time zone change ---- */

/* The fire times an all-day item starting at @start had in @old_tz (*@was) and has in ctx->tz
 * (*@is), with their leads (*@leads), pair by pair: leads that land on one morning do so in
 * either zone, so fire_times() drops the same ones from both lists. Returns how many. */
static guint fire_times_moved(const TendContext *ctx, const TendReminderSettings *settings,
                              GTimeZone *old_tz, TendItemType type, gint64 start, gint64 *was,
                              gint64 *is, gint64 *leads)
{
    TendContext before = *ctx;
    before.tz = old_tz;
    gint64 leads_is[TEND_REMINDERS_MAX_LEADS];
    guint n = fire_times(&before, settings, type, start, TRUE, was, leads);
    guint m = fire_times(ctx, settings, type, start, TRUE, is, leads_is);
    guint paired = 0;
    while (paired < MIN(n, m) && leads[paired] == leads_is[paired])
        paired++;
    return paired;
}

/* The fire time in ctx->tz of the reminder that an item starting at @start had at @fire_at in
 * @old_tz: the same lead's, for an all-day item. A timed item's fire time is an instant and
 * stays; so does one that no lead gives (the settings changed since). */
static gint64 fire_at_in_zone(const TendContext *ctx, const TendReminderSettings *settings,
                              GTimeZone *old_tz, TendItemType type, gint64 start, gboolean all_day,
                              gint64 fire_at)
{
    if (!all_day)
        return fire_at;
    gint64 was[TEND_REMINDERS_MAX_LEADS], is[TEND_REMINDERS_MAX_LEADS];
    gint64 leads[TEND_REMINDERS_MAX_LEADS];
    guint n = fire_times_moved(ctx, settings, old_tz, type, start, was, is, leads);
    for (guint i = 0; i < n; i++)
        if (was[i] == fire_at)
            return is[i];
    return fire_at;
}

gboolean alarms_follow_zone(TendStore *store, const TendContext *ctx,
                            const TendReminderSettings *settings, GTimeZone *old_tz, gint64 now,
                            GPtrArray **out_passed, GError **error)
{
    TendReminderSettings defaults;
    settings = settings_or_defaults(ctx, settings, &defaults);
    gint64 late = now - (gint64)MAX(settings->grace_minutes, 0) * 60;
    g_autoptr(GPtrArray) passed = g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);
    if (!store_begin(store, error)) {
        g_prefix_error(error, "cannot move the reminders to the new time zone: ");
        return FALSE;
    }
    /* Only stressors are all-day; activities always have a time. */
    g_autoptr(sqlite3_stmt) days =
        store_prepare(store,
                      "SELECT s.id, s.start_utc, s.title, " URGENT_STRESSOR " FROM stressors s"
                      " WHERE s.all_day = 1",
                      error);
    g_autoptr(sqlite3_stmt) move =
        days ? store_prepare(store, "UPDATE OR IGNORE reminder_log SET fire_at = ?4" KEY, error)
             : NULL;
    g_autoptr(sqlite3_stmt) logged =
        move ? store_prepare(store, "SELECT 1 FROM reminder_log" KEY, error) : NULL;
    if (!logged)
        goto fail;
    int rc;
    while ((rc = sqlite3_step(days)) == SQLITE_ROW) {
        gint64 id = sqlite3_column_int64(days, 0), start = sqlite3_column_int64(days, 1);
        gboolean urgent = sqlite3_column_int(days, 3) != 0;
        gint64 was[TEND_REMINDERS_MAX_LEADS], is[TEND_REMINDERS_MAX_LEADS];
        gint64 leads[TEND_REMINDERS_MAX_LEADS];
        guint n =
            fire_times_moved(ctx, settings, old_tz, TEND_ITEM_STRESSOR, start, was, is, leads);
        for (guint i = 0; i < n; i++) {
            if (was[i] == is[i])
                continue;
            sqlite3_reset(move);
            sqlite3_bind_text(move, 1, "stressor", -1, SQLITE_STATIC);
            sqlite3_bind_int64(move, 2, id);
            sqlite3_bind_int64(move, 3, was[i]);
            sqlite3_bind_int64(move, 4, is[i]);
            if (sqlite3_step(move) != SQLITE_DONE) {
                store_set_error(store, error, "cannot update the reminder log");
                goto fail;
            }
            if (sqlite3_changes(store_db(store)) > 0)
                continue; /* claimed: it moved with its answer */
            /* Unclaimed: passed unseen if it is now too late to show but was not yet in the
             * old zone. One already too late there was left out on purpose (added late). */
            gint64 due_was = alarms_due_at(settings, old_tz, was[i], urgent);
            gint64 due_is = alarms_due_at(settings, ctx->tz, is[i], urgent);
            gboolean claimed = FALSE;
            if (due_is > late || due_was <= late)
                continue;
            if (!is_logged(logged, store, TEND_ITEM_STRESSOR, id, is[i], &claimed, error))
                goto fail;
            if (!claimed)
                g_ptr_array_add(passed, reminder_new(ctx, settings, now, TEND_ITEM_STRESSOR, id,
                                                     is[i], due_is, start, TRUE, urgent, leads[i],
                                                     store_column_text(days, 2), "stressor"));
        }
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read the plan");
        goto fail;
    }
    g_clear_pointer(&days, sqlite3_finalize);
    g_clear_pointer(&move, sqlite3_finalize);
    g_clear_pointer(&logged, sqlite3_finalize);
    if (!store_commit(store, error))
        goto fail;
    g_ptr_array_sort(passed, compare_reminders);
    *out_passed = g_steal_pointer(&passed);
    return TRUE;
fail:
    g_prefix_error(error, "cannot move the reminders to the new time zone: ");
    store_rollback(store);
    return FALSE;
}

void alarms_reminder_follow_zone(const TendContext *ctx, const TendReminderSettings *settings,
                                 GTimeZone *old_tz, TendReminder *reminder)
{
    TendReminderSettings defaults;
    settings = settings_or_defaults(ctx, settings, &defaults);
    reminder->fire_at = fire_at_in_zone(ctx, settings, old_tz, reminder->type, reminder->start,
                                        reminder->all_day, reminder->fire_at);
    reminder->due_at =
        alarms_due_at(settings, ctx->tz,
                      reminder->snoozed_until != 0 ? reminder->snoozed_until : reminder->fire_at,
                      reminder->urgent);
}

gboolean alarms_set_urgent(TendStore *store, TendItemType type, gint64 item_id, gboolean urgent,
                           GError **error)
{
    if (type != TEND_ITEM_STRESSOR && type != TEND_ITEM_ACTIVITY) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "only stressors and activities can be marked urgent");
        return FALSE;
    }
    if (!store_begin(store, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) exists =
        store_prepare(store,
                      type == TEND_ITEM_STRESSOR ? "SELECT 1 FROM stressors WHERE id = ?"
                                                 : "SELECT 1 FROM activities WHERE id = ?",
                      error);
    g_autoptr(sqlite3_stmt) write = NULL;
    if (!exists)
        goto fail;
    sqlite3_bind_int64(exists, 1, item_id);
    int rc = sqlite3_step(exists);
    if (rc == SQLITE_DONE) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "there is no %s with id %" G_GINT64_FORMAT, log_type(type), item_id);
        goto fail;
    }
    if (rc != SQLITE_ROW) {
        store_set_error(store, error, "cannot look up the item");
        goto fail;
    }
    write =
        store_prepare(store,
                      urgent ? "INSERT OR IGNORE INTO reminder_urgent VALUES (?, ?)"
                             : "DELETE FROM reminder_urgent WHERE item_type = ? AND item_id = ?",
                      error);
    if (!write)
        goto fail;
    sqlite3_bind_text(write, 1, log_type(type), -1, SQLITE_STATIC);
    sqlite3_bind_int64(write, 2, item_id);
    if (sqlite3_step(write) != SQLITE_DONE) {
        store_set_error(store, error, "cannot mark the item");
        goto fail;
    }
    if (!store_commit(store, error))
        goto fail;
    return TRUE;
fail:
    store_rollback(store);
    return FALSE;
}

gboolean alarms_forget_removed(TendStore *store, GError **error)
{
    /* The log's primary key starts with item_type, so each half reads only its own rows. */
    if (!store_exec(store,
                    "DELETE FROM reminder_log WHERE item_type = 'stressor'"
                    "  AND item_id NOT IN (SELECT id FROM stressors);"
                    "DELETE FROM reminder_log WHERE item_type = 'activity'"
                    "  AND item_id NOT IN (SELECT id FROM activities);"
                    "DELETE FROM reminder_urgent WHERE item_type = 'stressor'"
                    "  AND item_id NOT IN (SELECT id FROM stressors);"
                    "DELETE FROM reminder_urgent WHERE item_type = 'activity'"
                    "  AND item_id NOT IN (SELECT id FROM activities)",
                    error)) {
        g_prefix_error(error, "cannot forget the reminders of removed items: ");
        return FALSE;
    }
    return TRUE;
}

gboolean alarms_get_last_seen(TendStore *store, gint64 *out_last_seen, gboolean *out_found,
                              GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT value FROM reminder_state WHERE key = 'last_seen'", error);
    if (!stmt)
        return FALSE;
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the reminder service's state");
    *out_found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
        *out_last_seen = sqlite3_column_int64(stmt, 0);
    return TRUE;
}

gboolean alarms_set_last_seen(TendStore *store, gint64 when, GError **error)
{
    if (!store_begin(store, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store, "INSERT OR REPLACE INTO reminder_state (key, value) VALUES ('last_seen', ?)", error);
    if (!stmt || (sqlite3_bind_int64(stmt, 1, when), sqlite3_step(stmt)) != SQLITE_DONE) {
        if (stmt)
            store_set_error(store, error, "cannot write the reminder service's state");
        store_rollback(store);
        return FALSE;
    }
    if (!store_commit(store, error)) {
        store_rollback(store);
        return FALSE;
    }
    return TRUE;
}
