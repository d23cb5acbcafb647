/* ical-import.c: reading a person's calendar export into the store.
 *
 * The file is checked and cut into content lines here, before libical sees it: size,
 * line length, NUL bytes, nesting and component count are bounded; a BOM, LF, CRLF
 * or CR line ends and folding are handled; invalid UTF-8 is repaired and control
 * characters dropped. Each VEVENT and VTIMEZONE is then handed to libical's parser
 * one line at a time, so memory stays flat and complete events before a damaged end
 * are kept.
 *
 * Times are resolved here, not by libical, which shifts DST gaps and overlaps off
 * RFC 5545's rule and silently floats unknown zones. Recurrences are expanded in
 * the event's wall clock within a bounded window and with a bounded number of
 * iterator steps; rules libical cannot iterate quickly are refused before iterating.
 *
 * An event alone with its UID is written as soon as it is read and expanded, by a
 * writer thread of its own (Mirror), so SQLite's work overlaps libical's; the store
 * belongs to that thread until the reading is done.
 *
 * Must not: print or exit, call icalcomponent_normalize() or
 * icalcomponent_merge_component() (they crash on known inputs), or change the
 * store outside one transaction.
 */
#include "tend/clock.h"
#include "tend/ical-io.h"
#include "tend/library.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libical/ical.h>
#include <openssl/evp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The quark's name is stringified, so it must keep its hyphens. */
/* clang-format off */
G_DEFINE_QUARK(tend-ical-error-quark, tend_ical_error)
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalcomponent, icalcomponent_free)

/* VCALENDAR > VEVENT > VALARM is three deep; anything far deeper is hostile (libical
 * overflows its stack serialising 200,000 nested components). */
#define MAX_NESTING 16
/* iterator steps per recurring event; a daily rule from 1800 still fits */
#define MAX_RECUR_STEPS 100000
/* libical's iterator works in steps of the rule's FREQ (days for DAILY and longer)
 * between the instances it returns, so the calendar time a walk covers, counted in
 * those steps, bounds its cost: about 0.06 to 1.5 us a step with libical 3.0.16.
 * Deterministic, unlike a clock. */
#define MAX_RECUR_WORK 1000000
/* offsets never exceed a day, so this much slack covers wall clock versus UTC */
#define WALL_SLACK (2 * TEND_DAY_SECONDS)

/* ---------------------------------------------------------------------------
 * Calendar arithmetic on wall-clock seconds (seconds since 1970-01-01T00:00 as read
 * on a clock, with no zone)
 * ------------------------------------------------------------------------- */

static gint64 wall_of(struct icaltimetype t)
{
    gint64 wall = tend_days_from_civil(t.year, t.month, t.day) * TEND_DAY_SECONDS;
    if (!t.is_date)
        wall += t.hour * 3600 + t.minute * 60 + MIN(t.second, 59);
    return wall;
}

static struct icaltimetype icaltime_of_wall(gint64 wall, gboolean is_date)
{
    struct icaltimetype t = icaltime_null_time();
    gint64 days = tend_floor_div(wall, TEND_DAY_SECONDS);
    gint64 rest = wall - days * TEND_DAY_SECONDS;
    tend_civil_from_days(days, &t.year, &t.month, &t.day);
    t.is_date = is_date;
    if (!is_date) {
        t.hour = (int)(rest / 3600);
        t.minute = (int)(rest / 60 % 60);
        t.second = (int)(rest % 60);
    }
    return t;
}

/* libical accepts DTSTART:20251345T250000 and calls it valid. */
static gboolean icaltime_fields_valid(struct icaltimetype t)
{
    if (t.year < 1583 || t.year > 9999 || t.month < 1 || t.month > 12 || t.day < 1 ||
        t.day > g_date_get_days_in_month((GDateMonth)t.month, (GDateYear)t.year))
        return FALSE;
    if (t.is_date)
        return TRUE;
    return t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 &&
           t.second <= 60;
}

/* ---------------------------------------------------------------------------
 * Time zones
 * ------------------------------------------------------------------------- */

typedef struct {
    gint64 at;  /* from this instant on ... */
    int offset; /* ... this offset is in force */
} Transition;

typedef struct {
    char *name;        /* what events.tzid records; NULL for floating times */
    GTimeZone *gtz;    /* an IANA zone (or UTC, or the user's zone) ... */
    icaltimezone *itz; /* ... else the file's own VTIMEZONE */
    /* GLib looks offsets up by a linear search over every transition; recurrences ask
     * tens of thousands of times, so the transitions of a span are found once. */
    gint64 cached_from, cached_to;
    int offset_before;   /* in force at cached_from */
    GArray *transitions; /* Transition, in (cached_from, cached_to) */
} ImportZone;

static void import_zone_free(ImportZone *zone)
{
    if (!zone)
        return;
    g_free(zone->name);
    g_clear_pointer(&zone->gtz, g_time_zone_unref);
    g_clear_pointer(&zone->transitions, g_array_unref);
    if (zone->itz)
        icaltimezone_free(zone->itz, 1);
    g_free(zone);
}

static int gtz_offset_at(GTimeZone *tz, gint64 instant)
{
    int interval = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, instant);
    return interval < 0 ? 0 : g_time_zone_get_offset(tz, interval);
}

#define CACHE_SPAN (1200 * TEND_DAY_SECONDS)
#define CACHE_MAX_SPAN (40 * 366 * TEND_DAY_SECONDS)

/* How far apart zone_cache_fill() looks: a zone's intervals are found by where one ends. */
#define CACHE_PROBE (30 * TEND_DAY_SECONDS)

/* Finds the transitions in [from, to). GLib finds an instant's interval by walking the
 * zone's list (two thousand instructions for Europe/Berlin), so it is asked a month apart
 * and, where the interval changed, each change is narrowed to its second; one that leaves
 * the offset as it was (a new abbreviation) is not a transition here. */
static void zone_cache_fill(ImportZone *zone, gint64 from, gint64 to)
{
    zone->cached_from = from;
    zone->cached_to = to;
    if (!zone->transitions)
        zone->transitions = g_array_new(FALSE, FALSE, sizeof(Transition));
    g_array_set_size(zone->transitions, 0);
    zone->offset_before = gtz_offset_at(zone->gtz, zone->cached_from);
    int previous = zone->offset_before;
    int interval = g_time_zone_find_interval(zone->gtz, G_TIME_TYPE_UNIVERSAL, from);
    for (gint64 t = from; t < to;) {
        gint64 next = MIN(t + CACHE_PROBE, to);
        if (g_time_zone_find_interval(zone->gtz, G_TIME_TYPE_UNIVERSAL, next) == interval) {
            t = next;
            continue;
        }
        gint64 lo = t, hi = next; /* in the interval at lo, past it at hi */
        while (hi - lo > 1) {
            gint64 mid = lo + (hi - lo) / 2;
            if (g_time_zone_find_interval(zone->gtz, G_TIME_TYPE_UNIVERSAL, mid) == interval)
                lo = mid;
            else
                hi = mid;
        }
        interval = g_time_zone_find_interval(zone->gtz, G_TIME_TYPE_UNIVERSAL, hi);
        int offset = interval < 0 ? 0 : g_time_zone_get_offset(zone->gtz, interval);
        if (offset != previous) {
            Transition transition = {.at = hi, .offset = offset};
            g_array_append_val(zone->transitions, transition);
            previous = offset;
        }
        t = hi;
    }
}

/* The offset in force at @instant; for an IANA zone also, in *@out_span, which of its
 * cached spans between transitions that is (-1 for a file's own VTIMEZONE). */
static int zone_offset_span(const ImportZone *const_zone, gint64 instant, gint64 *out_span)
{
    ImportZone *zone = (ImportZone *)const_zone; /* the cache is not what callers see */
    *out_span = -1;
    if (zone->gtz) {
        /* The span grows to take in CACHE_SPAN either side of what is asked, so events
         * spread over more years than it held do not refill it back and forth; only
         * past CACHE_MAX_SPAN (hostile dates centuries apart) does it move instead. */
        if (!zone->transitions || instant < zone->cached_from || instant >= zone->cached_to) {
            gint64 from = instant - CACHE_SPAN, to = instant + CACHE_SPAN;
            if (zone->transitions &&
                MAX(zone->cached_to, to) - MIN(zone->cached_from, from) <= CACHE_MAX_SPAN) {
                from = MIN(zone->cached_from, from);
                to = MAX(zone->cached_to, to);
            }
            zone_cache_fill(zone, from, to);
        }
        /* the last transition at or before @instant */
        guint lo = 0, hi = zone->transitions->len;
        while (lo < hi) {
            guint mid = (lo + hi) / 2;
            if (g_array_index(zone->transitions, Transition, mid).at <= instant)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* a span is told apart from the same span after a refill by where it starts */
        *out_span =
            lo == 0 ? zone->cached_from : g_array_index(zone->transitions, Transition, lo - 1).at;
        return lo == 0 ? zone->offset_before
                       : g_array_index(zone->transitions, Transition, lo - 1).offset;
    }
    struct icaltimetype utc =
        icaltime_from_timet_with_zone((time_t)instant, 0, icaltimezone_get_utc_timezone());
    int is_daylight = 0;
    return icaltimezone_get_utc_offset_of_utc_time(zone->itz, &utc, &is_daylight);
}

static int zone_offset_at(const ImportZone *zone, gint64 instant)
{
    gint64 span;
    return zone_offset_span(zone, instant, &span);
}

/* The instant a wall-clock time happens in @zone, per RFC 5545: a time in a gap is
 * moved forward by the gap, a time in an overlap is its first occurrence (the rule
 * tend_local_to_utc() follows, here with the cached offsets). */
static gint64 zone_wall_to_utc(const ImportZone *zone, gint64 wall)
{
    gint64 span_before, span_after;
    int before = zone_offset_span(zone, wall - WALL_SLACK, &span_before);
    int after = zone_offset_span(zone, wall + WALL_SLACK, &span_after);
    /* No transition within the slack either side (offsets are under a day): one answer.
     * This is nearly every time, and spares the two checks below. */
    if (span_before >= 0 && span_before == span_after)
        return wall - before;
    int candidates[2] = {before, after};
    gint64 best = G_MAXINT64;
    for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
        gint64 t = wall - candidates[i];
        if (zone_offset_at(zone, t) == candidates[i] && t < best)
            best = t;
    }
    return best != G_MAXINT64 ? best : wall - before;
}

/* Windows zone names as Outlook and Exchange write them, without a VTIMEZONE. */
static const struct {
    const char *windows;
    const char *iana;
} windows_zones[] = {
    {"Dateline Standard Time", "Etc/GMT+12"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"Mountain Standard Time", "America/Denver"},
    {"Central Standard Time", "America/Chicago"},
    {"Central Standard Time (Mexico)", "America/Mexico_City"},
    {"Canada Central Standard Time", "America/Regina"},
    {"Eastern Standard Time", "America/New_York"},
    {"US Eastern Standard Time", "America/Indianapolis"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Argentina Standard Time", "America/Buenos_Aires"},
    {"UTC", "UTC"},
    {"GMT Standard Time", "Europe/London"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"Romance Standard Time", "Europe/Paris"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"India Standard Time", "Asia/Calcutta"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"China Standard Time", "Asia/Shanghai"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"AUS Central Standard Time", "Australia/Darwin"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"Tasmania Standard Time", "Australia/Hobart"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
};

static gboolean looks_like_iana(const char *name)
{
    if (!g_ascii_isalpha(name[0]) || strstr(name, "//"))
        return FALSE;
    for (const char *p = name; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("/_+-", *p))
            return FALSE;
    return strchr(name, '/') || g_str_equal(name, "UTC") || g_str_equal(name, "GMT");
}

/* A GTimeZone for an IANA name, also behind prefixes such as
 * "/mozilla.org/20050126_1/" or "/freeassociation.sourceforge.net/Tzfile/". */
static GTimeZone *iana_zone_new(const char *tzid, const char **out_name)
{
    const char *name = tzid;
    while (name) {
        if (*name == '/')
            name++;
        if (looks_like_iana(name)) {
            GTimeZone *tz = g_time_zone_new_identifier(name);
            if (tz) {
                *out_name = name;
                return tz;
            }
        }
        if (tzid[0] != '/')
            break;
        name = strchr(name, '/');
    }
    return NULL;
}

typedef struct {
    GHashTable *vtimezones; /* TZID -> icalcomponent* (owned), first definition wins */
    GHashTable *resolved;   /* TZID -> ImportZone* (owned) */
    ImportZone *utc;
    ImportZone *floating; /* the user's zone */
} ZoneTable;

static void zone_table_init(ZoneTable *zones, GTimeZone *user_tz)
{
    zones->vtimezones =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)icalcomponent_free);
    zones->resolved =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)import_zone_free);
    zones->utc = g_new0(ImportZone, 1);
    zones->utc->name = g_strdup("UTC");
    zones->utc->gtz = g_time_zone_new_utc();
    zones->floating = g_new0(ImportZone, 1);
    zones->floating->gtz = g_time_zone_ref(user_tz);
}

static void zone_table_clear(ZoneTable *zones)
{
    g_clear_pointer(&zones->vtimezones, g_hash_table_unref);
    g_clear_pointer(&zones->resolved, g_hash_table_unref);
    g_clear_pointer(&zones->utc, import_zone_free);
    g_clear_pointer(&zones->floating, import_zone_free);
}

static void zone_table_add_vtimezone(ZoneTable *zones, icalcomponent *vtimezone)
{
    icalproperty *prop = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY);
    const char *tzid = prop ? icalproperty_get_tzid(prop) : NULL;
    if (!tzid || !*tzid || g_hash_table_contains(zones->vtimezones, tzid)) {
        icalcomponent_free(vtimezone);
        return;
    }
    g_hash_table_insert(zones->vtimezones, g_strdup(tzid), vtimezone);
}

/* A table of the same zones for another thread: the zones cache what they look up and
 * libical components keep iterators, so threads share neither. */
static void zone_table_copy(ZoneTable *copy, const ZoneTable *zones)
{
    zone_table_init(copy, zones->floating->gtz);
    GHashTableIter iter;
    gpointer tzid, vtimezone;
    g_hash_table_iter_init(&iter, zones->vtimezones);
    while (g_hash_table_iter_next(&iter, &tzid, &vtimezone))
        g_hash_table_insert(copy->vtimezones, g_strdup(tzid), icalcomponent_new_clone(vtimezone));
}

static ImportZone *zone_from_vtimezone(const char *tzid, icalcomponent *vtimezone)
{
    ImportZone *zone = g_new0(ImportZone, 1);
    /* Outlook and others name the IANA zone they mean in X-LIC-LOCATION. */
    for (icalproperty *prop = icalcomponent_get_first_property(vtimezone, ICAL_X_PROPERTY); prop;
         prop = icalcomponent_get_next_property(vtimezone, ICAL_X_PROPERTY)) {
        const char *xname = icalproperty_get_x_name(prop);
        const char *value = icalproperty_get_x(prop);
        const char *iana = NULL;
        if (xname && value && g_ascii_strcasecmp(xname, "X-LIC-LOCATION") == 0 &&
            (zone->gtz = iana_zone_new(value, &iana))) {
            zone->name = g_strdup(iana);
            return zone;
        }
    }
    zone->itz = icaltimezone_new();
    if (!icaltimezone_set_component(zone->itz, icalcomponent_new_clone(vtimezone))) {
        import_zone_free(zone);
        return NULL;
    }
    zone->name = g_strdup(tzid);
    return zone;
}

/* Finds the zone a TZID names: an IANA name first, then the file's VTIMEZONE, then
 * (when @final, after the whole file has been read) the Windows table. NULL when
 * nothing resolves (yet). */
static const ImportZone *zone_table_resolve(ZoneTable *zones, const char *tzid, gboolean final)
{
    ImportZone *zone = g_hash_table_lookup(zones->resolved, tzid);
    if (zone)
        return zone;
    const char *iana = NULL;
    GTimeZone *gtz = iana_zone_new(tzid, &iana);
    if (gtz) {
        zone = g_new0(ImportZone, 1);
        zone->name = g_strdup(iana);
        zone->gtz = gtz;
    } else {
        icalcomponent *vtimezone = g_hash_table_lookup(zones->vtimezones, tzid);
        if (vtimezone)
            zone = zone_from_vtimezone(tzid, vtimezone);
    }
    for (guint i = 0; !zone && final && i < G_N_ELEMENTS(windows_zones); i++) {
        if (g_ascii_strcasecmp(tzid, windows_zones[i].windows) == 0) {
            zone = g_new0(ImportZone, 1);
            zone->name = g_strdup(windows_zones[i].iana);
            zone->gtz = g_time_zone_new_identifier(windows_zones[i].iana);
            if (!zone->gtz)
                g_clear_pointer(&zone, import_zone_free);
        }
    }
    if (zone)
        g_hash_table_insert(zones->resolved, g_strdup(tzid), zone);
    return zone;
}

/* ---------------------------------------------------------------------------
 * Warnings
 * ------------------------------------------------------------------------- */

typedef struct {
    guint line;
    char *text;
} Warning;

static void warning_free(Warning *warning)
{
    g_free(warning->text);
    g_free(warning);
}

/* ---------------------------------------------------------------------------
 * Events as read from the file
 * ------------------------------------------------------------------------- */

typedef struct {
    gint64 value; /* an instant, or a date value when is_date */
    gint64 wall;  /* as read on its own clock; midnight for dates */
    gboolean is_date;
    const ImportZone *zone; /* borrowed from the ZoneTable */
} ResolvedTime;

typedef TendSpan Occurrence;

typedef struct {
    guint line;
    char *uid;
    char *recurrence_id;     /* "" for a master, else "20261229T220000Z" or "20261229" */
    ResolvedTime recurrence; /* valid when recurrence_id is not "" */
    gint64 sequence;
    char *summary;
    char *location;
    ResolvedTime start;
    gint64 end;           /* instant, or date value for all-day */
    gint64 nominal_days;  /* each instance lasts this many wall-clock days ... */
    gint64 exact_seconds; /* ... plus this many seconds */
    gboolean transparent;
    gboolean cancelled;
    char *rrule;
    GArray *rdates;  /* ResolvedTime */
    GArray *exdates; /* ResolvedTime */
    char *raw;
    char *raw_hash;
    GArray *occurrences; /* Occurrence, sorted by start */
    gboolean dropped;
} ParsedEvent;

static void parsed_event_free(ParsedEvent *event)
{
    if (!event)
        return;
    g_free(event->uid);
    g_free(event->recurrence_id);
    g_free(event->summary);
    g_free(event->location);
    g_free(event->rrule);
    g_clear_pointer(&event->rdates, g_array_unref);
    g_clear_pointer(&event->exdates, g_array_unref);
    g_free(event->raw);
    g_free(event->raw_hash);
    g_clear_pointer(&event->occurrences, g_array_unref);
    g_free(event);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ParsedEvent, parsed_event_free)

/* A VEVENT as it stands in the file, before libical has seen it: where it is, the
 * UID it names and a hash of its text. An event whose UID group hashes the same as
 * what is stored is left unparsed (re-importing an unchanged export costs a scan). */
typedef struct _RawEvent {
    gsize start_pos; /* byte range in the file, from BEGIN:VEVENT ... */
    gsize end_pos;   /* ... to just after the line that closed it */
    guint line;
    guint index;        /* in st->raw_events */
    const char *parent; /* the component it sits in, normally VCALENDAR (in st->names) */
    char *uid;          /* as written (TEXT escapes undone; in st->uids); NULL when none */
    char hash[65];      /* SHA-256 of its unfolded, repaired lines, DTSTAMP aside (hex) */
    gboolean clean;     /* every line was whole: may be matched by hash alone */
    gboolean parse;     /* chosen to be read by libical */
    gboolean plain;     /* walked by fast_event(): no line needed repair */
    gboolean alone;     /* its UID is on no other event of the file: read and written at once */
    gboolean streamed;  /* alone, and libical read the same UID: already planned */
    /* choose_unchanged(): the events of the file with its UID are chained from the last
     * one (the head) through next_same_uid; the head also holds the stored rows */
    gboolean head;
    struct _RawEvent *next_same_uid;
    struct _StoredEvent *stored;
} RawEvent;

typedef struct {
    const char *path;    /* as given, for errors about the whole file */
    const char *display; /* the file's base name, for warnings */
    const char *data;    /* the whole file, BOM removed */
    gsize len;
    ZoneTable zones;
    GPtrArray *raw_events; /* RawEvent*, in file order (raw_event_add()) */
    GPtrArray *raw_blocks; /* where they are kept, RAW_BLOCK a block */
    guint raw_block_used;  /* of the last block */
    GStringChunk *uids;    /* their UIDs */
    GStringChunk *names;   /* their parents' names, each kept once */
    GPtrArray *events;     /* ParsedEvent*, the ones read by libical */
    GPtrArray *warnings;   /* Warning* */
    guint skipped;
    char *calendar_name;      /* X-WR-CALNAME */
    const char *current_hash; /* of the raw event being read */
    const char *current_text; /* its text in the file when it needed no repair, else NULL */
    gsize current_len;
    gint64 window_start;
    gint64 window_end;
    GPtrArray *worker_zones; /* ZoneTable* of the parser threads, which events point into */
    guint scan_warnings;     /* st->warnings and skipped as the first pass left them */
    guint scan_skipped;
} ImportState;

/* RawEvents are kept in blocks of this many: a first pass makes one for every VEVENT. */
#define RAW_BLOCK 1024

/* A new raw event, zeroed, with @uid (@len bytes, or up to its NUL when -1; NULL for
 * none), added to st->raw_events. */
static RawEvent *raw_event_add(ImportState *st, const char *uid, gssize len)
{
    if (!st->raw_blocks || st->raw_block_used == RAW_BLOCK) {
        if (!st->raw_blocks)
            st->raw_blocks = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(st->raw_blocks, g_new0(RawEvent, RAW_BLOCK));
        st->raw_block_used = 0;
    }
    RawEvent *block = g_ptr_array_index(st->raw_blocks, st->raw_blocks->len - 1);
    RawEvent *raw = &block[st->raw_block_used++];
    raw->index = st->raw_events->len;
    if (uid) {
        if (!st->uids)
            st->uids = g_string_chunk_new(64 * 1024);
        raw->uid = g_string_chunk_insert_len(st->uids, uid, len);
    }
    g_ptr_array_add(st->raw_events, raw);
    return raw;
}

static void zone_table_free(ZoneTable *zones)
{
    zone_table_clear(zones);
    g_free(zones);
}

/* Back to how the first pass left @st, for an import that starts again. */
static void import_state_restart(ImportState *st)
{
    g_ptr_array_set_size(st->events, 0);
    g_ptr_array_set_size(st->warnings, st->scan_warnings);
    st->skipped = st->scan_skipped;
    g_clear_pointer(&st->worker_zones, g_ptr_array_unref);
    for (guint i = 0; i < st->raw_events->len; i++) {
        RawEvent *raw = st->raw_events->pdata[i];
        raw->parse = raw->alone = raw->streamed = raw->head = FALSE;
        raw->next_same_uid = NULL;
        raw->stored = NULL;
    }
}

static void import_state_clear(ImportState *st)
{
    zone_table_clear(&st->zones);
    g_clear_pointer(&st->worker_zones, g_ptr_array_unref);
    g_clear_pointer(&st->raw_events, g_ptr_array_unref);
    g_clear_pointer(&st->raw_blocks, g_ptr_array_unref);
    g_clear_pointer(&st->uids, g_string_chunk_free);
    g_clear_pointer(&st->names, g_string_chunk_free);
    g_clear_pointer(&st->events, g_ptr_array_unref);
    g_clear_pointer(&st->warnings, g_ptr_array_unref);
    g_clear_pointer(&st->calendar_name, g_free);
}

/* Text from the file, cut to a length that fits a warning line. */
static char *shorten(const char *text)
{
    if (g_utf8_strlen(text, -1) <= 80)
        return g_strdup(text);
    g_autofree char *head = g_utf8_substring(text, 0, 77);
    return g_strconcat(head, "...", NULL);
}

static void add_warning(ImportState *st, guint line, const char *uid, gboolean skipped,
                        const char *format, ...) G_GNUC_PRINTF(5, 6);

static void add_warning(ImportState *st, guint line, const char *uid, gboolean skipped,
                        const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *reason = g_strdup_vprintf(format, args);
    va_end(args);
    Warning *warning = g_new0(Warning, 1);
    warning->line = line;
    g_autofree char *short_uid = uid ? shorten(uid) : NULL;
    if (uid)
        warning->text =
            g_strdup_printf("%s: line %u: uid '%s': %s", st->display, line, short_uid, reason);
    else
        warning->text = g_strdup_printf("%s: line %u: %s", st->display, line, reason);
    g_ptr_array_add(st->warnings, warning);
    if (skipped)
        st->skipped++;
}

/* libical drops a property whose value it cannot read and leaves an X-LIC-ERROR
 * saying so; this finds the value it could not read for @property_name. */
static char *lic_error_value(icalcomponent *comp, const char *property_name)
{
    icalproperty *first = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
    if (!first)
        return NULL; /* the usual case, asked four times an event: no formatting */
    g_autofree char *needle = g_strdup_printf(" in %s property", property_name);
    for (icalproperty *prop = first; prop;
         prop = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
        const char *text = icalproperty_get_xlicerror(prop);
        if (!text || !strstr(text, needle))
            continue;
        const char *value = strstr(text, "property: ");
        return shorten(value ? value + strlen("property: ") : "");
    }
    return NULL;
}

static void remove_properties(icalcomponent *comp, icalproperty_kind kind)
{
    icalproperty *prop;
    while ((prop = icalcomponent_get_first_property(comp, kind))) {
        icalcomponent_remove_property(comp, prop);
        icalproperty_free(prop);
    }
}

static const char *property_tzid(icalproperty *prop)
{
    icalparameter *param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    return param ? icalparameter_get_tzid(param) : NULL;
}

/* Resolves a DTSTART-like value. Returns FALSE with *out_reason set when it cannot. */
static gboolean resolve_time(ImportState *st, icalproperty *prop, struct icaltimetype t,
                             const char *what, ResolvedTime *out_time, char **out_reason)
{
    if (icaltime_is_null_time(t) || !icaltime_fields_valid(t)) {
        g_autofree char *value = shorten(icalproperty_get_value_as_string(prop));
        *out_reason = g_strdup_printf("%s '%s' is not a real date and time", what, value);
        return FALSE;
    }
    ResolvedTime resolved = {0};
    resolved.is_date = t.is_date;
    resolved.wall = wall_of(t);
    const char *tzid = property_tzid(prop);
    if (t.is_date) {
        resolved.value = resolved.wall;
    } else if (icaltime_is_utc(t)) {
        resolved.zone = st->zones.utc;
        resolved.value = resolved.wall;
    } else if (tzid) {
        resolved.zone = zone_table_resolve(&st->zones, tzid, TRUE);
        if (!resolved.zone) {
            g_autofree char *name = shorten(tzid);
            *out_reason = g_strdup_printf("time zone '%s' is not one tend knows, and the file "
                                          "does not define it",
                                          name);
            return FALSE;
        }
        resolved.value = zone_wall_to_utc(resolved.zone, resolved.wall);
    } else {
        resolved.zone = st->zones.floating;
        resolved.value = zone_wall_to_utc(resolved.zone, resolved.wall);
    }
    *out_time = resolved;
    return TRUE;
}

static gboolean is_transparent(icalcomponent *comp)
{
    icalproperty *transp = icalcomponent_get_first_property(comp, ICAL_TRANSP_PROPERTY);
    if (transp) {
        icalproperty_transp value = icalproperty_get_transp(transp);
        if (value == ICAL_TRANSP_TRANSPARENT || value == ICAL_TRANSP_TRANSPARENTNOCONFLICT)
            return TRUE;
    }
    for (icalproperty *prop = icalcomponent_get_first_property(comp, ICAL_X_PROPERTY); prop;
         prop = icalcomponent_get_next_property(comp, ICAL_X_PROPERTY)) {
        const char *xname = icalproperty_get_x_name(prop);
        const char *value = icalproperty_get_x(prop);
        if (xname && value && g_ascii_strcasecmp(xname, "X-MICROSOFT-CDO-BUSYSTATUS") == 0 &&
            g_ascii_strcasecmp(value, "FREE") == 0)
            return TRUE;
    }
    return FALSE;
}

static char *unfold_valid(const char *text, gsize len);

static char *clean_text(const char *text)
{
    if (!text)
        return NULL;
    char *copy = g_strstrip(g_strdup(text));
    if (!*copy)
        g_clear_pointer(&copy, g_free);
    return copy;
}

/* A UID for an event that has none, from what identifies it, so that importing the
 * same file again finds the same event. */
static char *derive_uid(icalcomponent *comp)
{
    static const icalproperty_kind kinds[] = {
        ICAL_SUMMARY_PROPERTY,  ICAL_DTSTART_PROPERTY,     ICAL_DTEND_PROPERTY,
        ICAL_DURATION_PROPERTY, ICAL_RRULE_PROPERTY,       ICAL_RECURRENCEID_PROPERTY,
        ICAL_LOCATION_PROPERTY, ICAL_DESCRIPTION_PROPERTY,
    };
    g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
    for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
        icalproperty *prop = icalcomponent_get_first_property(comp, kinds[i]);
        if (prop) {
            char *text = icalproperty_as_ical_string_r(prop);
            g_checksum_update(checksum, (const guchar *)text, -1);
            icalmemory_free_buffer(text);
        }
        g_checksum_update(checksum, (const guchar *)"\x1f", 1);
    }
    return g_strdup_printf("derived-%.32s@tend", g_checksum_get_string(checksum));
}

static int max_days_in_month(int month)
{
    return month == 2 ? 29 : g_date_get_days_in_month((GDateMonth)month, 2001);
}

/* Refuses rules libical would take seconds or minutes to iterate, and rules that can
 * never happen (which libical searches for at length). NULL when the rule is fine. */
static gboolean by_part_set(const short *values)
{
    return values[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

/* Refuses rules libical would take seconds or minutes to iterate, rules RFC 5545
 * forbids (libical iterates some of them at length), and rules that can never
 * happen (which libical searches for at length). NULL when the rule is fine.
 *
 * Measured with libical 3.0.16: sub-daily rules cost one internal step per second,
 * minute or hour between matches, so each filter coarser than a day is refused for
 * them; one next() on FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30 takes about 10 s, and
 * FREQ=MINUTELY;BYDAY=1MO did not finish in a minute. */
static char *recur_rule_problem(const struct icalrecurrencetype *rule)
{
    if (rule->freq == ICAL_NO_RECURRENCE)
        return g_strdup("its repeat rule (RRULE) could not be read");
    if (rule->count < 0 || rule->interval < 0)
        return g_strdup("its repeat rule (RRULE) has a negative COUNT or INTERVAL");

    gboolean has_month = by_part_set(rule->by_month);
    gboolean has_monthday = by_part_set(rule->by_month_day);
    gboolean has_yearday = by_part_set(rule->by_year_day);
    gboolean has_weekno = by_part_set(rule->by_week_no);
    gboolean has_setpos = by_part_set(rule->by_set_pos);
    gboolean has_weekday = by_part_set(rule->by_day);
    gboolean ordinal_weekday = FALSE;
    for (int i = 0; i < ICAL_BY_DAY_SIZE && rule->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
        ordinal_weekday |= icalrecurrencetype_day_position(rule->by_day[i]) != 0;
    gboolean monthly_or_yearly =
        rule->freq == ICAL_MONTHLY_RECURRENCE || rule->freq == ICAL_YEARLY_RECURRENCE;

    /* RFC 5545 3.3.10 */
    if ((ordinal_weekday && !monthly_or_yearly) ||
        (has_weekno && rule->freq != ICAL_YEARLY_RECURRENCE) ||
        (has_yearday &&
         (rule->freq == ICAL_DAILY_RECURRENCE || rule->freq == ICAL_WEEKLY_RECURRENCE ||
          rule->freq == ICAL_MONTHLY_RECURRENCE)) ||
        (has_monthday && rule->freq == ICAL_WEEKLY_RECURRENCE))
        return g_strdup("its repeat rule (RRULE) combines parts that cannot go together");

    if (has_monthday) {
        gboolean months[13] = {FALSE};
        for (int i = 0; i < ICAL_BY_MONTH_SIZE && rule->by_month[i] != ICAL_RECURRENCE_ARRAY_MAX;
             i++) {
            int month = icalrecurrencetype_month_month(rule->by_month[i]);
            if (month >= 1 && month <= 12)
                months[month] = TRUE;
        }
        gboolean possible = FALSE;
        for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE &&
                        rule->by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX && !possible;
             i++) {
            int day = ABS(rule->by_month_day[i]);
            for (int month = 1; month <= 12 && !possible; month++)
                possible =
                    (!has_month || months[month]) && day >= 1 && day <= max_days_in_month(month);
        }
        if (!possible)
            return g_strdup("its repeat rule can never happen (no month has that BYMONTHDAY)");
    }

    const char *every = NULL;
    gboolean too_costly = FALSE;
    switch (rule->freq) {
    case ICAL_SECONDLY_RECURRENCE:
        every = "every second";
        too_costly = has_month || has_monthday || has_weekday || has_setpos ||
                     by_part_set(rule->by_hour) || by_part_set(rule->by_minute);
        break;
    case ICAL_MINUTELY_RECURRENCE:
        every = "every minute";
        too_costly = has_month || has_monthday || has_setpos;
        break;
    case ICAL_HOURLY_RECURRENCE:
        every = "every hour";
        too_costly = has_month && has_monthday;
        break;
    default:
        break;
    }
    if (too_costly)
        return g_strdup_printf("it repeats %s only at chosen times, which takes too long to "
                               "work out",
                               every);
    return NULL;
}

/* Why a file's VTIMEZONE cannot be used, or NULL. libical works out a zone's changes by
 * running each observance's rule from its start (often 1601) to about 2037: a rule that
 * repeats more often than yearly, which no zone does, keeps it busy for hours, and one
 * that can never happen for as long as it looks. */
static char *vtimezone_problem(icalcomponent *vtimezone)
{
    for (icalcomponent *part = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT);
         part; part = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
        for (icalproperty *prop = icalcomponent_get_first_property(part, ICAL_RRULE_PROPERTY); prop;
             prop = icalcomponent_get_next_property(part, ICAL_RRULE_PROPERTY)) {
            struct icalrecurrencetype rule = icalproperty_get_rrule(prop);
            if (rule.freq != ICAL_YEARLY_RECURRENCE)
                return g_strdup("its rules change the offset more often than once a year, "
                                "which no time zone does");
            g_autofree char *problem = recur_rule_problem(&rule);
            if (problem)
                return g_strdup_printf("one of its changes: %s", problem);
        }
    }
    return NULL;
}

static void add_resolved_times(ImportState *st, icalcomponent *comp, icalproperty_kind kind,
                               GArray *into, gboolean *ok, char **out_reason)
{
    for (icalproperty *prop = icalcomponent_get_first_property(comp, kind); prop && *ok;
         prop = icalcomponent_get_next_property(comp, kind)) {
        struct icaltimetype t;
        if (kind == ICAL_EXDATE_PROPERTY) {
            /* Not icalproperty_get_exdate(): for a TZID it looks in libical's list of
             * builtin zones, and adds to it, without a lock, while another parser thread
             * may be reading it. resolve_time() reads the TZID itself. */
            t = icalvalue_get_datetime(icalproperty_get_value(prop));
        } else {
            struct icaldatetimeperiodtype rdate = icalproperty_get_rdate(prop);
            t = icaltime_is_null_time(rdate.time) ? rdate.period.start : rdate.time;
        }
        ResolvedTime resolved;
        if (!resolve_time(st, prop, t, kind == ICAL_EXDATE_PROPERTY ? "EXDATE" : "RDATE", &resolved,
                          out_reason)) {
            *ok = FALSE;
            return;
        }
        g_array_append_val(into, resolved);
    }
}

static char *format_recurrence_id(const ResolvedTime *time)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(time->value);
    if (!dt)
        return g_strdup("");
    return g_date_time_format(dt, time->is_date ? "%Y%m%d" : "%Y%m%dT%H%M%SZ");
}

/* Reads one VEVENT into a ParsedEvent; FALSE with *out_reason when it must be skipped. */
static gboolean event_read(ImportState *st, icalcomponent *comp, guint line, const char *uid,
                           ParsedEvent **out_event, char **out_reason)
{
    g_autoptr(ParsedEvent) event = g_new0(ParsedEvent, 1);
    event->line = line;
    event->uid = g_strdup(uid);

    icalproperty *dtstart = icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY);
    if (!dtstart) {
        g_autofree char *bad = lic_error_value(comp, "DTSTART");
        *out_reason = bad ? g_strdup_printf("DTSTART '%s' is not a date or time tend can read", bad)
                          : g_strdup("it has no start (DTSTART)");
        return FALSE;
    }
    if (!resolve_time(st, dtstart, icalproperty_get_dtstart(dtstart), "DTSTART", &event->start,
                      out_reason))
        return FALSE;

    icalproperty *dtend = icalcomponent_get_first_property(comp, ICAL_DTEND_PROPERTY);
    icalproperty *duration = icalcomponent_get_first_property(comp, ICAL_DURATION_PROPERTY);
    g_autofree char *bad_end = lic_error_value(comp, "DTEND");
    g_autofree char *bad_duration = lic_error_value(comp, "DURATION");
    if (bad_end) {
        *out_reason = g_strdup_printf("DTEND '%s' is not a date or time tend can read", bad_end);
        return FALSE;
    }
    if (bad_duration) {
        *out_reason =
            g_strdup_printf("DURATION '%s' is not a length of time tend can read", bad_duration);
        return FALSE;
    }
    if (dtend) {
        ResolvedTime end;
        if (!resolve_time(st, dtend, icalproperty_get_dtend(dtend), "DTEND", &end, out_reason))
            return FALSE;
        if (end.is_date != event->start.is_date) {
            *out_reason =
                g_strdup(event->start.is_date ? "DTSTART is a date but DTEND is a time of day"
                                              : "DTSTART is a time of day but DTEND is a date");
            return FALSE;
        }
        if (end.value < event->start.value) {
            *out_reason = g_strdup("it ends before it starts");
            return FALSE;
        }
        if (event->start.is_date)
            event->nominal_days = MAX((end.value - event->start.value) / TEND_DAY_SECONDS, 1);
        else
            event->exact_seconds = end.value - event->start.value;
    } else if (duration) {
        struct icaldurationtype length = icalproperty_get_duration(duration);
        gint64 days = (gint64)length.weeks * 7 + length.days;
        gint64 seconds = (gint64)length.hours * 3600 + length.minutes * 60 + length.seconds;
        if (length.is_neg && (days > 0 || seconds > 0)) {
            *out_reason = g_strdup("it ends before it starts (its DURATION is negative)");
            return FALSE;
        }
        if (event->start.is_date) {
            event->nominal_days = MAX(days + (seconds > 0), 1);
        } else {
            event->nominal_days = days;
            event->exact_seconds = seconds;
        }
    } else if (event->start.is_date) {
        event->nominal_days = 1; /* RFC 5545 3.6.1: a date alone is one day */
    }
    if (event->start.is_date) {
        event->end = event->start.value + event->nominal_days * TEND_DAY_SECONDS;
    } else {
        event->end = zone_wall_to_utc(event->start.zone,
                                      event->start.wall + event->nominal_days * TEND_DAY_SECONDS) +
                     event->exact_seconds;
    }

    icalproperty *recurrence_id =
        icalcomponent_get_first_property(comp, ICAL_RECURRENCEID_PROPERTY);
    if (recurrence_id) {
        if (!resolve_time(st, recurrence_id, icalproperty_get_recurrenceid(recurrence_id),
                          "RECURRENCE-ID", &event->recurrence, out_reason))
            return FALSE;
        event->recurrence_id = format_recurrence_id(&event->recurrence);
    } else {
        g_autofree char *bad = lic_error_value(comp, "RECURRENCE-ID");
        if (bad) {
            *out_reason =
                g_strdup_printf("RECURRENCE-ID '%s' is not a date or time tend can read", bad);
            return FALSE;
        }
        event->recurrence_id = g_strdup("");
    }

    icalproperty *rrule = icalcomponent_get_first_property(comp, ICAL_RRULE_PROPERTY);
    g_autofree char *bad_rule = lic_error_value(comp, "RRULE");
    if (bad_rule || (rrule && recurrence_id)) {
        *out_reason = g_strdup(bad_rule ? "its repeat rule (RRULE) could not be read"
                                        : "it both repeats (RRULE) and overrides one repeat "
                                          "(RECURRENCE-ID)");
        return FALSE;
    }
    if (rrule) {
        struct icalrecurrencetype rule = icalproperty_get_rrule(rrule);
        g_autofree char *problem = recur_rule_problem(&rule);
        if (problem) {
            *out_reason = g_steal_pointer(&problem);
            return FALSE;
        }
        event->rrule = icalproperty_get_value_as_string_r(rrule);
    }

    gboolean ok = TRUE;
    event->exdates = g_array_new(FALSE, FALSE, sizeof(ResolvedTime));
    event->rdates = g_array_new(FALSE, FALSE, sizeof(ResolvedTime));
    add_resolved_times(st, comp, ICAL_EXDATE_PROPERTY, event->exdates, &ok, out_reason);
    add_resolved_times(st, comp, ICAL_RDATE_PROPERTY, event->rdates, &ok, out_reason);
    if (!ok)
        return FALSE;

    event->sequence = icalcomponent_get_sequence(comp);
    event->summary = clean_text(icalcomponent_get_summary(comp));
    event->location = clean_text(icalcomponent_get_location(comp));
    event->transparent = is_transparent(comp);
    event->cancelled = icalcomponent_get_status(comp) == ICAL_STATUS_CANCELLED;

    /* The text is kept only where it is read again: a repeating event is expanded anew
     * for windows its stored occurrences do not cover (ical_expand_stored()). Anything
     * else is whole in its columns, and its hash alone recognises it on re-import. */
    if (!event->rrule || *event->recurrence_id) {
        event->raw = NULL;
    } else if (st->current_text &&
               !icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY) &&
               (event->raw = unfold_valid(st->current_text, st->current_len))) {
        /* Text that needed no repair (fast_event() saw no control character, and once
         * unfolded it is valid UTF-8) and that libical read without complaint reads back
         * the same: keep it, unfolded, instead of having libical write the component out
         * again (which cost a tenth of reading a large export). */
    } else {
        remove_properties(comp, ICAL_XLICERROR_PROPERTY);
        char *raw = icalcomponent_as_ical_string_r(comp);
        event->raw = g_strdup(raw);
        icalmemory_free_buffer(raw);
    }
    event->raw_hash = g_strdup(st->current_hash);
    *out_event = g_steal_pointer(&event);
    return TRUE;
}

/* Reads one whole VEVENT (every VTIMEZONE of the file is known by now). */
static void event_take(ImportState *st, icalcomponent *owned, guint line)
{
    g_autoptr(icalcomponent) comp = owned;
    const char *given_uid = icalcomponent_get_uid(comp);
    g_autofree char *uid = given_uid && *given_uid ? g_strdup(given_uid) : derive_uid(comp);
    g_autofree char *reason = NULL;
    ParsedEvent *event = NULL;
    if (event_read(st, comp, line, uid, &event, &reason))
        g_ptr_array_add(st->events, event);
    else
        add_warning(st, line, uid, TRUE, "%s", reason);
}

/* ---------------------------------------------------------------------------
 * Cutting the file into content lines and feeding libical
 * ------------------------------------------------------------------------- */

typedef struct {
    const char *data;
    gsize len;
    gsize pos;
    guint line_no; /* of the next physical line */
} Scanner;

/* One physical line, without its end (LF, CRLF or CR). */
static gboolean scanner_physical(Scanner *scanner, const char **out_start, gsize *out_len)
{
    if (scanner->pos >= scanner->len)
        return FALSE;
    const char *start = scanner->data + scanner->pos;
    gsize remaining = scanner->len - scanner->pos;
    gsize i = 0;
    while (i < remaining && start[i] != '\n' && start[i] != '\r')
        i++;
    *out_start = start;
    *out_len = i;
    if (i < remaining && start[i] == '\r' && i + 1 < remaining && start[i + 1] == '\n')
        i++;
    scanner->pos += MIN(i + 1, remaining);
    scanner->line_no++;
    return TRUE;
}

typedef struct {
    GString *text;
    guint line;
    gsize start_pos; /* where it starts in the data ... */
    gsize end_pos;   /* ... and where the next line starts */
    gboolean too_long;
    gboolean has_nul;
} ContentLine;

/* One unfolded content line (RFC 5545 3.1: a line starting with a space or tab
 * continues the one before). Keeps at most TEND_ICAL_MAX_LINE_BYTES of it. */
static gboolean scanner_content_line(Scanner *scanner, ContentLine *out)
{
    const char *piece;
    gsize len;
    g_string_truncate(out->text, 0);
    out->too_long = FALSE;
    out->has_nul = FALSE;
    out->line = scanner->line_no + 1;
    out->start_pos = scanner->pos;
    if (!scanner_physical(scanner, &piece, &len))
        return FALSE;
    for (;;) {
        out->end_pos = scanner->pos;
        if (memchr(piece, '\0', len))
            out->has_nul = TRUE;
        if (out->text->len + len > TEND_ICAL_MAX_LINE_BYTES)
            out->too_long = TRUE;
        else
            g_string_append_len(out->text, piece, (gssize)len);
        if (scanner->pos >= scanner->len ||
            (scanner->data[scanner->pos] != ' ' && scanner->data[scanner->pos] != '\t'))
            return TRUE;
        scanner_physical(scanner, &piece, &len);
        piece++; /* the folding space */
        len--;
    }
}

/* @text (@len bytes, content lines) with its folds undone and every line ending in
 * CRLF, as libical reads it; NULL unless that is valid UTF-8 (a fold may split a
 * character, so the text as written need not be). */
static char *unfold_valid(const char *text, gsize len)
{
    Scanner scanner = {.data = text, .len = len};
    ContentLine line = {.text = g_string_new(NULL)};
    GString *out = g_string_sized_new(len + 2);
    while (scanner_content_line(&scanner, &line)) {
        g_string_append_len(out, line.text->str, (gssize)line.text->len);
        g_string_append(out, "\r\n");
    }
    g_string_free(line.text, TRUE);
    if (!g_utf8_validate_len(out->str, out->len, NULL)) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

/* Invalid UTF-8 repaired. */
static void repair_utf8(GString *text)
{
    if (!g_utf8_validate_len(text->str, text->len, NULL)) {
        g_autofree char *valid = g_utf8_make_valid(text->str, (gssize)text->len);
        g_string_assign(text, valid);
    }
}

/* Invalid UTF-8 is repaired and control characters (C0 but tab, DEL, C1) dropped, so
 * that what reaches the store and notifications is clean text. */
static void sanitise_text(GString *text)
{
    repair_utf8(text);
    gsize out = 0;
    for (gsize i = 0; i < text->len; i++) {
        guchar c = (guchar)text->str[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            continue;
        if (c == 0xc2 && i + 1 < text->len && (guchar)text->str[i + 1] >= 0x80 &&
            (guchar)text->str[i + 1] <= 0x9f) {
            i++;
            continue;
        }
        text->str[out++] = (char)c;
    }
    g_string_truncate(text, out);
}

/* The name of a content line, uppercased, and where its value starts. */
static char *line_name(const char *line, const char **out_value)
{
    gsize n = strcspn(line, ";:");
    const char *colon = strchr(line + n, ':');
    *out_value = colon ? colon + 1 : line + strlen(line);
    /* as libical reads it: "END :VEVENT" ends a component too */
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    return g_ascii_strup(line, (gssize)n);
}

/* The raw-text hash of a VEVENT: SHA-256 through OpenSSL, which uses the CPU's SHA
 * instructions where there are any; GLib's GChecksum was most of a re-import's time.
 * The digests (lowercase hex) are the same as GChecksum's, so stored hashes stay valid.
 *
 * libcrypto is opened when an import first needs it rather than linked (library.h): it
 * binds all its 4,000 symbols as it loads, which made every tend command start a
 * millisecond later (the agenda's whole budget is 20 ms). */
static struct {
    EVP_MD_CTX *(*ctx_new)(void);
    void (*ctx_free)(EVP_MD_CTX *ctx);
    const EVP_MD *(*sha256)(void);
    int (*init)(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl);
    int (*update)(EVP_MD_CTX *ctx, const void *data, size_t len);
    int (*final)(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *len);
} crypto;

/* Opens libcrypto and finds the functions above, once; FALSE with @error when it cannot. */
static gboolean crypto_load(GError **error)
{
    static TendLibrary library;
    const TendSymbol symbols[] = {
        {"EVP_MD_CTX_new", (gpointer *)(void *)&crypto.ctx_new},
        {"EVP_MD_CTX_free", (gpointer *)(void *)&crypto.ctx_free},
        {"EVP_sha256", (gpointer *)(void *)&crypto.sha256},
        {"EVP_DigestInit_ex", (gpointer *)(void *)&crypto.init},
        {"EVP_DigestUpdate", (gpointer *)(void *)&crypto.update},
        {"EVP_DigestFinal_ex", (gpointer *)(void *)&crypto.final},
    };
    const char *failure =
        tend_library_open(&library, TEND_LIBCRYPTO_SONAME, symbols, G_N_ELEMENTS(symbols));
    if (failure) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ,
                    "cannot load OpenSSL's %s, which the import needs to tell changed events "
                    "from unchanged ones: %s; install the package libssl3",
                    TEND_LIBCRYPTO_SONAME, failure);
        return FALSE;
    }
    return TRUE;
}

/* After crypto_load(). */
static EVP_MD_CTX *digest_new(void)
{
    EVP_MD_CTX *digest = crypto.ctx_new();
    crypto.init(digest, crypto.sha256(), NULL);
    return digest;
}

/* Starts again with the digest set up by digest_new() (no look-up of SHA-256 each time). */
static void digest_reset(EVP_MD_CTX *digest)
{
    crypto.init(digest, NULL, NULL);
}

static void digest_update(EVP_MD_CTX *digest, const void *data, gsize len)
{
    crypto.update(digest, data, len);
}

static void digest_free(EVP_MD_CTX *digest)
{
    crypto.ctx_free(digest);
}

/* Ends @digest (reset it before using it again) and writes its hex text to @out. */
static void digest_hex(EVP_MD_CTX *digest, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    crypto.final(digest, md, &n);
    g_assert(n == 32);
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

typedef struct {
    icalparser *parser;
    GPtrArray *stack;  /* component names, outermost first (char*) */
    gboolean collect;  /* first pass: VEVENTs are hashed and kept as byte ranges */
    gboolean feeding;  /* inside a VEVENT or VTIMEZONE being read */
    gboolean in_event; /* ... and it is a VEVENT */
    gboolean finished; /* second pass: the one VEVENT asked for is done */
    guint fed_depth;   /* stack depth of that component */
    guint start_line;  /* where it began */
    gsize start_pos;
    char *skip_reason;      /* why it will be skipped, first reason wins */
    EVP_MD_CTX *checksum;   /* first pass: of the VEVENT's lines (the careful path's) */
    struct _Hasher *hasher; /* first pass: of those fast_event() walks */
    char *raw_uid;          /* first pass: its UID as written */
    const char *parent;     /* first pass: the parent fast_event() kept last (in st->names) */
    guint components;
    gboolean seen_calendar;
    gboolean plain; /* second pass: the VEVENT has no control character (RawEvent.plain) */
} Feeder;

static void feeder_poison(Feeder *feeder, const char *format, ...) G_GNUC_PRINTF(2, 3);

static void feeder_poison(Feeder *feeder, const char *format, ...)
{
    if (feeder->skip_reason)
        return;
    va_list args;
    va_start(args, format);
    feeder->skip_reason = g_strdup_vprintf(format, args);
    va_end(args);
}

/* A UID value with RFC 5545 TEXT escapes undone, as libical reads it. */
static char *unescape_text(const char *value)
{
    GString *out = g_string_sized_new(strlen(value));
    for (const char *p = value; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            g_string_append_c(out, *p == 'n' || *p == 'N' ? '\n' : *p);
        } else {
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, FALSE);
}

/* Hands one line of the component being read on: to libical, or (first pass, for a
 * VEVENT) to the hash. libical neither frees nor keeps the line. */
static icalcomponent *feeder_feed(Feeder *feeder, const char *line)
{
    if (!(feeder->collect && feeder->in_event))
        return icalparser_add_line(feeder->parser, (char *)line);
    const char *value;
    g_autofree char *name = line_name(line, &value);
    /* Google and others stamp every event with the export time, which says nothing
     * about whether the event changed. */
    if (!g_str_equal(name, "DTSTAMP")) {
        digest_update(feeder->checksum, line, strlen(line));
        digest_update(feeder->checksum, "\n", 1);
    }
    if (feeder->stack->len == feeder->fed_depth && !feeder->raw_uid && g_str_equal(name, "UID")) {
        g_autofree char *uid = unescape_text(value);
        if (*uid)
            feeder->raw_uid = g_steal_pointer(&uid);
    }
    return NULL;
}

static void feeder_finish_component(ImportState *st, Feeder *feeder, icalcomponent *comp,
                                    gsize end_pos)
{
    g_autofree char *reason = g_steal_pointer(&feeder->skip_reason);
    gboolean event = feeder->in_event;
    feeder->feeding = FALSE;
    feeder->in_event = FALSE;
    if (event && feeder->collect) {
        RawEvent *raw = raw_event_add(st, feeder->raw_uid, -1);
        g_clear_pointer(&feeder->raw_uid, g_free);
        raw->start_pos = feeder->start_pos;
        raw->end_pos = end_pos;
        raw->line = feeder->start_line;
        raw->parent =
            g_string_chunk_insert_const(st->names, feeder->stack->pdata[feeder->fed_depth - 2]);
        digest_hex(feeder->checksum, raw->hash);
        raw->clean = reason == NULL;
        return;
    }
    if (event)
        feeder->finished = TRUE;
    if (!comp)
        return;
    if (!event) {
        if (!reason)
            reason = vtimezone_problem(comp);
        if (reason) {
            add_warning(st, feeder->start_line, NULL, FALSE,
                        "a time zone definition was left out: %s", reason);
            icalcomponent_free(comp);
        } else {
            zone_table_add_vtimezone(&st->zones, comp);
        }
        return;
    }
    if (reason) {
        const char *given_uid = icalcomponent_get_uid(comp);
        g_autofree char *uid = given_uid && *given_uid ? g_strdup(given_uid) : derive_uid(comp);
        add_warning(st, feeder->start_line, uid, TRUE, "%s", reason);
        icalcomponent_free(comp);
        return;
    }
    event_take(st, comp, feeder->start_line);
}

/* Handles one content line: keeps track of nesting, hands VEVENT and VTIMEZONE
 * lines on and reads the calendar's own name. FALSE with @error when the whole file
 * must be refused. */
static gboolean feeder_line(ImportState *st, Feeder *feeder, const ContentLine *line,
                            GError **error)
{
    const char *value;
    g_autofree char *name = line_name(line->text->str, &value);
    gboolean begin = g_str_equal(name, "BEGIN");
    gboolean end = g_str_equal(name, "END");

    if (!feeder->seen_calendar) {
        g_autofree char *first = g_strstrip(g_strdup(value));
        if (!begin || g_ascii_strcasecmp(first, "VCALENDAR") != 0) {
            g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                        "'%s' is not an iCalendar file (line %u should be BEGIN:VCALENDAR); "
                        "export the calendar as .ics and try again",
                        st->path, line->line);
            return FALSE;
        }
        feeder->seen_calendar = TRUE;
    }

    if (line->has_nul || line->too_long) {
        g_autofree char *why = line->has_nul
                                   ? g_strdup("has a NUL byte in it")
                                   : g_strdup_printf("is longer than %" G_GSIZE_FORMAT " bytes",
                                                     TEND_ICAL_MAX_LINE_BYTES);
        if (feeder->feeding)
            feeder_poison(feeder, "line %u %s", line->line, why);
        else
            add_warning(st, line->line, NULL, FALSE, "left this line out: it %s", why);
        return TRUE;
    }

    if (begin) {
        g_autofree char *component = g_strstrip(g_ascii_strup(value, -1));
        if (++feeder->components > TEND_ICAL_MAX_COMPONENTS) {
            g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                        "'%s': line %u: more than %d components, more than tend can import",
                        st->path, line->line, TEND_ICAL_MAX_COMPONENTS);
            return FALSE;
        }
        if (feeder->stack->len >= MAX_NESTING) {
            g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                        "'%s': line %u: components are nested more than %d deep, more than "
                        "tend can import",
                        st->path, line->line, MAX_NESTING);
            return FALSE;
        }
        g_ptr_array_add(feeder->stack, g_strdup(component));
        if (feeder->stack->len == 2 &&
            (g_str_equal(component, "VEVENT") || g_str_equal(component, "VTIMEZONE"))) {
            feeder->feeding = TRUE;
            feeder->in_event = g_str_equal(component, "VEVENT");
            feeder->fed_depth = 2;
            feeder->start_line = line->line;
            feeder->start_pos = line->start_pos;
            if (feeder->collect && feeder->in_event) {
                /* feeder_run() tries fast_event() next, and only if that gives up does the
                 * checksum start, with this line (OpenSSL's reset alone was a tenth of the
                 * first pass) */
                g_clear_pointer(&feeder->raw_uid, g_free);
                return TRUE;
            }
        }
        if (feeder->feeding)
            feeder_feed(feeder, line->text->str); /* a BEGIN never completes anything */
        return TRUE;
    }

    if (end) {
        g_autofree char *component = g_strstrip(g_ascii_strup(value, -1));
        guint depth = feeder->stack->len;
        while (depth > 0 && !g_str_equal(feeder->stack->pdata[depth - 1], component))
            depth--;
        if (depth == 0) { /* an END with no BEGIN: leave it out */
            if (feeder->feeding)
                feeder_poison(feeder, "END:%s at line %u has no BEGIN", component, line->line);
            return TRUE;
        }
        if (depth != feeder->stack->len && feeder->feeding)
            feeder_poison(feeder, "BEGIN:%s has no END before line %u",
                          (char *)feeder->stack->pdata[feeder->stack->len - 1], line->line);
        /* close what was left open, so libical's stack and ours stay the same */
        while (feeder->stack->len >= depth) {
            gboolean closes_fed = feeder->feeding && feeder->stack->len == feeder->fed_depth;
            if (feeder->feeding) {
                g_autofree char *close =
                    g_strconcat("END:", (char *)feeder->stack->pdata[feeder->stack->len - 1], NULL);
                icalcomponent *done = feeder_feed(feeder, close);
                if (closes_fed)
                    feeder_finish_component(st, feeder, done, line->end_pos);
                else if (done)
                    icalcomponent_free(done);
            }
            g_ptr_array_remove_index(feeder->stack, feeder->stack->len - 1);
        }
        return TRUE;
    }

    if (feeder->feeding) {
        feeder_feed(feeder, line->text->str); /* a property never completes anything */
    } else if (feeder->stack->len == 1 && g_str_equal(name, "X-WR-CALNAME") && !st->calendar_name) {
        icalproperty *prop = icalproperty_new_from_string(line->text->str);
        if (prop) {
            st->calendar_name = clean_text(icalproperty_get_value_as_string(prop));
            icalproperty_free(prop);
        }
    }
    return TRUE;
}

/* The first pass's hashing of the events fast_event() walks, on a thread of its own on a
 * large file while the scanner walks on (SHA-256 was a third of the walk). The scanner
 * puts each event's hashed bytes one after another in a batch and hands full batches
 * over; the hasher sets RawEvent.hash, which nothing reads before hasher_finish(). With
 * no thread, each event is hashed as soon as it is walked. */
typedef struct {
    RawEvent *raw;
    gsize offset;
    gsize len;
} HashJob;

typedef struct {
    guint8 *bytes; /* the events' hashed bytes, one after another */
    gsize len;
    gsize size;
    GArray *jobs; /* HashJob */
} HashBatch;

typedef struct _Hasher {
    HashBatch *batch;   /* being filled */
    gsize mark;         /* where the event being walked began in batch->bytes */
    EVP_MD_CTX *digest; /* the thread's, or the scanner's when there is none */
    GAsyncQueue *queue; /* HashBatch*; one without jobs ends */
    GAsyncQueue *spare; /* HashBatch*, hashed and handed back to be filled again */
    GThread *thread;
} Hasher;

/* Events a batch takes before it is handed over, and the smallest file given a thread. */
#define HASH_BATCH 512
#define HASH_THREAD_BYTES (4u << 20)

static HashBatch *hash_batch_new(void)
{
    HashBatch *batch = g_new(HashBatch, 1);
    batch->size = 512 * 1024;
    batch->bytes = g_malloc(batch->size);
    batch->len = 0;
    batch->jobs = g_array_sized_new(FALSE, FALSE, sizeof(HashJob), HASH_BATCH);
    return batch;
}

static void hash_batch_free(HashBatch *batch)
{
    g_free(batch->bytes);
    g_array_unref(batch->jobs);
    g_free(batch);
}

static void hash_batch_run(HashBatch *batch, EVP_MD_CTX *digest)
{
    for (guint i = 0; i < batch->jobs->len; i++) {
        HashJob *job = &g_array_index(batch->jobs, HashJob, i);
        digest_reset(digest);
        digest_update(digest, batch->bytes + job->offset, job->len);
        digest_hex(digest, job->raw->hash);
    }
    batch->len = 0;
    g_array_set_size(batch->jobs, 0);
}

/* Hashes the batches handed over and hands them back, emptied, until the last. */
static gpointer hasher_thread(gpointer data)
{
    Hasher *hasher = data;
    for (;;) {
        HashBatch *batch = g_async_queue_pop(hasher->queue);
        gboolean last = batch->jobs->len == 0;
        hash_batch_run(batch, hasher->digest);
        if (last) {
            hash_batch_free(batch);
            return NULL;
        }
        g_async_queue_push(hasher->spare, batch);
    }
}

static void hasher_init(Hasher *hasher, gsize file_len)
{
    *hasher = (Hasher){.batch = hash_batch_new(), .digest = digest_new()};
    if (file_len >= HASH_THREAD_BYTES && g_get_num_processors() > 1) {
        hasher->queue = g_async_queue_new();
        hasher->spare = g_async_queue_new_full((GDestroyNotify)hash_batch_free);
        hasher->thread = g_thread_new("tend-import-hash", hasher_thread, hasher);
    }
}

/* An empty batch to fill: one the thread handed back, or a new one. */
static HashBatch *hasher_spare(Hasher *hasher)
{
    HashBatch *batch = g_async_queue_try_pop(hasher->spare);
    return batch ? batch : hash_batch_new();
}

/* Starts the hashed bytes of the next event. */
static void hasher_begin(Hasher *hasher)
{
    hasher->mark = hasher->batch->len;
}

/* Room for @len more bytes in the batch being filled; where they go. */
static guint8 *hash_room(Hasher *hasher, gsize len)
{
    HashBatch *batch = hasher->batch;
    if (batch->size - batch->len < len) {
        while (batch->size - batch->len < len)
            batch->size *= 2;
        batch->bytes = g_realloc(batch->bytes, batch->size);
    }
    guint8 *room = batch->bytes + batch->len;
    batch->len += len;
    return room;
}

static void hash_put(Hasher *hasher, const char *data, gsize len)
{
    memcpy(hash_room(hasher, len), data, len);
}

/* @c in upper case if it is an ASCII letter, as g_ascii_toupper() has it but inline. */
static char ascii_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Puts @text in upper case (ASCII), as g_ascii_strup() would write it. */
static void hash_put_upper(Hasher *hasher, const char *text, gsize len)
{
    guint8 *room = hash_room(hasher, len);
    for (gsize i = 0; i < len; i++)
        room[i] = (guint8)ascii_upper(text[i]);
}

/* Forgets the bytes put since hasher_begin(): the event was not walked after all. */
static void hasher_drop(Hasher *hasher)
{
    hasher->batch->len = hasher->mark;
}

/* The bytes put since hasher_begin() are @raw's: its hash is theirs. */
static void hasher_add(Hasher *hasher, RawEvent *raw)
{
    HashJob job = {raw, hasher->mark, hasher->batch->len - hasher->mark};
    g_array_append_val(hasher->batch->jobs, job);
    if (!hasher->thread) {
        hash_batch_run(hasher->batch, hasher->digest);
    } else if (hasher->batch->jobs->len >= HASH_BATCH) {
        g_async_queue_push(hasher->queue, g_steal_pointer(&hasher->batch));
        hasher->batch = hasher_spare(hasher);
    }
}

/* Waits until every event handed over has its hash, and frees the hasher. */
static void hasher_finish(Hasher *hasher)
{
    if (hasher->thread) {
        if (hasher->batch->jobs->len > 0) {
            g_async_queue_push(hasher->queue, g_steal_pointer(&hasher->batch));
            hasher->batch = hasher_spare(hasher);
        }
        g_async_queue_push(hasher->queue, g_steal_pointer(&hasher->batch)); /* the end */
        g_thread_join(g_steal_pointer(&hasher->thread));
        g_async_queue_unref(hasher->queue);
        g_async_queue_unref(hasher->spare);
    }
    if (hasher->batch)
        hash_batch_free(hasher->batch);
    digest_free(hasher->digest);
    *hasher = (Hasher){0};
}

/* The end of the physical line at @pos (its LF, CR or the end of the data), or 0 when
 * something on it needs the careful path: a NUL or other control character, DEL, a C1
 * character or a 0xC2 byte at the end that folding may have cut from one. With no such
 * byte sanitise_text() changes nothing but invalid UTF-8, which cannot make structure. */
static gsize plain_line_end(const char *data, gsize len, gsize pos)
{
    const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
    const guint64 highs = ones * 0x80;
    gsize i = pos;
    for (;;) {
#ifdef __SSE2__
        /* sixteen bytes at a time while none is below 0x20, DEL or 0xC2 */
        const __m128i below = _mm_set1_epi8(0x1f), v_del = _mm_set1_epi8(0x7f),
                      v_c2 = _mm_set1_epi8((char)0xc2);
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
            __m128i hit =
                _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, below), v),
                             _mm_or_si128(_mm_cmpeq_epi8(v, v_del), _mm_cmpeq_epi8(v, v_c2)));
            int mask = _mm_movemask_epi8(hit);
            if (mask) {
                i += (gsize)__builtin_ctz((unsigned)mask);
                break;
            }
            i += 16;
        }
#endif
        /* eight bytes at a time while none is below 0x20, DEL or 0xC2 (the usual
         * word tests for a zero byte: exact about whether there is one) */
        while (i + 8 <= len) {
            guint64 word;
            memcpy(&word, data + i, sizeof word);
            guint64 del = word ^ (ones * 0x7f);
            guint64 c2 = word ^ (ones * 0xc2);
            if (((word - ones * 0x20) & ~word & highs) | ((del - ones) & ~del & highs) |
                ((c2 - ones) & ~c2 & highs))
                break;
            i += 8;
        }
        for (gsize stop = MIN(len, i + 8); i < stop; i++) {
            guchar c = (guchar)data[i];
            if (G_LIKELY(c >= 0x20 && c != 0x7f && c != 0xc2))
                continue;
            if (c == '\n' || c == '\r')
                return i;
            if (c == '\t')
                continue;
            if (c == 0xc2 && i + 1 < len &&
                ((guchar)data[i + 1] < 0x80 || (guchar)data[i + 1] > 0x9f) && data[i + 1] != '\n' &&
                data[i + 1] != '\r')
                continue;
            return 0;
        }
        if (i >= len)
            return len;
    }
}

/* Past the line end at @end (LF, CRLF or CR). */
static gsize after_line_end(const char *data, gsize len, gsize end)
{
    if (end < len && data[end] == '\r' && end + 1 < len && data[end + 1] == '\n')
        return end + 2;
    return MIN(end + 1, len);
}

/* @text (@len bytes) with spaces and tabs around it taken off. */
static const char *strip_blanks(const char *text, gsize *len)
{
    while (*len > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        (*len)--;
    }
    while (*len > 0 && (text[*len - 1] == ' ' || text[*len - 1] == '\t'))
        (*len)--;
    return text;
}

/* Whether @name (@len bytes) is @want, an upper-case name, in any case. Inline: it is asked
 * four times a line. */
static gboolean name_is(const char *name, gsize len, const char *want)
{
    if (len != strlen(want))
        return FALSE;
    for (gsize i = 0; i < len; i++)
        if (ascii_upper(name[i]) != want[i])
            return FALSE;
    return TRUE;
}

/* First pass, right after the BEGIN line of a VEVENT directly in a VCALENDAR: walks the
 * event's raw lines without copying them, following its nesting, hashing what
 * feeder_feed() would (so the hash is the same) and reading its UID. On success the
 * event is kept in st->raw_events and @scanner has moved past it. On anything that
 * needs more than that (a line to sanitise, a NUL, a line too long, a name or BEGIN/END
 * value cut by folding, unbalanced nesting, the end of the file) it returns FALSE with
 * @scanner and @feeder as they were but the checksum, which the caller resets: the
 * careful line-by-line path then reads the event and warns as it always has. */
static gboolean fast_event(ImportState *st, Feeder *feeder, Scanner *scanner,
                           const ContentLine *begin)
{
    const char *data = scanner->data;
    gsize len = scanner->len;
    gsize pos = scanner->pos;
    guint line_no = scanner->line_no;
    guint components = feeder->components;
    struct {
        const char *name;
        gsize len;
    } stack[MAX_NESTING];
    guint depth = 0;           /* open components inside the VEVENT */
    const char *uid_at = NULL; /* the usual UID, as it is in the file ... */
    gsize uid_len = 0;
    g_autofree char *uid = NULL; /* ... or one that needed unfolding or unescaping */
    Hasher *hash = feeder->hasher;
    hasher_begin(hash);
    hash_put(hash, begin->text->str, begin->text->len);
    hash_put(hash, "\n", 1);

    for (;;) {
        if (pos >= len)
            return FALSE; /* no END:VEVENT */
        gsize end = plain_line_end(data, len, pos);
        if (end == 0 || end == pos)
            return FALSE;
        const char *piece = data + pos;
        gsize piece_len = end - pos;
        pos = after_line_end(data, len, end);
        line_no++;
        gboolean folded = pos < len && (data[pos] == ' ' || data[pos] == '\t');
        gsize name_len = 0;
        while (name_len < piece_len && piece[name_len] != ';' && piece[name_len] != ':')
            name_len++;
        if (name_len == piece_len)
            return FALSE; /* the name runs on past the fold, or there is no value */
        if (name_len > 0 && (piece[name_len - 1] == ' ' || piece[name_len - 1] == '\t'))
            return FALSE; /* "END :VEVENT": libical's reading of such names is feeder_line()'s */
        gboolean begins = name_is(piece, name_len, "BEGIN");
        gboolean ends = name_is(piece, name_len, "END");

        if (begins || ends) {
            const char *colon = memchr(piece + name_len, ':', piece_len - name_len);
            if (folded || !colon)
                return FALSE;
            gsize value_len = piece_len - (gsize)(colon + 1 - piece);
            const char *value = strip_blanks(colon + 1, &value_len);
            if (begins) {
                if (++components > TEND_ICAL_MAX_COMPONENTS || 2 + depth >= MAX_NESTING)
                    return FALSE;
                stack[depth].name = value;
                stack[depth].len = value_len;
                depth++;
                hash_put(hash, piece, piece_len);
                hash_put(hash, "\n", 1);
                continue;
            }
            const char *want = depth == 0 ? "VEVENT" : NULL;
            if (depth == 0 ? !name_is(value, value_len, want)
                           : (value_len != stack[depth - 1].len ||
                              g_ascii_strncasecmp(value, stack[depth - 1].name, value_len) != 0))
                return FALSE;
            hash_put(hash, "END:", 4);
            hash_put_upper(hash, value, value_len);
            hash_put(hash, "\n", 1);
            if (depth == 0)
                break;
            depth--;
            continue;
        }

        /* Google and others stamp every event with the export time, which says nothing
         * about whether the event changed (as in feeder_feed()). */
        gboolean stamp = name_is(piece, name_len, "DTSTAMP");
        gboolean want_uid = depth == 0 && !uid && !uid_at && name_is(piece, name_len, "UID");
        const char *colon =
            want_uid && !folded ? memchr(piece + name_len, ':', piece_len - name_len) : NULL;
        if (colon) {
            /* the usual UID: whole on its line, ASCII, no escapes: taken as it is */
            const char *value = colon + 1;
            gsize value_len = piece_len - (gsize)(value - piece);
            gboolean simple = TRUE;
            for (gsize k = 0; simple && k < value_len; k++)
                simple = (guchar)value[k] < 0x80 && value[k] != '\\';
            if (simple) {
                want_uid = FALSE;
                if (value_len > 0) {
                    uid_at = value;
                    uid_len = value_len;
                }
            }
        }
        g_autoptr(GString) unfolded = want_uid ? g_string_new_len(piece, (gssize)piece_len) : NULL;
        gsize total = piece_len;
        if (!stamp)
            hash_put(hash, piece, piece_len);
        while (pos < len && (data[pos] == ' ' || data[pos] == '\t')) {
            gsize start = pos + 1;
            end = plain_line_end(data, len, start);
            if (end == 0 && start < len)
                return FALSE;
            end = MAX(end, start);
            total += end - start;
            if (total > TEND_ICAL_MAX_LINE_BYTES)
                return FALSE;
            if (!stamp)
                hash_put(hash, data + start, end - start);
            if (unfolded)
                g_string_append_len(unfolded, data + start, (gssize)(end - start));
            pos = after_line_end(data, len, end);
            line_no++;
        }
        if (total > TEND_ICAL_MAX_LINE_BYTES)
            return FALSE;
        if (!stamp)
            hash_put(hash, "\n", 1);
        if (unfolded) {
            sanitise_text(unfolded);
            const char *value;
            g_free(line_name(unfolded->str, &value)); /* only where the value starts matters */
            g_autofree char *text = unescape_text(value);
            if (*text)
                uid = g_steal_pointer(&text);
        }
    }

    RawEvent *raw = uid ? raw_event_add(st, uid, -1) : raw_event_add(st, uid_at, (gssize)uid_len);
    raw->start_pos = begin->start_pos;
    raw->end_pos = pos;
    raw->line = begin->line;
    const char *outer = feeder->stack->pdata[0];
    if (!feeder->parent || strcmp(feeder->parent, outer) != 0)
        feeder->parent = g_string_chunk_insert_const(st->names, outer);
    raw->parent = feeder->parent;
    raw->clean = TRUE;
    raw->plain = TRUE;
    hasher_add(hash, raw);

    g_ptr_array_remove_index(feeder->stack, feeder->stack->len - 1);
    feeder->feeding = FALSE;
    feeder->in_event = FALSE;
    feeder->components = components;
    scanner->pos = pos;
    scanner->line_no = line_no;
    return TRUE;
}

/* Runs @feeder over @scanner until the input ends (or, second pass, its VEVENT is
 * done). Returns whether any content line was seen; FALSE in *out_ok with @error
 * when the file must be refused. */
static gboolean feeder_run(ImportState *st, Feeder *feeder, Scanner *scanner, ContentLine *line,
                           gboolean *out_ok, GError **error)
{
    gboolean any = FALSE;
    *out_ok = TRUE;
    while (!feeder->finished && scanner_content_line(scanner, line)) {
        /* a plain event has no control character: a fold may have split a character,
         * nothing more (a line with a NUL is refused whole) */
        if (!line->has_nul && feeder->plain)
            repair_utf8(line->text);
        else if (!line->has_nul)
            sanitise_text(line->text);
        if (line->text->len == 0 && !line->too_long && !line->has_nul)
            continue;
        if (line->text->len > 0 && strspn(line->text->str, " \t") == line->text->len)
            continue;
        any = TRUE;
        if (!feeder_line(st, feeder, line, error)) {
            *out_ok = FALSE;
            break;
        }
        if (feeder->collect && feeder->in_event && feeder->start_line == line->line &&
            feeder->stack->len == 2 && !fast_event(st, feeder, scanner, line)) {
            /* the careful path reads the event, its checksum starting with this line */
            hasher_drop(feeder->hasher);
            digest_reset(feeder->checksum);
            feeder_feed(feeder, line->text->str);
        }
    }
    return any;
}

static void feeder_init(Feeder *feeder, gboolean collect)
{
    *feeder = (Feeder){
        .parser = icalparser_new(),
        .stack = g_ptr_array_new_with_free_func(g_free),
        .collect = collect,
        .checksum = digest_new(),
    };
}

static void feeder_clear(Feeder *feeder)
{
    icalparser_free(feeder->parser);
    g_ptr_array_unref(feeder->stack);
    g_free(feeder->skip_reason);
    g_free(feeder->raw_uid);
    digest_free(feeder->checksum);
}

/* First pass over the whole file (BOM removed): checks limits and structure, reads
 * every VTIMEZONE and the calendar's name, and keeps each VEVENT as a hashed byte
 * range in st->raw_events. libical sees no VEVENT here. */
static gboolean scan_calendar_text(ImportState *st, GError **error)
{
    Scanner scanner = {.data = st->data, .len = st->len};
    ContentLine line = {.text = g_string_new(NULL)};
    Feeder feeder;
    feeder_init(&feeder, TRUE);
    Hasher hasher;
    hasher_init(&hasher, st->len);
    feeder.hasher = &hasher;

    /* Errors in the data become X-LIC-ERROR properties, never an abort. */
    icalerrorstate saved = icalerror_get_error_state(ICAL_MALFORMEDDATA_ERROR);
    icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, ICAL_ERROR_NONFATAL);
    gboolean ok;
    gboolean any = feeder_run(st, &feeder, &scanner, &line, &ok, error);
    hasher_finish(&hasher);
    if (ok && !any) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s' is empty; export the calendar again and import the new file", st->path);
        ok = FALSE;
    }
    if (ok && feeder.feeding && feeder.in_event) {
        /* The file stops inside an event: the second pass reads it and says so. */
        RawEvent *raw = raw_event_add(st, NULL, 0);
        raw->start_pos = feeder.start_pos;
        raw->end_pos = st->len;
        raw->line = feeder.start_line;
        raw->parent =
            g_string_chunk_insert_const(st->names, feeder.stack->pdata[feeder.fed_depth - 2]);
        digest_hex(feeder.checksum, raw->hash);
    } else if (ok && feeder.feeding) {
        /* a VTIMEZONE cut short is no use; the parser keeps owning and frees it */
        icalparser_clean(feeder.parser);
    }
    icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, saved);
    feeder_clear(&feeder);
    g_string_free(line.text, TRUE);
    return ok;
}

/* Second pass: libical reads the raw events chosen to be parsed, one at a time, each
 * into st->events (or a warning). */
typedef struct {
    ContentLine line;
    Feeder feeder;
} EventReader;

/* The caller makes libical's ICAL_MALFORMEDDATA_ERROR non-fatal first (a setting of the
 * whole process, so not one each thread sets). */
static void event_reader_init(EventReader *reader)
{
    reader->line = (ContentLine){.text = g_string_new(NULL)};
    feeder_init(&reader->feeder, FALSE);
    reader->feeder.seen_calendar = TRUE;
}

static void event_reader_clear(EventReader *reader)
{
    feeder_clear(&reader->feeder);
    g_string_free(reader->line.text, TRUE);
}

static void event_reader_read(ImportState *st, EventReader *reader, const RawEvent *raw)
{
    Feeder *feeder = &reader->feeder;
    g_ptr_array_set_size(feeder->stack, 0);
    g_ptr_array_add(feeder->stack, g_strdup(raw->parent));
    feeder->finished = FALSE;
    feeder->plain = raw->plain;
    st->current_hash = raw->hash;
    st->current_text = raw->plain ? st->data + raw->start_pos : NULL;
    st->current_len = raw->end_pos - raw->start_pos;
    Scanner scanner = {
        .data = st->data, .len = raw->end_pos, .pos = raw->start_pos, .line_no = raw->line - 1};
    gboolean ok;
    feeder_run(st, feeder, &scanner, &reader->line, &ok, NULL);
    if (feeder->feeding) {
        /* The file stops inside this event: what libical has of it is not whole.
         * The parser keeps owning it; icalparser_clean() frees it. */
        icalcomponent *partial = icalparser_clean(feeder->parser);
        const char *given_uid = partial ? icalcomponent_get_uid(partial) : NULL;
        g_autofree char *uid = NULL;
        if (given_uid && *given_uid)
            uid = g_strdup(given_uid);
        else if (partial)
            uid = derive_uid(partial);
        add_warning(st, feeder->start_line, uid, TRUE,
                    "the file ends before this event does (no END:VEVENT)");
        feeder->feeding = FALSE;
        feeder->in_event = FALSE;
        g_clear_pointer(&feeder->skip_reason, g_free);
    }
    st->current_hash = NULL;
    st->current_text = NULL;
}

/* ---------------------------------------------------------------------------
 * Recurrence expansion
 * ------------------------------------------------------------------------- */

typedef struct {
    GHashTable *instants; /* gint64* set: timed starts left out */
    GHashTable *dates;    /* gint64* set: whole days left out */
} Exclusions;

static void exclusions_add(Exclusions *ex, const ResolvedTime *time, gboolean all_day)
{
    gint64 *key = g_new(gint64, 1);
    if (time->is_date || all_day) {
        *key = tend_floor_div(time->wall, TEND_DAY_SECONDS) * TEND_DAY_SECONDS;
        g_hash_table_add(ex->dates, key);
    } else {
        *key = time->value;
        g_hash_table_add(ex->instants, key);
    }
}

static gboolean exclusions_match(const Exclusions *ex, gint64 start, gint64 wall)
{
    gint64 date = tend_floor_div(wall, TEND_DAY_SECONDS) * TEND_DAY_SECONDS;
    return g_hash_table_contains(ex->instants, &start) || g_hash_table_contains(ex->dates, &date);
}

typedef struct {
    ImportState *st;
    ParsedEvent *event;
    const Exclusions *exclusions;
    gboolean capped;
} Expansion;

/* Adds the instance starting at wall-clock @wall when it is not left out and, for an
 * event repeating by a rule, in the window (an event with no rule has a few instances
 * at most, all stored, so it answers for any window). FALSE once the cap is reached. */
static gboolean expansion_add(Expansion *ex, gint64 wall)
{
    ParsedEvent *event = ex->event;
    Occurrence occurrence;
    gboolean windowed = event->rrule != NULL;
    if (event->start.is_date) {
        occurrence.start = wall;
        occurrence.end = wall + event->nominal_days * TEND_DAY_SECONDS;
        /* all-day values are dates: compare with a day of slack either side */
        if (windowed && (occurrence.start >= ex->st->window_end + TEND_DAY_SECONDS ||
                         occurrence.end <= ex->st->window_start - TEND_DAY_SECONDS))
            return TRUE;
    } else {
        occurrence.start = zone_wall_to_utc(event->start.zone, wall);
        occurrence.end =
            zone_wall_to_utc(event->start.zone, wall + event->nominal_days * TEND_DAY_SECONDS) +
            event->exact_seconds;
        if (windowed &&
            (occurrence.start >= ex->st->window_end ||
             (occurrence.end <= ex->st->window_start && occurrence.start < ex->st->window_start)))
            return TRUE;
    }
    if (exclusions_match(ex->exclusions, occurrence.start, wall))
        return TRUE;
    if (event->occurrences->len >= TEND_ICAL_MAX_OCCURRENCES) {
        ex->capped = TRUE;
        return FALSE;
    }
    g_array_append_val(event->occurrences, occurrence);
    return TRUE;
}

/* No BY part: one instance per period, at DTSTART's time. */
static gboolean recur_rule_is_plain(const struct icalrecurrencetype *rule)
{
    return !by_part_set(rule->by_second) && !by_part_set(rule->by_minute) &&
           !by_part_set(rule->by_hour) && !by_part_set(rule->by_day) &&
           !by_part_set(rule->by_month_day) && !by_part_set(rule->by_year_day) &&
           !by_part_set(rule->by_week_no) && !by_part_set(rule->by_month) &&
           !by_part_set(rule->by_set_pos);
}

/* The common rules walked here rather than by libical, whose iterator (built on ICU)
 * costs microseconds a step: DAILY, WEEKLY, MONTHLY or YEARLY with no BY part, DAILY
 * with a plain BYDAY, and WEEKLY;BYDAY with INTERVAL=1. Each gives the same instances
 * libical would (test /ical-import/simple-rules-match-libical holds them to it);
 * anything less plain, or a day of the month some months lack, is left to libical. */
typedef struct {
    icalrecurrencetype_frequency freq;
    int interval;
    int count;       /* instances left; -1 for no COUNT */
    guint8 weekdays; /* bit 0 Sunday ... bit 6 Saturday; 0 for no BYDAY */
    gint64 wall;     /* next candidate (DAILY, WEEKLY) */
    gint64 time_of_day;
    int year, month, day; /* next candidate (MONTHLY, YEARLY) */
} SimpleRecur;

static int weekday_of_wall(gint64 wall)
{
    gint64 days = tend_floor_div(wall, TEND_DAY_SECONDS);
    return (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

static gboolean simple_recur_init(SimpleRecur *it, const struct icalrecurrencetype *rule,
                                  gint64 start_wall)
{
    if (rule->rscale || by_part_set(rule->by_second) || by_part_set(rule->by_minute) ||
        by_part_set(rule->by_hour) || by_part_set(rule->by_month_day) ||
        by_part_set(rule->by_year_day) || by_part_set(rule->by_week_no) ||
        by_part_set(rule->by_month) || by_part_set(rule->by_set_pos))
        return FALSE;
    *it = (SimpleRecur){
        .freq = rule->freq,
        .interval = MAX(rule->interval, 1),
        .count = rule->count > 0 ? rule->count : -1,
        .wall = start_wall,
    };
    for (int i = 0; i < ICAL_BY_DAY_SIZE && rule->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
        if (icalrecurrencetype_day_position(rule->by_day[i]) != 0)
            return FALSE;
        int day = (int)icalrecurrencetype_day_day_of_week(rule->by_day[i]) - 1;
        if (day < 0 || day > 6)
            return FALSE;
        it->weekdays |= (guint8)(1u << day);
    }
    gint64 days = tend_floor_div(start_wall, TEND_DAY_SECONDS);
    it->time_of_day = start_wall - days * TEND_DAY_SECONDS;
    tend_civil_from_days(days, &it->year, &it->month, &it->day);
    switch (rule->freq) {
    case ICAL_DAILY_RECURRENCE:
        break;
    case ICAL_WEEKLY_RECURRENCE:
        if (it->weekdays && it->interval != 1)
            return FALSE;
        break;
    case ICAL_MONTHLY_RECURRENCE:
    case ICAL_YEARLY_RECURRENCE:
        if (it->weekdays || it->day > 28)
            return FALSE;
        break;
    default:
        return FALSE;
    }
    /* A DTSTART on a day BYDAY leaves out is not an instance and COUNT does not count
     * it (libical 3.0.16's reading, which tend keeps): the walk from it gives that too. */
    return TRUE;
}

/* The next day on or after it->wall that BYDAY allows, stepping by @step; FALSE when a
 * week of steps finds none (DAILY;INTERVAL=7 on a day BYDAY leaves out). */
static gboolean simple_recur_next_weekday(SimpleRecur *it, gint64 step, gint64 *out_wall)
{
    for (int tries = 0; tries < 8; tries++) {
        gint64 candidate = it->wall;
        it->wall += step;
        if (it->weekdays & (1u << weekday_of_wall(candidate))) {
            *out_wall = candidate;
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean simple_recur_next(SimpleRecur *it, gint64 *out_wall)
{
    if (it->count == 0)
        return FALSE;
    if (it->freq == ICAL_MONTHLY_RECURRENCE || it->freq == ICAL_YEARLY_RECURRENCE) {
        if (it->year > 9999)
            return FALSE;
        *out_wall =
            tend_days_from_civil(it->year, it->month, it->day) * TEND_DAY_SECONDS + it->time_of_day;
        if (it->freq == ICAL_YEARLY_RECURRENCE) {
            it->year += it->interval;
        } else {
            gint64 months = (gint64)it->month - 1 + it->interval;
            it->year += (int)(months / 12);
            it->month = (int)(months % 12) + 1;
        }
    } else if (it->weekdays) {
        gint64 step =
            it->freq == ICAL_DAILY_RECURRENCE ? it->interval * TEND_DAY_SECONDS : TEND_DAY_SECONDS;
        if (!simple_recur_next_weekday(it, step, out_wall))
            return FALSE;
    } else {
        *out_wall = it->wall;
        it->wall += (it->freq == ICAL_DAILY_RECURRENCE ? 1 : 7) * TEND_DAY_SECONDS * it->interval;
    }
    if (it->count > 0)
        it->count--;
    return TRUE;
}

/* Walks the RRULE in the event's wall clock, so 14:00 weekly stays 14:00 across a
 * DST change; UNTIL is applied here to the resolved instants, since libical would
 * compare a UTC UNTIL with wall-clock times. FALSE with *out_reason when the rule
 * turns out too costly. */
static gboolean expand_rule(Expansion *ex, char **out_reason)
{
    ParsedEvent *event = ex->event;
    ImportState *st = ex->st;
    struct icalrecurrencetype rule = icalrecurrencetype_from_string(event->rrule);
    struct icaltimetype until = rule.until;
    rule.until = icaltime_null_time();
    gboolean all_day = event->start.is_date;

    ResolvedTime until_time = {0};
    gboolean has_until = !icaltime_is_null_time(until);
    if (has_until) {
        until_time.is_date = until.is_date;
        until_time.wall = wall_of(until);
        until_time.value =
            until.is_date || icaltime_is_utc(until)
                ? until_time.wall
                : zone_wall_to_utc(event->start.zone ? event->start.zone : st->zones.floating,
                                   until_time.wall);
    }

    /* A rule with a fixed period (SECONDLY to WEEKLY, counted in wall-clock time) can
     * start a whole number of periods before the window instead of at DTSTART: without
     * COUNT the set does not depend on where the walk begins, and with COUNT but no BY
     * part every period holds exactly one instance, so COUNT shrinks by the periods
     * skipped. This keeps the walk short (libical cannot skip ahead with COUNT). */
    gint64 start_wall = event->start.wall;
    gint64 unit = 0;
    switch (rule.freq) {
    case ICAL_SECONDLY_RECURRENCE:
        unit = 1;
        break;
    case ICAL_MINUTELY_RECURRENCE:
        unit = 60;
        break;
    case ICAL_HOURLY_RECURRENCE:
        unit = 3600;
        break;
    case ICAL_DAILY_RECURRENCE:
        unit = TEND_DAY_SECONDS;
        break;
    case ICAL_WEEKLY_RECURRENCE:
        unit = 7 * TEND_DAY_SECONDS;
        break;
    default:
        break;
    }
    gint64 period = unit * MAX(rule.interval, 1);
    gint64 target = st->window_start - WALL_SLACK - event->nominal_days * TEND_DAY_SECONDS -
                    event->exact_seconds;
    if (period > 0 && start_wall < target && (rule.count == 0 || recur_rule_is_plain(&rule))) {
        gint64 periods = (target - start_wall) / period;
        if (rule.count > 0) {
            if (periods >= rule.count) /* the series is over before the window opens */
                return TRUE;
            rule.count -= (int)periods;
        }
        start_wall += periods * period;
    }
    if (all_day)
        start_wall = tend_floor_div(start_wall, TEND_DAY_SECONDS) * TEND_DAY_SECONDS;

    SimpleRecur simple;
    gboolean fast = simple_recur_init(&simple, &rule, start_wall);
    icalrecur_iterator *iterator =
        fast ? NULL : icalrecur_iterator_new(rule, icaltime_of_wall(start_wall, all_day));
    if (!fast && !iterator) {
        *out_reason = g_strdup("its repeat rule (RRULE) could not be read");
        return FALSE;
    }
    gboolean ok = TRUE;
    guint steps = 0;
    gint64 work_unit = unit > 0 && unit < TEND_DAY_SECONDS ? unit : TEND_DAY_SECONDS;
    for (;;) {
        gint64 wall;
        if (fast) {
            if (!simple_recur_next(&simple, &wall))
                break;
        } else {
            struct icaltimetype next = icalrecur_iterator_next(iterator);
            if (icaltime_is_null_time(next))
                break;
            wall = wall_of(next);
        }
        if (++steps > MAX_RECUR_STEPS || (wall - start_wall) / work_unit > MAX_RECUR_WORK) {
            *out_reason = g_strdup("it repeats too often to work out before the dates tend "
                                   "looks at");
            ok = FALSE;
            break;
        }
        if (wall > st->window_end + WALL_SLACK)
            break;
        if (has_until) {
            gint64 compare = until_time.is_date
                                 ? tend_floor_div(wall, TEND_DAY_SECONDS) * TEND_DAY_SECONDS
                             : all_day ? wall
                                       : zone_wall_to_utc(event->start.zone, wall);
            if (compare > until_time.value)
                break;
        }
        if (!expansion_add(ex, wall))
            break;
    }
    if (iterator)
        icalrecur_iterator_free(iterator);
    if (rule.rscale)
        icalmemory_free_buffer(rule.rscale);
    return ok;
}

static void event_expand(ImportState *st, ParsedEvent *event, GHashTable *overrides)
{
    event->occurrences = g_array_new(FALSE, FALSE, sizeof(Occurrence));
    if (event->cancelled)
        return;
    Exclusions exclusions = {
        .instants = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
        .dates = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL),
    };
    gboolean all_day = event->start.is_date;
    for (guint i = 0; i < event->exdates->len; i++)
        exclusions_add(&exclusions, &g_array_index(event->exdates, ResolvedTime, i), all_day);
    GPtrArray *replaced =
        event->recurrence_id[0] || !overrides ? NULL : g_hash_table_lookup(overrides, event->uid);
    for (guint i = 0; replaced && i < replaced->len; i++)
        exclusions_add(&exclusions, &((ParsedEvent *)replaced->pdata[i])->recurrence, all_day);

    Expansion ex = {.st = st, .event = event, .exclusions = &exclusions};
    g_autofree char *reason = NULL;
    gboolean ok = TRUE;
    if (event->rrule)
        ok = expand_rule(&ex, &reason);
    else
        expansion_add(&ex, event->start.wall);
    for (guint i = 0; ok && !ex.capped && i < event->rdates->len; i++) {
        const ResolvedTime *rdate = &g_array_index(event->rdates, ResolvedTime, i);
        gint64 wall = rdate->is_date || all_day || rdate->zone == event->start.zone
                          ? rdate->wall
                          : rdate->value + zone_offset_at(event->start.zone, rdate->value);
        if (all_day)
            wall = tend_floor_div(wall, TEND_DAY_SECONDS) * TEND_DAY_SECONDS;
        expansion_add(&ex, wall);
    }
    g_hash_table_unref(exclusions.instants);
    g_hash_table_unref(exclusions.dates);

    if (!ok) {
        add_warning(st, event->line, event->uid, TRUE, "%s", reason);
        event->dropped = TRUE;
        return;
    }
    g_array_sort(event->occurrences, store_span_compare_start);
    /* RDATEs and DST gaps can land two instances on one start; keep one */
    guint kept = 0;
    for (guint i = 0; i < event->occurrences->len; i++) {
        Occurrence *o = &g_array_index(event->occurrences, Occurrence, i);
        if (kept > 0 && g_array_index(event->occurrences, Occurrence, kept - 1).start == o->start)
            continue;
        g_array_index(event->occurrences, Occurrence, kept++) = *o;
    }
    g_array_set_size(event->occurrences, kept);
    if (ex.capped)
        add_warning(st, event->line, event->uid, FALSE,
                    "it repeats more than %d times in the 14 months tend looks at; kept the "
                    "first %d",
                    TEND_ICAL_MAX_OCCURRENCES, TEND_ICAL_MAX_OCCURRENCES);
}

/* Keeps one event per UID and RECURRENCE-ID among st->events from @first on (the
 * highest SEQUENCE, else the later one), then expands each with its overrides. */
static void expand_events(ImportState *st, guint first)
{
    g_autoptr(GHashTable) by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = first; i < st->events->len; i++) {
        ParsedEvent *event = st->events->pdata[i];
        char *key = g_strconcat(event->uid, "\x1f", event->recurrence_id, NULL);
        ParsedEvent *earlier = g_hash_table_lookup(by_key, key);
        if (!earlier) {
            g_hash_table_insert(by_key, key, event);
            continue;
        }
        g_free(key);
        ParsedEvent *loser = earlier->sequence > event->sequence ? event : earlier;
        ParsedEvent *winner = loser == event ? earlier : event;
        loser->dropped = TRUE;
        add_warning(st, loser->line, loser->uid, TRUE,
                    "the same event is in the file again at line %u; kept %s", winner->line,
                    winner->sequence > loser->sequence ? "the newer one (higher SEQUENCE)"
                                                       : "the later one");
        g_hash_table_insert(by_key, g_strconcat(winner->uid, "\x1f", winner->recurrence_id, NULL),
                            winner);
    }

    g_autoptr(GHashTable) overrides =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    for (guint i = first; i < st->events->len; i++) {
        ParsedEvent *event = st->events->pdata[i];
        if (event->dropped || !event->recurrence_id[0])
            continue;
        GPtrArray *list = g_hash_table_lookup(overrides, event->uid);
        if (!list) {
            list = g_ptr_array_new();
            g_hash_table_insert(overrides, event->uid, list);
        }
        g_ptr_array_add(list, event);
    }
    for (guint i = first; i < st->events->len; i++) {
        ParsedEvent *event = st->events->pdata[i];
        if (!event->dropped)
            event_expand(st, event, overrides);
    }
}

/* ---------------------------------------------------------------------------
 * Mirroring into the store
 * ------------------------------------------------------------------------- */

/* The statements run once per event, prepared once. An event's stored occurrences are
 * found from the list kept with its row (schema 7, store_spans_pack()), since the
 * occurrences table is ordered by time only. The writer also follows the longest
 * occurrence span it wrote (grown) and removed (lost), so the calendar's stored longest
 * span (schema v5) can be kept exact without reading all its occurrences again. */
typedef struct {
    gint64 start;
    gint64 end;
    gint64 event_id;
} PendingOccurrence;

/* Occurrences to delete and new ones wait and go to the table this many at a time, sorted
 * as the table is, so that one change mostly lands on a page the last one touched: on the
 * 100k bench the writer's 700k inserts take a third less time than in file order, and the
 * 6,900 deletes of a 1% changed export half the time they took one event at a time.
 * Every wait ends in flush_occurrences(): the deletes go first, and an occurrence both
 * deleted and added (an event changed but not that date) is left alone. Nothing reads
 * the table before a flush. */
#define PENDING_OCCURRENCES 32768

typedef struct {
    TendStore *store;
    sqlite3_stmt *select_stored;
    sqlite3_stmt *delete_occurrence;
    sqlite3_stmt *insert_occurrence;
    sqlite3_stmt *set_list;
    GArray *stored;     /* Occurrence: the stored ones of the event at hand ... */
    gint64 row_start;   /* ... whose row has these start_utc and end_utc, which its */
    gint64 row_end;     /* list is packed against */
    GByteArray *packed; /* the list being written */
    GArray *pending;    /* PendingOccurrence, not inserted yet */
    GArray *doomed;     /* PendingOccurrence, not deleted yet */
    gint64 grown;
    gint64 lost;
} OccurrenceWriter;

static void occurrence_writer_clear(OccurrenceWriter *writer)
{
    g_clear_pointer(&writer->select_stored, sqlite3_finalize);
    g_clear_pointer(&writer->delete_occurrence, sqlite3_finalize);
    g_clear_pointer(&writer->insert_occurrence, sqlite3_finalize);
    g_clear_pointer(&writer->set_list, sqlite3_finalize);
    g_clear_pointer(&writer->stored, g_array_unref);
    g_clear_pointer(&writer->packed, g_byte_array_unref);
    g_clear_pointer(&writer->pending, g_array_unref);
    g_clear_pointer(&writer->doomed, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(OccurrenceWriter, occurrence_writer_clear)

static gboolean occurrence_writer_init(OccurrenceWriter *writer, TendStore *store, GError **error)
{
    writer->store = store;
    writer->stored = g_array_new(FALSE, FALSE, sizeof(Occurrence));
    writer->packed = g_byte_array_new();
    writer->pending = g_array_sized_new(FALSE, FALSE, sizeof(PendingOccurrence),
                                        PENDING_OCCURRENCES + TEND_ICAL_MAX_OCCURRENCES);
    writer->doomed = g_array_sized_new(FALSE, FALSE, sizeof(PendingOccurrence),
                                       PENDING_OCCURRENCES + TEND_ICAL_MAX_OCCURRENCES);
    writer->select_stored = store_prepare(
        store, "SELECT start_utc, end_utc, occurrences FROM events WHERE id = ?1", error);
    if (writer->select_stored)
        writer->delete_occurrence = store_prepare(
            store,
            "DELETE FROM occurrences WHERE event_id = ?1 AND start_utc = ?2 AND end_utc = ?3",
            error);
    if (writer->delete_occurrence)
        writer->insert_occurrence = store_prepare(
            store, "INSERT INTO occurrences (event_id, start_utc, end_utc) VALUES (?1, ?2, ?3)",
            error);
    if (writer->insert_occurrence)
        writer->set_list =
            store_prepare(store, "UPDATE events SET occurrences = ?2 WHERE id = ?1", error);
    return writer->set_list != NULL;
}

/* Reads the stored occurrences of the event @event_id into writer->stored. */
static gboolean read_stored_occurrences(OccurrenceWriter *writer, gint64 event_id, GError **error)
{
    sqlite3_stmt *stmt = writer->select_stored;
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, event_id);
    g_array_set_size(writer->stored, 0);
    if (sqlite3_step(stmt) != SQLITE_ROW)
        return store_set_error(writer->store, error, "cannot read stored occurrences");
    writer->row_start = sqlite3_column_int64(stmt, 0);
    writer->row_end = sqlite3_column_int64(stmt, 1);
    gboolean ok = store_column_spans(stmt, 2, writer->row_start, writer->row_end, writer->stored);
    sqlite3_reset(stmt); /* no read left open on events while the writer changes it */
    if (!ok) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL,
                    "the stored occurrences of event %" G_GINT64_FORMAT " are damaged", event_id);
        return FALSE;
    }
    return TRUE;
}

static gboolean occurrences_equal(const GArray *a, const GArray *b)
{
    /* an empty GArray may have no data at all */
    return a->len == b->len &&
           (a->len == 0 || memcmp(a->data, b->data, a->len * sizeof(Occurrence)) == 0);
}

static int compare_pending(gconstpointer a, gconstpointer b)
{
    const PendingOccurrence *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x->event_id > y->event_id) - (x->event_id < y->event_id);
}

/* Drops from the sorted @doomed and @pending the occurrences both have. */
static void cancel_pairs(GArray *doomed, GArray *pending)
{
    PendingOccurrence *d = (PendingOccurrence *)(void *)doomed->data;
    PendingOccurrence *p = (PendingOccurrence *)(void *)pending->data;
    guint i = 0, j = 0, kept_d = 0, kept_p = 0;
    while (i < doomed->len || j < pending->len) {
        int order = i == doomed->len ? 1 : j == pending->len ? -1 : compare_pending(&d[i], &p[j]);
        if (order == 0) {
            i++;
            j++;
        } else if (order < 0) {
            d[kept_d++] = d[i++];
        } else {
            p[kept_p++] = p[j++];
        }
    }
    g_array_set_size(doomed, kept_d);
    g_array_set_size(pending, kept_p);
}

/* Runs @stmt, which takes an occurrence's event, start and end as ?1 to ?3, for @o. */
static int step_occurrence(sqlite3_stmt *stmt, const PendingOccurrence *o)
{
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, o->event_id);
    sqlite3_bind_int64(stmt, 2, o->start);
    sqlite3_bind_int64(stmt, 3, o->end);
    return sqlite3_step(stmt);
}

/* Deletes and then inserts the waiting occurrences, each in the table's order. */
static gboolean flush_occurrences(OccurrenceWriter *writer, GError **error)
{
    g_array_sort(writer->doomed, compare_pending);
    g_array_sort(writer->pending, compare_pending);
    cancel_pairs(writer->doomed, writer->pending);
    for (guint i = 0; i < writer->doomed->len; i++) {
        const PendingOccurrence *o = &g_array_index(writer->doomed, PendingOccurrence, i);
        if (step_occurrence(writer->delete_occurrence, o) != SQLITE_DONE)
            return store_set_error(writer->store, error, "cannot replace occurrences");
        if (sqlite3_changes(store_db(writer->store)) != 1) {
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL,
                        "the stored occurrences of event %" G_GINT64_FORMAT
                        " are not the ones its row lists",
                        o->event_id);
            return FALSE;
        }
    }
    g_array_set_size(writer->doomed, 0);
    for (guint i = 0; i < writer->pending->len; i++) {
        const PendingOccurrence *o = &g_array_index(writer->pending, PendingOccurrence, i);
        if (step_occurrence(writer->insert_occurrence, o) != SQLITE_DONE)
            return store_set_error(writer->store, error, "cannot store an occurrence");
    }
    g_array_set_size(writer->pending, 0);
    return TRUE;
}

/* Queues the occurrences read by read_stored_occurrences() for deletion. */
static gboolean delete_stored_occurrences(OccurrenceWriter *writer, gint64 event_id, GError **error)
{
    for (guint i = 0; i < writer->stored->len; i++) {
        const Occurrence *o = &g_array_index(writer->stored, Occurrence, i);
        writer->lost = MAX(writer->lost, o->end - o->start);
        PendingOccurrence doomed = {o->start, o->end, event_id};
        g_array_append_val(writer->doomed, doomed);
    }
    return writer->doomed->len < PENDING_OCCURRENCES || flush_occurrences(writer, error);
}

/* Adds the occurrences of the event @event_id, whose stored ones (if any) are deleted. */
static gboolean insert_occurrences(OccurrenceWriter *writer, gint64 event_id,
                                   const GArray *occurrences, GError **error)
{
    for (guint i = 0; i < occurrences->len; i++) {
        const Occurrence *o = &g_array_index(occurrences, Occurrence, i);
        writer->grown = MAX(writer->grown, o->end - o->start);
        PendingOccurrence pending = {o->start, o->end, event_id};
        g_array_append_val(writer->pending, pending);
    }
    return writer->pending->len < PENDING_OCCURRENCES || flush_occurrences(writer, error);
}

/* Binds @event's occurrences, packed into writer->packed against its row's @start and @end,
 * as events.occurrences. SQLite copies them: writer->packed is packed again for the next
 * event while this statement still holds its binding. */
static void bind_occurrence_list(OccurrenceWriter *writer, sqlite3_stmt *stmt, int index,
                                 const ParsedEvent *event, gint64 start, gint64 end)
{
    if (!store_spans_pack(start, end, (const Occurrence *)(void *)event->occurrences->data,
                          event->occurrences->len, writer->packed))
        sqlite3_bind_null(stmt, index);
    else if (writer->packed->len == 0)
        sqlite3_bind_zeroblob(stmt, index, 0);
    else
        sqlite3_bind_blob(stmt, index, writer->packed->data, (int)writer->packed->len,
                          SQLITE_TRANSIENT);
}

/* An unchanged event whose occurrences moved (with the window, or with its zone): replaces
 * them, and its list, packed against its row's start and end as stored (only the list is
 * written; the row keeps them). */
static gboolean rewrite_occurrences(OccurrenceWriter *writer, gint64 event_id,
                                    const ParsedEvent *event, GError **error)
{
    if (!delete_stored_occurrences(writer, event_id, error) ||
        !insert_occurrences(writer, event_id, event->occurrences, error))
        return FALSE;
    sqlite3_stmt *stmt = writer->set_list;
    sqlite3_reset(stmt);
    sqlite3_bind_int64(stmt, 1, event_id);
    bind_occurrence_list(writer, stmt, 2, event, writer->row_start, writer->row_end);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(writer->store, error, "cannot replace occurrences");
    return TRUE;
}

static void bind_text_or_null(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, index);
}

/* Columns 1..14 of an events row, in the order both statements below use. */
static void bind_event(sqlite3_stmt *stmt, gint64 calendar_id, const ParsedEvent *event)
{
    sqlite3_bind_int64(stmt, 1, calendar_id);
    sqlite3_bind_text(stmt, 2, event->uid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, event->recurrence_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 4, event->sequence);
    sqlite3_bind_text(stmt, 5, event->summary ? event->summary : "", -1, SQLITE_TRANSIENT);
    bind_text_or_null(stmt, 6, event->location);
    sqlite3_bind_int64(stmt, 7, event->start.value);
    sqlite3_bind_int64(stmt, 8, event->end);
    sqlite3_bind_int(stmt, 9, event->start.is_date);
    bind_text_or_null(stmt, 10, event->start.zone ? event->start.zone->name : NULL);
    bind_text_or_null(stmt, 11, event->rrule);
    sqlite3_bind_int(stmt, 12, event->transparent);
    sqlite3_bind_text(stmt, 13, event->raw ? event->raw : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 14, event->raw_hash, -1, SQLITE_TRANSIENT);
}

/* One stored event; its strings belong to ImportDiff.strings. */
typedef struct _StoredEvent {
    gint64 id;
    char *uid;
    char *recurrence_id;
    char *hash;
    gboolean repeats; /* has an RRULE: its stored occurrences depend on the window */
    gboolean seen;
    struct _StoredEvent *next_same_uid; /* the next stored row with this UID */
} StoredEvent;

typedef struct {
    ParsedEvent *event; /* borrowed from st->events, or ... */
    gboolean owned;     /* ... its own, freed once written (the first sweep's) */
    gint64 row_id;      /* 0 for a new event */
    gboolean changed;   /* FALSE: the same text, only its occurrences may need writing */
} PlannedWrite;

/* The clear function of arrays of PlannedWrite. */
static void planned_write_clear(gpointer data)
{
    PlannedWrite *write = data;
    if (write->owned)
        g_clear_pointer(&write->event, parsed_event_free);
}

static GArray *planned_writes_new(guint size)
{
    GArray *writes = g_array_sized_new(FALSE, FALSE, sizeof(PlannedWrite), size);
    g_array_set_clear_func(writes, planned_write_clear);
    return writes;
}

/* The first sweep of read_and_plan() in chunks of this many events, taken by whichever
 * parser thread is free and written in order. */
#define SWEEP_CHUNK 256

/* The events alone with their UID, read by parser threads at once; the writer takes
 * each chunk's writes in order, so rows are numbered as the file orders them. */
typedef struct {
    GPtrArray *raws; /* RawEvent*, in file order */
    guint chunks;
    gint next;     /* the next chunk to take, atomically */
    gint failed;   /* set by the writer once a write failed: the rest is read no more */
    GArray **done; /* each chunk's PlannedWrites once planned, else NULL */
    GMutex lock;
    GCond ready;
} Sweep;

static Sweep *sweep_new(const ImportState *st)
{
    Sweep *sweep = g_new0(Sweep, 1);
    sweep->raws = g_ptr_array_new();
    for (guint i = 0; i < st->raw_events->len; i++) {
        RawEvent *raw = st->raw_events->pdata[i];
        if (raw->parse && raw->alone)
            g_ptr_array_add(sweep->raws, raw);
    }
    sweep->chunks = (sweep->raws->len + SWEEP_CHUNK - 1) / SWEEP_CHUNK;
    sweep->done = g_new0(GArray *, MAX(sweep->chunks, 1));
    g_mutex_init(&sweep->lock);
    g_cond_init(&sweep->ready);
    return sweep;
}

static void sweep_fail(Sweep *sweep)
{
    g_atomic_int_set(&sweep->failed, 1);
}

static void sweep_free(Sweep *sweep)
{
    for (guint c = 0; sweep->done && c < sweep->chunks; c++)
        g_clear_pointer(&sweep->done[c], g_array_unref);
    g_clear_pointer(&sweep->done, g_free);
    g_clear_pointer(&sweep->raws, g_ptr_array_unref);
    g_mutex_clear(&sweep->lock);
    g_cond_clear(&sweep->ready);
    g_free(sweep);
}

static void sweep_publish(Sweep *sweep, guint chunk, GArray *batch)
{
    g_mutex_lock(&sweep->lock);
    sweep->done[chunk] = batch;
    g_cond_broadcast(&sweep->ready);
    g_mutex_unlock(&sweep->lock);
}

/* Waits for @chunk to be planned and takes its writes. */
static GArray *sweep_take(Sweep *sweep, guint chunk)
{
    g_mutex_lock(&sweep->lock);
    while (!sweep->done[chunk])
        g_cond_wait(&sweep->ready, &sweep->lock);
    GArray *batch = g_steal_pointer(&sweep->done[chunk]);
    g_mutex_unlock(&sweep->lock);
    return batch;
}

/* PlannedWrites go to the writer in batches of this many. */
#define MIRROR_BATCH 512

/* The store's side of an import: writes what import_mirror() plans into the calendar,
 * inside the caller's transaction, on a thread of its own while libical reads the rest
 * of the file (on the 100k bench about 1 s of CPU, most of it SQLite placing 700k
 * occurrences in their B-tree). Only this thread uses the store
 * between mirror_start() and mirror_stop(). The events it is sent are not changed once
 * sent; those of the first sweep are its to free (PlannedWrite.owned). */
typedef struct {
    TendStore *store;
    gint64 calendar_id;
    gint64 longest; /* calendars.longest as stored */
    sqlite3_stmt *insert;
    sqlite3_stmt *update;
    sqlite3_stmt *remove;
    OccurrenceWriter occurrences;
    Sweep *sweep;       /* its chunks are written first, in order ... */
    GAsyncQueue *queue; /* ... then these GArrays of PlannedWrite; an empty one ends */
    GThread *thread;
    GError *error; /* the thread's first failure; it writes nothing after it */
} Mirror;

/* What importing the file into a calendar changes. */
typedef struct {
    gint64 calendar_id;      /* 0 when the calendar is new */
    gint64 anchor;           /* recorded as imported_at: the expansion window is around it */
    GArray *stored;          /* StoredEvent: the calendar's rows; not grown once loaded */
    GStringChunk *strings;   /* their text */
    GHashTable *file_by_uid; /* UID -> RawEvent* heading its group (group_file_events()) */
    GHashTable *repaired;    /* UIDs of events whose text needed repair (a set) */
    GHashTable *unmatched;   /* UID -> StoredEvent* chain: rows of UIDs no group has */
    Mirror *mirror;          /* NULL for a preview */
    GArray *batch;           /* PlannedWrite not yet sent to the mirror */
    Sweep *sweep;            /* read_and_plan()'s first sweep */
} ImportDiff;

/* group_file_events()'s work, and its thread when it has one. */
typedef struct {
    GPtrArray *raw_events;
    ImportDiff *diff;
    GThread *thread;
} GroupJob;

/* The fewest events grouped on a thread while the stored rows are read. */
#define GROUP_THREAD_EVENTS 8192

static void import_diff_clear(ImportDiff *diff)
{
    g_clear_pointer(&diff->sweep, sweep_free);
    g_clear_pointer(&diff->stored, g_array_unref);
    g_clear_pointer(&diff->strings, g_string_chunk_free);
    g_clear_pointer(&diff->file_by_uid, g_hash_table_unref);
    g_clear_pointer(&diff->repaired, g_hash_table_unref);
    g_clear_pointer(&diff->unmatched, g_hash_table_unref);
    g_clear_pointer(&diff->batch, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ImportDiff, import_diff_clear)

static void import_change_free(TendImportChange *change)
{
    g_free(change->uid);
    g_free(change->summary);
    g_free(change);
}

static void add_change(GPtrArray *changes, TendImportChangeKind kind, const char *uid,
                       const char *summary, gint64 start, gboolean all_day)
{
    TendImportChange *change = g_new0(TendImportChange, 1);
    change->kind = kind;
    change->uid = g_strdup(uid);
    change->summary = g_strdup(summary ? summary : "");
    change->start = start;
    change->all_day = all_day;
    g_ptr_array_add(changes, change);
}

static int compare_changes(gconstpointer a, gconstpointer b)
{
    const TendImportChange *x = *(TendImportChange *const *)a;
    const TendImportChange *y = *(TendImportChange *const *)b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return g_strcmp0(x->uid, y->uid);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The same hashes, as multisets. Sorts both arrays. */
static gboolean same_hashes(GPtrArray *x, GPtrArray *y)
{
    if (x->len != y->len)
        return FALSE;
    g_ptr_array_sort(x, compare_strings);
    g_ptr_array_sort(y, compare_strings);
    for (guint i = 0; i < x->len; i++)
        if (!g_str_equal(x->pdata[i], y->pdata[i]))
            return FALSE;
    return TRUE;
}

/* The unary + keeps SQLite off the (calendar_id, uid, recurrence_id) index: read in
 * rowid order the table needs no sort, which took half of this (100k events: 0.18 s
 * with the index and a sort, 0.08 s without). */
static gboolean load_stored(TendStore *store, gint64 calendar_id, ImportDiff *diff, GError **error)
{
    static char no_recurrence[] = ""; /* most rows'; never written to */
    g_autoptr(sqlite3_stmt) select =
        store_prepare(store,
                      "SELECT id, uid, recurrence_id, raw_hash, rrule IS NOT NULL "
                      "FROM events WHERE +calendar_id = ?1 ORDER BY id",
                      error);
    if (!select)
        return FALSE;
    sqlite3_bind_int64(select, 1, calendar_id);
    int rc;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
        const char *recurrence_id = store_column_text(select, 2);
        StoredEvent row = {
            .id = sqlite3_column_int64(select, 0),
            .uid = g_string_chunk_insert(diff->strings, store_column_text(select, 1)),
            .recurrence_id = *recurrence_id ? g_string_chunk_insert(diff->strings, recurrence_id)
                                            : no_recurrence,
            .hash = g_string_chunk_insert(diff->strings, store_column_text(select, 3)),
            .repeats = sqlite3_column_int(select, 4) != 0,
        };
        g_array_append_val(diff->stored, row);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the stored events");
    return TRUE;
}

/* Keeps calendars.longest exact. If nothing removed was as long as the stored longest, that
 * occurrence is still there and only what was written can exceed it. Otherwise another
 * occurrence as long usually remains, found in a moment (a calendar's all-day days are
 * all as long); only when none does are all the calendar's occurrences read again. */
static gboolean update_longest(TendStore *store, gint64 calendar_id, gint64 stored,
                               const OccurrenceWriter *writer, GError **error)
{
    gint64 longest = MAX(stored, writer->grown);
    if (writer->lost > 0 && writer->lost >= stored && longest == stored) {
        /* CROSS JOIN: through the occurrences, looking each event up by id */
        g_autoptr(sqlite3_stmt) kept = store_prepare(
            store,
            "SELECT EXISTS (SELECT 1 FROM occurrences o CROSS JOIN events e ON e.id = o.event_id "
            "WHERE o.end_utc - o.start_utc >= ?2 AND e.calendar_id = ?1)",
            error);
        g_autoptr(sqlite3_stmt) scan =
            kept ? store_prepare(store,
                                 "SELECT coalesce(max(o.end_utc - o.start_utc), 0) "
                                 "FROM occurrences o CROSS JOIN events e ON e.id = o.event_id "
                                 "WHERE e.calendar_id = ?1",
                                 error)
                 : NULL;
        if (!scan)
            return FALSE;
        sqlite3_bind_int64(kept, 1, calendar_id);
        sqlite3_bind_int64(kept, 2, stored);
        if (sqlite3_step(kept) != SQLITE_ROW)
            return store_set_error(store, error, "cannot read the stored occurrences");
        if (!sqlite3_column_int(kept, 0)) {
            sqlite3_bind_int64(scan, 1, calendar_id);
            if (sqlite3_step(scan) != SQLITE_ROW)
                return store_set_error(store, error, "cannot read the stored occurrences");
            longest = sqlite3_column_int64(scan, 0);
        }
    }
    if (longest == stored)
        return TRUE;
    g_autoptr(sqlite3_stmt) set =
        store_prepare(store, "UPDATE calendars SET longest = ?2 WHERE id = ?1", error);
    if (!set)
        return FALSE;
    sqlite3_bind_int64(set, 1, calendar_id);
    sqlite3_bind_int64(set, 2, longest);
    if (sqlite3_step(set) != SQLITE_DONE)
        return store_set_error(store, error, "cannot record the calendar");
    return TRUE;
}

static gboolean mirror_open(Mirror *mirror, TendStore *store, gint64 anchor, const char *name,
                            const char *source, GError **error)
{
    mirror->store = store;
    /* A first import of a large export writes tens of megabytes in one transaction;
     * with SQLite's 2 MB cache the pages spill to the WAL and are read back. */
    if (!store_exec(store, "PRAGMA cache_size = -65536", error))
        return FALSE;
    g_autoptr(sqlite3_stmt) cal =
        store_prepare(store,
                      "INSERT INTO calendars (name, source, imported_at) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT (name) DO UPDATE SET source = excluded.source, "
                      "imported_at = excluded.imported_at RETURNING id, longest",
                      error);
    if (!cal)
        return FALSE;
    sqlite3_bind_text(cal, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(cal, 2, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(cal, 3, anchor);
    if (sqlite3_step(cal) != SQLITE_ROW)
        return store_set_error(store, error, "cannot record the calendar");
    mirror->calendar_id = sqlite3_column_int64(cal, 0);
    mirror->longest = sqlite3_column_int64(cal, 1);
    if (sqlite3_step(cal) != SQLITE_DONE)
        return store_set_error(store, error, "cannot record the calendar");

    mirror->insert = store_prepare(
        store,
        "INSERT INTO events (calendar_id, uid, recurrence_id, sequence, summary, location, "
        "start_utc, end_utc, all_day, tzid, rrule, transparent, raw, raw_hash, occurrences) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        error);
    if (mirror->insert)
        /* A row is updated by the event with its calendar, UID and RECURRENCE-ID
         * (find_stored()), so those three (?1 to ?3) are left as they are: setting them,
         * even to the same values, rewrites the row's entry in their index. */
        mirror->update = store_prepare(
            store,
            "UPDATE events SET sequence = ?4, summary = ?5, location = ?6, start_utc = ?7, "
            "end_utc = ?8, all_day = ?9, tzid = ?10, rrule = ?11, transparent = ?12, "
            "raw = ?13, raw_hash = ?14, occurrences = ?15 WHERE id = ?16",
            error);
    if (mirror->update)
        mirror->remove = store_prepare(store, "DELETE FROM events WHERE id = ?1", error);
    if (!mirror->remove || !occurrence_writer_init(&mirror->occurrences, store, error))
        return FALSE;
    /* The writer is about to have the connection to itself (see Mirror): a statement of
     * this thread's still part-way through would be finished or finalized while the
     * writer runs, by two threads at once. (One was, on the path that starts again, and
     * SQLite crashed later, finding its list of cursors broken.) */
    if (!store_idle(store)) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL,
                    "a database statement is still in progress; the import cannot start");
        return FALSE;
    }
    return TRUE;
}

static gboolean mirror_write(Mirror *mirror, const PlannedWrite *write, GError **error)
{
    ParsedEvent *event = write->event;
    gint64 event_id = write->row_id;
    OccurrenceWriter *occurrences = &mirror->occurrences;
    gboolean fresh = event_id == 0;
    if (!fresh && !read_stored_occurrences(occurrences, event_id, error))
        return FALSE;
    if (!write->changed) {
        /* the window moves with time, so an unchanged event may need new dates */
        return occurrences_equal(occurrences->stored, event->occurrences) ||
               rewrite_occurrences(occurrences, event_id, event, error);
    }
    if (!fresh && !delete_stored_occurrences(occurrences, event_id, error))
        return FALSE;
    sqlite3_stmt *stmt = fresh ? mirror->insert : mirror->update;
    sqlite3_reset(stmt);
    bind_event(stmt, mirror->calendar_id, event);
    bind_occurrence_list(occurrences, stmt, 15, event, event->start.value, event->end);
    if (!fresh)
        sqlite3_bind_int64(stmt, 16, event_id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(mirror->store, error,
                               fresh ? "cannot store an event" : "cannot update an event");
    if (fresh)
        event_id = sqlite3_last_insert_rowid(store_db(mirror->store));
    return insert_occurrences(occurrences, event_id, event->occurrences, error);
}

static gpointer mirror_thread(gpointer data)
{
    Mirror *mirror = data;
    for (guint chunk = 0; mirror->sweep && chunk < mirror->sweep->chunks; chunk++) {
        g_autoptr(GArray) batch = sweep_take(mirror->sweep, chunk);
        for (guint i = 0; !mirror->error && i < batch->len; i++)
            mirror_write(mirror, &g_array_index(batch, PlannedWrite, i), &mirror->error);
        if (mirror->error)
            sweep_fail(mirror->sweep);
    }
    for (;;) {
        GArray *batch = g_async_queue_pop(mirror->queue);
        gboolean last = batch->len == 0;
        for (guint i = 0; !mirror->error && i < batch->len; i++)
            mirror_write(mirror, &g_array_index(batch, PlannedWrite, i), &mirror->error);
        g_array_unref(batch);
        if (last) {
            if (!mirror->error)
                flush_occurrences(&mirror->occurrences, &mirror->error);
            return NULL;
        }
    }
}

static void mirror_start(Mirror *mirror)
{
    mirror->queue = g_async_queue_new();
    mirror->thread = g_thread_new("tend-import-writer", mirror_thread, mirror);
}

/* Hands @batch (PlannedWrite) to the writer, which frees it. */
static void mirror_send(Mirror *mirror, GArray *batch)
{
    if (batch->len > 0)
        g_async_queue_push(mirror->queue, batch);
    else
        g_array_unref(batch);
}

/* Waits for the writer to finish what it was sent; the store is this thread's again. */
static gboolean mirror_stop(Mirror *mirror, GError **error)
{
    if (mirror->thread) {
        g_async_queue_push(mirror->queue, planned_writes_new(0));
        g_thread_join(g_steal_pointer(&mirror->thread));
    }
    g_clear_pointer(&mirror->queue, g_async_queue_unref);
    if (mirror->error) {
        g_propagate_error(error, g_steal_pointer(&mirror->error));
        return FALSE;
    }
    return TRUE;
}

/* Removes the stored events the file no longer has and keeps the longest span exact. */
static gboolean mirror_finish(Mirror *mirror, const ImportDiff *diff, GError **error)
{
    for (guint i = 0; i < diff->stored->len; i++) {
        StoredEvent *row = &g_array_index(diff->stored, StoredEvent, i);
        if (row->seen)
            continue;
        if (!read_stored_occurrences(&mirror->occurrences, row->id, error) ||
            !delete_stored_occurrences(&mirror->occurrences, row->id, error))
            return FALSE;
        sqlite3_reset(mirror->remove);
        sqlite3_bind_int64(mirror->remove, 1, row->id);
        if (sqlite3_step(mirror->remove) != SQLITE_DONE)
            return store_set_error(mirror->store, error, "cannot remove an event");
    }
    return flush_occurrences(&mirror->occurrences, error) &&
           update_longest(mirror->store, mirror->calendar_id, mirror->longest, &mirror->occurrences,
                          error);
}

static void mirror_clear(Mirror *mirror)
{
    mirror_stop(mirror, NULL);
    g_clear_error(&mirror->error);
    g_clear_pointer(&mirror->insert, sqlite3_finalize);
    g_clear_pointer(&mirror->update, sqlite3_finalize);
    g_clear_pointer(&mirror->remove, sqlite3_finalize);
    occurrence_writer_clear(&mirror->occurrences);
    if (mirror->store)
        store_exec(mirror->store, "PRAGMA cache_size = -2000", NULL);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Mirror, mirror_clear)

/* Counts @event (read by libical and expanded) as added, updated or unchanged and, when
 * the import writes, adds its write to @batch; an @owned event goes with it, or is freed
 * here. Parser threads call it at once: each has its own @result and @batch, and the
 * rows they look up are their events' own. */
/* The stored row @event replaces, if any: a row whose UID the file has hangs off that
 * UID's group, the others are in diff->unmatched. Only looks, so parsers may call it
 * at once. */
static StoredEvent *find_stored(const ImportDiff *diff, const ParsedEvent *event)
{
    RawEvent *group = g_hash_table_lookup(diff->file_by_uid, event->uid);
    StoredEvent *row = group ? group->stored : g_hash_table_lookup(diff->unmatched, event->uid);
    while (row && strcmp(row->recurrence_id, event->recurrence_id) != 0)
        row = row->next_same_uid;
    return row;
}

static void plan_event(ImportDiff *diff, ParsedEvent *event, gboolean owned,
                       TendImportResult *result, GArray *batch)
{
    PlannedWrite write = {.event = event, .owned = owned, .changed = TRUE};
    StoredEvent *row = event->dropped ? NULL : find_stored(diff, event);
    /* read twice under two UIDs: the first one counts */
    if (event->dropped || (row && row->seen)) {
        planned_write_clear(&write);
        return;
    }
    write.row_id = row ? row->id : 0;
    if (row) {
        row->seen = TRUE;
        write.changed = !g_str_equal(row->hash, event->raw_hash);
    }
    if (!write.changed) {
        result->unchanged++;
    } else {
        if (row)
            result->updated++;
        else
            result->added++;
        add_change(result->changes, row ? TEND_IMPORT_UPDATED : TEND_IMPORT_ADDED, event->uid,
                   event->summary, event->start.value, event->start.is_date);
    }
    if (diff->mirror)
        g_array_append_val(batch, write);
    else
        planned_write_clear(&write);
}

/* Groups the file's events by the UID they name (diff->file_by_uid); one whose text needed
 * repair is always read (and its UID goes to diff->repaired: no event sharing it counts as
 * alone). Touches only the raw events and those two tables, so it may run on a thread of
 * its own while the stored rows are read (see group_start()). */
static gpointer group_file_events(gpointer data)
{
    GroupJob *job = data;
    for (guint i = 0; i < job->raw_events->len; i++) {
        RawEvent *raw = job->raw_events->pdata[i];
        if (!raw->clean || !raw->uid) {
            raw->parse = TRUE;
            if (raw->uid)
                g_hash_table_add(job->diff->repaired, raw->uid);
            continue;
        }
        raw->next_same_uid = g_hash_table_lookup(job->diff->file_by_uid, raw->uid);
        if (raw->next_same_uid)
            raw->next_same_uid->head = FALSE;
        raw->head = TRUE;
        g_hash_table_insert(job->diff->file_by_uid, raw->uid, raw);
    }
    return NULL;
}

/* Starts group_file_events() for @st's events: on a thread when there are many and a
 * second core, else at once. group_finish() must follow on every path. */
static void group_start(GroupJob *job, ImportState *st, ImportDiff *diff)
{
    diff->file_by_uid = g_hash_table_new(g_str_hash, g_str_equal);
    diff->repaired = g_hash_table_new(g_str_hash, g_str_equal);
    *job = (GroupJob){.raw_events = st->raw_events, .diff = diff};
    if (st->raw_events->len >= GROUP_THREAD_EVENTS && g_get_num_processors() > 1)
        job->thread = g_thread_new("tend-import-group", group_file_events, job);
    else
        group_file_events(job);
}

static void group_finish(GroupJob *job)
{
    if (job->thread)
        g_thread_join(g_steal_pointer(&job->thread));
}

/* After group_file_events(), marks the UID groups of the file whose events all hash as
 * stored: unchanged (their rows seen), and left unread. The others are marked to be
 * parsed, and unless @careful those alone with their UID (most events) marked to be read
 * and planned one by one. */
static void choose_unchanged(ImportState *st, ImportDiff *diff, gboolean moved, gboolean careful,
                             TendImportResult *result)
{
    GHashTable *file_by_uid = diff->file_by_uid;
    /* The stored rows join the groups; rows of UIDs no group has (the file lacks them, or
     * only on events to be repaired) go to diff->unmatched, and unless an event read
     * names them, stay unseen: removed. The rows come in the order they were written,
     * which is mostly the file's: the event after the last group found is tried first,
     * and the table is asked only when that is not the row's group (100,000 lookups,
     * each missing the cache, took 13 ms). */
    guint next = 0; /* in st->raw_events */
    for (guint i = 0; i < diff->stored->len; i++) {
        StoredEvent *row = &g_array_index(diff->stored, StoredEvent, i);
        RawEvent *group = next < st->raw_events->len ? st->raw_events->pdata[next] : NULL;
        if (!group || !group->head || strcmp(group->uid, row->uid) != 0)
            group = g_hash_table_lookup(file_by_uid, row->uid);
        if (group) {
            next = group->index + 1;
            row->next_same_uid = group->stored;
            group->stored = row;
        } else {
            row->next_same_uid = g_hash_table_lookup(diff->unmatched, row->uid);
            g_hash_table_insert(diff->unmatched, row->uid, row);
        }
    }

    for (guint i = 0; i < st->raw_events->len; i++) {
        RawEvent *group = st->raw_events->pdata[i];
        if (!group->head)
            continue;
        StoredEvent *rows = group->stored;
        guint in_file = 0, in_store = 0;
        gboolean repeats = FALSE;
        for (RawEvent *raw = group; raw; raw = raw->next_same_uid)
            in_file++;
        for (StoredEvent *row = rows; row; row = row->next_same_uid) {
            in_store++;
            repeats = repeats || row->repeats;
        }
        gboolean unchanged = rows && in_store == in_file && !(moved && repeats);
        if (unchanged && in_file == 1) {
            unchanged = g_str_equal(group->hash, rows->hash);
        } else if (unchanged) {
            g_autoptr(GPtrArray) file_hashes = g_ptr_array_new();
            g_autoptr(GPtrArray) stored_hashes = g_ptr_array_new();
            for (RawEvent *raw = group; raw; raw = raw->next_same_uid)
                g_ptr_array_add(file_hashes, raw->hash);
            for (StoredEvent *row = rows; row; row = row->next_same_uid)
                g_ptr_array_add(stored_hashes, row->hash);
            unchanged = same_hashes(file_hashes, stored_hashes);
        }
        for (RawEvent *raw = group; raw; raw = raw->next_same_uid)
            raw->parse = !unchanged;
        group->alone = !careful && !unchanged && in_file == 1 &&
                       !g_hash_table_contains(diff->repaired, group->uid);
        if (unchanged) {
            for (StoredEvent *row = rows; row; row = row->next_same_uid)
                row->seen = TRUE;
            result->unchanged += in_store;
        }
    }
}

/* One parser of the first sweep, with the import's state or a copy of its own. */
typedef struct {
    ImportState *st;
    ImportDiff *diff;
    Sweep *sweep;
    TendImportResult *result; /* counts and changes */
    GPtrArray *later;         /* read under another UID than written: for the second sweep */
} Parser;

static gpointer parser_run(gpointer data)
{
    Parser *parser = data;
    ImportState *st = parser->st;
    Sweep *sweep = parser->sweep;
    EventReader reader;
    event_reader_init(&reader);
    for (;;) {
        guint chunk = (guint)g_atomic_int_add(&sweep->next, 1);
        if (chunk >= sweep->chunks)
            break;
        GArray *batch = planned_writes_new(SWEEP_CHUNK);
        guint end = MIN(sweep->raws->len, (chunk + 1) * SWEEP_CHUNK);
        if (g_atomic_int_get(&sweep->failed))
            end = 0; /* every chunk is still published, empty, for the writer to take */
        for (guint i = chunk * SWEEP_CHUNK; i < end; i++) {
            RawEvent *raw = sweep->raws->pdata[i];
            guint before = st->events->len;
            event_reader_read(st, &reader, raw);
            if (st->events->len == before)
                continue; /* skipped, with a warning */
            /* its write owns it, so the writer frees it as it goes */
            ParsedEvent *event = g_ptr_array_steal_index(st->events, before);
            if (!g_str_equal(event->uid, raw->uid)) {
                g_ptr_array_add(parser->later, event);
                continue;
            }
            raw->streamed = TRUE;
            event_expand(st, event, NULL);
            plan_event(parser->diff, event, TRUE, parser->result, batch);
        }
        sweep_publish(sweep, chunk, batch);
    }
    event_reader_clear(&reader);
    return NULL;
}

/* Reads the chosen raw events with libical, expands them and plans their writes. An
 * event alone with its UID needs no other to be expanded (overrides share the UID), so
 * those are read first, by this thread and a parser thread of their own each planning
 * as it reads while the writer writes; the events that share a UID are read after them,
 * in file order, and expanded together, as every event was before there were threads.
 * That rests on libical reading each UID as the first pass did. FALSE when it did not
 * (a UID with odd parameters, say): what was planned may be wrong, and the caller starts
 * again with nothing alone. */
static gboolean read_and_plan(ImportState *st, ImportDiff *diff, Sweep *sweep,
                              GHashTable *file_by_uid, TendImportResult *result)
{
    icalerrorstate saved = icalerror_get_error_state(ICAL_MALFORMEDDATA_ERROR);
    icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, ICAL_ERROR_NONFATAL);
    g_autoptr(GPtrArray) later = g_ptr_array_new(); /* alone, but read under another UID */
    Parser parser = {.st = st, .diff = diff, .sweep = sweep, .result = result, .later = later};

    /* A second parser when there is a second core and more than a chunk to read. */
    ImportState copy = *st;
    TendImportResult counts = {.changes = g_ptr_array_new()};
    Parser helper = {
        .st = &copy, .diff = diff, .sweep = sweep, .result = &counts, .later = g_ptr_array_new()};
    GThread *thread = NULL;
    if (sweep->chunks > 1 && g_get_num_processors() > 1) {
        ZoneTable *zones = g_new0(ZoneTable, 1);
        zone_table_copy(zones, &st->zones);
        if (!st->worker_zones)
            st->worker_zones = g_ptr_array_new_with_free_func((GDestroyNotify)zone_table_free);
        g_ptr_array_add(st->worker_zones, zones);
        copy.zones = *zones;
        copy.events = g_ptr_array_new();
        copy.warnings = g_ptr_array_new();
        copy.skipped = 0;
        /* libical sets its UTC zone up on first use without a lock: do it here, once.
         * (libical itself also saves, sets and restores the process-wide error state
         * around some values, TRIGGER among them; it sets the value set above, so two
         * threads doing so change nothing.) */
        (void)icaltimezone_get_utc_timezone();
        thread = g_thread_new("tend-import-parser", parser_run, &helper);
    }
    parser_run(&parser);
    if (thread) {
        g_thread_join(thread);
        g_ptr_array_extend_and_steal(st->events, copy.events);
        g_ptr_array_extend_and_steal(st->warnings, copy.warnings);
        st->skipped += copy.skipped;
        result->added += counts.added;
        result->updated += counts.updated;
        result->unchanged += counts.unchanged;
        g_ptr_array_extend_and_steal(result->changes, g_steal_pointer(&counts.changes));
        g_ptr_array_extend(later, helper.later, NULL, NULL);
    }
    g_clear_pointer(&counts.changes, g_ptr_array_unref);
    g_ptr_array_unref(helper.later);
    gboolean premise = later->len == 0;
    /* the state owns them now, and frees them if the import starts again */
    g_ptr_array_extend(st->events, later, NULL, NULL);

    guint first = st->events->len;
    EventReader reader;
    event_reader_init(&reader);
    for (guint i = 0; premise && i < st->raw_events->len; i++) {
        RawEvent *raw = st->raw_events->pdata[i];
        if (raw->parse && !raw->alone)
            event_reader_read(st, &reader, raw);
    }
    event_reader_clear(&reader);
    icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, saved);
    for (guint i = first; premise && i < st->events->len; i++) {
        RawEvent *planned =
            g_hash_table_lookup(file_by_uid, ((ParsedEvent *)st->events->pdata[i])->uid);
        premise = !(planned && planned->streamed);
    }
    if (!premise)
        return FALSE;
    expand_events(st, first);
    for (guint i = first; i < st->events->len; i++) {
        plan_event(diff, st->events->pdata[i], FALSE, result, diff->batch);
        if (diff->mirror && diff->batch->len >= MIRROR_BATCH) {
            mirror_send(diff->mirror, g_steal_pointer(&diff->batch));
            diff->batch = planned_writes_new(MIRROR_BATCH);
        }
    }
    return TRUE;
}

/* Counts and describes the stored events the file no longer has, before
 * mirror_finish() removes them. */
static gboolean report_removed(TendStore *store, const ImportDiff *diff, TendImportResult *result,
                               GError **error)
{
    g_autoptr(sqlite3_stmt) select = NULL;
    for (guint i = 0; i < diff->stored->len; i++) {
        StoredEvent *row = &g_array_index(diff->stored, StoredEvent, i);
        if (row->seen)
            continue;
        if (!select &&
            !(select = store_prepare(
                  store, "SELECT summary, start_utc, all_day FROM events WHERE id = ?1", error)))
            return FALSE;
        sqlite3_reset(select);
        sqlite3_bind_int64(select, 1, row->id);
        if (sqlite3_step(select) != SQLITE_ROW)
            return store_set_error(store, error, "cannot read the stored events");
        result->removed++;
        add_change(result->changes, TEND_IMPORT_REMOVED, row->uid, store_column_text(select, 0),
                   sqlite3_column_int64(select, 1), sqlite3_column_int(select, 2) != 0);
    }
    return TRUE;
}

/* Sets diff->calendar_id to the stored calendar @name's (0 for none) and diff->anchor to
 * the time its expansion window is around, *@out_moved when that is not the window its
 * stored repeats have. Its statement is gone on return: the writer, started after, must
 * have the connection to itself. */
static gboolean read_calendar(TendStore *store, const char *name, gint64 now, ImportDiff *diff,
                              gboolean *out_moved, GError **error)
{
    diff->calendar_id = 0;
    diff->anchor = now;
    *out_moved = TRUE;
    g_autoptr(sqlite3_stmt) cal =
        store_prepare(store, "SELECT id, imported_at FROM calendars WHERE name = ?1", error);
    if (!cal)
        return FALSE;
    sqlite3_bind_text(cal, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(cal);
    if (rc == SQLITE_ROW) {
        diff->calendar_id = sqlite3_column_int64(cal, 0);
        gint64 imported_at = sqlite3_column_int64(cal, 1);
        /* Keep the window the stored repeats were worked out for while it is fresh, so
         * an unchanged repeating event needs no work; after a while move it on. */
        if (imported_at <= now &&
            now - imported_at < TEND_ICAL_WINDOW_KEEP_DAYS * TEND_DAY_SECONDS) {
            diff->anchor = imported_at;
            *out_moved = FALSE;
        }
    } else if (rc != SQLITE_DONE) {
        return store_set_error(store, error, "cannot read the calendars");
    }
    return TRUE;
}

/* Works out what mirroring the batch into the calendar @name changes and, given a
 * @mirror (inside the caller's transaction), writes it. A UID whose events all hash as
 * stored is unchanged without libical reading it; the others are read, expanded and
 * written here. Fills the counts and changes of @result. FALSE with no error and
 * *@out_retry set when the import must start again, @careful (see read_and_plan()). */
static gboolean import_mirror(TendStore *store, ImportState *st, const char *name,
                              const char *source, gint64 now, gboolean careful, Mirror *mirror,
                              ImportDiff *diff, TendImportResult *result, gboolean *out_retry,
                              GError **error)
{
    diff->stored = g_array_new(FALSE, TRUE, sizeof(StoredEvent));
    diff->strings = g_string_chunk_new(64 * 1024);
    diff->batch = planned_writes_new(MIRROR_BATCH);
    gboolean moved; /* the window is not the one the stored repeats have */
    GroupJob grouping;
    group_start(&grouping, st, diff);
    gboolean ok = read_calendar(store, name, now, diff, &moved, error) &&
                  (!diff->calendar_id || load_stored(store, diff->calendar_id, diff, error));
    group_finish(&grouping);
    if (!ok)
        return FALSE;
    st->window_start = diff->anchor - TEND_ICAL_WINDOW_PAST_DAYS * TEND_DAY_SECONDS;
    st->window_end = diff->anchor + TEND_ICAL_WINDOW_FUTURE_DAYS * TEND_DAY_SECONDS;
    diff->unmatched = g_hash_table_new(g_str_hash, g_str_equal);
    choose_unchanged(st, diff, moved, careful, result);

    diff->sweep = sweep_new(st);
    if (mirror) {
        if (!mirror_open(mirror, store, diff->anchor, name, source, error))
            return FALSE;
        diff->mirror = mirror;
        mirror->sweep = diff->sweep;
        mirror_start(mirror);
    }
    /* nothing may return between here and there: the writer waits for every chunk */
    if (!read_and_plan(st, diff, diff->sweep, diff->file_by_uid, result)) {
        *out_retry = TRUE;
        return FALSE;
    }
    if (mirror) {
        mirror_send(mirror, g_steal_pointer(&diff->batch));
        if (!mirror_stop(mirror, error))
            return FALSE;
    }
    if (!report_removed(store, diff, result, error))
        return FALSE;
    if (mirror) {
        if (!mirror_finish(mirror, diff, error))
            return FALSE;
        diff->calendar_id = mirror->calendar_id;
    }
    g_ptr_array_sort(result->changes, compare_changes);
    return TRUE;
}

/* ---------------------------------------------------------------------------
 * Reading the file
 * ------------------------------------------------------------------------- */

/* The smallest file read in two halves at once. */
#define READ_HALVES_BYTES (8u << 20)

/* One half of a file read on a thread of its own (see read_halves()). */
typedef struct {
    int fd;
    char *into;
    gsize offset;
    gsize len;
    gsize got;
    int error; /* errno, or 0 */
} ReadPart;

static gpointer read_part(gpointer data)
{
    ReadPart *part = data;
    while (part->got < part->len) {
        ssize_t n = pread(part->fd, part->into + part->got, part->len - part->got,
                          (off_t)(part->offset + part->got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            part->error = n < 0 ? errno : 0;
            break;
        }
        part->got += (gsize)n;
    }
    return NULL;
}

/* Reads the first @size bytes of a large file into @data in two halves at once, a core
 * each (copying from the page cache and faulting the buffer in take one core some 30 ms
 * on 64 MB), leaves the file offset after them and sets *@out_len. A smaller file, or
 * one that shrank meanwhile, is left to the caller's reading from the start (*@out_len
 * 0). FALSE with errno set on a read error. */
static gboolean read_halves(int fd, char *data, gsize size, gsize *out_len)
{
    *out_len = 0;
    if (size < READ_HALVES_BYTES || g_get_num_processors() < 2)
        return TRUE;
    ReadPart first = {.fd = fd, .into = data, .offset = 0, .len = size / 2};
    ReadPart second = {
        .fd = fd, .into = data + size / 2, .offset = size / 2, .len = size - size / 2};
    GThread *thread = g_thread_new("tend-import-read", read_part, &second);
    read_part(&first);
    g_thread_join(thread);
    if (first.error || second.error) {
        errno = first.error ? first.error : second.error;
        return FALSE;
    }
    if (first.got < first.len || second.got < second.len)
        return lseek(fd, 0, SEEK_SET) == 0;
    *out_len = size;
    return lseek(fd, (off_t)size, SEEK_SET) == (off_t)size;
}

static gboolean read_file_checked(const char *path, char **out_data, gsize *out_len, GError **error)
{
    /* O_NONBLOCK so a FIFO cannot hang us; it has no effect on regular files */
    int fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
    if (fd < 0) {
        int saved = errno;
        g_autofree char *reason = g_ascii_strdown(g_strerror(saved), -1);
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ,
                    "cannot read '%s': %s; check the name and try again", path, reason);
        return FALSE;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        gboolean dir = S_ISDIR(st.st_mode);
        close(fd);
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ,
                    dir ? "'%s' is a folder, not an iCalendar file; give the path of a .ics file"
                        : "'%s' is not a regular file; give the path of a .ics file",
                    path);
        return FALSE;
    }
    if ((guint64)st.st_size > TEND_ICAL_MAX_FILE_BYTES) {
        close(fd);
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s' is larger than %" G_GSIZE_FORMAT " MiB, more than tend can import", path,
                    TEND_ICAL_MAX_FILE_BYTES / (1024 * 1024));
        return FALSE;
    }
    gsize capacity = (gsize)st.st_size + 1, len = 0;
    char *data = g_malloc(capacity + 1);
    gboolean ok = read_halves(fd, data, (gsize)st.st_size, &len);
    while (ok) {
        if (len == capacity) {
            if (capacity > TEND_ICAL_MAX_FILE_BYTES) {
                g_free(data);
                close(fd);
                g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                            "'%s' is larger than %" G_GSIZE_FORMAT
                            " MiB, more than tend can import",
                            path, TEND_ICAL_MAX_FILE_BYTES / (1024 * 1024));
                return FALSE;
            }
            capacity *= 2;
            data = g_realloc(data, capacity + 1);
        }
        ssize_t n = read(fd, data + len, capacity - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        len += (gsize)n;
    }
    if (!ok) {
        int saved = errno;
        g_free(data);
        close(fd);
        g_autofree char *reason = g_ascii_strdown(g_strerror(saved), -1);
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ, "cannot read '%s': %s", path,
                    reason);
        return FALSE;
    }
    close(fd);
    data[len] = '\0';
    *out_data = data;
    *out_len = len;
    return TRUE;
}

static char *default_calendar_name(const char *path)
{
    g_autofree char *base = g_path_get_basename(path);
    gsize len = strlen(base);
    if (len > 4 && g_ascii_strcasecmp(base + len - 4, ".ics") == 0)
        base[len - 4] = '\0';
    return g_steal_pointer(&base);
}

static int compare_warnings(gconstpointer a, gconstpointer b)
{
    const Warning *x = *(Warning *const *)a, *y = *(Warning *const *)b;
    return x->line < y->line ? -1 : x->line > y->line;
}

void import_result_clear(TendImportResult *result)
{
    g_clear_pointer(&result->calendar, g_free);
    g_clear_pointer(&result->warnings, g_ptr_array_unref);
    g_clear_pointer(&result->changes, g_ptr_array_unref);
    memset(result, 0, sizeof *result);
}

/* A file scanned, not yet read by libical nor written: everything but the store. */
struct _TendImportBatch {
    ImportState st;
    char *path;
    char *display;
    char *data; /* the whole file */
    gint64 now;
    gboolean used; /* applied or previewed: the events have been read */
};

void ical_import_batch_free(TendImportBatch *batch)
{
    if (!batch)
        return;
    import_state_clear(&batch->st);
    g_free(batch->path);
    g_free(batch->display);
    g_free(batch->data);
    g_free(batch);
}

static TendImportBatch *import_read_data(const TendContext *ctx, const char *path, char *data,
                                         gsize len, GError **error)
{
    if (!crypto_load(error)) {
        g_free(data);
        return NULL;
    }
    g_autoptr(TendImportBatch) batch = g_new0(TendImportBatch, 1);
    batch->path = g_strdup(path);
    batch->display = g_path_get_basename(path);
    batch->data = data;
    batch->now = tend_clock_now(&ctx->clock);
    const char *text = data;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    batch->st = (ImportState){
        .path = batch->path,
        .display = batch->display,
        .data = text,
        .len = len,
        .raw_events = g_ptr_array_new(),
        .names = g_string_chunk_new(256),
        .events = g_ptr_array_new_with_free_func((GDestroyNotify)parsed_event_free),
        .warnings = g_ptr_array_new_with_free_func((GDestroyNotify)warning_free),
    };
    zone_table_init(&batch->st.zones, ctx->tz);
    if (!scan_calendar_text(&batch->st, error))
        return NULL;
    batch->st.scan_warnings = batch->st.warnings->len;
    batch->st.scan_skipped = batch->st.skipped;
    return g_steal_pointer(&batch);
}

TendImportBatch *ical_import_read(const TendContext *ctx, const char *path, GError **error)
{
    char *data = NULL;
    gsize len = 0;
    if (!read_file_checked(path, &data, &len, error))
        return NULL;
    return import_read_data(ctx, path, data, len, error);
}

TendImportBatch *ical_import_read_data(const TendContext *ctx, const char *name, const char *data,
                                       gsize len, GError **error)
{
    if (len > TEND_ICAL_MAX_FILE_BYTES) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s' is larger than %" G_GSIZE_FORMAT " MiB, more than tend can import", name,
                    TEND_ICAL_MAX_FILE_BYTES / (1024 * 1024));
        return NULL;
    }
    char *copy = g_malloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    return import_read_data(ctx, name, copy, len, error);
}

guint ical_import_batch_count(const TendImportBatch *batch)
{
    return batch->st.raw_events->len;
}

/* The diff, and with @store_changes the writes, shared by apply and preview. */
static gboolean import_run(TendStore *store, TendImportBatch *batch, const char *calendar_name,
                           gboolean store_changes, TendImportResult *out_result, GError **error)
{
    g_return_val_if_fail(!batch->used, FALSE);
    batch->used = TRUE;
    ImportState *st = &batch->st;
    TendImportResult result = {0};
    result.dry_run = !store_changes;
    result.changes = g_ptr_array_new_with_free_func((GDestroyNotify)import_change_free);
    if (calendar_name && *calendar_name)
        result.calendar = g_strdup(calendar_name);
    else if (st->calendar_name)
        result.calendar = g_strdup(st->calendar_name);
    else
        result.calendar = default_calendar_name(batch->path);
    g_autofree char *source = g_canonicalize_filename(batch->path, NULL);
    g_auto(ImportDiff) diff = {0};
    g_auto(Mirror) mirror = {0};
    /* The transaction holds from the first read, so the diff is the one written. */
    gboolean retry = FALSE;
    gboolean ok = !store_changes || store_begin(store, error);
    ok = ok && import_mirror(store, st, result.calendar, source, batch->now, FALSE,
                             store_changes ? &mirror : NULL, &diff, &result, &retry, error);
    if (!ok && retry) {
        mirror_clear(&mirror);
        mirror = (Mirror){0};
        import_diff_clear(&diff);
        diff = (ImportDiff){0};
        if (store_changes)
            store_rollback(store);
        import_state_restart(st);
        result.added = result.updated = result.removed = result.unchanged = 0;
        g_ptr_array_set_size(result.changes, 0);
        ok = (!store_changes || store_begin(store, error)) &&
             import_mirror(store, st, result.calendar, source, batch->now, TRUE,
                           store_changes ? &mirror : NULL, &diff, &result, &retry, error);
    }
    result.calendar_id = diff.calendar_id;
    ok = ok && (!store_changes || store_commit(store, error));
    if (!ok) {
        mirror_clear(&mirror); /* the writer is done before the rollback */
        store_rollback(store);
        g_prefix_error(error, "cannot import '%s': ", batch->path);
        import_result_clear(&result);
        return FALSE;
    }
    g_ptr_array_sort(st->warnings, compare_warnings);
    result.warnings = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < st->warnings->len; i++) {
        Warning *warning = st->warnings->pdata[i];
        g_ptr_array_add(result.warnings, g_strdup(warning->text));
    }
    result.skipped = st->skipped;
    *out_result = result;
    return TRUE;
}

gboolean ical_import_apply(TendStore *store, TendImportBatch *batch, const char *calendar_name,
                           TendImportResult *out_result, GError **error)
{
    return import_run(store, batch, calendar_name, TRUE, out_result, error);
}

gboolean ical_import_preview(TendStore *store, TendImportBatch *batch, const char *calendar_name,
                             TendImportResult *out_result, GError **error)
{
    return import_run(store, batch, calendar_name, FALSE, out_result, error);
}

gboolean ical_import_file(TendStore *store, const TendContext *ctx, const char *path,
                          const char *calendar_name, TendImportResult *out_result, GError **error)
{
    g_autoptr(TendImportBatch) batch = ical_import_read(ctx, path, error);
    return batch && ical_import_apply(store, batch, calendar_name, out_result, error);
}

/* ---------------------------------------------------------------------------
 * Repeats on demand, for windows the stored expansion does not cover
 * ------------------------------------------------------------------------- */

gboolean ical_window_covers(gint64 imported_at, gint64 from, gint64 to)
{
    return from >= imported_at - (TEND_ICAL_WINDOW_PAST_DAYS - 1) * TEND_DAY_SECONDS &&
           to <= imported_at + (TEND_ICAL_WINDOW_FUTURE_DAYS - 1) * TEND_DAY_SECONDS;
}

/* A stored RECURRENCE-ID ("20261229T220000Z" or "20261229") as an excluded slot. */
static gboolean recurrence_from_stored(const char *text, ResolvedTime *out)
{
    int y, m, d, hh = 0, mm = 0, ss = 0;
    gboolean is_date = strlen(text) == 8;
    if (is_date ? sscanf(text, "%4d%2d%2d", &y, &m, &d) != 3
                : sscanf(text, "%4d%2d%2dT%2d%2d%2dZ", &y, &m, &d, &hh, &mm, &ss) != 6)
        return FALSE;
    *out = (ResolvedTime){0};
    out->is_date = is_date;
    out->wall = tend_days_from_civil(y, m, d) * TEND_DAY_SECONDS + hh * 3600 + mm * 60 + ss;
    out->value = out->wall;
    return TRUE;
}

static gboolean load_stored_overrides(TendStore *store, gint64 calendar_id, GHashTable *overrides,
                                      GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT uid, recurrence_id FROM events WHERE calendar_id = ?1 AND "
                      "recurrence_id != ''",
                      error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, calendar_id);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ParsedEvent *slot = g_new0(ParsedEvent, 1);
        if (!recurrence_from_stored(store_column_text(stmt, 1), &slot->recurrence)) {
            parsed_event_free(slot);
            continue;
        }
        const char *uid = store_column_text(stmt, 0);
        GPtrArray *list = g_hash_table_lookup(overrides, uid);
        if (!list) {
            list = g_ptr_array_new_with_free_func((GDestroyNotify)parsed_event_free);
            g_hash_table_insert(overrides, g_strdup(uid), list);
        }
        g_ptr_array_add(list, slot);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the stored events");
    return TRUE;
}

gboolean ical_expand_stored(TendStore *store, const TendContext *ctx, gint64 calendar_id,
                            gint64 from, gint64 to, GArray *out_occurrences,
                            GHashTable *out_event_ids, GError **error)
{
    g_autoptr(GHashTable) overrides =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
    if (!load_stored_overrides(store, calendar_id, overrides, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store,
        "SELECT id, uid, raw, tzid FROM events WHERE calendar_id = ?1 AND recurrence_id = '' "
        "AND rrule IS NOT NULL AND start_utc < ?2 ORDER BY id",
        error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, calendar_id);
    sqlite3_bind_int64(stmt, 2, to + TEND_DAY_SECONDS);

    ImportState st = {
        .path = "",
        .display = "",
        .events = g_ptr_array_new_with_free_func((GDestroyNotify)parsed_event_free),
        .warnings = g_ptr_array_new_with_free_func((GDestroyNotify)warning_free),
        .current_hash = "",
        .window_start = from,
        .window_end = to,
    };
    zone_table_init(&st.zones, ctx->tz);
    icalerrorstate saved = icalerror_get_error_state(ICAL_MALFORMEDDATA_ERROR);
    icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, ICAL_ERROR_NONFATAL);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        gint64 event_id = sqlite3_column_int64(stmt, 0);
        g_autoptr(icalcomponent) comp = icalcomponent_new_from_string(store_column_text(stmt, 2));
        if (!comp || icalcomponent_isa(comp) != ICAL_VEVENT_COMPONENT)
            continue;
        /* A zone only the original file defined: the stored name says which IANA zone
         * it was read as, when there was one. */
        icalproperty *dtstart = icalcomponent_get_first_property(comp, ICAL_DTSTART_PROPERTY);
        const char *tzid = dtstart ? property_tzid(dtstart) : NULL;
        const char *stored_tzid = store_column_text(stmt, 3);
        const char *iana = NULL;
        if (tzid && !zone_table_resolve(&st.zones, tzid, TRUE) && *stored_tzid) {
            GTimeZone *gtz = iana_zone_new(stored_tzid, &iana);
            if (gtz) {
                ImportZone *zone = g_new0(ImportZone, 1);
                zone->name = g_strdup(iana);
                zone->gtz = gtz;
                g_hash_table_insert(st.zones.resolved, g_strdup(tzid), zone);
            }
        }
        g_autofree char *reason = NULL;
        ParsedEvent *event = NULL;
        if (!event_read(&st, comp, 0, store_column_text(stmt, 1), &event, &reason))
            continue; /* the caller keeps what was stored for it */
        g_ptr_array_add(st.events, event);
        event_expand(&st, event, overrides);
        if (event->dropped)
            continue;
        for (guint i = 0; i < event->occurrences->len; i++) {
            const Occurrence *o = &g_array_index(event->occurrences, Occurrence, i);
            TendOccurrence occurrence = {.event_id = event_id, .start = o->start, .end = o->end};
            g_array_append_val(out_occurrences, occurrence);
        }
        gint64 *key = g_new(gint64, 1);
        *key = event_id;
        g_hash_table_add(out_event_ids, key);
        g_ptr_array_set_size(st.events, 0);
    }
    icalerror_set_error_state(ICAL_MALFORMEDDATA_ERROR, saved);
    import_state_clear(&st);
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the stored events");
    return TRUE;
}
