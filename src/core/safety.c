/* safety.c: crisis lines by region, the region to show, and the safety plan.
 *
 * Reading the crisis lines must never depend on the database: `tend help-now` has to
 * work when nothing else does. This file must not print or exit.
 */
#include "tend/safety.h"

#include <gio/gio.h>
#include <string.h>

#define MAX_SECTION_TEXT 2000

static const TendSafetySection sections[] = {
    {"warning-signs", "Warning signs",
     "What tells you a crisis may be building? Thoughts, feelings, situations"},
    {"coping", "Things that help me cope",
     "What can you do on your own to take your mind off things or calm down?"},
    {"people-places", "People and places that help",
     "Which people and places help you feel a little better or less alone?"},
    {"ask-for-help", "People I can ask for help",
     "Who could you call or text when things get hard? Names and numbers"},
    {"professionals", "Professionals and services",
     "Your therapist, doctor or local crisis service, with their numbers"},
    {"safer-place", "Making my place safer",
     "What could you put away or ask someone to keep, so that where you are is safer?"},
    {NULL, NULL, NULL},
};
G_STATIC_ASSERT(G_N_ELEMENTS(sections) == TEND_SAFETY_SECTIONS + 1);

static void crisis_line_free(TendCrisisLine *line)
{
    if (!line)
        return;
    g_free(line->id);
    g_free(line->name);
    g_free(line->contact);
    g_free(line->source);
    g_free(line);
}

static void crisis_region_free(TendCrisisRegion *region)
{
    if (!region)
        return;
    g_free(region->code);
    g_free(region->name);
    g_free(region->emergency);
    g_free(region->source);
    if (region->lines)
        g_ptr_array_unref(region->lines);
    g_free(region);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendCrisisRegion, crisis_region_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendCrisisLine, crisis_line_free)

void crisis_directory_free(TendCrisisDirectory *directory)
{
    if (!directory)
        return;
    g_free(directory->checked);
    if (directory->regions)
        g_ptr_array_unref(directory->regions);
    g_free(directory);
}

static gpointer bad_value(GError **error, const char *path, const char *group, const char *what)
{
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "'%s': [%s]: %s", path,
                group, what);
    return NULL;
}

/* The stripped, non-empty value of @key; NULL (with @error naming it) otherwise. */
static char *required(GKeyFile *file, const char *path, const char *group, const char *key,
                      GError **error)
{
    g_autofree char *value = g_key_file_get_string(file, group, key, NULL);
    if (!value || !*g_strstrip(value) || !g_utf8_validate(value, -1, NULL)) {
        g_autofree char *what = g_strdup_printf("%s is missing or empty", key);
        return bad_value(error, path, group, what);
    }
    return g_steal_pointer(&value);
}

static gboolean is_region_code(const char *code)
{
    if (g_str_equal(code, TEND_REGION_FALLBACK))
        return TRUE;
    return strlen(code) == 2 && g_ascii_isupper(code[0]) && g_ascii_isupper(code[1]);
}

static TendCrisisRegion *find_exact(GPtrArray *regions, const char *code)
{
    for (guint i = 0; i < regions->len; i++) {
        TendCrisisRegion *region = regions->pdata[i];
        if (g_str_equal(region->code, code))
            return region;
    }
    return NULL;
}

TendCrisisDirectory *crisis_directory_load(const char *data_dir, GError **error)
{
    g_autofree char *path = g_build_filename(data_dir, "data", "crisis-lines.ini", NULL);
    g_autoptr(GKeyFile) file = g_key_file_new();
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, error)) {
        g_prefix_error(error, "cannot read '%s': ", path);
        return NULL;
    }
    g_autoptr(TendCrisisDirectory) directory = g_new0(TendCrisisDirectory, 1);
    directory->regions = g_ptr_array_new_with_free_func((GDestroyNotify)crisis_region_free);
    directory->checked = required(file, path, "about", "checked", error);
    if (!directory->checked)
        return NULL;

    g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
    for (guint i = 0; groups[i]; i++) {
        const char *group = groups[i];
        const char *slash = strchr(group, '/');
        if (g_str_equal(group, "about"))
            continue;
        if (!slash) {
            if (!is_region_code(group))
                return bad_value(error, path, group,
                                 "a region is a two-letter country code in upper case, or INTL");
            if (find_exact(directory->regions, group))
                return bad_value(error, path, group, "this region is listed twice");
            g_autoptr(TendCrisisRegion) region = g_new0(TendCrisisRegion, 1);
            region->code = g_strdup(group);
            region->lines = g_ptr_array_new_with_free_func((GDestroyNotify)crisis_line_free);
            if (!(region->name = required(file, path, group, "name", error)) ||
                !(region->emergency = required(file, path, group, "emergency", error)) ||
                !(region->source = required(file, path, group, "source", error)))
                return NULL;
            g_ptr_array_add(directory->regions, g_steal_pointer(&region));
            continue;
        }
        g_autofree char *code = g_strndup(group, (gsize)(slash - group));
        TendCrisisRegion *region = find_exact(directory->regions, code);
        if (!region)
            return bad_value(error, path, group, "a line must come after its region's group");
        g_autoptr(TendCrisisLine) line = g_new0(TendCrisisLine, 1);
        line->id = g_strdup(group);
        if (!(line->name = required(file, path, group, "name", error)) ||
            !(line->contact = required(file, path, group, "contact", error)) ||
            !(line->source = required(file, path, group, "source", error)))
            return NULL;
        g_ptr_array_add(region->lines, g_steal_pointer(&line));
    }
    for (guint i = 0; i < directory->regions->len; i++) {
        TendCrisisRegion *region = directory->regions->pdata[i];
        if (region->lines->len == 0)
            return bad_value(error, path, region->code, "a region needs at least one line");
    }
    if (!find_exact(directory->regions, TEND_REGION_FALLBACK))
        return bad_value(error, path, TEND_REGION_FALLBACK,
                         "the international fallback region is missing");
    return g_steal_pointer(&directory);
}

const TendCrisisRegion *crisis_directory_find(const TendCrisisDirectory *directory,
                                              const char *code)
{
    if (!code)
        return NULL;
    g_autofree char *upper = g_ascii_strup(code, -1);
    g_strstrip(upper);
    if (g_str_equal(upper, "UK"))
        return find_exact(directory->regions, "GB");
    return find_exact(directory->regions, upper);
}

const TendCrisisRegion *crisis_directory_fallback(const TendCrisisDirectory *directory)
{
    return find_exact(directory->regions, TEND_REGION_FALLBACK);
}

char *safety_region_from_locale(const char *locale)
{
    if (!locale)
        return NULL;
    /* language[_territory][.codeset][@modifier] */
    gsize end = strcspn(locale, ".@");
    const char *underscore = memchr(locale, '_', end);
    if (!underscore)
        return NULL;
    const char *territory = underscore + 1;
    gsize length = (gsize)(locale + end - territory);
    if (length != 2 || !g_ascii_isalpha(territory[0]) || !g_ascii_isalpha(territory[1]))
        return NULL;
    return g_ascii_strup(territory, 2);
}

char *safety_region_from_environment(void)
{
    static const char *const names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *value = g_getenv(names[i]);
        if (value && *value)
            return safety_region_from_locale(value);
    }
    return NULL;
}

char *safety_config_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "tend", "tend.conf", NULL);
}

char *safety_region_from_config(const char *path, GError **error)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_autoptr(GError) local = NULL;
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local)) {
        if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return NULL;
        g_set_error(error, local->domain, local->code, "cannot read '%s': %s", path,
                    local->message);
        return NULL;
    }
    g_autofree char *region = g_key_file_get_string(file, "safety", "region", NULL);
    if (!region || !*g_strstrip(region))
        return NULL;
    return g_ascii_strup(region, -1);
}

const TendSafetySection *safety_plan_sections(void)
{
    return sections;
}

int safety_plan_section_index(const char *id)
{
    for (int i = 0; id && sections[i].id; i++)
        if (g_str_equal(sections[i].id, id))
            return i;
    return -1;
}

char **safety_plan_load(TendStore *store, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT section, text FROM safety_plan", error);
    if (!stmt)
        return NULL;
    char **plan = g_new0(char *, TEND_SAFETY_SECTIONS + 1);
    for (int i = 0; i < TEND_SAFETY_SECTIONS; i++)
        plan[i] = g_strdup("");
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        /* A section this version does not know is kept in the store, not shown. */
        int index = safety_plan_section_index(store_column_text(stmt, 0));
        if (index >= 0) {
            g_free(plan[index]);
            plan[index] = g_strdup(store_column_text(stmt, 1));
        }
    }
    if (rc != SQLITE_DONE) {
        g_strfreev(plan);
        store_set_error(store, error, "cannot read the safety plan");
        return NULL;
    }
    return plan;
}

gboolean safety_plan_is_empty(char *const *plan)
{
    for (guint i = 0; plan && plan[i]; i++)
        if (*plan[i])
            return FALSE;
    return TRUE;
}

gboolean safety_plan_set(TendStore *store, const char *section, const char *text, gint64 now,
                         GError **error)
{
    if (safety_plan_section_index(section) < 0) {
        g_autoptr(GString) names = g_string_new(NULL);
        for (const TendSafetySection *s = sections; s->id; s++)
            g_string_append_printf(names, "%s%s", names->len ? ", " : "", s->id);
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "'%s' is not a section of the safety plan; use %s", section ? section : "",
                    names->str);
        return FALSE;
    }
    g_autofree char *clean = g_strstrip(g_strdup(text ? text : ""));
    if (!g_utf8_validate(clean, -1, NULL) || g_utf8_strlen(clean, -1) > MAX_SECTION_TEXT) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "the text for '%s' must be readable text of at most %d characters", section,
                    MAX_SECTION_TEXT);
        return FALSE;
    }
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      *clean ? "INSERT OR REPLACE INTO safety_plan (section, text, updated)"
                               " VALUES (?1, ?2, ?3)"
                             : "DELETE FROM safety_plan WHERE section = ?1",
                      error);
    if (!stmt)
        return FALSE;
    if (sqlite3_bind_text(stmt, 1, section, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        (*clean && (sqlite3_bind_text(stmt, 2, clean, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
                    sqlite3_bind_int64(stmt, 3, now) != SQLITE_OK)) ||
        sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save the safety plan");
    return TRUE;
}
