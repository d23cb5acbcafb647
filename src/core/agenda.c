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
 * plain bound on o.start_utc lets SQLite use occurrences_by_start, so nothing after the
 * window is read; what starts before it must still be scanned for long occurrences (a
 * stored longest span per calendar would bound that; see the report for issue 3). */
static const char agenda_sql[] =
    "SELECT 0, e.id, e.summary, o.start_utc, o.end_utc, e.all_day, NOT e.transparent, c.name, "
    "       NULL "
    "FROM occurrences o JOIN events e ON e.id = o.event_id JOIN calendars c ON c.id = "
    "e.calendar_id "
    "WHERE o.start_utc < ?2 + 86400 "
    "  AND o.start_utc < ?2 + e.all_day * 86400 AND o.end_utc > ?1 - e.all_day * 86400 "
    "  AND NOT EXISTS (SELECT 1 FROM stressors s "
    "                  WHERE s.event_id = e.id AND s.start_utc = o.start_utc) "
    "UNION ALL "
    "SELECT 1, id, title, start_utc, end_utc, all_day, NOT all_day, NULL, kind FROM stressors "
    "WHERE start_utc < ?2 + all_day * 86400 AND end_utc > ?1 - all_day * 86400 "
    "UNION ALL "
    "SELECT 2, id, title, start_utc, end_utc, 0, busy, NULL, kind FROM activities "
    "WHERE start_utc < ?2 AND end_utc > ?1";

static int compare_items(gconstpointer a, gconstpointer b, gpointer user_data)
{
    const TendAgendaItem *x = *(TendAgendaItem *const *)a;
    const TendAgendaItem *y = *(TendAgendaItem *const *)b;
    GTimeZone *tz = user_data;
    gint64 xs, xe, ys, ye;
    agenda_item_span(x, tz, &xs, &xe);
    agenda_item_span(y, tz, &ys, &ye);
    if (xs != ys)
        return xs < ys ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return 0;
}

/* Repeats that calendars not covering [from, to) have there, worked out on demand.
 * Fills @expanded with the ids of the events answered this way. */
static gboolean add_repeats_on_demand(TendStore *store, const TendContext *ctx, gint64 from,
                                      gint64 to, GHashTable *expanded, GPtrArray *items,
                                      GError **error)
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
        gint64 start, end;
        agenda_item_span(item, ctx->tz, &start, &end);
        if (start < to && end > from)
            g_ptr_array_add(items, g_steal_pointer(&item));
    }
    return TRUE;
}

GPtrArray *agenda_between(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                          GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, agenda_sql, error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);

    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)agenda_item_free);
    g_autoptr(GHashTable) expanded =
        g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    if (!add_repeats_on_demand(store, ctx, from, to, expanded, items, error))
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

        gint64 start, end;
        agenda_item_span(item, ctx->tz, &start, &end);
        if (start < to && end > from)
            g_ptr_array_add(items, g_steal_pointer(&item));
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read the agenda");
        return NULL;
    }
    g_ptr_array_sort_with_data(items, compare_items, ctx->tz);
    return g_steal_pointer(&items);
}
