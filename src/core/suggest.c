/* suggest.c: finding the imported events that may be hard, with the reasons.
 *
 * Words are matched whole, without regard to case or punctuation: the title and
 * place are folded to lowercase letters and digits separated by single spaces, and a
 * word list entry matches when it appears there between spaces ("mom" matches
 * "Dinner at Mom's" but not "Moment"). This file must not print or exit.
 */
#include "tend/suggest.h"

#include <gio/gio.h>
#include <string.h>

static const char *const family_words[] = {
    "mom",         "mum",     "mother",  "dad",      "father",  "parents", "family",
    "in-laws",     "in-law",  "grandma", "grandpa",  "granny",  "grandad", "grandmother",
    "grandfather", "nana",    "nan",     "aunt",     "auntie",  "uncle",   "cousin",
    "cousins",     "brother", "sister",  "siblings", "stepmom", "stepdad", "reunion",
};

static const char *const holiday_words[] = {
    "thanksgiving", "christmas", "xmas",     "boxing day",     "new year",      "easter",
    "passover",     "seder",     "hanukkah", "chanukah",       "rosh hashanah", "yom kippur",
    "diwali",       "eid",       "ramadan",  "lunar new year", "holiday",       "holidays",
};

#define EVENING_FROM (17 * 60)
#define LONG_EVENING_SECONDS (2 * 3600)

void suggest_config_clear(TendSuggestConfig *config)
{
    g_clear_pointer(&config->keywords, g_strfreev);
    g_clear_pointer(&config->relatives, g_strfreev);
}

gboolean suggest_config_load(const char *path, TendSuggestConfig *out_config, GError **error)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_autoptr(GError) local = NULL;
    memset(out_config, 0, sizeof *out_config);
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local)) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        g_set_error(error, local->domain, local->code, "cannot read '%s': %s", path,
                    local->message);
        return FALSE;
    }
    static const char *const keys[] = {"keywords", "relatives"};
    char **lists[2] = {NULL, NULL};
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        if (!g_key_file_has_key(file, "suggest", keys[i], NULL))
            continue;
        g_autoptr(GError) bad = NULL;
        g_auto(GStrv) values = g_key_file_get_string_list(file, "suggest", keys[i], NULL, &bad);
        if (!values) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "'%s', group [suggest], key %s: %s", path, keys[i], bad->message);
            g_strfreev(lists[0]);
            return FALSE;
        }
        g_autoptr(GStrvBuilder) kept = g_strv_builder_new();
        for (guint v = 0; values[v]; v++)
            if (*g_strstrip(values[v]))
                g_strv_builder_add(kept, values[v]);
        lists[i] = g_strv_builder_end(kept);
    }
    out_config->keywords = lists[0];
    out_config->relatives = lists[1];
    return TRUE;
}

void suggestion_free(TendSuggestion *suggestion)
{
    if (!suggestion)
        return;
    g_free(suggestion->uid);
    g_free(suggestion->title);
    g_free(suggestion->calendar);
    g_strfreev(suggestion->reasons);
    g_free(suggestion);
}

/* " word word ": lowercase letters and digits, everything else a single space. */
static char *fold_words(const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
    g_autofree char *lower = g_utf8_casefold(valid, -1);
    GString *out = g_string_new(" ");
    for (const char *p = lower; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isalnum(c))
            g_string_append_unichar(out, c);
        else if (out->str[out->len - 1] != ' ')
            g_string_append_c(out, ' ');
    }
    if (out->str[out->len - 1] != ' ')
        g_string_append_c(out, ' ');
    return g_string_free(out, FALSE);
}

static gboolean has_word(const char *folded, const char *word)
{
    g_autofree char *needle = fold_words(word);
    return strlen(needle) > 2 && strstr(folded, needle) != NULL;
}

/* The first entry of @words found in @folded, or NULL. */
static const char *find_word(const char *folded, const char *const *words, gsize n)
{
    for (gsize i = 0; i < n; i++)
        if (words[i] && has_word(folded, words[i]))
            return words[i];
    return NULL;
}

/* Four letters or more, every one of them a capital. */
static gboolean all_caps(const char *title)
{
    guint letters = 0;
    g_autofree char *valid = g_utf8_make_valid(title ? title : "", -1);
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalpha(c))
            continue;
        if (!g_unichar_isupper(c))
            return FALSE;
        letters++;
    }
    return letters >= 4;
}

char **suggest_reasons(const TendContext *ctx, const TendSuggestConfig *config, const char *title,
                       const char *location, gint64 start, gint64 end, gboolean all_day,
                       TendKind *out_kind)
{
    g_autofree char *joined = g_strjoin(" ", title ? title : "", location ? location : "", NULL);
    g_autofree char *folded = fold_words(joined);
    g_autoptr(GStrvBuilder) reasons = g_strv_builder_new();
    TendKind kind = TEND_KIND_OTHER;

    const char *family = find_word(folded, family_words, G_N_ELEMENTS(family_words));
    if (family) {
        g_autofree char *reason = g_strdup_printf("family: '%s'", family);
        g_strv_builder_add(reasons, reason);
        kind = TEND_KIND_FAMILY;
    }
    const char *holiday = find_word(folded, holiday_words, G_N_ELEMENTS(holiday_words));
    if (holiday) {
        g_autofree char *reason = g_strdup_printf("a holiday: '%s'", holiday);
        g_strv_builder_add(reasons, reason);
        if (kind == TEND_KIND_OTHER)
            kind = TEND_KIND_HOLIDAY;
    }
    if (config->keywords) {
        const char *own = find_word(folded, (const char *const *)config->keywords,
                                    g_strv_length(config->keywords));
        if (own) {
            g_autofree char *reason = g_strdup_printf("your word '%s'", own);
            g_strv_builder_add(reasons, reason);
        }
    }
    if (all_caps(title))
        g_strv_builder_add(reasons, "written in capitals");
    if (config->relatives && !all_day && end - start >= LONG_EVENING_SECONDS) {
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(start);
        g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, ctx->tz);
        int minute = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
        const char *relative = find_word(folded, (const char *const *)config->relatives,
                                         g_strv_length(config->relatives));
        if (relative && minute >= EVENING_FROM) {
            g_autofree char *reason = g_strdup_printf("a long evening with %s", relative);
            g_strv_builder_add(reasons, reason);
            kind = TEND_KIND_FAMILY;
        }
    }
    *out_kind = kind;
    return g_strv_builder_end(reasons);
}

GPtrArray *stressor_suggest(TendStore *store, const TendContext *ctx,
                            const TendSuggestConfig *config, gint64 from, gint64 to, GError **error)
{
    /* All-day occurrences are UTC midnights: a day of slack each side, then exact. Nothing
     * starting before from - longest (see agenda.c) can reach into the window. */
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store,
        "SELECT e.id, e.uid, e.summary, e.location, c.name, o.start_utc, o.end_utc, e.all_day "
        "FROM occurrences o JOIN events e ON e.id = o.event_id "
        "JOIN calendars c ON c.id = e.calendar_id "
        "WHERE o.start_utc < ?2 + 86400 AND o.end_utc > ?1 - 86400 "
        "AND o.start_utc >= ?1 - 86400 - (SELECT coalesce(max(longest), 0) FROM calendars) "
        "AND NOT EXISTS (SELECT 1 FROM stressors s WHERE s.event_id = e.id "
        "AND s.start_utc = o.start_utc) "
        "ORDER BY o.start_utc, e.id",
        error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func((GDestroyNotify)suggestion_free);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *uid = store_column_text(stmt, 1);
        gint64 start = sqlite3_column_int64(stmt, 5);
        gint64 end = sqlite3_column_int64(stmt, 6);
        gboolean all_day = sqlite3_column_int(stmt, 7) != 0;
        gint64 span_start = all_day ? tend_date_to_local(start, ctx->tz) : start;
        gint64 span_end = all_day ? tend_date_to_local(end, ctx->tz) : end;
        if (span_start >= to || span_end <= from || g_hash_table_contains(seen, uid))
            continue;
        g_hash_table_add(seen, g_strdup(uid));
        TendKind kind;
        g_auto(GStrv) reasons =
            suggest_reasons(ctx, config, store_column_text(stmt, 2), store_column_text(stmt, 3),
                            span_start, span_end, all_day, &kind);
        if (!reasons[0])
            continue;
        TendSuggestion *suggestion = g_new0(TendSuggestion, 1);
        suggestion->event_id = sqlite3_column_int64(stmt, 0);
        suggestion->uid = g_strdup(uid);
        suggestion->title = g_strdup(store_column_text(stmt, 2));
        suggestion->calendar = g_strdup(store_column_text(stmt, 4));
        suggestion->start = start;
        suggestion->end = end;
        suggestion->all_day = all_day;
        suggestion->kind = kind;
        suggestion->reasons = g_steal_pointer(&reasons);
        g_ptr_array_add(found, suggestion);
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read events");
        return NULL;
    }
    return g_steal_pointer(&found);
}

char *suggest_event_uid(TendStore *store, gint64 event_id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT uid FROM events WHERE id = ?", error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, event_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return g_strdup(store_column_text(stmt, 0));
    if (rc == SQLITE_DONE)
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no imported event with id %" G_GINT64_FORMAT, event_id);
    else
        store_set_error(store, error, "cannot read events");
    return NULL;
}
