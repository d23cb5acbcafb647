/* cmd-plan.c: `tend plan [--from DATE] [--to DATE] [--json] [--dry-run]` and
 * `tend plan show ID [--json]`.
 *
 * Parses the window, runs the planner (or previews it) and says what happened in a
 * few warm lines. All placement rules live in src/core/planner.c; the card that
 * `plan show` prints is made in src/core/coping-plan.c, as the export's is.
 */
#include <stdio.h>
#include <string.h>

#include "tend/cli.h"
#include "tend/coping-plan.h"
#include "tend/ical-io.h"
#include "tend/planner.h"
#include "tend/stressor.h"

#define DEFAULT_DAYS 60
#define MAX_DAYS 400

/* Reads --from (a date is local midnight) or --to (a date counts in full). */
static gboolean parse_bound(const TendContext *ctx, const char *flag, const char *text,
                            gboolean inclusive_end, gint64 *out_time)
{
    g_autoptr(GError) error = NULL;
    gint64 value;
    gboolean all_day;
    if (!tend_time_parse(text, ctx->tz, &value, &all_day, &error)) {
        cli_usage("plan", "%s: %s", flag, error->message);
        return FALSE;
    }
    if (all_day)
        value = tend_date_to_local(value + (inclusive_end ? TEND_DAY_SECONDS : 0), ctx->tz);
    *out_time = value;
    return TRUE;
}

static void print_json(const TendPlanResult *result)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < result->activities->len; i++) {
        cli_activity_to_json(builder, result->activities->pdata[i]);
    }
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

static const char *plural(guint n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void print_summary(const TendContext *ctx, const TendPlanResult *result, gint64 from,
                          gint64 to, gboolean dry_run)
{
    if (result->stressors == 0) {
        g_autofree char *first = tend_format_local(from, ctx->tz, "%a %d %b %Y");
        g_autofree char *last = tend_format_local(to - 1, ctx->tz, "%a %d %b %Y");
        printf("No hard days between %s and %s, so there is nothing to plan.\n"
               "'tend stressor add' names one whenever you are ready.\n",
               first, last);
        return;
    }
    guint changes = result->placed + result->moved + result->removed;
    if (changes == 0) {
        if (result->kept == 0)
            printf("Your plan is up to date; nothing needed placing this time.\n");
        else
            printf("Your plan is up to date: all %u %s kept as %s.\n", result->kept,
                   plural(result->kept, "activity", "activities"),
                   plural(result->kept, "it was", "they were"));
    } else {
        printf("%s %u new %s around %u %s (kept %u, moved %u", dry_run ? "Would plan" : "Planned",
               result->placed, plural(result->placed, "activity", "activities"), result->stressors,
               plural(result->stressors, "stressor", "stressors"), result->kept, result->moved);
        if (result->removed > 0)
            printf(", removed %u no longer needed", result->removed);
        printf(").\n");
    }
    for (guint i = 0; i < result->activities->len; i++) {
        const TendActivity *activity = result->activities->pdata[i];
        g_autofree char *start = tend_format_local(activity->start, ctx->tz, "%a %d %b %Y %H:%M");
        g_autofree char *end = tend_format_local(activity->end, ctx->tz, "%H:%M");
        const char *mark = "";
        if (g_str_equal(activity->status, "done"))
            mark = "  (done)";
        else if (g_str_equal(activity->status, "skipped"))
            mark = "  (skipped, and that's okay)";
        else if (!activity->busy)
            mark = "  (a reminder only)";
        printf("%s-%s  %s%s\n", start, end, activity->title, mark);
    }
    for (guint i = 0; i < result->notes->len; i++)
        printf("%s\n", (const char *)result->notes->pdata[i]);
    if (dry_run)
        printf("Nothing was changed; run 'tend plan' without --dry-run to keep this plan.\n");
}

static int plan_with(const TendContext *ctx, const char *from_text, const char *to_text,
                     gboolean json, gboolean dry_run)
{
    gint64 now = tend_clock_now(&ctx->clock);
    gint64 from = tend_date_to_local(tend_date_of(now, ctx->tz), ctx->tz);
    if (from_text && !parse_bound(ctx, "--from", from_text, FALSE, &from))
        return TEND_EXIT_USAGE;
    gint64 to =
        tend_date_to_local(tend_date_of(from, ctx->tz) + DEFAULT_DAYS * TEND_DAY_SECONDS, ctx->tz);
    if (to_text && !parse_bound(ctx, "--to", to_text, TRUE, &to))
        return TEND_EXIT_USAGE;
    if (to <= from)
        return cli_usage("plan", "--to '%s' comes before --from; please pick a later day",
                         to_text ? to_text : "");
    if (to - from > MAX_DAYS * TEND_DAY_SECONDS)
        return cli_usage("plan",
                         "tend plans at most %d days at a time; please choose a shorter "
                         "--from/--to window",
                         MAX_DAYS);

    g_autoptr(GError) error = NULL;
    g_autofree char *path = store_default_path();
    g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_WRITE, &error);
    TendPlanResult plan = {0};
    if (!store || !(dry_run ? planner_preview(store, ctx, from, to, &plan, &error)
                            : planner_run(store, ctx, from, to, &plan, &error)))
        return cli_fail(error);
    /* a calendar app subscribed to plan.ics follows the plan */
    if (!dry_run)
        cli_refresh_live_copy(store, ctx);
    if (json) {
        print_json(&plan);
        /* The array holds only activities; what did not fit is said on stderr. */
        for (guint i = 0; i < plan.notes->len; i++)
            fprintf(stderr, "%s\n", (const char *)plan.notes->pdata[i]);
    } else {
        print_summary(ctx, &plan, from, to, dry_run);
    }
    plan_result_clear(&plan);
    return TEND_EXIT_OK;
}

static void add_list(JsonBuilder *builder, const char *key, char **items)
{
    json_builder_set_member_name(builder, key);
    json_builder_begin_array(builder);
    for (guint i = 0; items[i]; i++)
        json_builder_add_string_value(builder, items[i]);
    json_builder_end_array(builder);
}

static void print_plan_json(const TendStressor *stressor, const TendCopingPlan *plan,
                            GPtrArray *moment, const char *card)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_int_value(builder, stressor->id);
    json_builder_set_member_name(builder, "title");
    json_builder_add_string_value(builder, stressor->title);
    cli_json_add_time(builder, "start", stressor->start, stressor->all_day);
    cli_json_add_time(builder, "end", stressor->end, stressor->all_day);
    json_builder_set_member_name(builder, "all_day");
    json_builder_add_boolean_value(builder, stressor->all_day);
    add_list(builder, "triggers", plan->triggers);
    add_list(builder, "boundaries", plan->boundaries);
    add_list(builder, "scripts", plan->scripts);
    if (plan->has_exit_by) {
        cli_json_add_time(builder, "exit_by", plan->exit_by, FALSE);
    } else {
        json_builder_set_member_name(builder, "exit_by");
        json_builder_add_null_value(builder);
    }
    json_builder_set_member_name(builder, "exit_plan");
    json_builder_add_string_value(builder, plan->exit_plan);
    add_list(builder, "support", plan->support);
    add_list(builder, "grounding", plan->grounding);
    json_builder_set_member_name(builder, "in_the_moment");
    json_builder_begin_array(builder);
    for (guint i = 0; i < moment->len; i++)
        cli_strategy_to_json(builder, moment->pdata[i]);
    json_builder_end_array(builder);
    json_builder_set_member_name(builder, "aftercare");
    json_builder_add_string_value(builder, plan->aftercare);
    json_builder_set_member_name(builder, "card");
    json_builder_add_string_value(builder, card);
    json_builder_end_object(builder);
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

/* The card, each line wrapped for a terminal under its own bullet or number. */
static void print_card(const char *card)
{
    g_auto(GStrv) lines = g_strsplit(card, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        const char *line = lines[i];
        if (!*line) {
            printf("\n");
            continue;
        }
        gsize indent = strspn(line, " ");
        gsize marker = 0;
        if (g_str_has_prefix(line + indent, "- "))
            marker = 2;
        else if (g_ascii_isdigit(line[indent]))
            marker = strspn(line + indent, "0123456789") + 2;
        g_autofree char *first = g_strndup(line, indent + marker);
        g_autofree char *rest = g_strnfill(indent + marker, ' ');
        cli_print_wrapped(first, rest, line + indent + marker);
    }
}

static int plan_show_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    if (!cli_parse_json_only("plan show", &argc, &argv, &json, &status))
        return status;
    if (argc != 2)
        return cli_usage("plan", "plan show takes one stressor ID ('tend stressor list' shows "
                                 "them)");
    gint64 id;
    if (!cli_parse_int("plan", "ID", argv[1], 1, G_MAXINT64, &id))
        return TEND_EXIT_USAGE;

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStressor) stressor = stressor_get(store, id, &error);
    g_autoptr(TendCopingPlan) plan = stressor ? coping_plan_load(store, id, &error) : NULL;
    g_autofree char *card =
        plan ? coping_plan_card(store, &ctx, tend_data_dir(), stressor, plan, &error) : NULL;
    g_autoptr(GPtrArray) moment =
        card ? coping_plan_grounding(store, tend_data_dir(), plan, &error) : NULL;
    int result = TEND_EXIT_OK;
    if (!moment) {
        result = cli_fail(error);
    } else if (json) {
        print_plan_json(stressor, plan, moment, card);
    } else {
        print_card(card);
        if (coping_plan_is_empty(plan))
            printf("\nThere is no plan for this one yet. 'tend prepare %" G_GINT64_FORMAT
                   "' helps you make one:\na few questions, and any of them can be skipped.\n",
                   id);
    }
    tend_context_clear(&ctx);
    return result;
}

int cmd_plan(int argc, char **argv)
{
    if (argc >= 2 && g_str_equal(argv[1], "show"))
        return plan_show_run(argc - 1, argv + 1);
    g_autofree char *from_text = NULL, *to_text = NULL;
    gboolean json = FALSE, dry_run = FALSE;
    const GOptionEntry entries[] = {
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        {"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("plan", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("plan", "plan takes no arguments, only --from, --to, --json and "
                                 "--dry-run (or 'plan show ID')");

    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    if (!planner_load_settings(&ctx, &error)) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    status = plan_with(&ctx, from_text, to_text, json, dry_run);
    tend_context_clear(&ctx);
    return status;
}
