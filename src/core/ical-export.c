/* ical-export.c: the plan (stressors and activities) as RFC 5545 iCalendar, and
 * writing that text to a file without ever leaving a half-written one behind.
 *
 * libical builds every component and property and serialises them. Two things are
 * not left to it:
 * - Folding. libical 3.0.16 folds at 75 octets and respects UTF-8, but a value that
 *   ends on the fold boundary comes out as "...\r\r\n \n" (a fold inside the CRLF,
 *   measured on 20,000 random values). The text is unfolded and folded again here.
 * - Local times. They are computed with GTimeZone (as clock.c does), and handed to
 *   libical as plain wall times with a TZID parameter, never converted by libical.
 * The output depends only on the store, the context and the options, so exporting
 * twice with the same TEND_NOW gives the same bytes. Nothing here prints or exits.
 */
#include "tend/ical-io.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tend/coping-plan.h"
#include "tend/stressor.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalcomponent, icalcomponent_free)

#define FOLD_OCTETS 75 /* RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets */
#define DISCREET_TITLE "Personal time"
#define ACTIVITY_ALARM_SECONDS (15 * 60)
/* An all-day stressor starts at midnight: 15 hours before is 09:00 the day before,
 * where "1 hour" or "1 day" before would wake someone in the night. */
#define ALL_DAY_ALARM_SECONDS (15 * 3600)

typedef struct {
    const TendContext *ctx;
    TendExportOptions options;
    TendStore *store;
    struct icaltimetype stamp;
    GHashTable *zones; /* tzid -> GTimeZone, every TZID the document uses */
    GPtrArray *events; /* icalcomponent VEVENTs, in output order */
    guint stressors;
    guint activities;
} Exporter;

static void exporter_clear(Exporter *ex)
{
    g_clear_pointer(&ex->zones, g_hash_table_unref);
    g_clear_pointer(&ex->events, g_ptr_array_unref);
}

/* Text that came from a person or the database: valid UTF-8, line ends as "\n", and
 * no other control characters (libical passes them through unchanged). */
static char *clean_text(const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
    GString *out = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\r') {
            g_string_append_c(out, '\n');
            if (p[1] == '\n')
                p++;
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
            g_string_append_c(out, ' ');
        } else {
            g_string_append_c(out, (char)c);
        }
    }
    return g_strstrip(g_string_free(out, FALSE));
}

/* The zone to write times in: @tzid when libical and GLib both know it as a named
 * zone, else NULL, which means UTC ("Z") times. */
static const char *exporter_use_zone(Exporter *ex, const char *tzid)
{
    /* /etc/timezone often says "Etc/UTC": plain UTC times need no VTIMEZONE. */
    static const char *const utc_names[] = {
        "UTC",       "Etc/UTC",   "Etc/UCT", "UCT",     "Etc/Universal", "Universal",
        "Etc/Zulu",  "Zulu",      "GMT",     "Etc/GMT", "GMT0",          "Etc/GMT0",
        "Etc/GMT+0", "Etc/GMT-0", "GMT+0",   "GMT-0",   "Greenwich",     "Etc/Greenwich",
    };
    if (!tzid || !*tzid)
        return NULL;
    for (guint i = 0; i < G_N_ELEMENTS(utc_names); i++)
        if (g_str_equal(tzid, utc_names[i]))
            return NULL;
    gpointer stored;
    if (g_hash_table_lookup_extended(ex->zones, tzid, &stored, NULL))
        return stored;
    if (!icaltimezone_get_builtin_timezone(tzid))
        return NULL;
    GTimeZone *tz = g_time_zone_new_identifier(tzid);
    if (!tz)
        return NULL;
    char *key = g_strdup(tzid);
    g_hash_table_insert(ex->zones, key, tz);
    return key;
}

static int offset_at(GTimeZone *tz, gint64 instant)
{
    return g_time_zone_get_offset(tz,
                                  g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, instant));
}

/* Whether the wall time of @instant in @tz happens twice (an autumn overlap): the offset
 * in force two days before or after (transitions are never closer) gives another instant
 * with the same wall time. */
static gboolean wall_time_repeats(GTimeZone *tz, gint64 instant)
{
    int offset = offset_at(tz, instant);
    gint64 wall = instant + offset;
    for (int side = -1; side <= 1; side += 2) {
        int other = offset_at(tz, instant + side * 2 * TEND_DAY_SECONDS);
        if (other != offset && offset_at(tz, wall - other) == other)
            return TRUE;
    }
    return FALSE;
}

/* A DATE-TIME value: wall time with TZID=@tzid, or UTC when @tzid is NULL. A wall time
 * that happens twice (01:30 in an autumn overlap) is written in UTC, both times: RFC 5545
 * reads it as the first, but ical.js (Thunderbird's) and python-icalendar read it as the
 * second, which put the first an hour late. */
static icalproperty *datetime_property(Exporter *ex, gboolean start, gint64 instant,
                                       const char *tzid)
{
    struct icaltimetype t = icaltime_null_time();
    if (tzid) {
        GTimeZone *tz = g_hash_table_lookup(ex->zones, tzid);
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
        g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, tz);
        t.year = g_date_time_get_year(local);
        t.month = g_date_time_get_month(local);
        t.day = g_date_time_get_day_of_month(local);
        t.hour = g_date_time_get_hour(local);
        t.minute = g_date_time_get_minute(local);
        t.second = g_date_time_get_second(local);
        if (tend_local_to_utc(tz, t.year, t.month, t.day, t.hour, t.minute, t.second) != instant ||
            wall_time_repeats(tz, instant))
            tzid = NULL;
    }
    if (!tzid)
        t = icaltime_from_timet_with_zone((time_t)instant, 0, icaltimezone_get_utc_timezone());
    icalproperty *prop = start ? icalproperty_new_dtstart(t) : icalproperty_new_dtend(t);
    if (tzid)
        icalproperty_add_parameter(prop, icalparameter_new_tzid(tzid));
    return prop;
}

/* A DATE value for an all-day value (see clock.h). */
static icalproperty *date_property(gboolean start, gint64 date)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(date);
    struct icaltimetype t = icaltime_null_date();
    t.year = g_date_time_get_year(dt);
    t.month = g_date_time_get_month(dt);
    t.day = g_date_time_get_day_of_month(dt);
    return start ? icalproperty_new_dtstart(t) : icalproperty_new_dtend(t);
}

static icalcomponent *new_event(Exporter *ex, const char *uid, gint64 sequence)
{
    icalcomponent *event = icalcomponent_new_vevent();
    icalcomponent_add_property(event, icalproperty_new_uid(uid));
    icalcomponent_add_property(event, icalproperty_new_dtstamp(ex->stamp));
    icalcomponent_add_property(event, icalproperty_new_sequence((int)CLAMP(sequence, 0, G_MAXINT)));
    return event;
}

/* SUMMARY, DESCRIPTION, LOCATION, CLASS, CATEGORIES, TRANSP and STATUS; in discreet
 * mode only neutral words and no private text. */
static void add_text_properties(Exporter *ex, icalcomponent *event, const char *summary,
                                const char *description, const char *location, const char *kind,
                                gboolean busy)
{
    if (ex->options.discreet) {
        icalcomponent_add_property(event, icalproperty_new_summary(DISCREET_TITLE));
        icalcomponent_add_property(event, icalproperty_new_class(ICAL_CLASS_PRIVATE));
        icalcomponent_add_property(event, icalproperty_new_categories("tend"));
    } else {
        g_autofree char *clean_summary = clean_text(summary);
        icalcomponent_add_property(event, icalproperty_new_summary(clean_summary));
        if (description && *description) {
            g_autofree char *clean = clean_text(description);
            icalcomponent_add_property(event, icalproperty_new_description(clean));
        }
        if (location && *location) {
            g_autofree char *clean = clean_text(location);
            if (*clean)
                icalcomponent_add_property(event, icalproperty_new_location(clean));
        }
        g_autofree char *clean_kind = clean_text(kind);
        g_autofree char *categories = g_strdup_printf("tend,%s", clean_kind);
        icalcomponent_add_property(event, icalproperty_new_categories(categories));
    }
    icalcomponent_add_property(
        event, icalproperty_new_transp(busy ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_property(event, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
}

/* One DISPLAY alarm @seconds before the start. libical writes its subcomponents after
 * the event's own properties, so VALARMs always come last in the VEVENT. */
static void add_alarm(Exporter *ex, icalcomponent *event, int seconds, const char *text)
{
    if (ex->options.no_alarms)
        return;
    icalcomponent *alarm = icalcomponent_new_valarm();
    icalcomponent_add_property(alarm, icalproperty_new_action(ICAL_ACTION_DISPLAY));
    g_autofree char *clean = clean_text(ex->options.discreet ? DISCREET_TITLE : text);
    icalcomponent_add_property(alarm, icalproperty_new_description(clean));
    struct icaltriggertype trigger;
    memset(&trigger, 0, sizeof trigger);
    trigger.time = icaltime_null_time();
    trigger.duration = icaldurationtype_from_int(-seconds);
    icalcomponent_add_property(alarm, icalproperty_new_trigger(trigger));
    icalcomponent_add_component(event, alarm);
}

static char *kind_line(const char *kind, int intensity)
{
    g_autofree char *title = g_strdup(kind && *kind ? kind : "other");
    title[0] = g_ascii_toupper(title[0]);
    return g_strdup_printf("%s, how hard it may feel: %d of 5.", title, intensity);
}

/* The stressor's coping plan as its card (coping_plan_card(), the same text `tend plan
 * show` prints); without a plan, a short line about the day and a kind word. */
static gboolean stressor_description(Exporter *ex, sqlite3_stmt *row, char **out_text,
                                     GError **error)
{
    gint64 id = sqlite3_column_int64(row, 0);
    g_autoptr(TendCopingPlan) plan = coping_plan_load(ex->store, id, error);
    if (!plan)
        return FALSE;
    if (coping_plan_is_empty(plan)) {
        g_autofree char *first = kind_line(store_column_text(row, 3), sqlite3_column_int(row, 4));
        *out_text = g_strdup_printf("%s\nGo gently with yourself. Small kindnesses count.", first);
        return TRUE;
    }
    g_autoptr(TendStressor) stressor = stressor_get(ex->store, id, error);
    if (!stressor)
        return FALSE;
    *out_text = coping_plan_card(ex->store, ex->ctx, tend_data_dir(), stressor, plan, error);
    return *out_text != NULL;
}

/* Years 1 to 9999 are all GDateTime and iCalendar can write; an event must also end
 * after it starts. Rows come from tend itself, so this only catches bugs elsewhere. */
static gboolean check_span(const char *what, const char *uid, gint64 start, gint64 end,
                           GError **error)
{
    const gint64 first = G_GINT64_CONSTANT(-62135596800), last = G_GINT64_CONSTANT(253402300799);
    if (start >= first && end <= last && end > start)
        return TRUE;
    g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                "%s '%s' has times that cannot be written (start %" G_GINT64_FORMAT
                ", end %" G_GINT64_FORMAT ")",
                what, uid, start, end);
    return FALSE;
}

static gboolean overlaps(gint64 start, gint64 end, gint64 from, gint64 to)
{
    return start < to && end > from;
}

static gboolean export_stressors(Exporter *ex, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(ex->store,
                      "SELECT id, uid, title, kind, intensity, location, start_utc, end_utc, "
                      "all_day, tzid, sequence FROM stressors ORDER BY start_utc, id",
                      error);
    if (!stmt)
        return FALSE;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        gint64 start = sqlite3_column_int64(stmt, 6);
        gint64 end = sqlite3_column_int64(stmt, 7);
        gboolean all_day = sqlite3_column_int(stmt, 8) != 0;
        /* All-day dates are the person's own days: compare them in the user's zone. */
        gboolean wanted = all_day ? overlaps(tend_date_to_local(start, ex->ctx->tz),
                                             tend_date_to_local(end, ex->ctx->tz), ex->options.from,
                                             ex->options.to)
                                  : overlaps(start, end, ex->options.from, ex->options.to);
        if (!wanted)
            continue;

        /* Timed stressors keep the zone they were entered in, when it is a named zone. */
        const char *tzid = NULL;
        if (!all_day) {
            if (sqlite3_column_type(stmt, 9) != SQLITE_NULL)
                tzid = exporter_use_zone(ex, store_column_text(stmt, 9));
            if (!tzid)
                tzid = exporter_use_zone(ex, ex->ctx->tzid);
        }

        const char *title = store_column_text(stmt, 2);
        if (!check_span("stressor", store_column_text(stmt, 1), start, end, error))
            return FALSE;
        icalcomponent *event =
            new_event(ex, store_column_text(stmt, 1), sqlite3_column_int64(stmt, 10));
        g_ptr_array_add(ex->events, event);
        if (all_day) {
            icalcomponent_add_property(event, date_property(TRUE, start));
            icalcomponent_add_property(event, date_property(FALSE, end));
        } else {
            icalcomponent_add_property(event, datetime_property(ex, TRUE, start, tzid));
            icalcomponent_add_property(event, datetime_property(ex, FALSE, end, tzid));
        }
        g_autofree char *description = NULL;
        if (!ex->options.discreet && !stressor_description(ex, stmt, &description, error))
            return FALSE;
        /* A season of several weeks marked busy would block the whole calendar for
         * colleagues, so all-day stressors show as free time. */
        add_text_properties(ex, event, title, description, store_column_text(stmt, 5),
                            store_column_text(stmt, 3), !all_day);
        g_autofree char *soon = g_strdup_printf("In an hour: %s", title);
        g_autofree char *tomorrow = g_strdup_printf("Tomorrow: %s", title);
        if (all_day) {
            add_alarm(ex, event, ALL_DAY_ALARM_SECONDS, tomorrow);
        } else {
            add_alarm(ex, event, 3600, soon);
            add_alarm(ex, event, 86400, tomorrow);
        }
        ex->stressors++;
    }
    if (rc != SQLITE_DONE)
        return store_set_error(ex->store, error, "cannot read stressors");
    return TRUE;
}

static char *activity_description(const char *kind, const char *stressor_title)
{
    /* The text around the stressor's title, which goes in quotes between the two. */
    static const struct {
        const char *kind;
        const char *before;
        const char *after;
    } texts[] = {
        {"rehearse", "Before ", ": go over your plan and say your words out loud once."},
        {"ground", "The day of ", ": a few slow breaths, feet on the floor, before it starts."},
        {"checkin", "During ", ": a quiet moment to notice how you are. Stepping out is allowed."},
        {"exit", "Your time to leave ", ", as you planned. Going now is allowed."},
        {"restore", "During ", ": something small that restores you. It counts."},
        {"decompress", "After ", ": time to come down. Nothing else is asked of you."},
        {"reflect", "The day after ", ": what helped, even a little?"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        if (g_str_equal(kind, texts[i].kind))
            return g_strdup_printf("%s\"%s\"%s", texts[i].before, stressor_title, texts[i].after);
    return g_strdup_printf("Some care around \"%s\".", stressor_title);
}

static gboolean export_activities(Exporter *ex, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        ex->store,
        "SELECT a.uid, a.kind, a.title, a.start_utc, a.end_utc, a.busy, a.sequence, s.title "
        "FROM activities a JOIN stressors s ON s.id = a.stressor_id "
        "WHERE a.status != 'skipped' AND a.start_utc < ?2 AND a.end_utc > ?1 "
        "ORDER BY a.start_utc, a.id",
        error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, ex->options.from);
    sqlite3_bind_int64(stmt, 2, ex->options.to);
    const char *tzid = exporter_use_zone(ex, ex->ctx->tzid);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *kind = store_column_text(stmt, 1);
        const char *title = store_column_text(stmt, 2);
        if (!check_span("activity", store_column_text(stmt, 0), sqlite3_column_int64(stmt, 3),
                        sqlite3_column_int64(stmt, 4), error))
            return FALSE;
        icalcomponent *event =
            new_event(ex, store_column_text(stmt, 0), sqlite3_column_int64(stmt, 6));
        g_ptr_array_add(ex->events, event);
        icalcomponent_add_property(
            event, datetime_property(ex, TRUE, sqlite3_column_int64(stmt, 3), tzid));
        icalcomponent_add_property(
            event, datetime_property(ex, FALSE, sqlite3_column_int64(stmt, 4), tzid));
        g_autofree char *description = activity_description(kind, store_column_text(stmt, 7));
        add_text_properties(ex, event, title, description, NULL, kind,
                            sqlite3_column_int(stmt, 5) != 0);
        add_alarm(ex, event, ACTIVITY_ALARM_SECONDS, title);
        ex->activities++;
    }
    if (rc != SQLITE_DONE)
        return store_set_error(ex->store, error, "cannot read planned activities");
    return TRUE;
}

/* libical's definition of @tzid, renamed to @tzid itself: libical calls it
 * "/freeassociation.sourceforge.net/Europe/London", the events say "Europe/London". */
static icalcomponent *vtimezone_for(const char *tzid)
{
    icaltimezone *zone = icaltimezone_get_builtin_timezone(tzid);
    icalcomponent *definition = zone ? icaltimezone_get_component(zone) : NULL;
    if (!definition)
        return NULL;
    icalcomponent *vtimezone = icalcomponent_new_clone(definition);
    icalproperty *name = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY);
    if (name)
        icalproperty_set_tzid(name, tzid);
    else
        icalcomponent_add_property(vtimezone, icalproperty_new_tzid(tzid));
    return vtimezone;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Joins libical's folded lines and folds them again: CRLF after every line, at most
 * 75 octets per line, never splitting a UTF-8 sequence. */
static char *refold(const char *serialised)
{
    GString *logical = g_string_sized_new(strlen(serialised));
    for (const char *p = serialised; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t')) {
            p += 2;
            continue;
        }
        g_string_append_c(logical, *p);
    }
    g_auto(GStrv) lines = g_strsplit(logical->str, "\r\n", -1);
    g_string_free(logical, TRUE);

    GString *out = g_string_new(NULL);
    for (guint i = 0; lines[i]; i++) {
        const char *line = lines[i];
        gsize length = strlen(line);
        if (length == 0)
            continue;
        gsize limit = FOLD_OCTETS;
        while (length > limit) {
            gsize cut = limit;
            while (cut > 0 && ((unsigned char)line[cut] & 0xC0) == 0x80)
                cut--;
            g_string_append_len(out, line, (gssize)cut);
            g_string_append(out, "\r\n ");
            line += cut;
            length -= cut;
            limit = FOLD_OCTETS - 1; /* the leading space counts */
        }
        g_string_append_len(out, line, (gssize)length);
        g_string_append(out, "\r\n");
    }
    return g_string_free(out, FALSE);
}

/* Fills @ex with every VEVENT the options ask for, and the zones they use. */
static gboolean exporter_build(Exporter *ex, TendStore *store, const TendContext *ctx,
                               const TendExportOptions *options, const char **out_user_zone,
                               GError **error)
{
    /* Read the clock once, first, so every DTSTAMP in the document is the same. */
    gint64 now = tend_clock_now(&ctx->clock);
    *ex = (Exporter){
        .ctx = ctx,
        .store = store,
        .stamp = icaltime_from_timet_with_zone((time_t)now, 0, icaltimezone_get_utc_timezone()),
        .zones = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_time_zone_unref),
        .events = g_ptr_array_new_with_free_func((GDestroyNotify)icalcomponent_free),
    };
    if (options) {
        ex->options = *options;
    } else {
        ex->options.from = 0;
        ex->options.to = G_MAXINT64;
    }
    /* The user's own zone is always described: X-WR-TIMEZONE names it, and it gives
     * the calendar at least one component even when nothing is planned yet. */
    *out_user_zone = exporter_use_zone(ex, ctx->tzid);
    if (!export_stressors(ex, error) || !export_activities(ex, error)) {
        g_prefix_error(error, "cannot export the plan: ");
        exporter_clear(ex);
        return FALSE;
    }
    return TRUE;
}

/* A VCALENDAR with one VTIMEZONE for each of @tzids (sorted), before any event. */
static icalcomponent *calendar_new(const char **tzids, guint n_zones, GError **error)
{
    g_autoptr(icalcomponent) calendar = icalcomponent_new_vcalendar();
    icalcomponent_add_property(calendar, icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar,
                               icalproperty_new_prodid("-//tend//tend " TEND_VERSION "//EN"));
    icalcomponent_add_property(calendar, icalproperty_new_calscale("GREGORIAN"));
    qsort(tzids, n_zones, sizeof *tzids, compare_strings);
    /* libical puts each VTIMEZONE added to a VCALENDAR in front of the others, so
     * adding them last name first leaves them in name order, before the events. */
    for (guint i = n_zones; i-- > 0;) {
        icalcomponent *vtimezone = vtimezone_for(tzids[i]);
        if (!vtimezone) {
            g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                        "cannot export the plan: no time zone definition for '%s'", tzids[i]);
            return NULL;
        }
        icalcomponent_add_component(calendar, vtimezone);
    }
    return g_steal_pointer(&calendar);
}

/* RFC 5545 wants a calendar to hold at least one component, and a plan with nothing in it
 * yet has only the user's zone; for a person in UTC (or an unknown zone) it is this one. */
static icalcomponent *utc_vtimezone(void)
{
    icalcomponent *standard = icalcomponent_new_xstandard();
    icalcomponent_add_property(standard,
                               icalproperty_new_dtstart(icaltime_from_string("19700101T000000")));
    icalcomponent_add_property(standard, icalproperty_new_tzoffsetfrom(0));
    icalcomponent_add_property(standard, icalproperty_new_tzoffsetto(0));
    icalcomponent_add_property(standard, icalproperty_new_tzname("UTC"));
    icalcomponent *vtimezone = icalcomponent_new_vtimezone();
    icalcomponent_add_property(vtimezone, icalproperty_new_tzid("UTC"));
    icalcomponent_add_component(vtimezone, standard);
    return vtimezone;
}

static char *calendar_text(icalcomponent *calendar)
{
    char *serialised = icalcomponent_as_ical_string_r(calendar);
    char *text = refold(serialised);
    free(serialised);
    return text;
}

char *ical_export_plan_counted(TendStore *store, const TendContext *ctx,
                               const TendExportOptions *options, guint *out_stressors,
                               guint *out_activities, GError **error)
{
    Exporter ex;
    const char *user_zone = NULL;
    if (!exporter_build(&ex, store, ctx, options, &user_zone, error))
        return NULL;

    guint n_zones = 0;
    g_autofree const char **tzids =
        (const char **)g_hash_table_get_keys_as_array(ex.zones, &n_zones);
    g_autoptr(icalcomponent) calendar = calendar_new(tzids, n_zones, error);
    if (!calendar) {
        exporter_clear(&ex);
        return NULL;
    }
    icalcomponent_add_property(calendar, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalproperty *name = icalproperty_new_x("tend plan");
    icalproperty_set_x_name(name, "X-WR-CALNAME");
    icalcomponent_add_property(calendar, name);
    icalproperty *zone_name = icalproperty_new_x(user_zone ? user_zone : "UTC");
    icalproperty_set_x_name(zone_name, "X-WR-TIMEZONE");
    icalcomponent_add_property(calendar, zone_name);
    if (n_zones == 0 && ex.events->len == 0)
        icalcomponent_add_component(calendar, utc_vtimezone());
    for (guint i = 0; i < ex.events->len; i++)
        icalcomponent_add_component(calendar, ex.events->pdata[i]);
    /* The calendar owns the events now. */
    g_ptr_array_set_free_func(ex.events, NULL);

    char *text = calendar_text(calendar);
    if (out_stressors)
        *out_stressors = ex.stressors;
    if (out_activities)
        *out_activities = ex.activities;
    exporter_clear(&ex);
    return text;
}

char *ical_export_plan(TendStore *store, const TendContext *ctx, const TendExportOptions *options,
                       GError **error)
{
    return ical_export_plan_counted(store, ctx, options, NULL, NULL, error);
}

static gboolean write_all(int fd, const char *data, gsize length)
{
    while (length > 0) {
        ssize_t written = write(fd, data, length);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return FALSE;
        }
        data += written;
        length -= (gsize)written;
    }
    return TRUE;
}

static gboolean set_write_error(GError **error, int saved_errno, const char *path)
{
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved_errno), "cannot write '%s': %s",
                path, g_strerror(saved_errno));
    return FALSE;
}

/* Writes @text to @path, an existing file that is not a regular one (a pipe, a terminal,
 * /dev/stdout): there is nothing to replace, so it is written as it is. */
static gboolean write_through(const char *path, const char *text, GError **error)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return set_write_error(error, errno, path);
    int saved = write_all(fd, text, strlen(text)) ? 0 : errno;
    if (close(fd) != 0 && saved == 0)
        saved = errno;
    return saved == 0 || set_write_error(error, saved, path);
}

gboolean ical_write_file_atomic(const char *path, const char *text, GError **error)
{
    /* A link (into a synced folder, say) stays a link: the file it names is replaced. */
    g_autofree char *target = g_strdup(path);
    struct stat link;
    if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            return set_write_error(error, errno, path);
        g_free(target);
        target = g_strdup(real);
        free(real);
    }
    g_autofree char *folder = g_path_get_dirname(target);
    g_autofree char *base = g_path_get_basename(target);
    g_autofree char *temp = g_strdup_printf("%s/.%s.XXXXXX", folder, base);
    /* A new file holds the plan: only the person reads it, like the database. */
    mode_t mode = 0600;
    struct stat old;
    if (stat(target, &old) == 0) {
        if (S_ISDIR(old.st_mode))
            return set_write_error(error, EISDIR, path);
        if (!S_ISREG(old.st_mode))
            return write_through(target, text, error);
        mode = old.st_mode & 0777; /* keep whatever the person chose for the old file */
    }

    int fd = g_mkstemp_full(temp, O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return set_write_error(error, errno, path);
    int saved = 0;
    if ((mode != 0600 && fchmod(fd, mode) != 0) || !write_all(fd, text, strlen(text)) ||
        fsync(fd) != 0)
        saved = errno;
    if (close(fd) != 0 && saved == 0)
        saved = errno;
    if (saved == 0 && rename(temp, target) != 0)
        saved = errno;
    if (saved != 0) {
        unlink(temp);
        return set_write_error(error, saved, path);
    }
    /* The rename is durable only once the folder itself is on disk. */
    int dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        if (fsync(dir) != 0)
            saved = errno;
        close(dir);
    }
    if (saved != 0)
        return set_write_error(error, saved, path);
    return TRUE;
}

/* ---------------------------------------------------------------------------
 * One file per item (vdir), and the live copy
 * ------------------------------------------------------------------------- */

/* A file name from a UID: the same UID always gives the same name, and nothing in it
 * can leave the folder. */
static char *vdir_file_name(const char *uid)
{
    GString *name = g_string_new(NULL);
    for (const char *p = uid; *p; p++)
        g_string_append_c(name, g_ascii_isalnum(*p) || strchr("@.-_", *p) ? *p : '_');
    if (name->str[0] == '.')
        name->str[0] = '_';
    g_string_append(name, ".ics");
    return g_string_free(name, FALSE);
}

/* The text without its DTSTAMP lines, which change with every export. */
static char *without_stamps(const char *text)
{
    GString *out = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\r\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (!g_str_has_prefix(lines[i], "DTSTAMP"))
            g_string_append_printf(out, "%s\n", lines[i]);
    return g_string_free(out, FALSE);
}

static void add_event_zones(icalcomponent *event, GHashTable *into)
{
    for (icalproperty *prop = icalcomponent_get_first_property(event, ICAL_ANY_PROPERTY); prop;
         prop = icalcomponent_get_next_property(event, ICAL_ANY_PROPERTY)) {
        icalparameter *param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
        const char *tzid = param ? icalparameter_get_tzid(param) : NULL;
        if (tzid)
            g_hash_table_add(into, (gpointer)tzid);
    }
}

gboolean ical_export_vdir(TendStore *store, const TendContext *ctx,
                          const TendExportOptions *options, const char *dir,
                          TendVdirResult *out_result, GError **error)
{
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        int saved = errno;
        g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved),
                    "cannot make the folder '%s': %s", dir, g_strerror(saved));
        return FALSE;
    }
    Exporter ex;
    const char *user_zone = NULL;
    if (!exporter_build(&ex, store, ctx, options, &user_zone, error))
        return FALSE;
    TendVdirResult result = {.stressors = ex.stressors, .activities = ex.activities};
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < ex.events->len; i++) {
        icalcomponent *event = ex.events->pdata[i];
        g_autoptr(GHashTable) used = g_hash_table_new(g_str_hash, g_str_equal);
        add_event_zones(event, used);
        guint n_zones = 0;
        g_autofree const char **tzids =
            (const char **)g_hash_table_get_keys_as_array(used, &n_zones);
        g_autoptr(icalcomponent) calendar = calendar_new(tzids, n_zones, error);
        if (!calendar) {
            ok = FALSE;
            break;
        }
        icalcomponent_add_component(calendar, icalcomponent_new_clone(event));
        g_autofree char *text = calendar_text(calendar);
        char *name = vdir_file_name(icalcomponent_get_uid(event));
        g_hash_table_add(names, name);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *old = NULL;
        if (g_file_get_contents(path, &old, NULL, NULL)) {
            g_autofree char *a = without_stamps(old);
            g_autofree char *b = without_stamps(text);
            if (g_str_equal(a, b)) {
                result.unchanged++;
                continue;
            }
        }
        ok = ical_write_file_atomic(path, text, error);
        result.written++;
    }
    exporter_clear(&ex);
    if (!ok)
        return FALSE;
    /* Items outside a --from/--to window are still in the plan, and their files stay. */
    if (ex.options.from != 0 || ex.options.to != G_MAXINT64) {
        TendExportOptions everything = ex.options;
        everything.from = 0;
        everything.to = G_MAXINT64;
        if (!exporter_build(&ex, store, ctx, &everything, &user_zone, error))
            return FALSE;
        for (guint i = 0; i < ex.events->len; i++)
            g_hash_table_add(names, vdir_file_name(icalcomponent_get_uid(ex.events->pdata[i])));
        exporter_clear(&ex);
    }

    /* Items tend wrote before that are gone now; every tend UID ends in "@tend", so
     * files of anything else in the folder are left alone. */
    g_autoptr(GDir) listing = g_dir_open(dir, 0, error);
    if (!listing)
        return FALSE;
    const char *entry;
    while ((entry = g_dir_read_name(listing))) {
        if (!g_str_has_suffix(entry, "@tend.ics") || g_hash_table_contains(names, entry))
            continue;
        g_autofree char *path = g_build_filename(dir, entry, NULL);
        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) || g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            continue;
        if (unlink(path) != 0) {
            int saved = errno;
            g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved), "cannot remove '%s': %s",
                        path, g_strerror(saved));
            return FALSE;
        }
        result.removed++;
    }
    if (out_result)
        *out_result = result;
    return TRUE;
}

char *ical_export_live_path(TendStore *store)
{
    g_autofree char *folder = g_path_get_dirname(store_path(store));
    return g_build_filename(folder, "plan.ics", NULL);
}

gboolean ical_export_live(TendStore *store, const TendContext *ctx, GError **error)
{
    g_autofree char *path = ical_export_live_path(store);
    g_autofree char *text = ical_export_plan(store, ctx, NULL, error);
    if (!text)
        return FALSE;
    return ical_write_file_atomic(path, text, error); /* 0600 when new */
}
