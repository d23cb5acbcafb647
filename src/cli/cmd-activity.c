/* cmd-activity.c: `tend activity list|done|skip|move`, the person's own say over
 * what the planner placed. Done, skipped and moved activities are never moved again
 * by `tend plan` (a moved one is pinned where the person put it).
 */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/planner.h"

void cli_activity_to_json(JsonBuilder *builder, const TendActivity *activity)
{
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_int_value(builder, activity->id);
    json_builder_set_member_name(builder, "stressor_id");
    json_builder_add_int_value(builder, activity->stressor_id);
    json_builder_set_member_name(builder, "kind");
    json_builder_add_string_value(builder, activity->kind);
    json_builder_set_member_name(builder, "title");
    json_builder_add_string_value(builder, activity->title);
    cli_json_add_time(builder, "start", activity->start, FALSE);
    cli_json_add_time(builder, "end", activity->end, FALSE);
    json_builder_set_member_name(builder, "busy");
    json_builder_add_boolean_value(builder, activity->busy);
    json_builder_set_member_name(builder, "status");
    json_builder_add_string_value(builder, activity->status);
    json_builder_set_member_name(builder, "pinned");
    json_builder_add_boolean_value(builder, activity->pinned);
    json_builder_end_object(builder);
}

static const char *status_mark(const TendActivity *activity)
{
    if (g_str_equal(activity->status, "done"))
        return "  (done)";
    if (g_str_equal(activity->status, "skipped"))
        return "  (skipped, and that's okay)";
    if (activity->pinned)
        return "  (placed by you)";
    if (!activity->busy)
        return "  (a reminder only)";
    return "";
}

static int activity_list_run(int argc, char **argv)
{
    gboolean json = FALSE, all = FALSE;
    const GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        {"all", 0, 0, G_OPTION_ARG_NONE, &all, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("activity list", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("activity", "activity list takes no arguments, only --all and --json");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) activities = activity_list(store, 0, &error);
    if (!activities) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    /* From the start of today, unless --all. */
    gint64 today = tend_date_to_local(tend_date_of(tend_clock_now(&ctx.clock), ctx.tz), ctx.tz);
    g_autoptr(GPtrArray) shown = g_ptr_array_new();
    for (guint i = 0; i < activities->len; i++) {
        TendActivity *activity = activities->pdata[i];
        if (all || activity->end > today)
            g_ptr_array_add(shown, activity);
    }
    if (json) {
        g_autoptr(JsonBuilder) builder = json_builder_new();
        json_builder_begin_array(builder);
        for (guint i = 0; i < shown->len; i++) {
            cli_activity_to_json(builder, shown->pdata[i]);
        }
        json_builder_end_array(builder);
        g_autoptr(JsonNode) root = json_builder_get_root(builder);
        cli_print_json(root);
    } else if (shown->len == 0) {
        printf("Nothing is planned from today on. 'tend plan' places care around your hard "
               "days.\n");
    } else {
        for (guint i = 0; i < shown->len; i++) {
            const TendActivity *activity = shown->pdata[i];
            g_autofree char *start =
                tend_format_local(activity->start, ctx.tz, "%a %d %b %Y %H:%M");
            g_autofree char *end = tend_format_local(activity->end, ctx.tz, "%H:%M");
            printf("%4" G_GINT64_FORMAT "  %s-%s  %s%s\n", activity->id, start, end,
                   activity->title, status_mark(activity));
        }
    }
    tend_context_clear(&ctx);
    return TEND_EXIT_OK;
}

/* done, skip and move: one ID, and for move --to TIME. */
static int activity_change_run(const char *action, int argc, char **argv)
{
    g_autofree char *to_text = NULL;
    const GOptionEntry move_entries[] = {
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    const GOptionEntry no_entries[] = {G_OPTION_ENTRY_NULL};
    gboolean move = g_str_equal(action, "move");
    g_autofree char *command = g_strconcat("activity ", action, NULL);
    int status;
    if (!cli_parse_options(command, move ? move_entries : no_entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("activity", "%s takes one ID ('tend activity list' shows them)", command);
    gint64 id;
    if (!cli_parse_int("activity", "ID", argv[1], 1, G_MAXINT64, &id))
        return TEND_EXIT_USAGE;
    if (move && !to_text)
        return cli_usage("activity", "activity move needs --to TIME, such as 2026-12-24T11:00");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    gint64 to = 0;
    if (move) {
        gboolean all_day;
        if (!tend_time_parse(to_text, ctx.tz, &to, &all_day, &error) || all_day) {
            tend_context_clear(&ctx);
            return cli_usage("activity",
                             "--to: '%s' is not a time tend understands; use a time such as "
                             "2026-12-24T11:00",
                             to_text);
        }
    }
    gboolean ok =
        store_begin(store, &error) &&
        (move ? activity_move(store, id, to, &error)
              : activity_set_status(store, id, g_str_equal(action, "done") ? "done" : "skipped",
                                    &error)) &&
        store_commit(store, &error);
    g_autoptr(TendActivity) activity = ok ? activity_get(store, id, &error) : NULL;
    int result = TEND_EXIT_OK;
    if (!activity) {
        store_rollback(store);
        result = cli_fail(error);
    } else {
        cli_refresh_live_copy(store, &ctx);
        if (move) {
            g_autofree char *when = cli_format_when(&ctx, activity->start, FALSE);
            printf("Moved '%s' to %s. tend plan will leave it where you put it.\n", activity->title,
                   when);
        } else if (g_str_equal(action, "done")) {
            printf("Done: '%s'. That was care for yourself.\n", activity->title);
        } else {
            printf("Skipped '%s', and that's okay.\n", activity->title);
        }
    }
    tend_context_clear(&ctx);
    return result;
}

int cmd_activity(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("activity", "activity needs an action: list, done, skip or move");
    if (g_str_equal(argv[1], "list"))
        return activity_list_run(argc - 1, argv + 1);
    if (g_str_equal(argv[1], "done") || g_str_equal(argv[1], "skip") ||
        g_str_equal(argv[1], "move"))
        return activity_change_run(argv[1], argc - 1, argv + 1);
    return cli_usage("activity", "'%s' is not an activity action; use list, done, skip or move",
                     argv[1]);
}
