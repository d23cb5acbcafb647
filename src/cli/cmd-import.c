/* cmd-import.c: `tend import FILE.ics [--calendar NAME] [--dry-run] [--json]`. */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/ical-io.h"

static const char *change_word(TendImportChangeKind kind)
{
    switch (kind) {
    case TEND_IMPORT_ADDED:
        return "added";
    case TEND_IMPORT_UPDATED:
        return "updated";
    case TEND_IMPORT_REMOVED:
        return "removed";
    }
    return "changed";
}

static void print_json(const TendImportResult *result, const char *path)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_int_value(builder, result->calendar_id);
    json_builder_set_member_name(builder, "calendar");
    json_builder_add_string_value(builder, result->calendar);
    json_builder_set_member_name(builder, "file");
    json_builder_add_string_value(builder, path);
    static const char *const counts[] = {"added", "updated", "removed", "unchanged", "skipped"};
    const guint values[] = {result->added, result->updated, result->removed, result->unchanged,
                            result->skipped};
    for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
        json_builder_set_member_name(builder, counts[i]);
        json_builder_add_int_value(builder, values[i]);
    }
    json_builder_set_member_name(builder, "dry_run");
    json_builder_add_boolean_value(builder, result->dry_run);
    json_builder_set_member_name(builder, "changes");
    json_builder_begin_array(builder);
    for (guint i = 0; i < result->changes->len; i++) {
        const TendImportChange *change = result->changes->pdata[i];
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "change");
        json_builder_add_string_value(builder, change_word(change->kind));
        json_builder_set_member_name(builder, "uid");
        json_builder_add_string_value(builder, change->uid);
        json_builder_set_member_name(builder, "title");
        json_builder_add_string_value(builder, change->summary);
        cli_json_add_time(builder, "start", change->start, change->all_day);
        json_builder_end_object(builder);
    }
    json_builder_end_array(builder);
    json_builder_set_member_name(builder, "warnings");
    json_builder_begin_array(builder);
    for (guint i = 0; i < result->warnings->len; i++)
        json_builder_add_string_value(builder, result->warnings->pdata[i]);
    json_builder_end_array(builder);
    json_builder_end_object(builder);
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

/* The events a dry run would change, one line each. */
static void print_changes(const TendContext *ctx, const TendImportResult *result)
{
    for (guint i = 0; i < result->changes->len; i++) {
        const TendImportChange *change = result->changes->pdata[i];
        g_autofree char *when = cli_format_when(ctx, change->start, change->all_day);
        printf("  %-8s %-22s %s\n", change_word(change->kind), when,
               *change->summary ? change->summary : "(no title)");
    }
}

/* Reads the file before the store is opened, so a file that cannot be imported never
 * creates or changes the database. A dry run opens it read-only and writes nothing. */
static int run(const TendContext *ctx, const char *path, const char *calendar, gboolean dry_run,
               gboolean json)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(TendImportBatch) batch = ical_import_read(ctx, path, &error);
    if (!batch)
        return cli_fail(error);
    g_autoptr(TendStore) store =
        cli_open_store(dry_run ? TEND_STORE_READ_ONLY : TEND_STORE_READ_WRITE);
    if (!store)
        return TEND_EXIT_FAILURE;
    TendImportResult result = {0};
    gboolean ok = dry_run ? ical_import_preview(store, batch, calendar, &result, &error)
                          : ical_import_apply(store, batch, calendar, &result, &error);
    if (!ok)
        return cli_fail(error);
    for (guint i = 0; i < result.warnings->len; i++)
        cli_warn("%s", (const char *)result.warnings->pdata[i]);
    if (json) {
        print_json(&result, path);
    } else {
        g_autofree char *base = g_path_get_basename(path);
        printf("%s '%s' from %s: added %u, updated %u, removed %u, unchanged %u",
               dry_run ? "Importing" : "Imported", result.calendar, base, result.added,
               result.updated, result.removed, result.unchanged);
        if (result.skipped > 0)
            printf(", skipped %u (the warnings above say why)", result.skipped);
        printf("\n");
        if (dry_run) {
            print_changes(ctx, &result);
            printf("This was a dry run: nothing was saved. Run it without --dry-run to "
                   "import.\n");
        }
    }
    import_result_clear(&result);
    return TEND_EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    g_autofree char *calendar = NULL;
    gboolean json = FALSE, dry_run = FALSE;
    const GOptionEntry entries[] = {
        {"calendar", 0, 0, G_OPTION_ARG_STRING, &calendar, NULL, NULL},
        {"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("import", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("import", "import takes one FILE.ics");
    if (calendar && !*g_strstrip(calendar))
        return cli_usage("import", "--calendar needs a name, such as --calendar Family");
    const char *path = argv[1];

    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    int exit_status = run(&ctx, path, calendar, dry_run, json);
    tend_context_clear(&ctx);
    return exit_status;
}
