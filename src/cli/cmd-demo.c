/* cmd-demo.c: `tend demo`: the whole loop on the bundled example, in a scratch folder.
 *
 * It must never touch the person's own database: everything it writes lives in
 * --dir (or a new temporary folder), opened directly rather than through TEND_DB.
 */
#include <errno.h>
#include <stdio.h>

#include "tend/agenda.h"
#include "tend/cli.h"
#include "tend/ical-io.h"
#include "tend/planner.h"
#include "tend/stressor.h"

/* How far ahead the demo looks for the example's hard days. */
#define DEMO_HORIZON_DAYS 60

static gboolean import_example(TendStore *store, const TendContext *ctx, const char *data_dir,
                               GError **error)
{
    g_autofree char *calendar = g_build_filename(data_dir, "calendars", "example-family.ics", NULL);
    TendImportResult result = {0};
    if (!ical_import_file(store, ctx, calendar, "Family", &result, error))
        return FALSE;
    printf("1. Read the example family calendar: %u events (added %u, updated %u, removed %u, "
           "unchanged %u).\n",
           result.added + result.updated + result.unchanged, result.added, result.updated,
           result.removed, result.unchanged);
    for (guint i = 0; result.warnings && i < result.warnings->len; i++)
        cli_warn("%s", (const char *)result.warnings->pdata[i]);
    import_result_clear(&result);
    return TRUE;
}

/* Turns the example plan's events into stressors; returns the end of the last one. */
static gboolean name_hard_days(TendStore *store, const TendContext *ctx, const char *data_dir,
                               gint64 *out_last_end, GError **error)
{
    g_autofree char *plan_path = g_build_filename(data_dir, "calendars", "example-plan.ini", NULL);
    g_autoptr(GKeyFile) plan = g_key_file_new();
    if (!g_key_file_load_from_file(plan, plan_path, G_KEY_FILE_NONE, error)) {
        g_prefix_error(error, "cannot read '%s': ", plan_path);
        return FALSE;
    }
    gint64 now = tend_clock_now(&ctx->clock);
    gint64 horizon = now + DEMO_HORIZON_DAYS * TEND_DAY_SECONDS;
    gint64 last_end = now;
    g_auto(GStrv) uids = g_key_file_get_groups(plan, NULL);
    g_autoptr(GPtrArray) named = g_ptr_array_new_with_free_func((GDestroyNotify)stressor_free);

    if (!store_begin(store, error))
        return FALSE;
    for (guint i = 0; uids[i]; i++) {
        g_autofree char *kind_text = g_key_file_get_string(plan, uids[i], "kind", NULL);
        gint intensity = g_key_file_get_integer(plan, uids[i], "intensity", NULL);
        TendKind kind = TEND_KIND_OTHER;
        if (!kind_text || !stressor_kind_from_string(kind_text, &kind) || intensity < 1 ||
            intensity > 5) {
            g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                        "'%s': [%s] needs kind= and intensity=1..5", plan_path, uids[i]);
            store_rollback(store);
            return FALSE;
        }
        g_autoptr(GError) missing = NULL;
        TendStressor *stressor =
            stressor_add_from_event(store, uids[i], now, kind, intensity, now, &missing);
        if (!stressor) {
            if (!g_error_matches(missing, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND)) {
                g_propagate_error(error, g_steal_pointer(&missing));
                store_rollback(store);
                return FALSE;
            }
            continue;
        }
        if (stressor->start >= horizon) {
            /* Too far ahead for a demo; leave it for another season. */
            g_autoptr(GError) ignored = NULL;
            if (stressor->created == now)
                stressor_remove(store, stressor->id, &ignored);
            stressor_free(stressor);
            continue;
        }
        last_end = MAX(last_end, stressor->end);
        g_ptr_array_add(named, stressor);
    }
    if (!store_commit(store, error)) {
        store_rollback(store);
        return FALSE;
    }

    printf("2. Named %u hard days in the next %d days:\n", named->len, DEMO_HORIZON_DAYS);
    for (guint i = 0; i < named->len; i++) {
        const TendStressor *stressor = named->pdata[i];
        g_autofree char *when = cli_format_when(ctx, stressor->start, stressor->all_day);
        printf("     %s  %s (%s, intensity %d)\n", when, stressor->title,
               stressor_kind_to_string(stressor->kind), stressor->intensity);
    }
    *out_last_end = last_end;
    return TRUE;
}

static gboolean plan_and_export(TendStore *store, const TendContext *ctx, const char *dir,
                                gint64 from, gint64 to, GError **error)
{
    TendPlanResult result = {0};
    if (!planner_run(store, ctx, from, to, &result, error))
        return FALSE;
    printf("3. Planned care around them: %u new, %u kept, %u moved.\n", result.placed, result.kept,
           result.moved);
    for (guint i = 0; result.notes && i < result.notes->len; i++)
        printf("     %s\n", (const char *)result.notes->pdata[i]);
    plan_result_clear(&result);

    TendExportOptions options = {.from = 0, .to = G_MAXINT64};
    g_autofree char *text = ical_export_plan(store, ctx, &options, error);
    g_autofree char *path = g_build_filename(dir, "plan.ics", NULL);
    if (!text || !ical_write_file_atomic(path, text, error))
        return FALSE;
    printf("4. Wrote the plan to %s; any calendar app can import it.\n", path);
    return TRUE;
}

static int run(const TendContext *ctx, const char *dir)
{
    g_autoptr(GError) error = NULL;
    const char *data_dir = tend_data_dir();
    g_autofree char *db_path = g_build_filename(dir, "tend.db", NULL);
    g_autoptr(TendStore) store = store_open(db_path, TEND_STORE_READ_WRITE, &error);
    if (!store)
        return cli_fail(error);

    printf("tend demo: a plan made on an example family calendar.\n"
           "Your own data is not touched; this demo lives in %s.\n\n",
           dir);
    gint64 now = tend_clock_now(&ctx->clock);
    gint64 today = tend_date_to_local(tend_date_of(now, ctx->tz), ctx->tz);
    gint64 last_end = now;
    if (!import_example(store, ctx, data_dir, &error) ||
        !name_hard_days(store, ctx, data_dir, &last_end, &error))
        return cli_fail(error);
    /* Plan and show through the day after the last hard day, for the reflection. */
    gint64 until =
        tend_date_to_local(tend_date_of(last_end, ctx->tz) + 2 * TEND_DAY_SECONDS, ctx->tz);
    if (!plan_and_export(store, ctx, dir, today, until, &error))
        return cli_fail(error);

    g_autoptr(GPtrArray) items = agenda_between(store, ctx, today, until, &error);
    if (!items)
        return cli_fail(error);
    printf("\nWhat is coming, with care planned around the hard days:\n\n");
    cli_print_agenda(ctx, items, today, until);
    printf("\nTo look around: TEND_DB=%s tend agenda\n"
           "tend is not therapy. If a day gets very dark, please reach out to someone you\n"
           "trust or a crisis line; you deserve support.\n",
           db_path);
    return TEND_EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
    g_autofree char *dir = NULL;
    const GOptionEntry entries[] = {
        {"dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("demo", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("demo", "demo takes no arguments besides --dir");

    g_autoptr(GError) error = NULL;
    if (dir) {
        if (g_mkdir_with_parents(dir, 0700) != 0) {
            int saved = errno;
            g_set_error(&error, G_FILE_ERROR, g_file_error_from_errno(saved),
                        "cannot create the folder '%s': %s", dir, g_strerror(saved));
            return cli_fail(error);
        }
    } else {
        dir = g_dir_make_tmp("tend-demo-XXXXXX", &error);
        if (!dir)
            return cli_fail(error);
    }

    TendContext ctx;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    if (!planner_load_settings(&ctx, &error)) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    int result = run(&ctx, dir);
    tend_context_clear(&ctx);
    return result;
}
