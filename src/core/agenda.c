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

/* Events' items live together in one block with their strings (a fortnight can hold tens of
 * thousands), freed with the last of them. */
typedef struct {
    gint alive; /* items not yet freed */
    GStringChunk *strings;
    TendAgendaItem *items;
} ItemBlock;

static void item_block_release(ItemBlock *block)
{
    if (!g_atomic_int_dec_and_test(&block->alive))
        return;
    g_string_chunk_free(block->strings);
    g_free(block->items);
    g_free(block);
}

void agenda_item_free(TendAgendaItem *item)
{
    if (!item)
        return;
    if (item->block) {
        item_block_release(item->block);
        return;
    }
    g_free(item->title);
    g_free(item->calendar);
    g_free(item->detail);
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

/* Stored occurrences that may overlap [?1, ?2), each handed to tend_collect_occurrence():
 * the plain bounds on start_utc let SQLite read only a slice of the table, ordered by
 * (start_utc, end_utc, event_id) since schema 7: nothing
 * after the window (plus a day for all-day dates), and before it only as far back as the
 * longest occurrence of any calendar reaches (calendars.longest, kept exact by the
 * import), since anything starting earlier has ended before the window; of those, none
 * that ended a day or more before it. Each is filtered exactly once its event is known. */
static const char occurrences_sql[] =
    "SELECT count(tend_collect_occurrence(event_id, start_utc, end_utc)) FROM occurrences "
    "WHERE start_utc < ?2 + 86400 "
    "  AND start_utc >= ?1 - 86400 - (SELECT coalesce(max(longest), 0) FROM calendars) "
    "  AND end_utc > ?1 - 86400";

/* What the agenda shows of the events whose ids are in the array bound to ?1 (ascending, see
 * tend_ids below), with each one's position in it. One statement for all of them, so SQLite runs
 * one loop rather than a statement per event, and read from the narrow table event_briefs rather
 * than from the events' rows: a busy fortnight names about a tenth of all events,
 * scattered over the whole table, and the rows (with their uid, hash and stored text) are
 * many times wider than these columns. */
static const char events_sql[] =
    "SELECT count(tend_collect_event(j.position, e.all_day, NOT e.transparent, e.calendar_id, "
    "e.summary)) FROM tend_ids(?1) j JOIN event_briefs e ON e.id = j.value";

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

static int compare_placed(const void *a, const void *b)
{
    const Placed *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorts by local start, then type, then id (no two items share all three). Items mostly
 * arrive in start order already (stored occurrences come in UTC start order), so those
 * stay where they are, only the others (all-day dates, whose local midnight is not UTC
 * midnight; stressors, activities, repeats worked out on demand) are sorted, and the two
 * are merged: a general sort with a comparison callback took longer than reading the
 * items. */
static void sort_placed(GArray *placed)
{
    guint n = placed->len;
    if (n < 2)
        return;
    Placed *a = (Placed *)(void *)placed->data;
    g_autofree Placed *rest = g_new(Placed, n);
    guint kept = 0, others = 0;
    for (guint i = 0; i < n; i++) {
        if (kept == 0 || a[i].start >= a[kept - 1].start)
            a[kept++] = a[i];
        else
            rest[others++] = a[i];
    }
    /* The kept ones are in start order; put each group sharing a start in order. */
    for (guint lo = 0, hi; lo < kept; lo = hi) {
        for (hi = lo + 1; hi < kept && a[hi].start == a[lo].start; hi++)
            ;
        if (hi - lo > 64) {
            qsort(a + lo, hi - lo, sizeof *a, compare_placed);
            continue;
        }
        for (guint i = lo + 1; i < hi; i++) {
            Placed p = a[i];
            guint j = i;
            for (; j > lo && compare_placed(&p, &a[j - 1]) < 0; j--)
                a[j] = a[j - 1];
            a[j] = p;
        }
    }
    qsort(rest, others, sizeof *rest, compare_placed);
    /* Merge from the back, into the room the others left at the end. */
    guint i = kept, j = others, k = n;
    while (j > 0) {
        if (i > 0 && compare_placed(&a[i - 1], &rest[j - 1]) > 0)
            a[--k] = a[--i];
        else
            a[--k] = rest[--j];
    }
}

/* A calendar and its name, shared by the items of all its events. */
typedef struct {
    gint64 id;
    gint64 imported_at;
    char *name; /* in the item block's strings */
} Calendar;

/* What the agenda needs of one event. */
typedef struct {
    char *title; /* in the item block's strings; NULL when the event (or its calendar) is gone */
    const Calendar *calendar;
    gboolean all_day;
    gboolean busy;
    gboolean promoted; /* some occurrence of it is a stressor */
} EventInfo;

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

typedef void (*CollectFunc)(sqlite3_context *context, int argc, sqlite3_value **argv);

/* Queries whose rows go to a function of ours inside the query rather than being stepped out
 * one by one: tens of thousands of rows, and a step and a few column reads each cost more
 * than the reading itself. Registers @func as @name (with @n_args values and @collector as
 * its data) and prepares @sql; the caller binds, then collecting_run() does the rest. NULL
 * when either fails. */
static sqlite3_stmt *collecting_prepare(sqlite3 *db, const char *name, int n_args, CollectFunc func,
                                        gpointer collector, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_create_function_v2(db, name, n_args, SQLITE_UTF8 | SQLITE_DIRECTONLY, collector,
                                   func, NULL, NULL, NULL) == SQLITE_OK)
        sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
    return stmt;
}

/* Runs @stmt (from collecting_prepare(), or NULL when that failed), frees it and takes the
 * function @name away again: it points at the caller's frame. */
static gboolean collecting_run(TendStore *store, sqlite3_stmt *stmt, const char *name, int n_args,
                               const char *what, GError **error)
{
    int rc = SQLITE_ERROR;
    if (stmt)
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
            ;
    gboolean ok = rc == SQLITE_DONE;
    if (!ok)
        store_set_error(store, error, what);
    sqlite3_finalize(stmt);
    sqlite3_create_function_v2(store_db(store), name, n_args, SQLITE_UTF8, NULL, NULL, NULL, NULL,
                               NULL);
    return ok;
}

/* tend_ids(?1): the ids of a GArray of gint64 bound as a pointer, one row each with its
 * position, for events_sql to join: json_each() made SQLite parse the ids back out of text
 * written for it. Eponymous only; the pointer type keeps any other value out. */
#define IDS_POINTER "tend-agenda-ids"

typedef struct {
    sqlite3_vtab base;
} IdsTable;

typedef struct {
    sqlite3_vtab_cursor base;
    const GArray *ids;
    guint at;
} IdsCursor;

static int ids_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                       sqlite3_vtab **out_vtab, char **out_error)
{
    (void)aux;
    (void)argc;
    (void)argv;
    (void)out_error;
    int rc =
        sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER, position INTEGER, ids HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    *out_vtab = g_malloc0(sizeof(IdsTable));
    return SQLITE_OK;
}

static int ids_disconnect(sqlite3_vtab *vtab)
{
    g_free(vtab);
    return SQLITE_OK;
}

/* Only with the list given (ids = ?): a plan without it would be no table at all. */
static int ids_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info)
{
    (void)vtab;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn == 2 && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!c->usable)
                return SQLITE_CONSTRAINT;
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->estimatedCost = 1;
            return SQLITE_OK;
        }
    }
    return SQLITE_CONSTRAINT;
}

static int ids_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out_cursor)
{
    (void)vtab;
    *out_cursor = g_malloc0(sizeof(IdsCursor));
    return SQLITE_OK;
}

static int ids_close(sqlite3_vtab_cursor *cursor)
{
    g_free(cursor);
    return SQLITE_OK;
}

static int ids_filter(sqlite3_vtab_cursor *base, int index, const char *index_name, int argc,
                      sqlite3_value **argv)
{
    (void)index;
    (void)index_name;
    IdsCursor *cursor = (IdsCursor *)base;
    cursor->ids = argc == 1 ? sqlite3_value_pointer(argv[0], IDS_POINTER) : NULL;
    cursor->at = 0;
    return SQLITE_OK;
}

static int ids_next(sqlite3_vtab_cursor *base)
{
    ((IdsCursor *)base)->at++;
    return SQLITE_OK;
}

static int ids_eof(sqlite3_vtab_cursor *base)
{
    const IdsCursor *cursor = (const IdsCursor *)base;
    return !cursor->ids || cursor->at >= cursor->ids->len;
}

static int ids_column(sqlite3_vtab_cursor *base, sqlite3_context *context, int column)
{
    const IdsCursor *cursor = (const IdsCursor *)base;
    if (column == 0)
        sqlite3_result_int64(context, g_array_index(cursor->ids, gint64, cursor->at));
    else if (column == 1)
        sqlite3_result_int64(context, cursor->at);
    else
        sqlite3_result_null(context);
    return SQLITE_OK;
}

static int ids_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *out_rowid)
{
    *out_rowid = ((const IdsCursor *)base)->at;
    return SQLITE_OK;
}

static const sqlite3_module ids_module = {
    .xConnect = ids_connect,
    .xBestIndex = ids_best_index,
    .xDisconnect = ids_disconnect,
    .xOpen = ids_open,
    .xClose = ids_close,
    .xFilter = ids_filter,
    .xNext = ids_next,
    .xEof = ids_eof,
    .xColumn = ids_column,
    .xRowid = ids_rowid,
};

/* What read_events() hands tend_collect_event(). */
typedef struct {
    GArray *ids;
    GArray *calendars;
    GArray *promoted;
    GStringChunk *strings;
    GArray *infos;
} EventCollector;

/* tend_collect_event(position, all_day, busy, calendar_id, summary): one row of events_sql. */
static void collect_event(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    EventCollector *collector = sqlite3_user_data(context);
    sqlite3_result_null(context);
    gint64 position = sqlite3_value_int64(argv[0]);
    if (position < 0 || position >= collector->ids->len)
        return;
    EventInfo *info = &g_array_index(collector->infos, EventInfo, position);
    info->calendar = find_calendar(collector->calendars, sqlite3_value_int64(argv[3]));
    if (!info->calendar)
        return;
    info->all_day = sqlite3_value_int(argv[1]) != 0;
    info->busy = sqlite3_value_int(argv[2]) != 0;
    const unsigned char *title = sqlite3_value_text(argv[4]);
    info->title = g_string_chunk_insert_len(collector->strings, title ? (const char *)title : "",
                                            title ? sqlite3_value_bytes(argv[4]) : 0);
    info->promoted =
        has_promoted(collector->promoted, g_array_index(collector->ids, gint64, position));
}

/* Reads what the agenda shows of each event in @ids into @infos (same order). Events that
 * are gone are left with a NULL title, so their occurrences are left out, as a join would. */
static gboolean read_events(TendStore *store, GArray *ids, GArray *calendars, GArray *promoted,
                            GStringChunk *strings, GArray *infos, GError **error)
{
    g_array_set_size(infos, ids->len);
    if (ids->len == 0)
        return TRUE;
    EventCollector collector = {.ids = ids,
                                .calendars = calendars,
                                .promoted = promoted,
                                .strings = strings,
                                .infos = infos};
    if (sqlite3_create_module_v2(store_db(store), "tend_ids", &ids_module, NULL, NULL) != SQLITE_OK)
        return store_set_error(store, error, "cannot read the events");
    sqlite3_stmt *stmt = collecting_prepare(store_db(store), "tend_collect_event", 5, collect_event,
                                            &collector, events_sql);
    if (stmt)
        sqlite3_bind_pointer(stmt, 1, ids, IDS_POINTER, NULL);
    return collecting_run(store, stmt, "tend_collect_event", 5, "cannot read the events", error);
}

/* Calendars, with the names their items share. */
static gboolean read_calendars(TendStore *store, GStringChunk *strings, GArray *calendars,
                               GError **error)
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
            .name = g_string_chunk_insert(strings, store_column_text(stmt, 2)),
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

typedef struct {
    GArray *occurrences;
    GHashTable *expanded; /* events answered on demand, or NULL for none */
} Collector;

static void collect_occurrence(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    Collector *collector = sqlite3_user_data(context);
    TendOccurrence o = {
        .event_id = sqlite3_value_int64(argv[0]),
        .start = sqlite3_value_int64(argv[1]),
        .end = sqlite3_value_int64(argv[2]),
    };
    /* Events answered on demand are not taken again from their stored occurrences. */
    if (!collector->expanded || !g_hash_table_contains(collector->expanded, &o.event_id))
        g_array_append_val(collector->occurrences, o);
    sqlite3_result_null(context);
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
    Collector collector = {
        .occurrences = occurrences,
        .expanded = g_hash_table_size(expanded) > 0 ? expanded : NULL,
    };
    sqlite3_stmt *stmt = collecting_prepare(store_db(store), "tend_collect_occurrence", 3,
                                            collect_occurrence, &collector, occurrences_sql);
    if (stmt) {
        sqlite3_bind_int64(stmt, 1, from);
        sqlite3_bind_int64(stmt, 2, to);
    }
    return collecting_run(store, stmt, "tend_collect_occurrence", 3, "cannot read the agenda",
                          error);
}

/* Makes items of @occurrences in @block, except those promoted to stressors: those are
 * shown once, as the stressor. */
static gboolean make_event_items(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                                 GArray *calendars, GArray *promoted, GArray *occurrences,
                                 ItemBlock *block, GArray *placed, DateCache *cache, GError **error)
{
    g_autofree guint32 *slots = g_new(guint32, MAX(occurrences->len, 1));
    g_autoptr(GArray) ids = distinct_events(occurrences, slots);
    g_autoptr(GArray) infos = g_array_new(FALSE, TRUE, sizeof(EventInfo));
    if (!read_events(store, ids, calendars, promoted, block->strings, infos, error))
        return FALSE;

    block->items = g_new(TendAgendaItem, MAX(occurrences->len, 1));
    guint made = 0;
    for (guint i = 0; i < occurrences->len; i++) {
        const TendOccurrence *o = &g_array_index(occurrences, TendOccurrence, i);
        const EventInfo *info = &g_array_index(infos, EventInfo, slots[i]);
        gint64 local_start;
        if (!info->title ||
            !overlaps(cache, ctx->tz, o->start, o->end, info->all_day, from, to, &local_start) ||
            (info->promoted && is_promoted(promoted, o->event_id, o->start)))
            continue;
        TendAgendaItem *item = &block->items[made++];
        block->alive++;
        *item = (TendAgendaItem){
            .type = TEND_ITEM_EVENT,
            .id = o->event_id,
            .title = info->title,
            .start = o->start,
            .end = o->end,
            .all_day = info->all_day,
            .busy = info->busy,
            .calendar = info->calendar->name,
            .block = block,
        };
        place(placed, item, local_start);
    }
    return TRUE;
}

static gboolean add_events(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                           GArray *placed, DateCache *cache, GError **error)
{
    g_autoptr(GArray) calendars = g_array_new(FALSE, FALSE, sizeof(Calendar));
    g_autoptr(GArray) promoted = g_array_new(FALSE, FALSE, sizeof(Promoted));
    g_autoptr(GArray) occurrences = g_array_sized_new(FALSE, FALSE, sizeof(TendOccurrence), 1024);
    ItemBlock *block = g_new0(ItemBlock, 1);
    block->strings = g_string_chunk_new(1 << 16);
    block->alive = 1; /* ours while the items are made */
    gboolean ok = read_calendars(store, block->strings, calendars, error) &&
                  read_promoted(store, promoted, error) &&
                  read_occurrences(store, ctx, from, to, calendars, occurrences, error) &&
                  make_event_items(store, ctx, from, to, calendars, promoted, occurrences, block,
                                   placed, cache, error);
    item_block_release(block); /* the items made, if any, keep it */
    return ok;
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
        item->title = g_strdup(store_column_text(stmt, 2));
        item->start = start;
        item->end = end;
        item->all_day = all_day;
        item->busy = sqlite3_column_int(stmt, 6) != 0;
        item->detail = g_strdup(store_column_text(stmt, 7));
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
