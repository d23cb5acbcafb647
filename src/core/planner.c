/* planner.c: placing small, kind activities around each stressor, in free time.
 *
 * What a stressor gets is written in one table, plan_rules[] below, so that a later
 * version can read it from a configuration file. The defaults:
 *
 *   kind        minutes  busy  when                                          prefers
 *   rehearse    20       yes   the day before the stressor's (local) day     14:00
 *   rehearse    20       yes   two days before, intensity 4 and 5 only       14:00
 *                              (spaced rehearsal: slot 1)
 *   ground      15       yes   the stressor's day, ending >= 30 min before   08:00
 *   checkin     5        no    during: 90, 180, 270, 360 min after the start  (fixed)
 *                              for timed stressors of 2 hours or more
 *   decompress  45       yes   the first free time after the end, that        right after
 *                              evening; else the next morning (before 12:00)
 *   reflect     20       yes   the day after the stressor's last day          10:00
 *
 * All-day stressors and timed ones longer than a day are periods (a season, a
 * visit): they get no bundle but one light daily check-in (10 minutes, busy,
 * prefers 09:00) for each of their days inside the planning window. Periods are not
 * busy time themselves, or nothing could ever be placed during them; timed
 * stressors of a day or less are.
 *
 * Placement: a busy activity must not overlap any busy item (imported events that
 * are not transparent, stressors that are not periods, other busy activities), must
 * lie inside waking hours and is at most the ctx->daily_budget-th busy activity of
 * its local day. Candidates are wall-clock times in 15-minute steps from the
 * preferred time outward (later first), each resolved with tend_local_to_utc() so DST
 * days come out right. Reminder-only check-ins take no time and are not counted.
 *
 * Idempotence: activities are keyed by (stressor, kind, slot). One that still fits
 * where it is stays (same id, time and sequence); one that no longer fits is moved
 * (same id and uid, sequence + 1); one its stressor no longer asks for is removed.
 * Done, skipped, pinned and already-started activities are never touched. When no
 * slot fits, nothing is placed and a kind note says so, with the nearest free time
 * within three days when there is one.
 *
 * This file must not print or exit, and writes only the activities table.
 */
#include "tend/planner.h"

#include <gio/gio.h>
#include <string.h>

#include "tend/agenda.h"
#include "tend/stressor.h"

#define STEP_MINUTES 15
#define SUGGEST_DAYS 3

typedef enum {
    SHAPE_EVENT,  /* timed stressors of a day or less */
    SHAPE_PERIOD, /* all-day stressors and anything longer than a day */
} PlanShape;

typedef enum {
    WINDOW_DAY_BEFORE, /* a waking day, day_offset days before the start's day */
    WINDOW_MORNING_OF, /* the start's day, ending lead_minutes before the start */
    WINDOW_DURING,     /* reminder at the start + every_minutes * (slot + 1) */
    WINDOW_AFTER_END,  /* first free time after the end that day, else next morning */
    WINDOW_DAY_AFTER,  /* a waking day, day_offset days after the last day */
    WINDOW_EACH_DAY,   /* every day of a period */
} PlanWindow;

typedef struct {
    const char *kind;
    PlanShape shape;
    int slot;          /* first slot this rule fills */
    int count;         /* WINDOW_DURING: at most this many (others fill one slot) */
    int minutes;       /* length */
    gboolean busy;     /* FALSE: a reminder only, takes no time */
    int min_intensity; /* only for stressors at least this hard */
    PlanWindow window;
    int day_offset;       /* WINDOW_DAY_BEFORE / WINDOW_DAY_AFTER */
    int prefer;           /* minutes after local midnight; -1: as early as the window allows */
    int lead_minutes;     /* WINDOW_MORNING_OF: end this long before the start */
    int every_minutes;    /* WINDOW_DURING */
    int min_length;       /* WINDOW_DURING: only for stressors at least this long, minutes */
    const char *title;    /* "{title}" becomes the stressor's title */
    const char *when;     /* for notes; "{day}" becomes the day */
    const char *purpose;  /* for notes */
    const char *strategy; /* id in data/strategies.ini that this activity practises */
} PlanRule;

/* Order matters: within a stressor, earlier rules choose their time first. */
static const PlanRule plan_rules[] = {
    {.kind = "rehearse",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_DAY_BEFORE,
     .day_offset = 1,
     .prefer = 14 * 60,
     .title = "Rehearse your boundary words for {title}",
     .when = "the day before",
     .purpose = "for a rehearsal",
     .strategy = "rehearse-a-script"},
    /* Spaced rehearsal for the hardest days: a first run-through two days ahead. */
    {.kind = "rehearse",
     .shape = SHAPE_EVENT,
     .slot = 1,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 4,
     .window = WINDOW_DAY_BEFORE,
     .day_offset = 2,
     .prefer = 14 * 60,
     .title = "Rehearse your boundary words for {title}",
     .when = "two days before",
     .purpose = "for a first rehearsal",
     .strategy = "rehearse-a-script"},
    {.kind = "ground",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 15,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_MORNING_OF,
     .lead_minutes = 30,
     .prefer = 8 * 60,
     .title = "Ground yourself before {title}: feet on the floor, slow breaths",
     .when = "the morning of",
     .purpose = "for grounding",
     .strategy = "feet-on-floor"},
    /* Reminders only: they take no time and do not count against the budget. */
    {.kind = "checkin",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .count = 4,
     .minutes = 5,
     .busy = FALSE,
     .min_intensity = 1,
     .window = WINDOW_DURING,
     .every_minutes = 90,
     .min_length = 120,
     .prefer = -1,
     .title = "A quiet check-in: how are you doing?",
     .when = "during",
     .purpose = "for a check-in",
     .strategy = "five-minutes-alone"},
    {.kind = "decompress",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 45,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_AFTER_END,
     .prefer = -1,
     .title = "Decompress after {title}: somewhere quiet, nothing to prove",
     .when = "after",
     .purpose = "to decompress",
     .strategy = "decompress-at-home"},
    {.kind = "reflect",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_DAY_AFTER,
     .day_offset = 1,
     .prefer = 10 * 60,
     .title = "Reflect on {title}: what helped, what you needed",
     .when = "the day after",
     .purpose = "to reflect",
     .strategy = "notice-what-helped"},
    /* Periods: slot N is the period's day N (counted from its first day). */
    {.kind = "checkin",
     .shape = SHAPE_PERIOD,
     .slot = 0,
     .minutes = 10,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_EACH_DAY,
     .prefer = 9 * 60,
     .title = "A gentle check-in during {title}: how are you today?",
     .when = "on {day} during",
     .purpose = "for a check-in",
     .strategy = "self-compassion-break"},
};

/* The decompression fallback on the next morning ends by noon. */
#define NEXT_MORNING_END (12 * 60)

typedef struct {
    gint64 start, end;
} Span;

/* Where one activity may start: wall-clock minutes of one local day, in the order
 * the planner tries them, and instant bounds (start >= lo, end <= hi). */
typedef struct {
    gint64 date; /* all-day value of the local day */
    int first_min, last_min, pref_min;
    gboolean outward; /* FALSE: forward from pref_min */
    gint64 lo, hi;
} PlanRange;

/* One activity a stressor asks for. */
typedef struct {
    const PlanRule *rule;
    const TendStressor *stressor;
    int slot;
    char *title;
    PlanRange ranges[2];
    guint n_ranges;
    gint64 fixed;              /* WINDOW_DURING: its one start */
    gint64 bound_lo, bound_hi; /* limits any suggestion must respect too */
    gint64 prefer;             /* the instant it would ideally start */
    TendActivity *existing;    /* borrowed */
    gboolean settled;          /* existing one kept where it is */
} PlanSpec;

static void plan_spec_free(PlanSpec *spec)
{
    g_free(spec->title);
    g_free(spec);
}

/* Busy time and per-day counts the candidates are checked against. Fixed busy
 * spans (events, stressors, activities of other stressors) are sorted once with a
 * running maximum of their ends, so one binary search answers an overlap query;
 * the planner's own activities are few and scanned. */
/* The local day @date runs over [start, end) in instants. */
typedef struct LocalDay {
    gint64 date, start, end;
} LocalDay;

typedef struct {
    const TendContext *ctx;
    gint64 now;
    GArray *fixed;     /* Span, by start */
    GArray *max_end;   /* gint64: max end of fixed[0..i] */
    GArray *placed;    /* Span */
    GHashTable *count; /* day number -> busy activities that day */
    /* Zone lookups dominate planning time (GLib scans the zone's transitions), so
     * each local day's bounds are worked out once. */
    GHashTable *days;              /* day number -> LocalDay */
    struct LocalDay *last_instant; /* the day occ_date_of() answered last */
} Occupancy;

static void occupancy_clear(Occupancy *occ)
{
    g_clear_pointer(&occ->fixed, g_array_unref);
    g_clear_pointer(&occ->max_end, g_array_unref);
    g_clear_pointer(&occ->placed, g_array_unref);
    g_clear_pointer(&occ->count, g_hash_table_unref);
    g_clear_pointer(&occ->days, g_hash_table_unref);
    g_clear_pointer(&occ->last_instant, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Occupancy, occupancy_clear)

static int compare_spans(gconstpointer a, gconstpointer b)
{
    const Span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static const LocalDay *occ_local_day(const Occupancy *occ, gint64 date)
{
    gpointer key = GINT_TO_POINTER((int)(date / TEND_DAY_SECONDS));
    LocalDay *day = g_hash_table_lookup(occ->days, key);
    if (!day) {
        day = g_new(LocalDay, 1);
        day->date = date;
        day->start = tend_date_to_local(date, occ->ctx->tz);
        day->end = tend_date_to_local(date + TEND_DAY_SECONDS, occ->ctx->tz);
        g_hash_table_insert(occ->days, key, day);
    }
    return day;
}

/* tend_date_of(), remembering the last day. */
static gint64 occ_date_of(const Occupancy *occ, gint64 instant)
{
    LocalDay *last = occ->last_instant;
    if (instant < last->start || instant >= last->end)
        *last = *occ_local_day(occ, tend_date_of(instant, occ->ctx->tz));
    return last->date;
}

static gpointer day_key(const Occupancy *occ, gint64 instant)
{
    return GINT_TO_POINTER((int)(occ_date_of(occ, instant) / TEND_DAY_SECONDS));
}

static int day_count(const Occupancy *occ, gint64 instant)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(occ->count, day_key(occ, instant)));
}

static void count_activity(Occupancy *occ, gint64 start)
{
    gpointer key = day_key(occ, start);
    g_hash_table_insert(occ->count, key, GINT_TO_POINTER(day_count(occ, start) + 1));
}

static void occupy(Occupancy *occ, gint64 start, gint64 end)
{
    Span span = {start, end};
    g_array_append_val(occ->placed, span);
    count_activity(occ, start);
}

static gboolean overlaps_busy(const Occupancy *occ, gint64 start, gint64 end)
{
    /* fixed[0..n) start before @end; any of them ending after @start overlaps. */
    guint lo = 0, hi = occ->fixed->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(occ->fixed, Span, mid).start < end)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && g_array_index(occ->max_end, gint64, lo - 1) > start)
        return TRUE;
    for (guint i = 0; i < occ->placed->len; i++) {
        const Span *span = &g_array_index(occ->placed, Span, i);
        if (span->start < end && span->end > start)
            return TRUE;
    }
    return FALSE;
}

/* Whether a busy activity of @seconds may start at @start within [lo, hi]. */
static gboolean fits(const Occupancy *occ, gint64 lo, gint64 hi, gint64 start, gint64 seconds)
{
    return start >= occ->now && start >= lo && start + seconds <= hi &&
           day_count(occ, start) < occ->ctx->daily_budget &&
           !overlaps_busy(occ, start, start + seconds);
}

static void civil_of(gint64 date, int *year, int *month, int *day)
{
    GDate civil;
    g_date_clear(&civil, 1);
    g_date_set_julian(&civil, (guint32)(date / TEND_DAY_SECONDS + 719163));
    *year = g_date_get_year(&civil);
    *month = g_date_get_month(&civil);
    *day = g_date_get_day(&civil);
}

/* The instant at @minutes after local midnight of the day @date, in ctx->tz. */
static gint64 local_at(const TendContext *ctx, gint64 date, int minutes)
{
    int year, month, day;
    civil_of(date, &year, &month, &day);
    return tend_local_to_utc(ctx->tz, year, month, day, minutes / 60, minutes % 60, 0);
}

/* local_at() through the day cache: on a day of 24 hours (no change of
 * offset) a wall time is its midnight plus the minutes. */
static gint64 occ_local_at(const Occupancy *occ, gint64 date, int minutes)
{
    const LocalDay *day = occ_local_day(occ, date);
    if (day->end - day->start == TEND_DAY_SECONDS)
        return day->start + (gint64)minutes * 60;
    return local_at(occ->ctx, date, minutes);
}

/* Minutes after local midnight of @instant, rounded up to a whole minute. */
static int wall_minute(const TendContext *ctx, gint64 instant)
{
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
    g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, ctx->tz);
    int minutes = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
    return minutes + (g_date_time_get_second(local) > 0);
}

static gboolean is_period(const TendStressor *stressor)
{
    return stressor->all_day || stressor->end - stressor->start > TEND_DAY_SECONDS;
}

static void stressor_span(const TendStressor *stressor, GTimeZone *tz, gint64 *out_start,
                          gint64 *out_end)
{
    if (stressor->all_day) {
        *out_start = tend_date_to_local(stressor->start, tz);
        *out_end = tend_date_to_local(stressor->end, tz);
    } else {
        *out_start = stressor->start;
        *out_end = stressor->end;
    }
}

/* A whole waking day, or the part of it inside [lo, hi]. */
static PlanRange waking_range(const TendContext *ctx, gint64 date, int minutes, int pref,
                              gboolean outward, gint64 lo, gint64 hi)
{
    PlanRange range = {
        .date = date,
        .first_min = ctx->waking_start,
        .last_min = ctx->waking_end - minutes,
        .pref_min = pref < 0 ? ctx->waking_start : pref,
        .outward = outward,
        .lo = MAX(lo, local_at(ctx, date, ctx->waking_start)),
        .hi = MIN(hi, local_at(ctx, date, ctx->waking_end)),
    };
    return range;
}

static char *replace_all(const char *text, const char *token, const char *value)
{
    g_autoptr(GString) out = g_string_new(text);
    g_string_replace(out, token, value, 0);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static PlanSpec *spec_new(const PlanRule *rule, const TendStressor *stressor, int slot)
{
    PlanSpec *spec = g_new0(PlanSpec, 1);
    spec->rule = rule;
    spec->stressor = stressor;
    spec->slot = slot;
    spec->title = replace_all(rule->title, "{title}", stressor->title);
    spec->bound_lo = G_MININT64;
    spec->bound_hi = G_MAXINT64;
    return spec;
}

/* Adds to @specs what @rule asks for around a timed stressor. */
static void specs_for_event(const TendContext *ctx, const PlanRule *rule,
                            const TendStressor *stressor, GPtrArray *specs)
{
    gint64 start = stressor->start, end = stressor->end;
    gint64 start_day = tend_date_of(start, ctx->tz);
    gint64 last_day = tend_date_of(end - 1, ctx->tz);
    gint64 seconds = (gint64)rule->minutes * 60;

    if (stressor->intensity < rule->min_intensity)
        return;
    switch (rule->window) {
    case WINDOW_DAY_BEFORE: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        gint64 date = start_day - rule->day_offset * TEND_DAY_SECONDS;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, date, rule->minutes, rule->prefer, TRUE, G_MININT64, start);
        spec->bound_hi = start;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_MORNING_OF: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        gint64 latest_end = start - (gint64)rule->lead_minutes * 60;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, start_day, rule->minutes, rule->prefer, TRUE, G_MININT64, latest_end);
        spec->bound_hi = latest_end;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_DURING:
        if (end - start < (gint64)rule->min_length * 60)
            return;
        for (int k = 0; k < rule->count; k++) {
            gint64 at = start + (gint64)rule->every_minutes * 60 * (k + 1);
            gint64 day = tend_date_of(at, ctx->tz);
            if (at + seconds > end)
                break;
            /* A reminder in the middle of the night helps no one. */
            if (at < local_at(ctx, day, ctx->waking_start) ||
                at + seconds > local_at(ctx, day, ctx->waking_end))
                continue;
            PlanSpec *spec = spec_new(rule, stressor, rule->slot + k);
            spec->fixed = at;
            spec->prefer = at;
            g_ptr_array_add(specs, spec);
        }
        return;
    case WINDOW_AFTER_END: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        PlanRange evening = waking_range(ctx, last_day, rule->minutes, -1, FALSE, end, G_MAXINT64);
        evening.pref_min = MAX(evening.first_min, wall_minute(ctx, MAX(end, evening.lo)));
        /* The evening range is searched from the end itself, not from a grid. */
        evening.first_min = evening.pref_min;
        spec->ranges[spec->n_ranges++] = evening;
        gint64 next = last_day + TEND_DAY_SECONDS;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, next, rule->minutes, -1, FALSE, end,
                         local_at(ctx, next, MIN(NEXT_MORNING_END, ctx->waking_end)));
        spec->bound_lo = end;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_DAY_AFTER: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        gint64 date = last_day + rule->day_offset * TEND_DAY_SECONDS;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, date, rule->minutes, rule->prefer, TRUE, end, G_MAXINT64);
        spec->bound_lo = end;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_EACH_DAY:
        return; /* periods only */
    }
    /* Every case that reaches here added one spec with a range. */
    PlanSpec *added = specs->pdata[specs->len - 1];
    const PlanRange *first = &added->ranges[0];
    added->prefer = local_at(ctx, first->date, first->pref_min);
}

/* Adds a daily check-in for each day of a period, marking the days outside
 * [from, to) so that what is there is left alone. */
static void specs_for_period(const TendContext *ctx, const PlanRule *rule,
                             const TendStressor *stressor, gint64 from, gint64 to, GPtrArray *specs)
{
    gint64 span_start, span_end;
    stressor_span(stressor, ctx->tz, &span_start, &span_end);
    gint64 first_day = tend_date_of(span_start, ctx->tz);
    gint64 last_day = tend_date_of(span_end - 1, ctx->tz);
    gint64 from_day = MAX(first_day, tend_date_of(from, ctx->tz));
    gint64 to_day = MIN(last_day, tend_date_of(to - 1, ctx->tz));

    if (stressor->intensity < rule->min_intensity)
        return;
    for (gint64 date = from_day; date <= to_day; date += TEND_DAY_SECONDS) {
        int slot = rule->slot + (int)((date - first_day) / TEND_DAY_SECONDS);
        PlanSpec *spec = spec_new(rule, stressor, slot);
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, date, rule->minutes, rule->prefer, TRUE, span_start, span_end);
        spec->bound_lo = span_start;
        spec->bound_hi = span_end;
        spec->prefer = local_at(ctx, date, spec->ranges[0].pref_min);
        g_ptr_array_add(specs, spec);
    }
}

/* Whether a period's day @slot lies inside the period but outside [from, to). */
static gboolean period_day_out_of_window(const TendContext *ctx, const TendStressor *stressor,
                                         int slot, gint64 from, gint64 to)
{
    gint64 span_start, span_end;
    stressor_span(stressor, ctx->tz, &span_start, &span_end);
    gint64 first_day = tend_date_of(span_start, ctx->tz);
    gint64 last_day = tend_date_of(span_end - 1, ctx->tz);
    gint64 date = first_day + (gint64)slot * TEND_DAY_SECONDS;
    if (slot < 0 || date > last_day)
        return FALSE;
    return date < tend_date_of(from, ctx->tz) || date > tend_date_of(to - 1, ctx->tz);
}

/* First candidate in @range that fits, in the range's order. */
static gboolean range_search(const Occupancy *occ, const PlanRange *range, gint64 seconds,
                             gint64 *out_start)
{
    if (range->hi - range->lo < seconds)
        return FALSE;
    for (int step = 0;; step++) {
        int offsets[2];
        guint n = 0;
        if (range->outward) {
            /* 0, +15, -15, +30, -30, ...: later first on a tie. */
            offsets[n++] = step * STEP_MINUTES;
            if (step > 0)
                offsets[n++] = -step * STEP_MINUTES;
        } else {
            offsets[n++] = step * STEP_MINUTES;
        }
        gboolean any = FALSE;
        for (guint i = 0; i < n; i++) {
            int minute = range->pref_min + offsets[i];
            if (minute < range->first_min || minute > range->last_min)
                continue;
            any = TRUE;
            gint64 start = occ_local_at(occ, range->date, minute);
            if (fits(occ, range->lo, range->hi, start, seconds)) {
                *out_start = start;
                return TRUE;
            }
        }
        if (!any && (range->pref_min + step * STEP_MINUTES > range->last_min) &&
            (!range->outward || range->pref_min - step * STEP_MINUTES < range->first_min))
            return FALSE;
    }
}

static gboolean spec_search(const Occupancy *occ, const PlanSpec *spec, gint64 *out_start)
{
    if (!spec->rule->busy) {
        if (spec->fixed < occ->now)
            return FALSE;
        *out_start = spec->fixed;
        return TRUE;
    }
    for (guint i = 0; i < spec->n_ranges; i++)
        if (range_search(occ, &spec->ranges[i], (gint64)spec->rule->minutes * 60, out_start))
            return TRUE;
    return FALSE;
}

/* Whether an existing activity may stay at @start. */
static gboolean spec_fits_at(const Occupancy *occ, const PlanSpec *spec, gint64 start)
{
    if (!spec->rule->busy)
        return start == spec->fixed;
    for (guint i = 0; i < spec->n_ranges; i++)
        if (fits(occ, spec->ranges[i].lo, spec->ranges[i].hi, start,
                 (gint64)spec->rule->minutes * 60))
            return TRUE;
    return FALSE;
}

/* Whether every time the spec could take is already past. */
static gboolean spec_expired(const Occupancy *occ, const PlanSpec *spec)
{
    if (!spec->rule->busy)
        return spec->fixed < occ->now;
    for (guint i = 0; i < spec->n_ranges; i++)
        if (spec->ranges[i].hi - (gint64)spec->rule->minutes * 60 >= occ->now)
            return FALSE;
    return TRUE;
}

/* The free start nearest the preferred time within a few days, respecting the
 * spec's hard bounds, waking hours and the budget. */
static gboolean suggest(const Occupancy *occ, const PlanSpec *spec, gint64 *out_start)
{
    const TendContext *ctx = occ->ctx;
    gint64 seconds = (gint64)spec->rule->minutes * 60;
    gint64 center = spec->ranges[0].date;
    gboolean found = FALSE;
    gint64 best = 0;
    for (int d = -SUGGEST_DAYS; d <= SUGGEST_DAYS; d++) {
        gint64 date = center + d * TEND_DAY_SECONDS;
        gint64 wake_end = occ_local_at(occ, date, ctx->waking_end);
        for (int minute = ctx->waking_start; minute + spec->rule->minutes <= ctx->waking_end;
             minute += STEP_MINUTES) {
            gint64 start = occ_local_at(occ, date, minute);
            if (!fits(occ, spec->bound_lo, MIN(spec->bound_hi, wake_end), start, seconds))
                continue;
            gint64 distance = ABS(start - spec->prefer);
            if (!found || distance < ABS(best - spec->prefer)) {
                best = start;
                found = TRUE;
            }
        }
    }
    if (found)
        *out_start = best;
    return found;
}

static char *unplaced_note(const Occupancy *occ, const PlanSpec *spec)
{
    const TendContext *ctx = occ->ctx;
    g_autofree char *day = tend_format_local(spec->prefer, ctx->tz, "%a %d %b");
    g_autofree char *when = replace_all(spec->rule->when, "{day}", day);
    gint64 nearest;
    if (suggest(occ, spec, &nearest)) {
        g_autofree char *at = tend_format_local(nearest, ctx->tz, "%a %d %b %H:%M");
        return g_strdup_printf("No free %d minutes %s '%s' %s; the nearest free time is %s.",
                               spec->rule->minutes, when, spec->stressor->title,
                               spec->rule->purpose, at);
    }
    return g_strdup_printf("No free %d minutes %s '%s' %s, and none in the days around it "
                           "either; it is okay to let this one go.",
                           spec->rule->minutes, when, spec->stressor->title, spec->rule->purpose);
}

void activity_free(TendActivity *activity)
{
    if (!activity)
        return;
    g_free(activity->uid);
    g_free(activity->kind);
    g_free(activity->title);
    g_free(activity->status);
    g_free(activity);
}

void plan_result_clear(TendPlanResult *result)
{
    if (!result)
        return;
    g_clear_pointer(&result->notes, g_ptr_array_unref);
    g_clear_pointer(&result->activities, g_ptr_array_unref);
    memset(result, 0, sizeof *result);
}

#define ACTIVITY_COLUMNS                                                                           \
    "id, uid, stressor_id, kind, slot, title, start_utc, end_utc, busy, sequence, status, pinned"

static TendActivity *activity_from_row(sqlite3_stmt *stmt)
{
    TendActivity *activity = g_new0(TendActivity, 1);
    activity->id = sqlite3_column_int64(stmt, 0);
    activity->uid = g_strdup(store_column_text(stmt, 1));
    activity->stressor_id = sqlite3_column_int64(stmt, 2);
    activity->kind = g_strdup(store_column_text(stmt, 3));
    activity->slot = sqlite3_column_int(stmt, 4);
    activity->title = g_strdup(store_column_text(stmt, 5));
    activity->start = sqlite3_column_int64(stmt, 6);
    activity->end = sqlite3_column_int64(stmt, 7);
    activity->busy = sqlite3_column_int(stmt, 8) != 0;
    activity->sequence = sqlite3_column_int64(stmt, 9);
    activity->status = g_strdup(store_column_text(stmt, 10));
    activity->pinned = sqlite3_column_int(stmt, 11) != 0;
    return activity;
}

GPtrArray *activity_list(TendStore *store, gint64 stressor_id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT " ACTIVITY_COLUMNS " FROM activities "
                      "WHERE ?1 = 0 OR stressor_id = ?1 ORDER BY start_utc, id",
                      error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, stressor_id);
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify)activity_free);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        g_ptr_array_add(list, activity_from_row(stmt));
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read activities");
        return NULL;
    }
    return g_steal_pointer(&list);
}

TendActivity *activity_get(TendStore *store, gint64 id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT " ACTIVITY_COLUMNS " FROM activities WHERE id = ?", error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return activity_from_row(stmt);
    if (rc == SQLITE_DONE)
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no activity with id %" G_GINT64_FORMAT "; 'tend plan' lists them", id);
    else
        store_set_error(store, error, "cannot read the activity");
    return NULL;
}

static gboolean activity_is_frozen(const TendActivity *activity, gint64 now)
{
    return activity->pinned || !g_str_equal(activity->status, "planned") || activity->start < now;
}

static gboolean insert_activity(TendStore *store, const PlanSpec *spec, gint64 start,
                                GError **error)
{
    g_autofree char *random = g_uuid_string_random();
    g_autofree char *uid = g_strdup_printf("%s@tend", random);
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc, "
                      "end_utc, busy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, spec->stressor->id);
    sqlite3_bind_text(stmt, 3, spec->rule->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, spec->slot);
    sqlite3_bind_text(stmt, 5, spec->title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, start);
    sqlite3_bind_int64(stmt, 7, start + (gint64)spec->rule->minutes * 60);
    sqlite3_bind_int(stmt, 8, spec->rule->busy);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save an activity");
    return TRUE;
}

static gboolean update_activity(TendStore *store, const PlanSpec *spec, gint64 id, gint64 start,
                                GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "UPDATE activities SET title = ?, start_utc = ?, end_utc = ?, busy = ?, "
                      "sequence = sequence + 1 WHERE id = ?",
                      error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, spec->title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, start);
    sqlite3_bind_int64(stmt, 3, start + (gint64)spec->rule->minutes * 60);
    sqlite3_bind_int(stmt, 4, spec->rule->busy);
    sqlite3_bind_int64(stmt, 5, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot move an activity");
    return TRUE;
}

static gboolean delete_activity(TendStore *store, gint64 id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "DELETE FROM activities WHERE id = ?", error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot remove an activity");
    return TRUE;
}

/* Loads busy time around [lo, hi) into @occ, leaving out the activities the
 * planner manages in this run (@managed: activity ids). */
static gboolean occupancy_load(Occupancy *occ, TendStore *store, gint64 lo, gint64 hi,
                               GHashTable *managed, GError **error)
{
    const TendContext *ctx = occ->ctx;
    g_autoptr(GPtrArray) items = agenda_between(store, ctx, lo, hi, error);
    if (!items)
        return FALSE;
    for (guint i = 0; i < items->len; i++) {
        const TendAgendaItem *item = items->pdata[i];
        Span span;
        if (!item->busy)
            continue;
        agenda_item_span(item, ctx->tz, &span.start, &span.end);
        if (item->type == TEND_ITEM_STRESSOR &&
            (item->all_day || span.end - span.start > TEND_DAY_SECONDS))
            continue; /* periods are not busy time */
        if (item->type == TEND_ITEM_ACTIVITY) {
            gint64 id = item->id;
            if (g_hash_table_contains(managed, &id))
                continue;
            count_activity(occ, span.start);
        }
        g_array_append_val(occ->fixed, span);
    }
    g_array_sort(occ->fixed, compare_spans);
    gint64 running = G_MININT64;
    for (guint i = 0; i < occ->fixed->len; i++) {
        running = MAX(running, g_array_index(occ->fixed, Span, i).end);
        g_array_append_val(occ->max_end, running);
    }
    return TRUE;
}

static char *spec_key(gint64 stressor_id, const char *kind, int slot)
{
    return g_strdup_printf("%" G_GINT64_FORMAT "/%s/%d", stressor_id, kind, slot);
}

static gboolean plan(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *result, GError **error)
{
    g_auto(Occupancy) occ = {
        .ctx = ctx,
        .now = tend_clock_now(&ctx->clock),
        .fixed = g_array_new(FALSE, FALSE, sizeof(Span)),
        .max_end = g_array_new(FALSE, FALSE, sizeof(gint64)),
        .placed = g_array_new(FALSE, FALSE, sizeof(Span)),
        .count = g_hash_table_new(g_direct_hash, g_direct_equal),
        .days = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
        .last_instant = g_new0(LocalDay, 1),
    };

    /* The stressors that really overlap [from, to) in this zone. */
    g_autoptr(GPtrArray) candidates = stressor_list_between(store, from, to, error);
    if (!candidates)
        return FALSE;
    g_autoptr(GPtrArray) stressors = g_ptr_array_new_with_free_func((GDestroyNotify)stressor_free);
    for (guint i = 0; i < candidates->len; i++) {
        gint64 start, end;
        stressor_span(candidates->pdata[i], ctx->tz, &start, &end);
        if (start < to && end > from)
            g_ptr_array_add(stressors, g_steal_pointer(&candidates->pdata[i]));
    }

    /* What each of them asks for, in the order they get to choose. */
    g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func((GDestroyNotify)plan_spec_free);
    g_autoptr(GHashTable) by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) stressor_by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (guint i = 0; i < stressors->len; i++) {
        const TendStressor *stressor = stressors->pdata[i];
        g_hash_table_insert(stressor_by_id, (gpointer)&stressor->id, (gpointer)stressor);
        PlanShape shape = is_period(stressor) ? SHAPE_PERIOD : SHAPE_EVENT;
        for (guint r = 0; r < G_N_ELEMENTS(plan_rules); r++) {
            if (plan_rules[r].shape != shape)
                continue;
            if (shape == SHAPE_EVENT)
                specs_for_event(ctx, &plan_rules[r], stressor, specs);
            else
                specs_for_period(ctx, &plan_rules[r], stressor, from, to, specs);
        }
    }
    gint64 lo = from, hi = to;
    for (guint i = 0; i < specs->len; i++) {
        PlanSpec *spec = specs->pdata[i];
        g_hash_table_insert(by_key, spec_key(spec->stressor->id, spec->rule->kind, spec->slot),
                            spec);
        for (guint r = 0; r < spec->n_ranges; r++) {
            lo = MIN(lo, spec->ranges[r].lo);
            hi = MAX(hi, spec->ranges[r].hi);
        }
    }

    /* The activities already stored for them. */
    g_autoptr(GPtrArray) all = activity_list(store, 0, error);
    if (!all)
        return FALSE;
    g_autoptr(GPtrArray) existing = g_ptr_array_new();
    g_autoptr(GHashTable) managed = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (guint i = 0; i < all->len; i++) {
        TendActivity *activity = all->pdata[i];
        if (!g_hash_table_contains(stressor_by_id, &activity->stressor_id))
            continue;
        g_ptr_array_add(existing, activity);
        g_hash_table_add(managed, &activity->id);
    }

    /* Busy time, with a margin wide enough for suggestions a few days away. */
    if (!occupancy_load(&occ, store, lo - (SUGGEST_DAYS + 1) * TEND_DAY_SECONDS,
                        hi + (SUGGEST_DAYS + 1) * TEND_DAY_SECONDS, managed, error))
        return FALSE;

    /* First what must stay where it is, then what may stay, in time order, so an
     * activity that still fits is never pushed out by a newcomer. */
    g_autoptr(GPtrArray) to_check = g_ptr_array_new();
    g_autoptr(GPtrArray) to_remove = g_ptr_array_new();
    for (guint i = 0; i < existing->len; i++) {
        TendActivity *activity = existing->pdata[i];
        g_autofree char *key = spec_key(activity->stressor_id, activity->kind, activity->slot);
        PlanSpec *spec = g_hash_table_lookup(by_key, key);
        const TendStressor *stressor = g_hash_table_lookup(stressor_by_id, &activity->stressor_id);
        gboolean out_of_window =
            (!spec && is_period(stressor) && g_str_equal(activity->kind, "checkin") &&
             period_day_out_of_window(ctx, stressor, activity->slot, from, to));
        if (spec)
            spec->existing = activity;
        if (activity_is_frozen(activity, occ.now) || out_of_window) {
            if (spec)
                spec->settled = TRUE;
            if (activity->busy)
                occupy(&occ, activity->start, activity->end);
            result->kept++;
        } else if (spec) {
            g_ptr_array_add(to_check, spec);
        } else {
            g_ptr_array_add(to_remove, activity);
        }
    }
    for (guint i = 0; i < to_check->len; i++) {
        PlanSpec *spec = to_check->pdata[i];
        const TendActivity *activity = spec->existing;
        if (!spec_fits_at(&occ, spec, activity->start))
            continue;
        spec->settled = TRUE;
        if (spec->rule->busy)
            occupy(&occ, activity->start, activity->start + (gint64)spec->rule->minutes * 60);
        result->kept++;
        /* Same place, but the stressor was renamed or the rule changed: an update. */
        if (!g_str_equal(activity->title, spec->title) ||
            activity->end != activity->start + (gint64)spec->rule->minutes * 60 ||
            activity->busy != spec->rule->busy) {
            if (!update_activity(store, spec, activity->id, activity->start, error))
                return FALSE;
        }
    }
    for (guint i = 0; i < to_remove->len; i++) {
        const TendActivity *activity = to_remove->pdata[i];
        if (!delete_activity(store, activity->id, error))
            return FALSE;
        result->removed++;
    }

    /* Then everything new or displaced, in the stressors' order. */
    for (guint i = 0; i < specs->len; i++) {
        PlanSpec *spec = specs->pdata[i];
        gint64 start;
        if (spec->settled)
            continue;
        if (!spec->existing && spec_expired(&occ, spec))
            continue;
        if (spec_search(&occ, spec, &start)) {
            if (spec->existing) {
                if (!update_activity(store, spec, spec->existing->id, start, error))
                    return FALSE;
                result->moved++;
            } else {
                if (!insert_activity(store, spec, start, error))
                    return FALSE;
                result->placed++;
            }
            if (spec->rule->busy)
                occupy(&occ, start, start + (gint64)spec->rule->minutes * 60);
            continue;
        }
        if (spec->existing) {
            if (!delete_activity(store, spec->existing->id, error))
                return FALSE;
            result->removed++;
        }
        result->unplaced++;
        g_ptr_array_add(result->notes, unplaced_note(&occ, spec));
    }

    /* What the plan now holds for these stressors. */
    g_autoptr(GPtrArray) after = activity_list(store, 0, error);
    if (!after)
        return FALSE;
    for (guint i = 0; i < after->len; i++) {
        TendActivity *activity = after->pdata[i];
        if (g_hash_table_contains(stressor_by_id, &activity->stressor_id))
            g_ptr_array_add(result->activities, g_steal_pointer(&after->pdata[i]));
    }
    result->stressors = stressors->len;
    return TRUE;
}

static gboolean planner_run_full(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                                 gboolean keep, TendPlanResult *out_result, GError **error)
{
    TendPlanResult result = {
        .notes = g_ptr_array_new_with_free_func(g_free),
        .activities = g_ptr_array_new_with_free_func((GDestroyNotify)activity_free),
    };

    g_return_val_if_fail(from < to, FALSE);
    if (!store_begin(store, error) || !plan(store, ctx, from, to, &result, error) ||
        (keep && !store_commit(store, error))) {
        store_rollback(store);
        plan_result_clear(&result);
        g_prefix_error(error, "cannot plan: ");
        return FALSE;
    }
    if (!keep)
        store_rollback(store);
    *out_result = result;
    return TRUE;
}

gboolean planner_run(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *out_result, GError **error)
{
    return planner_run_full(store, ctx, from, to, TRUE, out_result, error);
}

gboolean planner_preview(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                         TendPlanResult *out_result, GError **error)
{
    return planner_run_full(store, ctx, from, to, FALSE, out_result, error);
}

const char *planner_rule_strategy(guint index)
{
    return index < G_N_ELEMENTS(plan_rules) ? plan_rules[index].strategy : NULL;
}

const char *planner_activity_strategy(const char *kind, gboolean period)
{
    PlanShape shape = period ? SHAPE_PERIOD : SHAPE_EVENT;
    for (guint i = 0; kind && i < G_N_ELEMENTS(plan_rules); i++)
        if (plan_rules[i].shape == shape && g_str_equal(plan_rules[i].kind, kind))
            return plan_rules[i].strategy;
    return NULL;
}
