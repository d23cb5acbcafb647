/* strategy.c: the coping-strategy library and boundary scripts.
 *
 * Shipped words are read from the data files every time, so an updated tend brings
 * updated words; the store only holds what the person made or changed. A row in
 * `strategies` with custom = 0 is the person's layer over a shipped strategy: its
 * hidden mark and rating always apply, its text only when edited = 1 (the stored text
 * is otherwise a copy, kept so a strategy the person rated never vanishes if a later
 * data file drops it). This file must not print or exit.
 */
#include "tend/strategy.h"

#include <gio/gio.h>
#include <string.h>

#define MAX_TITLE 80
#define MAX_STEPS 12
#define MAX_STEP 300
#define MAX_WHY 600
#define MAX_SCRIPT 300
#define MAX_SITUATION 40
#define MAX_ID 40

static const TendStrategyCategory categories[] = {
    {"settling", "settling the body"},
    {"self-compassion", "self-compassion"},
    {"boundaries", "boundaries"},
    {"connection", "connection"},
    {"rest", "rest and restoration"},
    {"movement", "movement and nature"},
    {"joy", "meaning and joy"},
    {"repair", "reflection and repair"},
    {NULL, NULL},
};

/* For a hard moment: settle the body first, then kindness, then company. */
static const char *const now_order[] = {
    "settling", "self-compassion", "connection", "rest", "movement", "boundaries", "joy", "repair",
};

static const char *const fits_names[] = {"before", "during", "after", "any"};

const TendStrategyCategory *strategy_categories(void)
{
    return categories;
}

const char *strategy_category_label(const char *id)
{
    for (const TendStrategyCategory *c = categories; id && c->id; c++)
        if (g_str_equal(c->id, id))
            return c->label;
    return NULL;
}

static int category_index(const char *id)
{
    for (int i = 0; categories[i].id; i++)
        if (g_str_equal(categories[i].id, id))
            return i;
    return G_N_ELEMENTS(categories);
}

static int now_index(const char *id)
{
    for (guint i = 0; i < G_N_ELEMENTS(now_order); i++)
        if (g_str_equal(now_order[i], id))
            return (int)i;
    return G_N_ELEMENTS(now_order);
}

const char *strategy_fits_to_string(TendFits fits)
{
    if ((guint)fits < G_N_ELEMENTS(fits_names))
        return fits_names[fits];
    return NULL;
}

gboolean strategy_fits_from_string(const char *text, TendFits *out_fits)
{
    for (guint i = 0; text && i < G_N_ELEMENTS(fits_names); i++)
        if (g_str_equal(fits_names[i], text)) {
            *out_fits = (TendFits)i;
            return TRUE;
        }
    return FALSE;
}

TendStrategy *strategy_new(void)
{
    TendStrategy *strategy = g_new0(TendStrategy, 1);
    strategy->fits = TEND_FITS_ANY;
    return strategy;
}

void strategy_free(TendStrategy *strategy)
{
    if (!strategy)
        return;
    g_free(strategy->id);
    g_free(strategy->title);
    g_free(strategy->category);
    g_strfreev(strategy->steps);
    g_free(strategy->why);
    g_free(strategy);
}

static TendStrategy *strategy_copy(const TendStrategy *from)
{
    TendStrategy *to = g_new0(TendStrategy, 1);
    *to = *from;
    to->id = g_strdup(from->id);
    to->title = g_strdup(from->title);
    to->category = g_strdup(from->category);
    to->steps = g_strdupv(from->steps);
    to->why = g_strdup(from->why);
    return to;
}

void script_free(TendScript *script)
{
    if (!script)
        return;
    g_free(script->id);
    g_free(script->situation);
    g_free(script->softer);
    g_free(script->firmer);
    g_free(script);
}

static gboolean invalid(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);
static gboolean invalid(GError **error, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *message = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
    return FALSE;
}

static gboolean not_found(GError **error, const char *id)
{
    g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                "no strategy with id '%s'; 'tend strategy list' shows them", id);
    return FALSE;
}

static gboolean text_ok(const char *text, gsize max)
{
    return text && *text && g_utf8_validate(text, -1, NULL) &&
           (gsize)g_utf8_strlen(text, -1) <= max;
}

/* Checks what a person or a data file may put in a strategy. */
static gboolean strategy_check(const TendStrategy *strategy, GError **error)
{
    if (!text_ok(strategy->title, MAX_TITLE))
        return invalid(error, "the title must be 1 to %d characters", MAX_TITLE);
    if (!strategy_category_label(strategy->category)) {
        g_autoptr(GString) names = g_string_new(NULL);
        for (const TendStrategyCategory *c = categories; c->id; c++)
            g_string_append_printf(names, "%s%s", names->len ? ", " : "", c->id);
        return invalid(error, "'%s' is not a category; use %s",
                       strategy->category ? strategy->category : "", names->str);
    }
    if (strategy->minutes < 1 || strategy->minutes > TEND_STRATEGY_MAX_MINUTES)
        return invalid(error, "minutes must be from 1 to %d, not %d", TEND_STRATEGY_MAX_MINUTES,
                       strategy->minutes);
    if (!strategy_fits_to_string(strategy->fits))
        return invalid(error, "fits must be before, during, after or any");
    guint count = strategy->steps ? g_strv_length(strategy->steps) : 0;
    if (count == 0 || count > MAX_STEPS)
        return invalid(error, "a strategy needs 1 to %d steps", MAX_STEPS);
    for (guint i = 0; i < count; i++)
        if (!text_ok(strategy->steps[i], MAX_STEP) || strchr(strategy->steps[i], '\n'))
            return invalid(error, "step %u must be one line of 1 to %d characters", i + 1,
                           MAX_STEP);
    if (!text_ok(strategy->why, MAX_WHY))
        return invalid(error, "why must be 1 to %d characters", MAX_WHY);
    return TRUE;
}

/* Steps without surrounding space and without empty ones. */
static char **clean_steps(char *const *steps)
{
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
    for (guint i = 0; steps && steps[i]; i++) {
        g_autofree char *step = g_strstrip(g_strdup(steps[i]));
        if (*step)
            g_strv_builder_add(builder, step);
    }
    return g_strv_builder_end(builder);
}

static char *data_path(const char *data_dir, const char *name)
{
    return g_build_filename(data_dir, "data", name, NULL);
}

static GKeyFile *load_key_file(const char *path, GError **error)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, error)) {
        g_prefix_error(error, "cannot read '%s': ", path);
        return NULL;
    }
    return g_steal_pointer(&file);
}

/* Reports a problem in a shipped data file; returns NULL for the caller to pass on. */
static gpointer bad_value(GError **error, const char *path, const char *group, const char *what)
{
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "'%s': [%s]: %s", path,
                group, what);
    return NULL;
}

/* Ids and situation names: lowercase letters, digits and inner '-'. */
static gboolean slug_valid(const char *text, gsize max)
{
    gsize length = text ? strlen(text) : 0;
    if (length == 0 || length > max || text[0] == '-' || text[length - 1] == '-')
        return FALSE;
    for (const char *p = text; *p; p++)
        if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '-'))
            return FALSE;
    return TRUE;
}

/* The stripped value of @key, or NULL when it is missing. */
static char *get_text(GKeyFile *file, const char *group, const char *key)
{
    char *value = g_key_file_get_string(file, group, key, NULL);
    return value ? g_strstrip(value) : NULL;
}

GPtrArray *strategy_load_shipped(const char *data_dir, GError **error)
{
    g_autofree char *path = data_path(data_dir, "strategies.ini");
    g_autoptr(GKeyFile) file = load_key_file(path, error);
    if (!file)
        return NULL;

    g_autoptr(GPtrArray) strategies = g_ptr_array_new_with_free_func((GDestroyNotify)strategy_free);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
    for (guint i = 0; groups[i]; i++) {
        const char *group = groups[i];
        g_autoptr(TendStrategy) strategy = strategy_new();
        g_autoptr(GError) local = NULL;
        g_autofree char *minutes = get_text(file, group, "minutes");
        g_autofree char *fits = get_text(file, group, "fits");
        g_auto(GStrv) steps = g_key_file_get_string_list(file, group, "steps", NULL, NULL);
        gint64 value = 0;

        if (!slug_valid(group, MAX_ID))
            return bad_value(error, path, group, "an id is lowercase letters, digits and '-'");
        strategy->id = g_strdup(group);
        strategy->title = get_text(file, group, "title");
        strategy->category = get_text(file, group, "category");
        strategy->why = get_text(file, group, "why");
        strategy->steps = clean_steps(steps);
        if (!minutes ||
            !g_ascii_string_to_signed(minutes, 10, 1, TEND_STRATEGY_MAX_MINUTES, &value, NULL))
            return bad_value(error, path, group, "minutes must be a whole number from 1 to 120");
        strategy->minutes = (int)value;
        if (!strategy_fits_from_string(fits, &strategy->fits))
            return bad_value(error, path, group, "fits must be before, during, after or any");
        if (!strategy_check(strategy, &local))
            return bad_value(error, path, group, local->message);
        if (!g_hash_table_add(seen, strategy->id))
            return bad_value(error, path, group, "this id is used twice");
        g_ptr_array_add(strategies, g_steal_pointer(&strategy));
    }
    return g_steal_pointer(&strategies);
}

static const char strategy_columns[] =
    "id, title, category, minutes, fits, steps, why, custom, hidden, rating, edited";

static TendStrategy *strategy_from_row(sqlite3_stmt *stmt)
{
    TendStrategy *strategy = strategy_new();
    strategy->id = g_strdup(store_column_text(stmt, 0));
    strategy->title = g_strdup(store_column_text(stmt, 1));
    strategy->category = g_strdup(store_column_text(stmt, 2));
    strategy->minutes = sqlite3_column_int(stmt, 3);
    if (!strategy_fits_from_string(store_column_text(stmt, 4), &strategy->fits))
        strategy->fits = TEND_FITS_ANY;
    strategy->steps = g_strsplit(store_column_text(stmt, 5), "\n", -1);
    strategy->why = g_strdup(store_column_text(stmt, 6));
    strategy->custom = sqlite3_column_int(stmt, 7) != 0;
    strategy->hidden = sqlite3_column_int(stmt, 8) != 0;
    strategy->rating = sqlite3_column_int(stmt, 9);
    strategy->edited = sqlite3_column_int(stmt, 10) != 0;
    return strategy;
}

static gint compare_for_list(gconstpointer a, gconstpointer b)
{
    const TendStrategy *x = *(TendStrategy *const *)a;
    const TendStrategy *y = *(TendStrategy *const *)b;
    int cx = category_index(x->category), cy = category_index(y->category);
    if (cx != cy)
        return cx < cy ? -1 : 1;
    /* Case-folded byte order, not the locale's collation, so every machine agrees. */
    g_autofree char *tx = g_utf8_casefold(x->title, -1);
    g_autofree char *ty = g_utf8_casefold(y->title, -1);
    int by_title = strcmp(tx, ty);
    if (by_title != 0)
        return by_title;
    return strcmp(x->id, y->id);
}

/* Every strategy, shipped and the person's own, with the person's layer applied. */
static GPtrArray *load_all(TendStore *store, const char *data_dir, GError **error)
{
    g_autoptr(GPtrArray) all = strategy_load_shipped(data_dir, error);
    if (!all)
        return NULL;
    g_autoptr(GHashTable) by_id = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < all->len; i++) {
        TendStrategy *strategy = all->pdata[i];
        g_hash_table_insert(by_id, strategy->id, GUINT_TO_POINTER(i + 1));
    }

    g_autofree char *sql = g_strdup_printf("SELECT %s FROM strategies", strategy_columns);
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, error);
    if (!stmt)
        return NULL;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        g_autoptr(TendStrategy) row = strategy_from_row(stmt);
        guint index = GPOINTER_TO_UINT(g_hash_table_lookup(by_id, row->id));
        if (row->custom || index == 0) {
            /* The person's own, or a shipped one a later data file no longer has. */
            g_ptr_array_add(all, g_steal_pointer(&row));
            continue;
        }
        TendStrategy *shipped = all->pdata[index - 1];
        shipped->hidden = row->hidden;
        shipped->rating = row->rating;
        if (row->edited) {
            /* The person's words replace the shipped ones; the id stays. */
            shipped->edited = TRUE;
            g_free(shipped->title);
            shipped->title = g_steal_pointer(&row->title);
            g_free(shipped->category);
            shipped->category = g_steal_pointer(&row->category);
            shipped->minutes = row->minutes;
            shipped->fits = row->fits;
            g_strfreev(shipped->steps);
            shipped->steps = g_steal_pointer(&row->steps);
            g_free(shipped->why);
            shipped->why = g_steal_pointer(&row->why);
        }
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read strategies");
        return NULL;
    }
    return g_steal_pointer(&all);
}

GPtrArray *strategy_list(TendStore *store, const char *data_dir, gboolean include_hidden,
                         GError **error)
{
    g_autoptr(GPtrArray) all = load_all(store, data_dir, error);
    if (!all)
        return NULL;
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify)strategy_free);
    for (guint i = 0; i < all->len; i++) {
        TendStrategy *strategy = all->pdata[i];
        if (include_hidden || !strategy->hidden)
            g_ptr_array_add(list, g_steal_pointer(&all->pdata[i]));
    }
    g_ptr_array_sort(list, compare_for_list);
    return g_steal_pointer(&list);
}

TendStrategy *strategy_get(TendStore *store, const char *data_dir, const char *id, GError **error)
{
    g_autoptr(GPtrArray) all = load_all(store, data_dir, error);
    if (!all)
        return NULL;
    for (guint i = 0; i < all->len; i++) {
        TendStrategy *strategy = all->pdata[i];
        if (g_str_equal(strategy->id, id))
            return g_steal_pointer(&all->pdata[i]);
    }
    not_found(error, id);
    return NULL;
}

/* "Call Sam, then tea" becomes "call-sam-then-tea". */
static char *slug_from_title(const char *title)
{
    g_autofree char *ascii = g_str_to_ascii(title, "C");
    GString *slug = g_string_new(NULL);
    for (const char *p = ascii; *p && slug->len < MAX_ID - 4; p++) {
        if (g_ascii_isalnum(*p))
            g_string_append_c(slug, g_ascii_tolower(*p));
        else if (slug->len && slug->str[slug->len - 1] != '-')
            g_string_append_c(slug, '-');
    }
    while (slug->len && slug->str[slug->len - 1] == '-')
        g_string_truncate(slug, slug->len - 1);
    if (slug->len == 0)
        g_string_assign(slug, "my-strategy");
    return g_string_free(slug, FALSE);
}

static gboolean bind_strategy(TendStore *store, sqlite3_stmt *stmt, const TendStrategy *s,
                              GError **error)
{
    g_autofree char *steps = g_strjoinv("\n", s->steps);
    if (sqlite3_bind_text(stmt, 1, s->id, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 2, s->title, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 3, s->category, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int(stmt, 4, s->minutes) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 5, strategy_fits_to_string(s->fits), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(stmt, 6, steps, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 7, s->why, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int(stmt, 8, s->custom) != SQLITE_OK ||
        sqlite3_bind_int(stmt, 9, s->hidden) != SQLITE_OK ||
        (s->rating ? sqlite3_bind_int(stmt, 10, s->rating) : sqlite3_bind_null(stmt, 10)) !=
            SQLITE_OK ||
        sqlite3_bind_int(stmt, 11, s->edited) != SQLITE_OK)
        return store_set_error(store, error, "cannot save the strategy");
    return TRUE;
}

/* Writes @strategy as its row, replacing any row with its id. */
static gboolean save_row(TendStore *store, const TendStrategy *strategy, GError **error)
{
    g_autofree char *sql = g_strdup_printf(
        "INSERT OR REPLACE INTO strategies (%s) VALUES (?,?,?,?,?,?,?,?,?,?,?)", strategy_columns);
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, error);
    if (!stmt || !bind_strategy(store, stmt, strategy, error))
        return FALSE;
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save the strategy");
    return TRUE;
}

gboolean strategy_add(TendStore *store, const char *data_dir, TendStrategy *strategy,
                      GError **error)
{
    g_auto(GStrv) steps = clean_steps(strategy->steps);
    if (strategy->title)
        g_strstrip(strategy->title);
    if (strategy->why)
        g_strstrip(strategy->why);
    g_strfreev(strategy->steps);
    strategy->steps = g_steal_pointer(&steps);
    if (!strategy_check(strategy, error))
        return FALSE;

    g_autoptr(GPtrArray) all = load_all(store, data_dir, error);
    if (!all)
        return FALSE;
    g_autoptr(GHashTable) taken = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < all->len; i++)
        g_hash_table_add(taken, ((TendStrategy *)all->pdata[i])->id);
    g_autofree char *base = slug_from_title(strategy->title);
    g_autofree char *id = g_strdup(base);
    for (guint n = 2; g_hash_table_contains(taken, id); n++) {
        g_free(id);
        id = g_strdup_printf("%s-%u", base, n);
    }

    g_autoptr(TendStrategy) row = strategy_copy(strategy);
    g_free(row->id);
    row->id = g_strdup(id);
    row->custom = TRUE;
    row->edited = FALSE;
    row->hidden = FALSE;
    row->rating = 0;
    if (!save_row(store, row, error))
        return FALSE;
    g_free(strategy->id);
    strategy->id = g_steal_pointer(&id);
    strategy->custom = TRUE;
    return TRUE;
}

gboolean strategy_edit(TendStore *store, const char *data_dir, const char *id,
                       const TendStrategyChanges *changes, GError **error)
{
    g_autoptr(TendStrategy) strategy = strategy_get(store, data_dir, id, error);
    if (!strategy)
        return FALSE;
    if (changes->title) {
        g_free(strategy->title);
        strategy->title = g_strstrip(g_strdup(changes->title));
    }
    if (changes->category) {
        g_free(strategy->category);
        strategy->category = g_strdup(changes->category);
    }
    if (changes->minutes)
        strategy->minutes = changes->minutes;
    if (changes->set_fits)
        strategy->fits = changes->fits;
    if (changes->steps) {
        g_strfreev(strategy->steps);
        strategy->steps = clean_steps(changes->steps);
    }
    if (changes->why) {
        g_free(strategy->why);
        strategy->why = g_strstrip(g_strdup(changes->why));
    }
    if (!strategy_check(strategy, error))
        return FALSE;
    if (!strategy->custom)
        strategy->edited = TRUE;
    return save_row(store, strategy, error);
}

gboolean strategy_set_hidden(TendStore *store, const char *data_dir, const char *id,
                             gboolean hidden, GError **error)
{
    g_autoptr(TendStrategy) strategy = strategy_get(store, data_dir, id, error);
    if (!strategy)
        return FALSE;
    strategy->hidden = hidden;
    return save_row(store, strategy, error);
}

gboolean strategy_rate(TendStore *store, const char *data_dir, const char *id, int rating,
                       GError **error)
{
    if (rating < 0 || rating > 5)
        return invalid(error, "a rating is from 1 (did not help) to 5 (helped a lot)");
    g_autoptr(TendStrategy) strategy = strategy_get(store, data_dir, id, error);
    if (!strategy)
        return FALSE;
    strategy->rating = rating;
    return save_row(store, strategy, error);
}

typedef struct {
    TendWhere where;
} PickOrder;

static int fit_rank(TendFits fits, TendWhere where)
{
    if (where == TEND_WHERE_THERE)
        return fits == TEND_FITS_DURING ? 0 : 1;
    switch (fits) {
    case TEND_FITS_ANY:
        return 0;
    case TEND_FITS_DURING:
        return 1;
    default:
        return 2;
    }
}

static gint compare_for_now(gconstpointer a, gconstpointer b, gpointer data)
{
    const TendStrategy *x = *(TendStrategy *const *)a;
    const TendStrategy *y = *(TendStrategy *const *)b;
    const PickOrder *order = data;
    int rx = x->rating ? x->rating : 3, ry = y->rating ? y->rating : 3;
    if (rx != ry)
        return rx > ry ? -1 : 1;
    int fx = fit_rank(x->fits, order->where), fy = fit_rank(y->fits, order->where);
    if (fx != fy)
        return fx < fy ? -1 : 1;
    int cx = now_index(x->category), cy = now_index(y->category);
    if (cx != cy)
        return cx < cy ? -1 : 1;
    if (x->minutes != y->minutes)
        return x->minutes < y->minutes ? -1 : 1;
    return strcmp(x->id, y->id);
}

static gboolean fits_where(TendFits fits, TendWhere where)
{
    if (where == TEND_WHERE_THERE)
        return fits == TEND_FITS_DURING || fits == TEND_FITS_ANY;
    return fits != TEND_FITS_BEFORE;
}

GPtrArray *strategy_pick_now(GPtrArray *strategies, int minutes, TendWhere where, guint count)
{
    g_autoptr(GPtrArray) candidates = g_ptr_array_new();
    for (guint i = 0; i < strategies->len; i++) {
        TendStrategy *strategy = strategies->pdata[i];
        if (!strategy->hidden && fits_where(strategy->fits, where) &&
            (minutes <= 0 || strategy->minutes <= minutes))
            g_ptr_array_add(candidates, strategy);
    }
    PickOrder order = {where};
    g_ptr_array_sort_with_data(candidates, compare_for_now, &order);

    GPtrArray *picked = g_ptr_array_new();
    g_autoptr(GHashTable) categories_used = g_hash_table_new(g_str_hash, g_str_equal);
    /* First pass: one per category, so the options differ, except for what helped. */
    for (guint i = 0; i < candidates->len && picked->len < count; i++) {
        TendStrategy *strategy = candidates->pdata[i];
        if (strategy->rating >= 4 || !g_hash_table_contains(categories_used, strategy->category)) {
            g_ptr_array_add(picked, strategy);
            g_hash_table_add(categories_used, strategy->category);
            candidates->pdata[i] = NULL;
        }
    }
    for (guint i = 0; i < candidates->len && picked->len < count; i++)
        if (candidates->pdata[i])
            g_ptr_array_add(picked, candidates->pdata[i]);
    /* The second pass may have added in list order; keep the ranking for what is shown. */
    g_ptr_array_sort_with_data(picked, compare_for_now, &order);
    return picked;
}

gboolean script_situation_valid(const char *situation)
{
    return slug_valid(situation, MAX_SITUATION);
}

static gboolean script_check(const TendScript *script, GError **error)
{
    if (!script_situation_valid(script->situation))
        return invalid(error,
                       "'%s' is not a situation name; use lowercase letters, digits and '-', "
                       "such as food-and-body",
                       script->situation ? script->situation : "");
    if (!text_ok(script->softer, MAX_SCRIPT) || strchr(script->softer, '\n'))
        return invalid(error, "the softer version must be one line of 1 to %d characters",
                       MAX_SCRIPT);
    if (!text_ok(script->firmer, MAX_SCRIPT) || strchr(script->firmer, '\n'))
        return invalid(error, "the firmer version must be one line of 1 to %d characters",
                       MAX_SCRIPT);
    return TRUE;
}

GPtrArray *script_load_shipped(const char *data_dir, GError **error)
{
    g_autofree char *path = data_path(data_dir, "boundary-scripts.ini");
    g_autoptr(GKeyFile) file = load_key_file(path, error);
    if (!file)
        return NULL;
    g_autoptr(GPtrArray) scripts = g_ptr_array_new_with_free_func((GDestroyNotify)script_free);
    g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
    for (guint i = 0; groups[i]; i++) {
        g_autoptr(TendScript) script = g_new0(TendScript, 1);
        g_autoptr(GError) local = NULL;
        if (!slug_valid(groups[i], MAX_ID))
            return bad_value(error, path, groups[i], "an id is lowercase letters, digits and '-'");
        script->id = g_strdup(groups[i]);
        script->situation = get_text(file, groups[i], "situation");
        script->softer = get_text(file, groups[i], "softer");
        script->firmer = get_text(file, groups[i], "firmer");
        if (!script_check(script, &local))
            return bad_value(error, path, groups[i], local->message);
        g_ptr_array_add(scripts, g_steal_pointer(&script));
    }
    return g_steal_pointer(&scripts);
}

GPtrArray *script_list(TendStore *store, const char *data_dir, const char *situation,
                       GError **error)
{
    g_autoptr(GPtrArray) shipped = script_load_shipped(data_dir, error);
    if (!shipped)
        return NULL;
    g_autoptr(GPtrArray) scripts = g_ptr_array_new_with_free_func((GDestroyNotify)script_free);
    for (guint i = 0; i < shipped->len; i++) {
        TendScript *script = shipped->pdata[i];
        if (!situation || g_str_equal(script->situation, situation))
            g_ptr_array_add(scripts, g_steal_pointer(&shipped->pdata[i]));
    }
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT id, situation, softer, firmer FROM boundary_scripts"
                      " WHERE ?1 IS NULL OR situation = ?1 ORDER BY id",
                      error);
    if (!stmt)
        return NULL;
    if ((situation ? sqlite3_bind_text(stmt, 1, situation, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(stmt, 1)) != SQLITE_OK) {
        store_set_error(store, error, "cannot read boundary scripts");
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        TendScript *script = g_new0(TendScript, 1);
        script->id = g_strdup_printf("my-%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64(stmt, 0));
        script->situation = g_strdup(store_column_text(stmt, 1));
        script->softer = g_strdup(store_column_text(stmt, 2));
        script->firmer = g_strdup(store_column_text(stmt, 3));
        script->custom = TRUE;
        g_ptr_array_add(scripts, script);
    }
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read boundary scripts");
        return NULL;
    }
    return g_steal_pointer(&scripts);
}

gboolean script_add(TendStore *store, TendScript *script, gint64 now, GError **error)
{
    if (script->softer)
        g_strstrip(script->softer);
    if (script->firmer)
        g_strstrip(script->firmer);
    if (!script_check(script, error))
        return FALSE;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store,
        "INSERT INTO boundary_scripts (situation, softer, firmer, created) VALUES (?, ?, ?, ?)",
        error);
    if (!stmt)
        return FALSE;
    if (sqlite3_bind_text(stmt, 1, script->situation, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 2, script->softer, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 3, script->firmer, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(stmt, 4, now) != SQLITE_OK || sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save the script");
    g_free(script->id);
    script->id =
        g_strdup_printf("my-%" G_GINT64_FORMAT, (gint64)sqlite3_last_insert_rowid(store_db(store)));
    script->custom = TRUE;
    return TRUE;
}
