/* test-strategy.c: the shipped library, the person's own changes, and `tend now`'s pick. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tend/context.h"
#include "tend/planner.h"
#include "tend/strategy.h"

#include "test-util.h"

typedef struct {
    char *dir;
    TendStore *store;
} Fixture;

static void fixture_setup(Fixture *fixture, gconstpointer data)
{
    (void)data;
    fixture->dir = g_dir_make_tmp("tend-strategy-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(fixture->dir, "tend.db", NULL);
    fixture->store = store_open(path, TEND_STORE_READ_WRITE, NULL);
    g_assert_nonnull(fixture->store);
}

static void fixture_teardown(Fixture *fixture, gconstpointer data)
{
    (void)data;
    test_close_and_delete(fixture->store);
    g_rmdir(fixture->dir);
    g_free(fixture->dir);
}

static gint64 count_rows(TendStore *store, const char *sql)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, NULL);
    g_assert_nonnull(stmt);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    return sqlite3_column_int64(stmt, 0);
}

static const TendStrategy *find(GPtrArray *strategies, const char *id)
{
    for (guint i = 0; i < strategies->len; i++) {
        const TendStrategy *strategy = strategies->pdata[i];
        if (g_str_equal(strategy->id, id))
            return strategy;
    }
    return NULL;
}

static void test_library_has_40_in_8_categories(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) library = strategy_load_shipped(tend_data_dir(), &error);
    g_assert_no_error(error);
    g_assert_cmpuint(library->len, >=, 40);

    guint per_category[8] = {0};
    const TendStrategyCategory *categories = strategy_categories();
    for (guint i = 0; i < library->len; i++) {
        const TendStrategy *strategy = library->pdata[i];
        g_assert_cmpstr(strategy->id, !=, "");
        g_assert_cmpstr(strategy->title, !=, "");
        g_assert_cmpstr(strategy->why, !=, "");
        g_assert_nonnull(strategy->steps);
        g_assert_cmpuint(g_strv_length(strategy->steps), >=, 2);
        for (guint s = 0; strategy->steps[s]; s++)
            g_assert_cmpstr(strategy->steps[s], !=, "");
        g_assert_cmpint(strategy->minutes, >=, 1);
        g_assert_cmpint(strategy->minutes, <=, 120);
        g_assert_nonnull(strategy_fits_to_string(strategy->fits));
        g_assert_false(strategy->custom);
        gboolean known = FALSE;
        for (guint c = 0; categories[c].id; c++)
            if (g_str_equal(categories[c].id, strategy->category)) {
                per_category[c]++;
                known = TRUE;
            }
        g_assert_true(known);
    }
    for (guint c = 0; c < 8; c++) {
        g_assert_nonnull(categories[c].id);
        /* Each of the eight has real choice in it, not a token entry. */
        g_assert_cmpuint(per_category[c], >=, 5);
    }
    g_assert_null(categories[8].id);
    g_assert_cmpstr(strategy_category_label("settling"), ==, "settling the body");
    g_assert_null(strategy_category_label("breathing"));
}

static void test_scripts_25_with_softer_and_firmer(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) scripts = script_load_shipped(tend_data_dir(), &error);
    g_assert_no_error(error);
    g_assert_cmpuint(scripts->len, >=, 25);
    static const char *const needed[] = {
        "food-and-body",  "partner",  "work-and-money", "children",     "politics",
        "staying-longer", "drinking", "comparison",     "family-roles",
    };
    g_autoptr(GHashTable) situations = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < scripts->len; i++) {
        const TendScript *script = scripts->pdata[i];
        g_assert_cmpstr(script->softer, !=, "");
        g_assert_cmpstr(script->firmer, !=, "");
        g_assert_cmpstr(script->softer, !=, script->firmer);
        /* Short enough to say in one breath. */
        g_assert_cmpuint(strlen(script->softer), <=, 120);
        g_assert_cmpuint(strlen(script->firmer), <=, 120);
        g_hash_table_add(situations, script->situation);
    }
    for (guint i = 0; i < G_N_ELEMENTS(needed); i++)
        g_assert_true(g_hash_table_contains(situations, needed[i]));
}

static void test_ids_unique(void)
{
    g_autoptr(GPtrArray) library = strategy_load_shipped(tend_data_dir(), NULL);
    g_autoptr(GPtrArray) scripts = script_load_shipped(tend_data_dir(), NULL);
    g_assert_nonnull(library);
    g_assert_nonnull(scripts);
    g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < library->len; i++)
        g_assert_true(g_hash_table_add(ids, ((TendStrategy *)library->pdata[i])->id));
    g_autoptr(GHashTable) script_ids = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < scripts->len; i++)
        g_assert_true(g_hash_table_add(script_ids, ((TendScript *)scripts->pdata[i])->id));

    /* Ids other modules (the planner's grounding options) rely on. */
    static const char *const stable[] = {
        "breath-4-6",
        "feet-on-floor",
        "self-compassion-break",
        "text-a-safe-person",
        "leave-early-script",
        "time-limited-visit",
        "rehearse-a-script",
        "decompress-at-home",
        "notice-without-shame",
        "repair-after-conflict",
        "five-minutes-alone",
        "walk-around-the-block",
    };
    for (guint i = 0; i < G_N_ELEMENTS(stable); i++)
        g_assert_true(g_hash_table_contains(ids, stable[i]));

    /* A data file that repeats an id, or has a bad value, is refused by name. */
    g_autofree char *dir = g_dir_make_tmp("tend-strategy-data-XXXXXX", NULL);
    g_autofree char *sub = g_build_filename(dir, "data", NULL);
    g_autofree char *file = g_build_filename(sub, "strategies.ini", NULL);
    g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
    g_assert_true(g_file_set_contents(file,
                                      "[calm]\ntitle=Calm\ncategory=rest\nminutes=121\n"
                                      "fits=any\nsteps=Sit.;\nwhy=Because.\n",
                                      -1, NULL));
    g_autoptr(GError) error = NULL;
    g_assert_null(strategy_load_shipped(dir, &error));
    g_assert_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
    g_autofree char *expected =
        g_strdup_printf("'%s': [calm]: minutes must be a whole number from 1 to 120", file);
    g_assert_cmpstr(error->message, ==, expected);
    g_unlink(file);
    g_rmdir(sub);
    g_rmdir(dir);
}

static void test_user_add_edit_hide_rate(Fixture *fixture, gconstpointer data)
{
    (void)data;
    const char *dir = tend_data_dir();
    TendStore *store = fixture->store;
    g_autoptr(GError) error = NULL;

    /* The person's own: id from the title, made unique. */
    g_autoptr(TendStrategy) mine = strategy_new();
    mine->title = g_strdup("  Call Sam, then tea ");
    mine->category = g_strdup("connection");
    mine->minutes = 20;
    mine->fits = TEND_FITS_AFTER;
    const char *steps[] = {"Ring Sam.", "  ", "Make tea.", NULL};
    mine->steps = g_strdupv((char **)steps);
    mine->why = g_strdup("Sam always makes me laugh.");
    g_assert_true(strategy_add(store, dir, mine, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(mine->id, ==, "call-sam-then-tea");
    g_autoptr(TendStrategy) again = strategy_new();
    again->title = g_strdup("Call Sam then tea");
    again->category = g_strdup("connection");
    again->minutes = 5;
    again->steps = g_strdupv((char **)steps);
    again->why = g_strdup("Still true.");
    g_assert_true(strategy_add(store, dir, again, &error));
    g_assert_cmpstr(again->id, ==, "call-sam-then-tea-2");
    /* A title that matches a shipped id does not take it over. */
    g_autoptr(TendStrategy) clash = strategy_new();
    clash->title = g_strdup("Breath 4 6");
    clash->category = g_strdup("settling");
    clash->minutes = 1;
    clash->steps = g_strdupv((char **)steps);
    clash->why = g_strdup("Mine.");
    g_assert_true(strategy_add(store, dir, clash, &error));
    g_assert_cmpstr(clash->id, ==, "breath-4-6-2");

    g_autoptr(TendStrategy) got = strategy_get(store, dir, "call-sam-then-tea", &error);
    g_assert_no_error(error);
    g_assert_cmpstr(got->title, ==, "Call Sam, then tea");
    g_assert_cmpuint(g_strv_length(got->steps), ==, 2);
    g_assert_cmpstr(got->steps[1], ==, "Make tea.");
    g_assert_true(got->custom);
    g_assert_cmpint(got->fits, ==, TEND_FITS_AFTER);

    /* Bad input is refused and stores nothing. */
    gint64 rows = count_rows(store, "SELECT count(*) FROM strategies");
    g_autoptr(TendStrategy) bad = strategy_new();
    bad->title = g_strdup("Bad");
    bad->category = g_strdup("breathing");
    bad->minutes = 5;
    bad->steps = g_strdupv((char **)steps);
    bad->why = g_strdup("x");
    g_assert_false(strategy_add(store, dir, bad, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull(strstr(error->message, "'breathing' is not a category"));
    g_clear_error(&error);
    TendStrategyChanges too_long = {.minutes = 121};
    g_assert_false(strategy_edit(store, dir, "breath-4-6", &too_long, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error(&error);
    g_assert_false(strategy_rate(store, dir, "breath-4-6", 6, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error(&error);
    g_assert_false(strategy_set_hidden(store, dir, "no-such-thing", TRUE, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr(error->message, ==,
                    "no strategy with id 'no-such-thing'; 'tend strategy list' shows them");
    g_clear_error(&error);
    g_assert_cmpint(count_rows(store, "SELECT count(*) FROM strategies"), ==, rows);

    /* Editing a shipped one keeps its id and stores the person's version beside it. */
    TendStrategyChanges changes = {.title = "Breathe out slowly", .minutes = 3};
    g_assert_true(strategy_edit(store, dir, "breath-4-6", &changes, &error));
    g_assert_no_error(error);
    g_autoptr(TendStrategy) edited = strategy_get(store, dir, "breath-4-6", &error);
    g_assert_cmpstr(edited->title, ==, "Breathe out slowly");
    g_assert_cmpint(edited->minutes, ==, 3);
    g_assert_true(edited->edited);
    g_assert_false(edited->custom);
    g_assert_cmpstr(edited->category, ==, "settling");
    g_autoptr(GPtrArray) shipped = strategy_load_shipped(dir, NULL);
    g_assert_cmpstr(find(shipped, "breath-4-6")->title, ==, "Breathe in for 4, out for 6");

    /* Hiding removes it from the list (not from show); unhiding brings it back. */
    g_assert_true(strategy_set_hidden(store, dir, "cool-water", TRUE, &error));
    g_autoptr(GPtrArray) visible = strategy_list(store, dir, FALSE, &error);
    g_autoptr(GPtrArray) everything = strategy_list(store, dir, TRUE, &error);
    g_assert_null(find(visible, "cool-water"));
    g_assert_true(find(everything, "cool-water")->hidden);
    g_assert_cmpuint(everything->len, ==, shipped->len + 3);
    g_assert_cmpuint(visible->len, ==, shipped->len + 2);
    /* Hiding alone keeps the shipped words: only hidden and rating come from the store. */
    g_assert_false(find(everything, "cool-water")->edited);
    g_assert_true(strategy_set_hidden(store, dir, "cool-water", FALSE, &error));
    g_autoptr(GPtrArray) back = strategy_list(store, dir, FALSE, &error);
    g_assert_nonnull(find(back, "cool-water"));

    /* Ratings stick to shipped and own strategies alike, and can be forgotten. */
    g_assert_true(strategy_rate(store, dir, "cool-water", 4, &error));
    g_assert_true(strategy_rate(store, dir, "call-sam-then-tea", 5, &error));
    g_autoptr(GPtrArray) rated = strategy_list(store, dir, FALSE, &error);
    g_assert_cmpint(find(rated, "cool-water")->rating, ==, 4);
    g_assert_cmpint(find(rated, "call-sam-then-tea")->rating, ==, 5);
    g_assert_cmpint(find(rated, "breath-4-6")->rating, ==, 0);
    g_assert_true(strategy_rate(store, dir, "cool-water", 0, &error));
    g_autoptr(TendStrategy) unrated = strategy_get(store, dir, "cool-water", &error);
    g_assert_cmpint(unrated->rating, ==, 0);

    /* The list is in category order, then by title. */
    const TendStrategy *first = rated->pdata[0];
    g_assert_cmpstr(first->category, ==, "settling");

    /* The person's own scripts sit beside the shipped ones. */
    g_autoptr(TendScript) script = g_new0(TendScript, 1);
    script->situation = g_strdup("faith");
    script->softer = g_strdup(" I'd rather keep my beliefs to myself today. ");
    script->firmer = g_strdup("My faith is not up for debate.");
    g_assert_true(script_add(store, script, 1000, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(script->id, ==, "my-1");
    g_autoptr(GPtrArray) faith = script_list(store, dir, "faith", &error);
    g_assert_cmpuint(faith->len, ==, 1);
    g_assert_cmpstr(((TendScript *)faith->pdata[0])->softer, ==,
                    "I'd rather keep my beliefs to myself today.");
    g_autoptr(GPtrArray) drinking = script_list(store, dir, "drinking", &error);
    g_assert_cmpuint(drinking->len, ==, 3);
    g_autoptr(TendScript) bad_script = g_new0(TendScript, 1);
    bad_script->situation = g_strdup("Food And Body");
    bad_script->softer = g_strdup("a");
    bad_script->firmer = g_strdup("b");
    g_assert_false(script_add(store, bad_script, 1000, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpint(count_rows(store, "SELECT count(*) FROM boundary_scripts"), ==, 1);
}

static char *pick_ids(GPtrArray *strategies, int minutes, TendWhere where)
{
    g_autoptr(GPtrArray) picked = strategy_pick_now(strategies, minutes, where, 3);
    g_autoptr(GString) ids = g_string_new(NULL);
    for (guint i = 0; i < picked->len; i++)
        g_string_append_printf(ids, "%s%s", i ? " " : "", ((TendStrategy *)picked->pdata[i])->id);
    return g_string_free(g_steal_pointer(&ids), FALSE);
}

static void test_now_prefers_helpful(Fixture *fixture, gconstpointer data)
{
    (void)data;
    const char *dir = tend_data_dir();
    g_autoptr(GError) error = NULL;

    /* What helped comes first, even when it takes longer or is another category;
     * two highly rated ones may share a category. A low rating sinks below unrated. */
    g_assert_true(strategy_rate(fixture->store, dir, "walk-around-the-block", 5, &error));
    g_assert_true(strategy_rate(fixture->store, dir, "shake-it-out", 4, &error));
    g_assert_true(strategy_rate(fixture->store, dir, "double-breath-sigh", 1, &error));
    g_assert_no_error(error);
    g_autoptr(GPtrArray) list = strategy_list(fixture->store, dir, FALSE, &error);
    g_autofree char *there = pick_ids(list, 0, TEND_WHERE_THERE);
    g_assert_cmpstr(there, ==, "walk-around-the-block shake-it-out feet-on-floor");

    /* Hidden ones are never offered, however they were rated. */
    g_assert_true(strategy_set_hidden(fixture->store, dir, "walk-around-the-block", TRUE, &error));
    g_autoptr(GPtrArray) after_hide = strategy_list(fixture->store, dir, FALSE, &error);
    g_autofree char *hidden = pick_ids(after_hide, 0, TEND_WHERE_THERE);
    g_assert_cmpstr(hidden, ==, "shake-it-out feet-on-floor not-too-much");

    /* The same data gives the same answer. */
    g_autofree char *again = pick_ids(after_hide, 0, TEND_WHERE_THERE);
    g_assert_cmpstr(again, ==, hidden);
}

static void test_now_respects_minutes_and_where(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = strategy_list(fixture->store, tend_data_dir(), FALSE, &error);
    g_assert_no_error(error);

    /* With nothing rated: body first, then kindness, then company, each its own kind. */
    g_autofree char *there = pick_ids(list, 0, TEND_WHERE_THERE);
    g_assert_cmpstr(there, ==, "double-breath-sigh not-too-much text-a-safe-person");
    g_autofree char *home = pick_ids(list, 0, TEND_WHERE_HOME);
    g_assert_cmpstr(home, ==, "hand-on-heart kind-self-talk kind-voice");
    g_autofree char *quick = pick_ids(list, 1, TEND_WHERE_THERE);
    g_assert_cmpstr(quick, ==, "double-breath-sigh not-too-much decline-a-topic");

    for (int minutes = 1; minutes <= 120; minutes++) {
        for (int where = TEND_WHERE_HOME; where <= TEND_WHERE_THERE; where++) {
            g_autoptr(GPtrArray) picked = strategy_pick_now(list, minutes, (TendWhere)where, 3);
            g_assert_cmpuint(picked->len, ==, 3);
            for (guint i = 0; i < picked->len; i++) {
                const TendStrategy *strategy = picked->pdata[i];
                g_assert_cmpint(strategy->minutes, <=, minutes);
                g_assert_cmpint(strategy->fits, !=, TEND_FITS_BEFORE);
                if (where == TEND_WHERE_THERE)
                    g_assert_true(strategy->fits == TEND_FITS_DURING ||
                                  strategy->fits == TEND_FITS_ANY);
            }
        }
    }
}

/* Every activity the planner schedules practises a strategy the library ships. */
static void test_planner_strategies_exist(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) library = strategy_load_shipped(tend_data_dir(), &error);
    g_assert_no_error(error);
    guint rules = 0;
    for (const char *id; (id = planner_rule_strategy(rules)); rules++) {
        gboolean found = FALSE;
        for (guint i = 0; i < library->len && !found; i++)
            found = g_str_equal(((TendStrategy *)library->pdata[i])->id, id);
        if (!found)
            g_test_message("the planner names '%s', which data/strategies.ini lacks", id);
        g_assert_true(found);
    }
    g_assert_cmpuint(rules, ==, 9);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/strategy/library-has-40-in-8-categories",
                    test_library_has_40_in_8_categories);
    g_test_add_func("/strategy/scripts-25-with-softer-and-firmer",
                    test_scripts_25_with_softer_and_firmer);
    g_test_add_func("/strategy/ids-unique", test_ids_unique);
    g_test_add_func("/strategy/planner-strategies-exist", test_planner_strategies_exist);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
    ADD("/strategy/user-add-edit-hide-rate", test_user_add_edit_hide_rate);
    ADD("/strategy/now-prefers-helpful", test_now_prefers_helpful);
    ADD("/strategy/now-respects-minutes-and-where", test_now_respects_minutes_and_where);
#undef ADD
    return g_test_run();
}
