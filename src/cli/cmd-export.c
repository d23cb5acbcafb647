/* cmd-export.c: `tend export FILE.ics|-|--vdir DIR [--from DATE] [--to DATE] [--discreet]
 * [--no-alarms]`.
 *
 * Opens the store read-only, asks the core for the iCalendar text and writes it to
 * FILE atomically (an old FILE survives any failure), to stdout for "-", or as one
 * file per item into DIR for vdirsyncer and khal.
 */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/ical-io.h"

/* --to DATE means "up to and including that day": the end is the next local midnight.
 * A --to with a time of day is taken as the exclusive end. */
static gboolean parse_to(const TendContext *ctx, const char *text, gint64 *out_to, GError **error)
{
    gint64 value;
    gboolean all_day;
    if (!tend_time_parse(text, ctx->tz, &value, &all_day, error))
        return FALSE;
    *out_to = all_day ? tend_date_to_local(value + TEND_DAY_SECONDS, ctx->tz) : value;
    return TRUE;
}

static const char *plural(guint n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int cmd_export(int argc, char **argv)
{
    g_autofree char *from_text = NULL, *to_text = NULL, *vdir = NULL;
    gboolean discreet = FALSE, no_alarms = FALSE;
    const GOptionEntry entries[] = {
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        {"discreet", 0, 0, G_OPTION_ARG_NONE, &discreet, NULL, NULL},
        {"no-alarms", 0, 0, G_OPTION_ARG_NONE, &no_alarms, NULL, NULL},
        {"vdir", 0, 0, G_OPTION_ARG_FILENAME, &vdir, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("export", entries, &argc, &argv, &status))
        return status;
    if (vdir && (argc != 1 || !*vdir))
        return cli_usage("export", "--vdir takes a folder, and then no FILE.ics; try "
                                   "--vdir ~/.calendars/tend");
    if (!vdir && argc != 2)
        return cli_usage("export", "export takes one FILE.ics, or - for standard output");
    const char *target = vdir ? vdir : argv[1];
    gboolean to_stdout = g_str_equal(target, "-");
    if (!*target)
        return cli_usage("export", "the file name is empty; try 'plan.ics'");

    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    TendExportOptions options = {
        .from = 0, .to = G_MAXINT64, .discreet = discreet, .no_alarms = no_alarms};
    if (from_text && !tend_time_parse_instant(from_text, ctx.tz, &options.from, &error)) {
        tend_context_clear(&ctx);
        return cli_usage("export", "--from: %s", error->message);
    }
    if (to_text && !parse_to(&ctx, to_text, &options.to, &error)) {
        tend_context_clear(&ctx);
        return cli_usage("export", "--to: %s", error->message);
    }
    if (options.to <= options.from) {
        tend_context_clear(&ctx);
        return cli_usage("export", "--to must come after --from");
    }

    g_autofree char *path = store_default_path();
    g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_ONLY, &error);
    guint stressors = 0, activities = 0;
    TendVdirResult synced = {0};
    if (vdir) {
        int result = TEND_EXIT_OK;
        if (!store || !ical_export_vdir(store, &ctx, &options, vdir, &synced, &error)) {
            result = cli_fail(error);
        } else {
            printf("Wrote %u %s and %u %s to %s, one file each: %u new or changed, %u as "
                   "they were, %u removed.\n",
                   synced.stressors, plural(synced.stressors, "stressor", "stressors"),
                   synced.activities, plural(synced.activities, "activity", "activities"), vdir,
                   synced.written, synced.unchanged, synced.removed);
        }
        tend_context_clear(&ctx);
        return result;
    }
    g_autofree char *text =
        store ? ical_export_plan_counted(store, &ctx, &options, &stressors, &activities, &error)
              : NULL;
    int result = TEND_EXIT_OK;
    if (!text) {
        result = cli_fail(error);
    } else if (to_stdout) {
        fputs(text, stdout);
    } else if (!ical_write_file_atomic(target, text, &error)) {
        result = cli_fail(error);
    } else {
        printf("Wrote %u %s and %u %s to %s.\n", stressors,
               plural(stressors, "stressor", "stressors"), activities,
               plural(activities, "activity", "activities"), target);
        if (stressors == 0 && activities == 0)
            printf("There is nothing in it yet; 'tend stressor add' names a hard day when you "
                   "are ready.\n");
        else if (discreet)
            printf("Titles say \"Personal time\"; the details stay here with you.\n");
    }
    tend_context_clear(&ctx);
    return result;
}
