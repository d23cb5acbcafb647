/* cmd-help-now.c: `tend help-now`, crisis lines for the person's region and their plan.
 *
 * This command must print the lines whatever else is wrong: a broken database, a bad
 * config file or an unknown region only add a note after the lines, never replace them.
 */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/safety.h"

typedef enum {
    FROM_FLAG,
    FROM_CONFIG,
    FROM_LOCALE,
    FROM_NOTHING,
} RegionSource;

static const char *const source_words[] = {
    [FROM_FLAG] = "from --region",
    [FROM_CONFIG] = "from your tend.conf",
    [FROM_LOCALE] = "from your locale",
    [FROM_NOTHING] = "no country set",
};
static const char *const source_keys[] = {
    [FROM_FLAG] = "flag",
    [FROM_CONFIG] = "config",
    [FROM_LOCALE] = "locale",
    [FROM_NOTHING] = "default",
};

/* --region, else tend.conf, else the locale; notes go to @notes for after the lines. */
static char *choose_region(const char *flag, RegionSource *out_source, GPtrArray *notes)
{
    if (flag) {
        *out_source = FROM_FLAG;
        return g_ascii_strup(flag, -1);
    }
    g_autofree char *config = safety_config_path();
    g_autoptr(GError) error = NULL;
    char *region = safety_region_from_config(config, &error);
    if (error)
        g_ptr_array_add(notes, g_strdup(error->message));
    if (region) {
        *out_source = FROM_CONFIG;
        return region;
    }
    region = safety_region_from_environment();
    *out_source = region ? FROM_LOCALE : FROM_NOTHING;
    return region;
}

static void add_member(JsonBuilder *builder, const char *name, const char *value)
{
    json_builder_set_member_name(builder, name);
    json_builder_add_string_value(builder, value);
}

static void print_json(const TendCrisisDirectory *directory, const TendCrisisRegion *region,
                       RegionSource source)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i <= region->lines->len; i++) {
        const TendCrisisLine *line = i < region->lines->len ? region->lines->pdata[i] : NULL;
        g_autofree char *emergency_id = g_strdup_printf("%s/emergency", region->code);
        json_builder_begin_object(builder);
        add_member(builder, "id", line ? line->id : emergency_id);
        add_member(builder, "kind", line ? "line" : "emergency");
        add_member(builder, "name", line ? line->name : "Emergency services");
        add_member(builder, "contact", line ? line->contact : region->emergency);
        add_member(builder, "region", region->code);
        add_member(builder, "region_name", region->name);
        add_member(builder, "chosen_by", source_keys[source]);
        add_member(builder, "source", line ? line->source : region->source);
        add_member(builder, "checked", directory->checked);
        json_builder_end_object(builder);
    }
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

static void print_lines(const TendCrisisDirectory *directory, const TendCrisisRegion *region,
                        const char *code, RegionSource source)
{
    printf("You don't have to carry this alone. People are there for you right now:\n\n");
    printf("%s\n", region->name);
    for (guint i = 0; i < region->lines->len; i++) {
        const TendCrisisLine *line = region->lines->pdata[i];
        g_autofree char *text = g_strdup_printf("%s: %s", line->name, line->contact);
        cli_print_wrapped("  ", "    ", text);
    }
    g_autofree char *emergency =
        g_strdup_printf("If you are in danger right now, call %s.", region->emergency);
    cli_print_wrapped("  ", "  ", emergency);

    printf("\nNumbers checked %s against:\n", directory->checked);
    g_autoptr(GPtrArray) sources = g_ptr_array_new();
    for (guint i = 0; i <= region->lines->len; i++) {
        const char *url = i < region->lines->len
                              ? ((const TendCrisisLine *)region->lines->pdata[i])->source
                              : region->source;
        if (!g_ptr_array_find_with_equal_func(sources, url, g_str_equal, NULL)) {
            g_ptr_array_add(sources, (gpointer)url);
            printf("  %s\n", url);
        }
    }
    g_autoptr(GString) codes = g_string_new(NULL);
    for (guint i = 0; i < directory->regions->len; i++) {
        const TendCrisisRegion *other = directory->regions->pdata[i];
        if (!g_str_equal(other->code, TEND_REGION_FALLBACK))
            g_string_append_printf(codes, "%s%s", codes->len ? " " : "", other->code);
    }
    if (!g_str_equal(region->code, TEND_REGION_FALLBACK))
        printf("Shown for %s (%s).\n", region->name, source_words[source]);
    else if (code)
        printf("Shown because tend has no lines for '%s' yet.\n", code);
    else
        printf("Shown because no country is set.\n");
    printf("Another country: 'tend help-now --region CODE' (%s).\n", codes->str);
}

static void print_plan(char *const *plan)
{
    if (safety_plan_is_empty(plan)) {
        printf("\nWhen you feel ready, 'tend safety-plan edit' helps you write a safety plan\n"
               "of your own, to find here next time.\n");
        return;
    }
    printf("\nYour safety plan\n");
    const TendSafetySection *sections = safety_plan_sections();
    for (guint i = 0; sections[i].id; i++) {
        if (!*plan[i])
            continue;
        g_autofree char *first = g_strdup_printf("  %s: ", sections[i].title);
        cli_print_wrapped(first, "    ", plan[i]);
    }
}

int cmd_help_now(int argc, char **argv)
{
    g_autofree char *region_flag = NULL;
    gboolean json = FALSE;
    const GOptionEntry entries[] = {
        {"region", 0, 0, G_OPTION_ARG_STRING, &region_flag, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("help-now", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("help-now", "help-now takes no arguments");

    g_autoptr(GError) error = NULL;
    g_autoptr(TendCrisisDirectory) directory = crisis_directory_load(tend_data_dir(), &error);
    if (!directory) {
        /* The one thing this command must never do is show nothing. */
        fprintf(stderr, "tend: error: %s\n", error->message);
        printf("Please call your local emergency number now if you are in danger, or find a\n"
               "free crisis line for your country at https://findahelpline.com\n");
        return TEND_EXIT_FAILURE;
    }

    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
    RegionSource source;
    g_autofree char *code = choose_region(region_flag, &source, notes);
    const TendCrisisRegion *region = crisis_directory_find(directory, code);
    if (!region) {
        region = crisis_directory_fallback(directory);
        if (source == FROM_FLAG || source == FROM_CONFIG)
            g_ptr_array_add(notes, g_strdup_printf("tend has no lines for '%s' yet; showing "
                                                   "the international directory",
                                                   code));
    }

    if (json) {
        print_json(directory, region, source);
    } else {
        print_lines(directory, region, code, source);
        g_autofree char *path = store_default_path();
        g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_ONLY, &error);
        g_auto(GStrv) plan = store ? safety_plan_load(store, &error) : NULL;
        if (plan)
            print_plan(plan);
        else
            g_ptr_array_add(notes,
                            g_strdup_printf("cannot read your safety plan: %s", error->message));
        printf("\ntend is not therapy, and it cannot call anyone for you. Reaching out to\n"
               "these people is a strong and sensible thing to do.\n");
    }
    fflush(stdout);
    for (guint i = 0; i < notes->len; i++)
        cli_warn("%s", (const char *)notes->pdata[i]);
    return TEND_EXIT_OK;
}
