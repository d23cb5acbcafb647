/* agenda.c: merging imported events, stressors and activities into one timeline.
 *
 * Reads only; the planner and `tend agenda` both rely on it, so it must agree with
 * how ical-import.c stores occurrences (one row per occurrence, all-day ones as
 * date values) and how planner.c stores activities. Repeating events are stored for
 * a window around their calendar's import; for a window beyond it they are worked out
 * again from their stored text (ical_expand_stored), so any window gets its repeats.
 */
#include "tend/agenda.h"

#include <stdlib.h>
#include <string.h>

#include "tend/ical-io.h"

/* The strings of an item are GRefStrings: every occurrence of an event shares its title,
 * every event of a calendar its name. */
static void release_text(char *text)
{
    if (text)
        g_ref_string_release(text);
}

void agenda_item_free(TendAgendaItem *item)
{
    if (!item)
        return;
    release_text(item->title);
    release_text(item->calendar);
    release_text(item->detail);
    g_free(item);
}

const char *agenda_item_type_to_string(TendItemType type)
{
    switch (type) {
    case TEND_ITEM_EVENT:
        return "event";
    case TEND_ITEM_STRESSOR:
        return "stressor";
    case TEND_ITEM_ACTIVITY:
        return "activity";
    }
    return "unknown";
}

void agenda_item_span(const TendAgendaItem *item, GTimeZone *tz, gint64 *out_start, gint64 *out_end)
{
    if (item->all_day) {
        *out_start = tend_date_to_local(item->start, tz);
        *out_end = tend_date_to_local(item->end, tz);
    } else {
        *out_start = item->start;
        *out_end = item->end;
    }
}

/* Stressors and activities: each query row is type, id, title, start, end, all_day, busy,
 * kind. All-day stressors (a grief anniversary, a whole season) colour the days rather
 * than fill them, so they are not busy; timed ones are. All-day rows are fetched with a
 * day of slack and filtered exactly afterwards. */
static const char plan_sql[] =
    "SELECT 1, id, title, start_utc, end_utc, all_day, NOT all_day, kind FROM stressors "
    "WHERE start_utc < ?2 + all_day * 86400 AND end_utc > ?1 - all_day * 86400 "
    "UNION ALL "
    "SELECT 2, id, title, start_utc, end_utc, 0, busy, kind FROM activities "
    "WHERE start_utc < ?2 AND end_utc > ?1";

/* Stored occurrences that may overlap [?1, ?2): the plain bounds on start_utc let SQLite
 * read only a slice of occurrences_by_start (which carries end_utc and event_id, so the
 * scan never leaves the index): nothing after the window (plus a day for all-day dates),
 * and before it only as far back as the longest occurrence of any calendar reaches
 * (calendars.longest, kept exact by the import), since anything starting earlier has
 * ended before the window. Each row is filtered exactly once its event is known. */
static const char occurrences_sql[] =
    "SELECT event_id, start_utc, end_utc FROM occurrences "
    "WHERE start_utc < ?2 + 86400 "
    "  AND start_utc >= ?1 - 86400 - (SELECT coalesce(max(longest), 0) FROM calendars)";

/* What the agenda shows of an event, read from the narrow index events_agenda rather than
 * from the event's row: a busy fortnight names about a tenth of all events, scattered
 * over the whole table, and the rows (with their uid, hash and stored text) are many
 * times wider than these columns. */
static const char event_sql[] = "SELECT all_day, NOT transparent, calendar_id, summary "
                                "FROM events INDEXED BY events_agenda WHERE id = ?1";

/* An item with its sort key worked out once: its span's start in local time (sorting tens
 * of thousands of items must not look the zone up again at every comparison), its type
 * and id. */
typedef struct {
    gint64 start;
    gint64 id;
    TendItemType type;
    TendAgendaItem *item;
} Placed;

/* The last all-day date turned into local time, since rows come in start order and
 * neighbours mostly share their dates. */
typedef struct {
    gint64 date;
    gint64 local;
    gboolean valid;
} DateCache;

static gint64 date_to_local_cached(DateCache *cache, gint64 date, GTimeZone *tz)
{
    if (!cache->valid || cache->date != date) {
        cache->date = date;
        cache->local = tend_date_to_local(date, tz);
        cache->valid = TRUE;
    }
    return cache->local;
}

/* Whether an item spanning [start, end) (all-day values when @all_day) overlaps [from, to)
 * in local time; *out_local_start is its local start. */
static gboolean overlaps(DateCache *cache, GTimeZone *tz, gint64 start, gint64 end,
                         gboolean all_day, gint64 from, gint64 to, gint64 *out_local_start)
{
    if (all_day) {
        start = date_to_local_cached(&cache[0], start, tz);
        end = date_to_local_cached(&cache[1], end, tz);
    }
    *out_local_start = start;
    return start < to && end > from;
}

static void place(GArray *placed, TendAgendaItem *item, gint64 local_start)
{
    Placed p = {.start = local_start, .id = item->id, .type = item->type, .item = item};
    g_array_append_val(placed, p);
}

static inline gboolean placed_before(const Placed *a, const Placed *b)
{
    if (a->start != b->start)
        return a->start < b->start;
    if (a->type != b->type)
        return a->type < b->type;
    return a->id < b->id;
}

/* Sorts by local start, then type, then id. Items mostly arrive in order already (stored
 * occurrences come in UTC start order), so runs are found first and merged: close to
 * one pass over the items, where a general sort with a comparison callback took longer
 * than reading them. */
static void sort_placed(GArray *placed)
{
    guint n = placed->len;
    if (n < 2)
        return;
    Placed *a = (Placed *)(void *)placed->data;
    g_autofree Placed *scratch = g_new(Placed, n);
    g_autoptr(GArray) runs = g_array_new(FALSE, FALSE, sizeof(guint));
    for (;;) {
        /* Boundaries of the ascending runs: runs[k] is where run k starts. */
        g_array_set_size(runs, 0);
        for (guint i = 0; i < n; i++)
            if (i == 0 || placed_before(&a[i], &a[i - 1]))
                g_array_append_val(runs, i);
        if (runs->len == 1)
            return;
        g_array_append_val(runs, n);
        /* Merge run pairs into scratch, then swap. */
        for (guint r = 0; r + 1 < runs->len; r += 2) {
            guint lo = g_array_index(runs, guint, r);
            guint mid = g_array_index(runs, guint, r + 1);
            guint hi = r + 2 < runs->len ? g_array_index(runs, guint, r + 2) : mid;
            guint i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                scratch[k++] = placed_before(&a[j], &a[i]) ? a[j++] : a[i++];
            while (i < mid)
                scratch[k++] = a[i++];
            while (j < hi)
                scratch[k++] = a[j++];
        }
        memcpy(a, scratch, n * sizeof *a);
    }
}

/* A calendar and its name, shared by the items of all its events. */
typedef struct {
    gint64 id;
    gint64 imported_at;
    char *name; /* GRefString */
} Calendar;

static void clear_calendar(gpointer data)
{
    Calendar *calendar = data;
    g_clear_pointer(&calendar->name, g_ref_string_release);
}

/* What the agenda needs of one event. */
typedef struct {
    char *title; /* GRefString; NULL when the event (or its calendar) is gone */
    const Calendar *calendar;
    gboolean all_day;
    gboolean busy;
    gboolean promoted; /* some occurrence of it is a stressor */
} EventInfo;

static void clear_event_info(gpointer data)
{
    EventInfo *info = data;
    g_clear_pointer(&info->title, g_ref_string_release);
}

/* The occurrences promoted to stressors: (event id, start) pairs, sorted. */
typedef struct {
    gint64 event_id;
    gint64 start;
} Promoted;

static int compare_promoted(gconstpointer a, gconstpointer b)
{
    const Promoted *x = a, *y = b;
    if (x->event_id != y->event_id)
        return x->event_id < y->event_id ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static gboolean is_promoted(GArray *promoted, gint64 event_id, gint64 start)
{
    Promoted key = {event_id, start};
    return bsearch(&key, promoted->data, promoted->len, sizeof key, compare_promoted) != NULL;
}

/* Whether any occurrence of @event_id is promoted. */
static gboolean has_promoted(GArray *promoted, gint64 event_id)
{
    guint lo = 0, hi = promoted->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(promoted, Promoted, mid).event_id < event_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < promoted->len && g_array_index(promoted, Promoted, lo).event_id == event_id;
}

static int compare_int64(gconstpointer a, gconstpointer b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
    return x < y ? -1 : x > y;
}

/* The distinct event ids of @occurrences in ascending order (reading them in order keeps
 * the index lookups close together), and for each occurrence the position of its event
 * among them. Event ids are row ids, so they are dense: a bitmap over their range sorts
 * and counts them in two passes; ids spread far apart fall back to sorting. */
static GArray *distinct_events(GArray *occurrences, guint32 *slots)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
    guint n = occurrences->len;
    if (n == 0)
        return ids;
    const TendOccurrence *o = (const TendOccurrence *)(void *)occurrences->data;
    gint64 lo = o[0].event_id, hi = o[0].event_id;
    for (guint i = 1; i < n; i++) {
        lo = MIN(lo, o[i].event_id);
        hi = MAX(hi, o[i].event_id);
    }
    guint64 span = (guint64)hi - (guint64)lo;
    if (span / 64 <= (guint64)n + 1024) {
        gsize words = (gsize)(span / 64) + 1;
        g_autofree guint64 *bits = g_new0(guint64, words);
        g_autofree guint32 *rank = g_new(guint32, words);
        for (guint i = 0; i < n; i++) {
            guint64 bit = (guint64)(o[i].event_id - lo);
            bits[bit / 64] |= G_GUINT64_CONSTANT(1) << (bit % 64);
        }
        guint32 count = 0;
        for (gsize w = 0; w < words; w++) {
            rank[w] = count;
            for (guint64 rest = bits[w]; rest; rest &= rest - 1) {
                gint64 id = lo + (gint64)(w * 64 + (gsize)__builtin_ctzll(rest));
                g_array_append_val(ids, id);
                count++;
            }
        }
        for (guint i = 0; i < n; i++) {
            guint64 bit = (guint64)(o[i].event_id - lo);
            guint64 below = bits[bit / 64] & ((G_GUINT64_CONSTANT(1) << (bit % 64)) - 1);
            slots[i] = rank[bit / 64] + (guint32)__builtin_popcountll(below);
        }
        return ids;
    }
    for (guint i = 0; i < n; i++)
        g_array_append_val(ids, o[i].event_id);
    g_array_sort(ids, compare_int64);
    guint unique = 0;
    for (guint i = 0; i < ids->len; i++)
        if (unique == 0 || g_array_index(ids, gint64, unique - 1) != g_array_index(ids, gint64, i))
            g_array_index(ids, gint64, unique++) = g_array_index(ids, gint64, i);
    g_array_set_size(ids, unique);
    for (guint i = 0; i < n; i++) {
        const gint64 *found =
            bsearch(&o[i].event_id, ids->data, ids->len, sizeof(gint64), compare_int64);
        slots[i] = (guint32)(found - (const gint64 *)(void *)ids->data);
    }
    return ids;
}

static const Calendar *find_calendar(GArray *calendars, gint64 id)
{
    for (guint i = 0; i < calendars->len; i++)
        if (g_array_index(calendars, Calendar, i).id == id)
            return &g_array_index(calendars, Calendar, i);
    return NULL;
}

/* Reads what the agenda shows of each event in @ids into @infos (same order). */
static gboolean read_events(TendStore *store, GArray *ids, GArray *calendars, GArray *promoted,
                            GArray *infos, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, event_sql, error);
    if (!stmt)
        return FALSE;
    g_array_set_size(infos, ids->len);
    for (guint i = 0; i < ids->len; i++) {
        gint64 id = g_array_index(ids, gint64, i);
        EventInfo *info = &g_array_index(infos, EventInfo, i);
        sqlite3_reset(stmt);
        sqlite3_bind_int64(stmt, 1, id);
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE)
            continue; /* gone: its occurrences are left out, as a join would */
        if (rc != SQLITE_ROW)
            return store_set_error(store, error, "cannot read an event");
        info->calendar = find_calendar(calendars, sqlite3_column_int64(stmt, 2));
        if (!info->calendar)
            continue;
        info->all_day = sqlite3_column_int(stmt, 0) != 0;
        info->busy = sqlite3_column_int(stmt, 1) != 0;
        info->title = g_ref_string_new(store_column_text(stmt, 3));
        info->promoted = has_promoted(promoted, id);
    }
    return TRUE;
}

/* Calendars, with the names their items share. */
static gboolean read_calendars(TendStore *store, GArray *calendars, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT id, imported_at, name FROM calendars ORDER BY id", error);
    if (!stmt)
        return FALSE;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        Calendar calendar = {
            .id = sqlite3_column_int64(stmt, 0),
            .imported_at = sqlite3_column_int64(stmt, 1),
            .name = g_ref_string_new(store_column_text(stmt, 2)),
        };
        g_array_append_val(calendars, calendar);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the calendars");
    return TRUE;
}

static gboolean read_promoted(TendStore *store, GArray *promoted, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store, "SELECT event_id, start_utc FROM stressors WHERE event_id IS NOT NULL", error);
    if (!stmt)
        return FALSE;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        Promoted p = {sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1)};
        g_array_append_val(promoted, p);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the stressors");
    g_array_sort(promoted, compare_promoted);
    return TRUE;
}

/* The occurrences of events in [from, to): first the repeats that calendars not covering
 * the window have there, worked out on demand, then the stored ones of every other
 * event. */
static gboolean read_occurrences(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                                 GArray *calendars, GArray *occurrences, GError **error)
{
    g_autoptr(GHashTable) expanded =
        g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    for (guint i = 0; i < calendars->len; i++) {
        const Calendar *calendar = &g_array_index(calendars, Calendar, i);
        if (ical_window_covers(calendar->imported_at, from, to))
            continue;
        if (!ical_expand_stored(store, ctx, calendar->id, from - TEND_DAY_SECONDS,
                                to + TEND_DAY_SECONDS, occurrences, expanded, error))
            return FALSE;
    }
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, occurrences_sql, error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    gboolean any_expanded = g_hash_table_size(expanded) > 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        TendOccurrence o = {
            .event_id = sqlite3_column_int64(stmt, 0),
            .start = sqlite3_column_int64(stmt, 1),
            .end = sqlite3_column_int64(stmt, 2),
        };
        if (any_expanded && g_hash_table_contains(expanded, &o.event_id))
            continue; /* answered on demand above */
        g_array_append_val(occurrences, o);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the agenda");
    return TRUE;
}

/* Events' occurrences become items, except those promoted to stressors: those are shown
 * once, as the stressor. */
static gboolean add_events(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                           GArray *placed, DateCache *cache, GError **error)
{
    g_autoptr(GArray) calendars = g_array_new(FALSE, FALSE, sizeof(Calendar));
    g_array_set_clear_func(calendars, clear_calendar);
    g_autoptr(GArray) promoted = g_array_new(FALSE, FALSE, sizeof(Promoted));
    g_autoptr(GArray) occurrences = g_array_new(FALSE, FALSE, sizeof(TendOccurrence));
    if (!read_calendars(store, calendars, error) || !read_promoted(store, promoted, error) ||
        !read_occurrences(store, ctx, from, to, calendars, occurrences, error))
        return FALSE;

    g_autofree guint32 *slots = g_new(guint32, MAX(occurrences->len, 1));
    g_autoptr(GArray) ids = distinct_events(occurrences, slots);
    g_autoptr(GArray) infos = g_array_new(FALSE, TRUE, sizeof(EventInfo));
    g_array_set_clear_func(infos, clear_event_info);
    if (!read_events(store, ids, calendars, promoted, infos, error))
        return FALSE;

    for (guint i = 0; i < occurrences->len; i++) {
        const TendOccurrence *o = &g_array_index(occurrences, TendOccurrence, i);
        const EventInfo *info = &g_array_index(infos, EventInfo, slots[i]);
        gint64 local_start;
        if (!info->title ||
            !overlaps(cache, ctx->tz, o->start, o->end, info->all_day, from, to, &local_start) ||
            (info->promoted && is_promoted(promoted, o->event_id, o->start)))
            continue;
        TendAgendaItem *item = g_new0(TendAgendaItem, 1);
        item->type = TEND_ITEM_EVENT;
        item->id = o->event_id;
        item->title = g_ref_string_acquire(info->title);
        item->start = o->start;
        item->end = o->end;
        item->all_day = info->all_day;
        item->busy = info->busy;
        item->calendar = g_ref_string_acquire(info->calendar->name);
        place(placed, item, local_start);
    }
    return TRUE;
}

static gboolean add_plan(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                         GArray *placed, DateCache *cache, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, plan_sql, error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        gint64 start = sqlite3_column_int64(stmt, 3), end = sqlite3_column_int64(stmt, 4);
        gboolean all_day = sqlite3_column_int(stmt, 5) != 0;
        gint64 local_start;
        if (!overlaps(cache, ctx->tz, start, end, all_day, from, to, &local_start))
            continue;
        TendAgendaItem *item = g_new0(TendAgendaItem, 1);
        item->type = (TendItemType)sqlite3_column_int(stmt, 0);
        item->id = sqlite3_column_int64(stmt, 1);
        item->title = g_ref_string_new(store_column_text(stmt, 2));
        item->start = start;
        item->end = end;
        item->all_day = all_day;
        item->busy = sqlite3_column_int(stmt, 6) != 0;
        item->detail = g_ref_string_new(store_column_text(stmt, 7));
        place(placed, item, local_start);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the agenda");
    return TRUE;
}

static void clear_placed(gpointer data)
{
    Placed *p = data;
    g_clear_pointer(&p->item, agenda_item_free);
}

GPtrArray *agenda_between(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                          GError **error)
{
    /* One read transaction for all the queries: they see one state of the database, and
     * SQLite takes its locks once rather than for every statement. The planner calls in
     * with its own transaction open. */
    gboolean own_transaction = sqlite3_get_autocommit(store_db(store));
    if (own_transaction && !store_exec(store, "BEGIN", error))
        return NULL;
    g_autoptr(GArray) placed = g_array_new(FALSE, FALSE, sizeof(Placed));
    g_array_set_clear_func(placed, clear_placed);
    DateCache cache[2] = {{0}};
    gboolean ok = add_events(store, ctx, from, to, placed, cache, error) &&
                  add_plan(store, ctx, from, to, placed, cache, error);
    if (own_transaction) {
        if (ok)
            ok = store_exec(store, "COMMIT", error);
        else
            store_rollback(store);
    }
    if (!ok)
        return NULL;
    sort_placed(placed);
    GPtrArray *items = g_ptr_array_new_full(placed->len, (GDestroyNotify)agenda_item_free);
    for (guint i = 0; i < placed->len; i++)
        g_ptr_array_add(items, g_steal_pointer(&g_array_index(placed, Placed, i).item));
    return items;
}
