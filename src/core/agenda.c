/* agenda.c: merging imported events, stressors and activities into one timeline.
 *
 * Reads only; the planner and `tend agenda` both rely on it, so it must agree with
 * how ical-import.c stores occurrences (one row per occurrence, all-day ones as
 * date values) and how planner.c stores activities. Repeating events are stored for
 * a window around their calendar's import; for a window beyond it they are worked out
 * again from their stored text (ical_expand_stored), so any window gets its repeats.
 */
#include "tend/agenda.h"

#include "tend/ical-io.h"

void agenda_item_free(TendAgendaItem *item)
{
    if (!item)
        return;
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

/* An occurrence promoted to a stressor is shown once, as the stressor.
 * All-day stressors (a grief anniversary, a whole season) colour the days rather than
 * fill them, so they are not busy; timed ones are.
 * Each query yields: type, id, title, start, end, all_day, busy, calendar, detail.
 * All-day rows are fetched with a day of slack and filtered exactly afterwards. The
 * plain bounds on o.start_utc let SQLite read only a slice of occurrences_by_start: nothing
 * after the window, and before it only as far back as the longest occurrence of any
 * calendar reaches (calendars.longest, kept exact by the import), since anything starting
 * earlier has ended before the window. */
static const char agenda_sql[] =
    "SELECT 0, e.id, e.summary, o.start_utc, o.end_utc, e.all_day, NOT e.transparent, c.name, "
    "       NULL "
    "FROM occurrences o JOIN events e ON e.id = o.event_id JOIN calendars c ON c.id = "
    "e.calendar_id "
    "WHERE o.start_utc < ?2 + 86400 "
    "  AND o.start_utc >= ?1 - 86400 - (SELECT coalesce(max(longest), 0) FROM calendars) "
    "  AND o.start_utc < ?2 + e.all_day * 86400 AND o.end_utc > ?1 - e.all_day * 86400 "
    "  AND NOT EXISTS (SELECT 1 FROM stressors s "
    "                  WHERE s.event_id = e.id AND s.start_utc = o.start_utc) "
    "UNION ALL "
    "SELECT 1, id, title, start_utc, end_utc, all_day, NOT all_day, NULL, kind FROM stressors "
    "WHERE start_utc < ?2 + all_day * 86400 AND end_utc > ?1 - all_day * 86400 "
    "UNION ALL "
    "SELECT 2, id, title, start_utc, end_utc, 0, busy, NULL, kind FROM activities "
    "WHERE start_utc < ?2 AND end_utc > ?1";

/* An item with its span in local time, worked out once: sorting tens of thousands of items
 * must not look the zone up again at every comparison. */
typedef struct {
    gint64 start;
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

/* Takes @item if it overlaps [from, to) in local time, else frees it. */
static void place_item(GArray *placed, TendAgendaItem *item, GTimeZone *tz, DateCache *cache,
                       gint64 from, gint64 to)
{
    gint64 start = item->start, end = item->end;
    if (item->all_day) {
        start = date_to_local_cached(&cache[0], item->start, tz);
        end = date_to_local_cached(&cache[1], item->end, tz);
    }
    if (start < to && end > from) {
        Placed p = {.start = start, .item = item};
        g_array_append_val(placed, p);
    } else {
        agenda_item_free(item);
    }
}

static int compare_placed(gconstpointer a, gconstpointer b)
{
    const Placed *pa = a, *pb = b;
    const TendAgendaItem *x = pa->item;
    const TendAgendaItem *y = pb->item;
    if (pa->start != pb->start)
        return pa->start < pb->start ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return 0;
}

/* Repeats that calendars not covering [from, to) have there, worked out on demand.
 * Fills @expanded with the ids of the events answered this way. */
static gboolean add_repeats_on_demand(TendStore *store, const TendContext *ctx, gint64 from,
                                      gint64 to, GHashTable *expanded, GArray *placed,
                                      DateCache *cache, GError **error)
{
    g_autoptr(sqlite3_stmt) calendars =
        store_prepare(store, "SELECT id, imported_at FROM calendars ORDER BY id", error);
    if (!calendars)
        return FALSE;
    g_autoptr(GArray) occurrences = g_array_new(FALSE, FALSE, sizeof(TendOccurrence));
    int rc;
    while ((rc = sqlite3_step(calendars)) == SQLITE_ROW) {
        if (ical_window_covers(sqlite3_column_int64(calendars, 1), from, to))
            continue;
        if (!ical_expand_stored(store, ctx, sqlite3_column_int64(calendars, 0),
                                from - TEND_DAY_SECONDS, to + TEND_DAY_SECONDS, occurrences,
                                expanded, error))
            return FALSE;
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the calendars");
    if (occurrences->len == 0)
        return TRUE;

    g_autoptr(sqlite3_stmt) event = store_prepare(
        store,
        "SELECT e.summary, e.all_day, NOT e.transparent, c.name FROM events e JOIN calendars c "
        "ON c.id = e.calendar_id WHERE e.id = ?1",
        error);
    g_autoptr(sqlite3_stmt) promoted =
        event ? store_prepare(
                    store, "SELECT 1 FROM stressors WHERE event_id = ?1 AND start_utc = ?2", error)
              : NULL;
    if (!promoted)
        return FALSE;
    for (guint i = 0; i < occurrences->len; i++) {
        const TendOccurrence *o = &g_array_index(occurrences, TendOccurrence, i);
        sqlite3_reset(promoted);
        sqlite3_bind_int64(promoted, 1, o->event_id);
        sqlite3_bind_int64(promoted, 2, o->start);
        if (sqlite3_step(promoted) == SQLITE_ROW)
            continue;
        sqlite3_reset(event);
        sqlite3_bind_int64(event, 1, o->event_id);
        if (sqlite3_step(event) != SQLITE_ROW)
            return store_set_error(store, error, "cannot read an event");
        g_autoptr(TendAgendaItem) item = g_new0(TendAgendaItem, 1);
        item->type = TEND_ITEM_EVENT;
        item->id = o->event_id;
        item->title = g_strdup(store_column_text(event, 0));
        item->start = o->start;
        item->end = o->end;
        item->all_day = sqlite3_column_int(event, 1) != 0;
        item->busy = sqlite3_column_int(event, 2) != 0;
        item->calendar = g_strdup(store_column_text(event, 3));
        place_item(placed, g_steal_pointer(&item), ctx->tz, cache, from, to);
    }
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
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, agenda_sql, error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);

    g_autoptr(GArray) placed = g_array_new(FALSE, FALSE, sizeof(Placed));
    g_array_set_clear_func(placed, clear_placed);
    DateCache cache[2] = {{0}};
    g_autoptr(GHashTable) expanded =
        g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    if (!add_repeats_on_demand(store, ctx, from, to, expanded, placed, cache, error))
        return NULL;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        TendItemType type = (TendItemType)sqlite3_column_int(stmt, 0);
        gint64 id = sqlite3_column_int64(stmt, 1);
        if (type == TEND_ITEM_EVENT && g_hash_table_contains(expanded, &id))
            continue; /* answered on demand above */
        g_autoptr(TendAgendaItem) item = g_new0(TendAgendaItem, 1);
        item->type = type;
        item->id = id;
        item->title = g_strdup(store_column_text(stmt, 2));
        item->start = sqlite3_column_int64(stmt, 3);
        item->end = sqlite3_column_int64(stmt, 4);
        item->all_day = sqlite3_column_int(stmt, 5) != 0;
        item->busy = sqlite3_column_int(stmt, 6) != 0;
        if (sqlite3_column_type(stmt, 7) != SQLITE_NULL)
            item->calendar = g_strdup(store_column_text(stmt, 7));
        if (sqlite3_column_type(stmt, 8) != SQLITE_NULL)
            item->detail = g_strdup(store_column_text(stmt, 8));
        place_item(placed, g_steal_pointer(&item), ctx->tz, cache, from, to);
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read the agenda");
        return NULL;
    }
    g_array_sort(placed, compare_placed);
    GPtrArray *items = g_ptr_array_new_full(placed->len, (GDestroyNotify)agenda_item_free);
    for (guint i = 0; i < placed->len; i++)
        g_ptr_array_add(items, g_steal_pointer(&g_array_index(placed, Placed, i).item));
    return items;
}
