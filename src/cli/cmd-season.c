/* cmd-season.c: `tend season`: the holidays a person chooses, and the holiday season,
 * offered as stressors they can keep, adjust or drop. The dates come from
 * holidays.c; this file only reads options, calls it and prints. */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/ical-io.h"
#include "tend/holidays.h"

#define SEASON_DEFAULT_DAYS 120
#define SEASON_MAX_DAYS 3660 /* ten years, so a typo cannot add thousands of days */

static int print_sets(void)
{
    guint count;
    const TendHolidaySet *sets = holidays_sets(&count);
    printf("Holiday sets for 'tend season --holidays SET,...':\n");
    for (guint i = 0; i < count; i++)
        printf("  %-16s %s\n", sets[i].name, sets[i].description);
    return TEND_EXIT_OK;
}

/* "us, hebrew" gives {"us", "hebrew"}; NULL (after reporting) for an unknown set. */
static char **parse_sets(const char *text)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
    guint count = 0;
    for (guint i = 0; parts[i]; i++) {
        const char *name = g_strstrip(parts[i]);
        if (!*name)
            continue;
        if (!holidays_set_known(name)) {
            cli_usage("season",
                      "'%s' is not a holiday set tend knows; 'tend season --list' "
                      "shows them",
                      name);
            return NULL;
        }
        g_strv_builder_add(builder, name);
        count++;
    }
    if (count == 0) {
        cli_usage("season", "--holidays needs at least one set, such as --holidays us");
        return NULL;
    }
    return g_strv_builder_end(builder);
}

static gboolean uses_tables(char **sets)
{
    return g_strv_contains((const char *const *)sets, "lunar-new-year") ||
           g_strv_contains((const char *const *)sets, "diwali") ||
           g_strv_contains((const char *const *)sets, "eid");
}

static char *describe_days(const TendContext *ctx, const TendStressor *stressor)
{
    g_autofree char *start = cli_format_when(ctx, stressor->start, TRUE);
    if (stressor->end - stressor->start == TEND_DAY_SECONDS)
        return g_steal_pointer(&start);
    g_autofree char *last = cli_format_when(ctx, stressor->end - TEND_DAY_SECONDS, TRUE);
    return g_strdup_printf("%s to %s", start, last);
}

static void print_json(GPtrArray *proposed, GArray *existed, gboolean dry_run)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < proposed->len; i++) {
        const TendStressor *stressor = proposed->pdata[i];
        gboolean was_there = g_array_index(existed, gboolean, i);
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "id");
        if (stressor->id)
            json_builder_add_int_value(builder, stressor->id);
        else
            json_builder_add_null_value(builder);
        json_builder_set_member_name(builder, "status");
        json_builder_add_string_value(builder, was_there ? "existing"
                                               : dry_run ? "would-add"
                                                         : "added");
        json_builder_set_member_name(builder, "title");
        json_builder_add_string_value(builder, stressor->title);
        json_builder_set_member_name(builder, "kind");
        json_builder_add_string_value(builder, stressor_kind_to_string(stressor->kind));
        json_builder_set_member_name(builder, "intensity");
        json_builder_add_int_value(builder, stressor->intensity);
        cli_json_add_time(builder, "start", stressor->start, TRUE);
        cli_json_add_time(builder, "end", stressor->end, TRUE);
        json_builder_set_member_name(builder, "all_day");
        json_builder_add_boolean_value(builder, TRUE);
        json_builder_end_object(builder);
    }
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

static void print_text(const TendContext *ctx, GPtrArray *proposed, GArray *existed,
                       gboolean dry_run, gint64 from, gint64 to)
{
    guint added = 0;
    for (guint i = 0; i < proposed->len; i++) {
        const TendStressor *stressor = proposed->pdata[i];
        g_autofree char *days = describe_days(ctx, stressor);
        if (g_array_index(existed, gboolean, i))
            printf("Already there: %s  %s  [stressor %" G_GINT64_FORMAT "]\n", days,
                   stressor->title, stressor->id);
        else if (dry_run)
            printf("Would add %s  %s\n", days, stressor->title);
        else
            printf("Added %s  %s  [stressor %" G_GINT64_FORMAT "]\n", days, stressor->title,
                   stressor->id);
        added += !g_array_index(existed, gboolean, i);
    }
    if (proposed->len == 0) {
        g_autofree char *first = cli_format_when(ctx, from, TRUE);
        g_autofree char *last = cli_format_when(ctx, to - TEND_DAY_SECONDS, TRUE);
        printf("No holidays from those sets between %s and %s.\n", first, last);
    } else if (added == 0) {
        printf("Nothing new to add: these are already among your stressors.\n");
    } else if (dry_run) {
        printf("Nothing was added yet; run it without --dry-run to add these.\n");
    } else {
        printf("Keep what fits and drop the rest with 'tend stressor remove ID'.\n");
    }
}

int cmd_season(int argc, char **argv)
{
    g_autofree char *holidays_text = NULL, *from_text = NULL, *to_text = NULL;
    gboolean list = FALSE, dry_run = FALSE, days_only = FALSE, json = FALSE;
    const GOptionEntry entries[] = {
        {"holidays", 0, 0, G_OPTION_ARG_STRING, &holidays_text, NULL, NULL},
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        {"days-only", 0, 0, G_OPTION_ARG_NONE, &days_only, NULL, NULL},
        {"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL},
        {"list", 0, 0, G_OPTION_ARG_NONE, &list, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("season", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("season", "season takes no arguments; name the holidays with "
                                   "--holidays, such as --holidays us,hebrew");
    if (list)
        return holidays_text ? cli_usage("season", "--list shows the sets; use it on its own")
                             : print_sets();
    if (!holidays_text)
        return cli_usage("season", "season needs --holidays, such as --holidays us or "
                                   "--holidays uk,hebrew; 'tend season --list' shows the sets");
    g_auto(GStrv) sets = parse_sets(holidays_text);
    if (!sets)
        return TEND_EXIT_USAGE;

    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    gint64 from_instant, to_instant;
    if (!cli_parse_window("season", &ctx, from_text, to_text, SEASON_DEFAULT_DAYS, &from_instant,
                          &to_instant)) {
        tend_context_clear(&ctx);
        return TEND_EXIT_USAGE;
    }
    /* Holidays are dates: the window covers every day it touches. */
    gint64 from = tend_date_of(from_instant, ctx.tz);
    gint64 to = tend_date_of(to_instant - 1, ctx.tz) + TEND_DAY_SECONDS;
    if (to - from > SEASON_MAX_DAYS * TEND_DAY_SECONDS) {
        tend_context_clear(&ctx);
        return cli_usage("season", "--from and --to can be at most ten years apart");
    }
    if (uses_tables(sets) && (from < holidays_date(TEND_HOLIDAYS_FIRST_YEAR, 1, 1) ||
                              to > holidays_date(TEND_HOLIDAYS_LAST_YEAR + 1, 1, 1)))
        cli_warn("tend knows the dates of Lunar New Year, Diwali and Eid only for %d to %d",
                 TEND_HOLIDAYS_FIRST_YEAR, TEND_HOLIDAYS_LAST_YEAR);

    g_autofree char *calendars = g_build_filename(tend_data_dir(), "calendars", NULL);
    g_autoptr(GPtrArray) holidays =
        holidays_between(calendars, (const char *const *)sets, from, to, &error);
    if (!holidays) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    g_autoptr(GPtrArray) proposed = holidays_season_stressors(holidays, from, to, days_only);

    g_autofree char *path = store_default_path();
    g_autoptr(TendStore) store =
        store_open(path, dry_run ? TEND_STORE_READ_ONLY : TEND_STORE_READ_WRITE, &error);
    g_autoptr(GArray) existed = NULL;
    int result = TEND_EXIT_OK;
    if (!store || !holidays_season_add(store, proposed, dry_run, tend_clock_now(&ctx.clock),
                                       &existed, &error)) {
        result = cli_fail(error);
    } else {
        /* a calendar app subscribed to plan.ics follows the plan */
        if (!dry_run)
            cli_refresh_live_copy(store, &ctx);
        if (json)
            print_json(proposed, existed, dry_run);
        else
            print_text(&ctx, proposed, existed, dry_run, from, to);
    }
    tend_context_clear(&ctx);
    return result;
}
