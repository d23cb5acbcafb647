/* notes.c: the private journal: storing, listing, searching and removing notes.
 *
 * Note text is only ever written to the database; this file never logs it.
 * Full-text search uses the notes_fts table that store.c keeps in step with
 * notes through triggers.
 */
#include "tend/notes.h"

#include <gio/gio.h>
#include <string.h>

#include "tend/stressor.h"

TendNote *note_new(void)
{
    TendNote *note = g_new0(TendNote, 1);
    note->mood = -1;
    note->stress = -1;
    note->tags = g_ptr_array_new_with_free_func(g_free);
    return note;
}

void note_free(TendNote *note)
{
    if (!note)
        return;
    g_free(note->text);
    g_clear_pointer(&note->tags, g_ptr_array_unref);
    g_free(note);
}

char *notes_clean_text(const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
    GString *clean = g_string_sized_new(strlen(valid));
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '\n' || c == '\t' || !g_unichar_iscntrl(c))
            g_string_append_unichar(clean, c);
    }
    return g_string_free(clean, FALSE);
}

/* One tag as it is stored, or NULL with @error saying what to type instead. */
static char *normalise_tag(const char *tag, GError **error)
{
    g_autofree char *clean = g_strstrip(notes_clean_text(tag));
    const char *word = clean[0] == '#' ? clean + 1 : clean;
    g_autofree char *lower = g_utf8_strdown(word, -1);
    g_autofree char *normal = g_utf8_normalize(lower, -1, G_NORMALIZE_NFC);

    if (!normal || !*normal) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "a tag needs a word, such as --tag kitchen");
        return NULL;
    }
    if (g_str_has_prefix(normal, TEND_NOTE_ACTIVITY_TAG)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "tag '%s' is kept for links to activities; use --activity ID for those",
                    normal);
        return NULL;
    }
    if (g_utf8_strlen(normal, -1) > TEND_NOTE_TAG_MAX) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "tag '%s' is longer than %d characters; a short word is enough", normal,
                    TEND_NOTE_TAG_MAX);
        return NULL;
    }
    gboolean split = FALSE;
    GString *suggestion = g_string_new(NULL);
    for (const char *p = normal; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == ',' || g_unichar_isspace(c)) {
            split = TRUE;
            c = '-';
        }
        g_string_append_unichar(suggestion, c);
    }
    g_autofree char *hint = g_string_free(suggestion, FALSE);
    if (split) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "tag '%s' has a space or comma; a tag is one word, such as '%s' (give "
                    "--tag again for each tag)",
                    normal, hint);
        return NULL;
    }
    return g_steal_pointer(&normal);
}

static int compare_tags(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean check_scale(const char *name, int value, const char *low, const char *high,
                            GError **error)
{
    if (value == -1 || (value >= 0 && value <= 10))
        return TRUE;
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                "%s %d is out of range; use 0 (%s) to 10 (%s)", name, value, low, high);
    return FALSE;
}

static gboolean check_stressor(TendStore *store, gint64 stressor_id, GError **error)
{
    if (stressor_id == 0)
        return TRUE;
    if (stressor_id < 0) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "stressor id %" G_GINT64_FORMAT " is not valid; 'tend stressor list' shows "
                    "the ids",
                    stressor_id);
        return FALSE;
    }
    g_autoptr(TendStressor) stressor = stressor_get(store, stressor_id, error);
    return stressor != NULL;
}

/* Checks that activity @activity_id exists and fills in or checks *@stressor_id. */
static gboolean check_activity(TendStore *store, gint64 activity_id, gint64 *stressor_id,
                               GError **error)
{
    if (activity_id == 0)
        return TRUE;
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT stressor_id FROM activities WHERE id = ?", error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, activity_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE || activity_id < 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no activity with id %" G_GINT64_FORMAT "; 'tend plan --json' shows them",
                    activity_id);
        return FALSE;
    }
    if (rc != SQLITE_ROW)
        return store_set_error(store, error, "cannot read the activity");
    gint64 owner = sqlite3_column_int64(stmt, 0);
    if (*stressor_id != 0 && *stressor_id != owner) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "activity %" G_GINT64_FORMAT " belongs to stressor %" G_GINT64_FORMAT
                    ", not %" G_GINT64_FORMAT "; give just --activity",
                    activity_id, owner, *stressor_id);
        return FALSE;
    }
    *stressor_id = owner;
    return TRUE;
}

gboolean notes_add(TendStore *store, TendNote *note, gint64 now, GError **error)
{
    g_return_val_if_fail(store != NULL && note != NULL, FALSE);

    g_autofree char *text = g_strstrip(notes_clean_text(note->text));
    if (!*text) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "a note needs a few words, such as \"Left early and that was okay\"");
        return FALSE;
    }
    if (!check_scale("mood", note->mood, "very low", "very good", error) ||
        !check_scale("stress", note->stress, "calm", "overwhelmed", error))
        return FALSE;

    g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; note->tags && i < note->tags->len; i++) {
        char *tag = normalise_tag(note->tags->pdata[i], error);
        if (!tag)
            return FALSE;
        if (g_ptr_array_find_with_equal_func(tags, tag, g_str_equal, NULL))
            g_free(tag);
        else
            g_ptr_array_add(tags, tag);
    }
    g_ptr_array_sort(tags, compare_tags);

    gint64 stressor_id = note->stressor_id;
    if (!check_stressor(store, stressor_id, error) ||
        !check_activity(store, note->activity_id, &stressor_id, error))
        return FALSE;

    g_autoptr(sqlite3_stmt) insert =
        store_prepare(store,
                      "INSERT INTO notes (created, text, mood, stress, stressor_id) "
                      "VALUES (?, ?, NULLIF(?, -1), NULLIF(?, -1), NULLIF(?, 0))",
                      error);
    if (!insert)
        return FALSE;
    sqlite3_bind_int64(insert, 1, now);
    sqlite3_bind_text(insert, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_int(insert, 3, note->mood);
    sqlite3_bind_int(insert, 4, note->stress);
    sqlite3_bind_int64(insert, 5, stressor_id);
    if (sqlite3_step(insert) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save the note");
    gint64 id = sqlite3_last_insert_rowid(store_db(store));

    g_autoptr(sqlite3_stmt) tag_insert =
        store_prepare(store, "INSERT INTO note_tags (note_id, tag) VALUES (?, ?)", error);
    if (!tag_insert)
        return FALSE;
    g_autofree char *activity_tag =
        note->activity_id
            ? g_strdup_printf(TEND_NOTE_ACTIVITY_TAG "%" G_GINT64_FORMAT, note->activity_id)
            : NULL;
    for (guint i = 0; i <= tags->len; i++) {
        const char *tag = i < tags->len ? tags->pdata[i] : activity_tag;
        if (!tag)
            continue;
        sqlite3_reset(tag_insert);
        sqlite3_bind_int64(tag_insert, 1, id);
        sqlite3_bind_text(tag_insert, 2, tag, -1, SQLITE_STATIC);
        if (sqlite3_step(tag_insert) != SQLITE_DONE)
            return store_set_error(store, error, "cannot save the note's tags");
    }

    note->id = id;
    note->created = now;
    note->stressor_id = stressor_id;
    g_free(note->text);
    note->text = g_steal_pointer(&text);
    g_clear_pointer(&note->tags, g_ptr_array_unref);
    note->tags = g_steal_pointer(&tags);
    return TRUE;
}

#define NOTE_COLUMNS "n.id, n.created, n.text, n.mood, n.stress, n.stressor_id"

static TendNote *note_from_row(sqlite3_stmt *stmt)
{
    TendNote *note = note_new();
    note->id = sqlite3_column_int64(stmt, 0);
    note->created = sqlite3_column_int64(stmt, 1);
    note->text = g_strdup(store_column_text(stmt, 2));
    if (sqlite3_column_type(stmt, 3) != SQLITE_NULL)
        note->mood = sqlite3_column_int(stmt, 3);
    if (sqlite3_column_type(stmt, 4) != SQLITE_NULL)
        note->stress = sqlite3_column_int(stmt, 4);
    note->stressor_id = sqlite3_column_int64(stmt, 5);
    return note;
}

static gboolean load_tags(TendStore *store, GPtrArray *notes, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT tag FROM note_tags WHERE note_id = ? ORDER BY tag", error);
    if (!stmt)
        return FALSE;
    for (guint i = 0; i < notes->len; i++) {
        TendNote *note = notes->pdata[i];
        int rc;
        sqlite3_reset(stmt);
        sqlite3_bind_int64(stmt, 1, note->id);
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            const char *tag = store_column_text(stmt, 0);
            if (g_str_has_prefix(tag, TEND_NOTE_ACTIVITY_TAG))
                note->activity_id = g_ascii_strtoll(tag + strlen(TEND_NOTE_ACTIVITY_TAG), NULL, 10);
            else
                g_ptr_array_add(note->tags, g_strdup(tag));
        }
        if (rc != SQLITE_DONE)
            return store_set_error(store, error, "cannot read the notes' tags");
    }
    return TRUE;
}

GPtrArray *notes_list(TendStore *store, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store, "SELECT " NOTE_COLUMNS " FROM notes n ORDER BY n.created DESC, n.id DESC", error);
    if (!stmt)
        return NULL;
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func((GDestroyNotify)note_free);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        g_ptr_array_add(notes, note_from_row(stmt));
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read notes");
        return NULL;
    }
    if (!load_tags(store, notes, error))
        return NULL;
    return g_steal_pointer(&notes);
}

GPtrArray *notes_list_between(TendStore *store, gint64 from, gint64 to, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT " NOTE_COLUMNS " FROM notes n WHERE n.created >= ? AND n.created < ? "
                      "ORDER BY n.created, n.id",
                      error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func((GDestroyNotify)note_free);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        g_ptr_array_add(notes, note_from_row(stmt));
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read notes");
        return NULL;
    }
    if (!load_tags(store, notes, error))
        return NULL;
    return g_steal_pointer(&notes);
}

static gboolean is_operator(const char *word)
{
    return g_str_equal(word, "AND") || g_str_equal(word, "OR") || g_str_equal(word, "NOT");
}

char *notes_query_to_fts(const char *query)
{
    g_autofree char *clean = g_strstrip(notes_clean_text(query));
    if (!*clean)
        return NULL;
    /* Someone who types a quote or a parenthesis is writing FTS5 syntax on purpose. */
    if (strpbrk(clean, "\"()"))
        return g_steal_pointer(&clean);

    g_auto(GStrv) parts = g_strsplit_set(clean, " \t\n", -1);
    g_autoptr(GPtrArray) words = g_ptr_array_new();
    for (guint i = 0; parts[i]; i++)
        if (*parts[i])
            g_ptr_array_add(words, parts[i]);

    GString *fts = g_string_new(NULL);
    gboolean after_word = FALSE;
    for (guint i = 0; i < words->len; i++) {
        const char *word = words->pdata[i];
        if (fts->len)
            g_string_append_c(fts, ' ');
        /* An operator needs a word on each side; elsewhere "OR" is just a word. */
        if (is_operator(word) && after_word && i + 1 < words->len) {
            g_string_append(fts, word);
            after_word = FALSE;
            continue;
        }
        gsize len = strlen(word);
        gboolean prefix = FALSE;
        while (len > 1 && word[len - 1] == '*') {
            len--;
            prefix = TRUE;
        }
        g_string_append_c(fts, '"');
        g_string_append_len(fts, word, (gssize)len);
        g_string_append(fts, prefix ? "\"*" : "\"");
        after_word = TRUE;
    }
    return g_string_free(fts, FALSE);
}

GPtrArray *notes_search(TendStore *store, const char *query, GError **error)
{
    g_autofree char *shown = g_strstrip(notes_clean_text(query));
    g_autofree char *fts = notes_query_to_fts(query);
    if (!fts) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            "search needs a word to look for, such as kitchen or crêpe*");
        return NULL;
    }
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store,
        "SELECT " NOTE_COLUMNS " FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid "
        "WHERE notes_fts MATCH ? "
        "ORDER BY bm25(notes_fts), n.created DESC, n.id DESC",
        error);
    if (!stmt)
        return NULL;
    sqlite3_bind_text(stmt, 1, fts, -1, SQLITE_STATIC);

    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func((GDestroyNotify)note_free);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        g_ptr_array_add(notes, note_from_row(stmt));
    if (rc == SQLITE_ERROR) {
        /* A plain SQLITE_ERROR from MATCH is FTS5 refusing the query text itself. */
        const char *why = sqlite3_errmsg(store_db(store));
        if (g_str_has_prefix(why, "fts5: "))
            why += strlen("fts5: ");
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "cannot search for '%s': %s; put words in plain text or quote a phrase", shown,
                    why);
        return NULL;
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot search notes");
        return NULL;
    }
    if (!load_tags(store, notes, error))
        return NULL;
    return g_steal_pointer(&notes);
}

gboolean notes_remove(TendStore *store, gint64 id, GError **error)
{
    g_return_val_if_fail(store != NULL, FALSE);
    g_return_val_if_fail(sqlite3_get_autocommit(store_db(store)), FALSE);

    if (!store_begin(store, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, "DELETE FROM notes WHERE id = ?", error);
    if (!stmt) {
        store_rollback(store);
        return FALSE;
    }
    sqlite3_bind_int64(stmt, 1, id);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
        store_set_error(store, error, "cannot remove the note");
        store_rollback(store);
        return FALSE;
    }
    if (sqlite3_changes(store_db(store)) == 0) {
        store_rollback(store);
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no note with id %" G_GINT64_FORMAT "; 'tend note list' shows them", id);
        return FALSE;
    }
    g_clear_pointer(&stmt, sqlite3_finalize);
    if (!store_commit(store, error)) {
        store_rollback(store);
        return FALSE;
    }
    if (!store_scrub(store, error)) {
        g_prefix_error(error,
                       "removed note %" G_GINT64_FORMAT ", but its words may stay in '%s' for "
                       "now (removing any note tidies again): ",
                       id, store_path(store));
        return FALSE;
    }
    return TRUE;
}
