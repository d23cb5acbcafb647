/* cmd-strategy.c: `tend strategy list|show|add|edit|hide|unhide|rate|scripts|script-add`.
 *
 * Boundary scripts are folded in here (scripts, script-add) because they are part of
 * the same library: words and small acts to reach for around a hard event.
 */
#include <stdio.h>
#include <string.h>

#include "tend/cli.h"
#include "tend/strategy.h"

static const char *fits_words(TendFits fits)
{
    return fits == TEND_FITS_ANY ? "any time" : strategy_fits_to_string(fits);
}

void cli_strategy_to_json(JsonBuilder *builder, const TendStrategy *strategy)
{
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_string_value(builder, strategy->id);
    json_builder_set_member_name(builder, "title");
    json_builder_add_string_value(builder, strategy->title);
    json_builder_set_member_name(builder, "category");
    json_builder_add_string_value(builder, strategy->category);
    json_builder_set_member_name(builder, "minutes");
    json_builder_add_int_value(builder, strategy->minutes);
    json_builder_set_member_name(builder, "fits");
    json_builder_add_string_value(builder, strategy_fits_to_string(strategy->fits));
    json_builder_set_member_name(builder, "steps");
    json_builder_begin_array(builder);
    for (guint i = 0; strategy->steps && strategy->steps[i]; i++)
        json_builder_add_string_value(builder, strategy->steps[i]);
    json_builder_end_array(builder);
    json_builder_set_member_name(builder, "why");
    json_builder_add_string_value(builder, strategy->why);
    json_builder_set_member_name(builder, "custom");
    json_builder_add_boolean_value(builder, strategy->custom);
    json_builder_set_member_name(builder, "edited");
    json_builder_add_boolean_value(builder, strategy->edited);
    json_builder_set_member_name(builder, "hidden");
    json_builder_add_boolean_value(builder, strategy->hidden);
    json_builder_set_member_name(builder, "rating");
    if (strategy->rating)
        json_builder_add_int_value(builder, strategy->rating);
    else
        json_builder_add_null_value(builder);
    json_builder_end_object(builder);
}

static void print_strategies_json(GPtrArray *strategies)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < strategies->len; i++)
        cli_strategy_to_json(builder, strategies->pdata[i]);
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

/* "(2 min, any time, rated 4 of 5, yours)" */
static char *describe(const TendStrategy *strategy)
{
    GString *text = g_string_new(NULL);
    g_string_printf(text, "(%d min, %s", strategy->minutes, fits_words(strategy->fits));
    if (strategy->rating)
        g_string_append_printf(text, ", rated %d of 5", strategy->rating);
    if (strategy->custom)
        g_string_append(text, ", yours");
    if (strategy->edited)
        g_string_append(text, ", your version");
    if (strategy->hidden)
        g_string_append(text, ", hidden");
    g_string_append_c(text, ')');
    return g_string_free(text, FALSE);
}

static char *capitalised(const char *text)
{
    char *copy = g_strdup(text);
    copy[0] = g_ascii_toupper(copy[0]);
    return copy;
}

/* Reports a core error: bad input is a usage error (exit 2), the rest exit 1. */
static int report(const GError *error)
{
    if (error && error->domain == G_IO_ERROR)
        return cli_usage("strategy", "%s", error->message);
    return cli_fail(error);
}

static gboolean check_category(const char *category)
{
    if (!category || strategy_category_label(category))
        return TRUE;
    cli_usage("strategy",
              "--category '%s' is not a category; use settling, self-compassion, boundaries, "
              "connection, rest, movement, joy or repair",
              category);
    return FALSE;
}

static gboolean check_fits(const char *text, TendFits *out_fits)
{
    if (strategy_fits_from_string(text, out_fits))
        return TRUE;
    cli_usage("strategy", "--fits '%s' is not a time tend knows; use before, during, after or any",
              text);
    return FALSE;
}

/* The plan's cards (in the live copy too) offer strategies from the library: after the
 * library changes, the live copy is written again. */
static void refresh_live_copy(TendStore *store)
{
    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error)) {
        cli_warn("the live copy of your plan was not updated: %s", error->message);
        return;
    }
    cli_refresh_live_copy(store, &ctx);
    tend_context_clear(&ctx);
}

static int strategy_list_run(int argc, char **argv)
{
    g_autofree char *category = NULL;
    gboolean json = FALSE, all = FALSE;
    const GOptionEntry entries[] = {
        {"category", 0, 0, G_OPTION_ARG_STRING, &category, NULL, NULL},
        {"all", 0, 0, G_OPTION_ARG_NONE, &all, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("strategy list", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("strategy", "strategy list takes no arguments");
    if (!check_category(category))
        return TEND_EXIT_USAGE;

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_ONLY);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) list = strategy_list(store, tend_data_dir(), all, &error);
    if (!list)
        return cli_fail(error);
    for (guint i = list->len; category && i > 0; i--) {
        const TendStrategy *strategy = list->pdata[i - 1];
        if (!g_str_equal(strategy->category, category))
            g_ptr_array_remove_index(list, i - 1);
    }
    if (json) {
        print_strategies_json(list);
        return TEND_EXIT_OK;
    }
    const char *heading = NULL;
    for (guint i = 0; i < list->len; i++) {
        const TendStrategy *strategy = list->pdata[i];
        if (!heading || !g_str_equal(heading, strategy->category)) {
            g_autofree char *label = capitalised(strategy_category_label(strategy->category));
            printf("%s%s\n", heading ? "\n" : "", label);
            heading = strategy->category;
        }
        g_autofree char *about = describe(strategy);
        printf("  %-23s %s %s\n", strategy->id, strategy->title, about);
    }
    printf(
        "\n'tend strategy show ID' gives the steps. 'tend now' picks a few for a hard moment.\n");
    return TEND_EXIT_OK;
}

static int strategy_show_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    if (!cli_parse_json_only("strategy show", &argc, &argv, &json, &status))
        return status;
    if (argc != 2)
        return cli_usage("strategy", "strategy show takes one ID");

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_ONLY);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStrategy) strategy = strategy_get(store, tend_data_dir(), argv[1], &error);
    if (!strategy)
        return cli_fail(error);
    if (json) {
        g_autoptr(GPtrArray) one = g_ptr_array_new();
        g_ptr_array_add(one, strategy);
        print_strategies_json(one);
        return TEND_EXIT_OK;
    }
    g_autofree char *about = describe(strategy);
    printf("%s %s\n", strategy->title, about);
    printf("  id:       %s\n", strategy->id);
    printf("  category: %s\n", strategy_category_label(strategy->category));
    printf("Steps:\n");
    for (guint i = 0; strategy->steps[i]; i++) {
        g_autofree char *number = g_strdup_printf("  %u. ", i + 1);
        cli_print_wrapped(number, "     ", strategy->steps[i]);
    }
    printf("Why it helps:\n");
    cli_print_wrapped("  ", "  ", strategy->why);
    return TEND_EXIT_OK;
}

static int strategy_add_run(int argc, char **argv)
{
    g_autofree char *category = NULL, *minutes_text = NULL, *fits_text = NULL, *why = NULL;
    g_auto(GStrv) steps = NULL;
    const GOptionEntry entries[] = {
        {"category", 0, 0, G_OPTION_ARG_STRING, &category, NULL, NULL},
        {"minutes", 0, 0, G_OPTION_ARG_STRING, &minutes_text, NULL, NULL},
        {"fits", 0, 0, G_OPTION_ARG_STRING, &fits_text, NULL, NULL},
        {"steps", 0, 0, G_OPTION_ARG_STRING_ARRAY, &steps, NULL, NULL},
        {"why", 0, 0, G_OPTION_ARG_STRING, &why, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("strategy add", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("strategy", "strategy add takes one TITLE (quote it if it has spaces)");
    if (!category || !minutes_text || !steps || !why)
        return cli_usage("strategy", "strategy add needs --category, --minutes, --steps and --why");

    g_autofree char *title = g_strstrip(g_strdup(argv[1]));
    if (!*title)
        return cli_usage("strategy", "strategy add needs a TITLE with words in it");
    g_autoptr(TendStrategy) strategy = strategy_new();
    gint64 minutes;
    if (!check_category(category) ||
        !cli_parse_int("strategy", "--minutes", minutes_text, 1, TEND_STRATEGY_MAX_MINUTES,
                       &minutes) ||
        (fits_text && !check_fits(fits_text, &strategy->fits)))
        return TEND_EXIT_USAGE;
    strategy->title = g_steal_pointer(&title);
    strategy->category = g_strdup(category);
    strategy->minutes = (int)minutes;
    strategy->steps = g_strdupv(steps);
    strategy->why = g_strdup(why);

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_WRITE);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    if (!store_begin(store, &error) || !strategy_add(store, tend_data_dir(), strategy, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return report(error);
    }
    refresh_live_copy(store);
    printf("Added your strategy '%s': %s\n", strategy->id, strategy->title);
    return TEND_EXIT_OK;
}

static int strategy_edit_run(int argc, char **argv)
{
    g_autofree char *title = NULL, *category = NULL, *minutes_text = NULL, *fits_text = NULL;
    g_autofree char *why = NULL;
    g_auto(GStrv) steps = NULL;
    const GOptionEntry entries[] = {
        {"title", 0, 0, G_OPTION_ARG_STRING, &title, NULL, NULL},
        {"category", 0, 0, G_OPTION_ARG_STRING, &category, NULL, NULL},
        {"minutes", 0, 0, G_OPTION_ARG_STRING, &minutes_text, NULL, NULL},
        {"fits", 0, 0, G_OPTION_ARG_STRING, &fits_text, NULL, NULL},
        {"steps", 0, 0, G_OPTION_ARG_STRING_ARRAY, &steps, NULL, NULL},
        {"why", 0, 0, G_OPTION_ARG_STRING, &why, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("strategy edit", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("strategy", "strategy edit takes one ID");
    if (!title && !category && !minutes_text && !fits_text && !steps && !why)
        return cli_usage("strategy", "strategy edit needs something to change, such as --title");

    TendStrategyChanges changes = {
        .title = title, .category = category, .steps = steps, .why = why};
    if (!check_category(category))
        return TEND_EXIT_USAGE;
    if (minutes_text) {
        gint64 minutes;
        if (!cli_parse_int("strategy", "--minutes", minutes_text, 1, TEND_STRATEGY_MAX_MINUTES,
                           &minutes))
            return TEND_EXIT_USAGE;
        changes.minutes = (int)minutes;
    }
    if (fits_text) {
        if (!check_fits(fits_text, &changes.fits))
            return TEND_EXIT_USAGE;
        changes.set_fits = TRUE;
    }

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_WRITE);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStrategy) strategy = NULL;
    if (!store_begin(store, &error) ||
        !strategy_edit(store, tend_data_dir(), argv[1], &changes, &error) ||
        !(strategy = strategy_get(store, tend_data_dir(), argv[1], &error)) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return report(error);
    }
    refresh_live_copy(store);
    if (strategy->edited)
        printf("Saved your version of '%s'. tend's original stays in its library.\n", strategy->id);
    else
        printf("Saved your strategy '%s'.\n", strategy->id);
    return TEND_EXIT_OK;
}

static int strategy_mark_run(int argc, char **argv, gboolean hide)
{
    const GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
    int status;
    if (!cli_parse_options(hide ? "strategy hide" : "strategy unhide", entries, &argc, &argv,
                           &status))
        return status;
    if (argc != 2)
        return cli_usage("strategy", "strategy %s takes one ID", hide ? "hide" : "unhide");

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_WRITE);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    if (!store_begin(store, &error) ||
        !strategy_set_hidden(store, tend_data_dir(), argv[1], hide, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return report(error);
    }
    refresh_live_copy(store);
    if (hide)
        printf("Hid '%s'; tend won't offer it. 'tend strategy unhide %s' brings it back.\n",
               argv[1], argv[1]);
    else
        printf("'%s' is back in your library.\n", argv[1]);
    return TEND_EXIT_OK;
}

static int strategy_hide_run(int argc, char **argv)
{
    return strategy_mark_run(argc, argv, TRUE);
}

static int strategy_unhide_run(int argc, char **argv)
{
    return strategy_mark_run(argc, argv, FALSE);
}

static int strategy_rate_run(int argc, char **argv)
{
    const GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
    int status;
    gint64 rating;
    if (!cli_parse_options("strategy rate", entries, &argc, &argv, &status))
        return status;
    if (argc != 3)
        return cli_usage("strategy", "strategy rate takes an ID and a rating from 1 to 5");
    if (!cli_parse_int("strategy", "the rating", argv[2], 1, 5, &rating))
        return TEND_EXIT_USAGE;

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_WRITE);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    if (!store_begin(store, &error) ||
        !strategy_rate(store, tend_data_dir(), argv[1], (int)rating, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return report(error);
    }
    refresh_live_copy(store);
    printf("Rated '%s' %d of 5. Thank you: 'tend now' offers what helps you first.\n", argv[1],
           (int)rating);
    return TEND_EXIT_OK;
}

static int strategy_scripts_run(int argc, char **argv)
{
    g_autofree char *situation = NULL;
    gboolean json = FALSE;
    const GOptionEntry entries[] = {
        {"situation", 0, 0, G_OPTION_ARG_STRING, &situation, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("strategy scripts", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("strategy", "strategy scripts takes no arguments");

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_ONLY);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) scripts = script_list(store, tend_data_dir(), situation, &error);
    if (!scripts)
        return cli_fail(error);
    if (json) {
        g_autoptr(JsonBuilder) builder = json_builder_new();
        json_builder_begin_array(builder);
        for (guint i = 0; i < scripts->len; i++) {
            const TendScript *script = scripts->pdata[i];
            json_builder_begin_object(builder);
            json_builder_set_member_name(builder, "id");
            json_builder_add_string_value(builder, script->id);
            json_builder_set_member_name(builder, "situation");
            json_builder_add_string_value(builder, script->situation);
            json_builder_set_member_name(builder, "softer");
            json_builder_add_string_value(builder, script->softer);
            json_builder_set_member_name(builder, "firmer");
            json_builder_add_string_value(builder, script->firmer);
            json_builder_set_member_name(builder, "custom");
            json_builder_add_boolean_value(builder, script->custom);
            json_builder_end_object(builder);
        }
        json_builder_end_array(builder);
        g_autoptr(JsonNode) root = json_builder_get_root(builder);
        cli_print_json(root);
        return TEND_EXIT_OK;
    }
    if (scripts->len == 0) {
        printf("No scripts for '%s' yet. 'tend strategy script-add %s --softer TEXT --firmer "
               "TEXT'\nadds your own.\n",
               situation, situation);
        return TEND_EXIT_OK;
    }
    /* Grouped by situation, in the order each situation first appears. */
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    for (guint i = 0; i < scripts->len; i++) {
        const TendScript *script = scripts->pdata[i];
        if (!g_ptr_array_find_with_equal_func(order, script->situation, g_str_equal, NULL))
            g_ptr_array_add(order, script->situation);
    }
    for (guint s = 0; s < order->len; s++) {
        printf("%s%s\n", s ? "\n" : "", (const char *)order->pdata[s]);
        for (guint i = 0; i < scripts->len; i++) {
            const TendScript *script = scripts->pdata[i];
            if (!g_str_equal(script->situation, order->pdata[s]))
                continue;
            printf("  %s%s\n", script->id, script->custom ? " (yours)" : "");
            cli_print_wrapped("    softer: ", "            ", script->softer);
            cli_print_wrapped("    firmer: ", "            ", script->firmer);
        }
    }
    printf("\nSay it once, calmly. If someone pushes, say the same words again.\n");
    return TEND_EXIT_OK;
}

static int strategy_script_add_run(int argc, char **argv)
{
    g_autofree char *softer = NULL, *firmer = NULL;
    const GOptionEntry entries[] = {
        {"softer", 0, 0, G_OPTION_ARG_STRING, &softer, NULL, NULL},
        {"firmer", 0, 0, G_OPTION_ARG_STRING, &firmer, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("strategy script-add", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("strategy", "strategy script-add takes one SITUATION");
    if (!softer || !firmer)
        return cli_usage("strategy", "strategy script-add needs --softer and --firmer");
    if (!script_situation_valid(argv[1]))
        return cli_usage("strategy",
                         "'%s' is not a situation name; use lowercase letters, digits and '-', "
                         "such as food-and-body",
                         argv[1]);

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendScript) script = g_new0(TendScript, 1);
    script->situation = g_strdup(argv[1]);
    script->softer = g_strdup(softer);
    script->firmer = g_strdup(firmer);
    gint64 now = tend_clock_now(&ctx.clock);
    tend_context_clear(&ctx);
    if (!store_begin(store, &error) || !script_add(store, script, now, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return report(error);
    }
    refresh_live_copy(store);
    printf("Added your script %s for %s.\n", script->id, script->situation);
    return TEND_EXIT_OK;
}

int cmd_strategy(int argc, char **argv)
{
    static const TendAction actions[] = {
        {"list", strategy_list_run},
        {"show", strategy_show_run},
        {"add", strategy_add_run},
        {"edit", strategy_edit_run},
        {"hide", strategy_hide_run},
        {"unhide", strategy_unhide_run},
        {"rate", strategy_rate_run},
        {"scripts", strategy_scripts_run},
        {"script-add", strategy_script_add_run},
    };
    return cli_run_action("strategy", actions, G_N_ELEMENTS(actions), argc, argv);
}
