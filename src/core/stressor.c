/* stressor.c: storing and reading the hard events and periods. */
#include "tend/stressor.h"

#include <gio/gio.h>

#include "tend/alarms.h"

static const char *const kind_names[] = {
    [TEND_KIND_FAMILY] = "family", [TEND_KIND_WORK] = "work",       [TEND_KIND_TRAVEL] = "travel",
    [TEND_KIND_GRIEF] = "grief",   [TEND_KIND_HOLIDAY] = "holiday", [TEND_KIND_OTHER] = "other",
};

const char *stressor_kind_to_string(TendKind kind)
{
    return (guint)kind < G_N_ELEMENTS(kind_names) ? kind_names[kind] : NULL;
}

gboolean stressor_kind_from_string(const char *text, TendKind *out_kind)
{
    for (guint i = 0; text && i < G_N_ELEMENTS(kind_names); i++) {
        if (g_ascii_strcasecmp(text, kind_names[i]) == 0) {
            *out_kind = (TendKind)i;
            return TRUE;
        }
    }
    return FALSE;
}

TendStressor *stressor_new(void)
{
    TendStressor *stressor = g_new0(TendStressor, 1);
    stressor->kind = TEND_KIND_OTHER;
    stressor->intensity = 3;
    return stressor;
}

void stressor_free(TendStressor *stressor)
{
    if (!stressor)
        return;
    g_free(stressor->uid);
    g_free(stressor->title);
    g_free(stressor->location);
    g_free(stressor->tzid);
    g_free(stressor);
}

#define STRESSOR_COLUMNS                                                                           \
    "id, uid, title, kind, intensity, location, start_utc, end_utc, all_day, tzid, sequence, "     \
    "created, event_id"

static TendStressor *stressor_from_row(sqlite3_stmt *stmt)
{
    TendStressor *stressor = stressor_new();
    stressor->id = sqlite3_column_int64(stmt, 0);
    stressor->uid = g_strdup(store_column_text(stmt, 1));
    stressor->title = g_strdup(store_column_text(stmt, 2));
    if (!stressor_kind_from_string(store_column_text(stmt, 3), &stressor->kind))
        stressor->kind = TEND_KIND_OTHER;
    stressor->intensity = sqlite3_column_int(stmt, 4);
    if (sqlite3_column_type(stmt, 5) != SQLITE_NULL)
        stressor->location = g_strdup(store_column_text(stmt, 5));
    stressor->start = sqlite3_column_int64(stmt, 6);
    stressor->end = sqlite3_column_int64(stmt, 7);
    stressor->all_day = sqlite3_column_int(stmt, 8) != 0;
    if (sqlite3_column_type(stmt, 9) != SQLITE_NULL)
        stressor->tzid = g_strdup(store_column_text(stmt, 9));
    stressor->sequence = sqlite3_column_int64(stmt, 10);
    stressor->created = sqlite3_column_int64(stmt, 11);
    stressor->event_id = sqlite3_column_int64(stmt, 12);
    return stressor;
}

gboolean stressor_add(TendStore *store, TendStressor *stressor, gint64 now, GError **error)
{
    g_autofree char *title = g_strstrip(g_strdup(stressor->title ? stressor->title : ""));
    if (!*title || !g_utf8_validate(title, -1, NULL)) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "a stressor needs a title, such as \"Christmas at Mum's\"");
        return FALSE;
    }
    if (stressor->intensity < 1 || stressor->intensity > 5) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "intensity %d is out of range; use 1 (a little hard) to 5 (very hard)",
                    stressor->intensity);
        return FALSE;
    }
    if (stressor->end <= stressor->start) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "the end must come after the start");
        return FALSE;
    }

    g_autofree char *random = g_uuid_string_random();
    g_autofree char *uid = g_strdup_printf("%s@tend", random);
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store,
        "INSERT INTO stressors (uid, title, kind, intensity, location, start_utc, end_utc, "
        "all_day, tzid, sequence, created, event_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULLIF(?, 0))",
        error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, stressor_kind_to_string(stressor->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, stressor->intensity);
    if (stressor->location && *stressor->location)
        sqlite3_bind_text(stmt, 5, stressor->location, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, stressor->start);
    sqlite3_bind_int64(stmt, 7, stressor->end);
    sqlite3_bind_int(stmt, 8, stressor->all_day);
    if (stressor->tzid)
        sqlite3_bind_text(stmt, 9, stressor->tzid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 10, now);
    sqlite3_bind_int64(stmt, 11, stressor->event_id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save the stressor");

    stressor->id = sqlite3_last_insert_rowid(store_db(store));
    g_free(stressor->uid);
    stressor->uid = g_steal_pointer(&uid);
    g_free(stressor->title);
    stressor->title = g_steal_pointer(&title);
    stressor->sequence = 0;
    stressor->created = now;
    return TRUE;
}

static GPtrArray *collect(TendStore *store, sqlite3_stmt *stmt, GError **error)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify)stressor_free);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        g_ptr_array_add(list, stressor_from_row(stmt));
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read stressors");
        return NULL;
    }
    return g_steal_pointer(&list);
}

GPtrArray *stressor_list(TendStore *store, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store, "SELECT " STRESSOR_COLUMNS " FROM stressors ORDER BY start_utc, id", error);
    return stmt ? collect(store, stmt, error) : NULL;
}

GPtrArray *stressor_list_between(TendStore *store, gint64 from, gint64 to, GError **error)
{
    /* All-day values are UTC midnights; a day of slack on each side covers every zone. */
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT " STRESSOR_COLUMNS " FROM stressors "
                      "WHERE start_utc < ?2 + all_day * 86400 AND end_utc > ?1 - all_day * 86400 "
                      "ORDER BY start_utc, id",
                      error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    return collect(store, stmt, error);
}

TendStressor *stressor_get(TendStore *store, gint64 id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT " STRESSOR_COLUMNS " FROM stressors WHERE id = ?", error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return stressor_from_row(stmt);
    if (rc == SQLITE_DONE)
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no stressor with id %" G_GINT64_FORMAT "; 'tend stressor list' shows them",
                    id);
    else
        store_set_error(store, error, "cannot read the stressor");
    return NULL;
}

gboolean stressor_remove(TendStore *store, gint64 id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "DELETE FROM stressors WHERE id = ?", error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot remove the stressor");
    if (sqlite3_changes(store_db(store)) == 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no stressor with id %" G_GINT64_FORMAT "; 'tend stressor list' shows them",
                    id);
        return FALSE;
    }
    /* Its activities went with it (ON DELETE CASCADE); their reminders go too, so a new
     * item given the same id starts with none. */
    return alarms_forget_removed(store, error);
}

TendStressor *stressor_add_from_event(TendStore *store, const char *event_uid, gint64 after,
                                      TendKind kind, int intensity, gint64 now, GError **error)
{
    /* The occurrences kept with each event's row (schema 7): the first that has not
     * ended by @after, the earlier event first on a tie. */
    g_autoptr(sqlite3_stmt) find =
        store_prepare(store,
                      "SELECT id, summary, location, start_utc, end_utc, all_day, tzid, "
                      "occurrences FROM events WHERE uid = ? ORDER BY id",
                      error);
    if (!find)
        return NULL;
    sqlite3_bind_text(find, 1, event_uid, -1, SQLITE_STATIC);
    g_autoptr(TendStressor) stressor = stressor_new();
    g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(TendSpan));
    gboolean found = FALSE;
    int rc;
    while ((rc = sqlite3_step(find)) == SQLITE_ROW) {
        g_array_set_size(spans, 0);
        if (!store_column_spans(find, 7, sqlite3_column_int64(find, 3),
                                sqlite3_column_int64(find, 4), spans)) {
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL,
                        "the stored occurrences of event '%s' are damaged", event_uid);
            return NULL;
        }
        guint i = 0;
        while (i < spans->len && g_array_index(spans, TendSpan, i).end <= after)
            i++;
        if (i == spans->len)
            continue;
        const TendSpan *span = &g_array_index(spans, TendSpan, i);
        if (found && span->start >= stressor->start)
            continue;
        found = TRUE;
        stressor->event_id = sqlite3_column_int64(find, 0);
        g_free(stressor->title);
        stressor->title = g_strdup(store_column_text(find, 1));
        g_clear_pointer(&stressor->location, g_free);
        if (sqlite3_column_type(find, 2) != SQLITE_NULL)
            stressor->location = g_strdup(store_column_text(find, 2));
        stressor->start = span->start;
        stressor->end = span->end;
        stressor->all_day = sqlite3_column_int(find, 5) != 0;
        g_clear_pointer(&stressor->tzid, g_free);
        if (sqlite3_column_type(find, 6) != SQLITE_NULL)
            stressor->tzid = g_strdup(store_column_text(find, 6));
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read events");
        return NULL;
    }
    if (!found) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no upcoming event with uid '%s'; import its calendar first", event_uid);
        return NULL;
    }
    stressor->kind = kind;
    stressor->intensity = intensity;

    g_autoptr(sqlite3_stmt) existing = store_prepare(
        store, "SELECT " STRESSOR_COLUMNS " FROM stressors WHERE event_id = ? AND start_utc = ?",
        error);
    if (!existing)
        return NULL;
    sqlite3_bind_int64(existing, 1, stressor->event_id);
    sqlite3_bind_int64(existing, 2, stressor->start);
    if (sqlite3_step(existing) == SQLITE_ROW)
        return stressor_from_row(existing);

    if (!stressor_add(store, stressor, now, error))
        return NULL;
    return g_steal_pointer(&stressor);
}
