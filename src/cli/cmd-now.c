/* cmd-now.c: `tend now`, a few small things to try in the hard moment itself.
 *
 * It needs no setup and must answer even when the database cannot be read: then it
 * offers tend's own library in its usual order.
 */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/strategy.h"

int cmd_now(int argc, char **argv)
{
    g_autofree char *minutes_text = NULL, *where_text = NULL;
    gboolean json = FALSE;
    const GOptionEntry entries[] = {
        {"minutes", 0, 0, G_OPTION_ARG_STRING, &minutes_text, NULL, NULL},
        {"where", 0, 0, G_OPTION_ARG_STRING, &where_text, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("now", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("now", "now takes no arguments");
    gint64 minutes = 0;
    if (minutes_text &&
        !cli_parse_int("now", "--minutes", minutes_text, 1, TEND_STRATEGY_MAX_MINUTES, &minutes))
        return TEND_EXIT_USAGE;
    TendWhere where = TEND_WHERE_HOME;
    if (where_text && g_str_equal(where_text, "there"))
        where = TEND_WHERE_THERE;
    else if (where_text && !g_str_equal(where_text, "home"))
        return cli_usage("now", "--where is home or there, not '%s'", where_text);

    g_autoptr(GError) error = NULL;
    g_autofree char *path = store_default_path();
    g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_ONLY, &error);
    g_autoptr(GPtrArray) list = NULL;
    if (store) {
        list = strategy_list(store, tend_data_dir(), FALSE, &error);
    } else {
        /* Your ratings are out of reach, but the library still helps. */
        cli_warn("%s; showing tend's usual choices", error->message);
        g_clear_error(&error);
        list = strategy_load_shipped(tend_data_dir(), &error);
    }
    if (!list)
        return cli_fail(error);

    g_autoptr(GPtrArray) picked = strategy_pick_now(list, (int)minutes, where, 3);
    if (json) {
        g_autoptr(JsonBuilder) builder = json_builder_new();
        json_builder_begin_array(builder);
        for (guint i = 0; i < picked->len; i++)
            cli_strategy_to_json(builder, picked->pdata[i]);
        json_builder_end_array(builder);
        g_autoptr(JsonNode) root = json_builder_get_root(builder);
        cli_print_json(root);
        return TEND_EXIT_OK;
    }
    if (picked->len == 0) {
        printf("Nothing in your library fits in %d minutes. 'tend now' without --minutes\n"
               "shows more, and one slow breath out always fits.\n",
               (int)minutes);
        return TEND_EXIT_OK;
    }
    printf("One small thing at a time. Pick whichever feels possible:\n");
    for (guint i = 0; i < picked->len; i++) {
        const TendStrategy *strategy = picked->pdata[i];
        printf("\n%u. %s (about %d min%s)\n", i + 1, strategy->title, strategy->minutes,
               strategy->rating >= 4 ? ", it helped you before" : "");
        for (guint s = 0; strategy->steps[s]; s++)
            cli_print_wrapped("   - ", "     ", strategy->steps[s]);
    }
    printf("\nIf you are not safe, 'tend help-now' shows who you can call or text.\n");
    return TEND_EXIT_OK;
}
