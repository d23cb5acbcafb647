/* cmd-stressor.c: `tend stressor add|list|show|remove|mark|suggest`. */
#include <stdio.h>

#include "tend/cli.h"
#include "tend/planner.h"
#include "tend/ical-io.h"
#include "tend/stressor.h"
#include "tend/suggest.h"

#define SUGGEST_DAYS 60

static void stressor_to_json(JsonBuilder *builder, const TendStressor *stressor)
{
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_int_value(builder, stressor->id);
    json_builder_set_member_name(builder, "uid");
    json_builder_add_string_value(builder, stressor->uid);
    json_builder_set_member_name(builder, "title");
    json_builder_add_string_value(builder, stressor->title);
    json_builder_set_member_name(builder, "kind");
    json_builder_add_string_value(builder, stressor_kind_to_string(stressor->kind));
    json_builder_set_member_name(builder, "intensity");
    json_builder_add_int_value(builder, stressor->intensity);
    json_builder_set_member_name(builder, "location");
    if (stressor->location)
        json_builder_add_string_value(builder, stressor->location);
    else
        json_builder_add_null_value(builder);
    cli_json_add_time(builder, "start", stressor->start, stressor->all_day);
    cli_json_add_time(builder, "end", stressor->end, stressor->all_day);
    json_builder_set_member_name(builder, "all_day");
    json_builder_add_boolean_value(builder, stressor->all_day);
    json_builder_end_object(builder);
}

static void print_json(GPtrArray *stressors)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < stressors->len; i++)
        stressor_to_json(builder, stressors->pdata[i]);
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

static char *describe_span(const TendContext *ctx, const TendStressor *stressor)
{
    g_autofree char *start = cli_format_when(ctx, stressor->start, stressor->all_day);
    if (stressor->all_day) {
        if (stressor->end - stressor->start == TEND_DAY_SECONDS)
            return g_strdup_printf("%s, all day", start);
        g_autofree char *last =
            cli_format_when(ctx, stressor->end - TEND_DAY_SECONDS, stressor->all_day);
        return g_strdup_printf("%s to %s, all day", start, last);
    }
    g_autofree char *end = cli_format_when(ctx, stressor->end, FALSE);
    return g_strdup_printf("%s to %s", start, end);
}

static int stressor_add_run(int argc, char **argv)
{
    g_autofree char *start_text = NULL, *end_text = NULL, *kind_text = NULL;
    g_autofree char *intensity_text = NULL, *location = NULL;
    const GOptionEntry entries[] = {
        {"start", 0, 0, G_OPTION_ARG_STRING, &start_text, NULL, NULL},
        {"end", 0, 0, G_OPTION_ARG_STRING, &end_text, NULL, NULL},
        {"kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, NULL, NULL},
        {"intensity", 0, 0, G_OPTION_ARG_STRING, &intensity_text, NULL, NULL},
        {"location", 0, 0, G_OPTION_ARG_STRING, &location, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("stressor add", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("stressor", "stressor add takes one TITLE (quote it if it has spaces)");
    if (!start_text || !end_text)
        return cli_usage("stressor", "stressor add needs --start and --end");

    g_autoptr(TendStressor) stressor = stressor_new();
    stressor->title = g_strdup(argv[1]);
    if (kind_text && !stressor_kind_from_string(kind_text, &stressor->kind))
        return cli_usage("stressor",
                         "--kind '%s' is not a kind tend knows; use family, work, travel, "
                         "grief, holiday or other",
                         kind_text);
    if (intensity_text) {
        gint64 intensity;
        if (!cli_parse_int("stressor", "--intensity", intensity_text, 1, 5, &intensity))
            return TEND_EXIT_USAGE;
        stressor->intensity = (int)intensity;
    }
    stressor->location = g_strdup(location);

    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    gboolean start_all_day, end_all_day;
    if (!tend_time_parse(start_text, ctx.tz, &stressor->start, &start_all_day, &error) ||
        !tend_time_parse(end_text, ctx.tz, &stressor->end, &end_all_day, &error)) {
        tend_context_clear(&ctx);
        return cli_usage("stressor", "%s", error->message);
    }
    if (start_all_day != end_all_day) {
        tend_context_clear(&ctx);
        return cli_usage("stressor", "--start and --end must both be dates or both be times");
    }
    stressor->all_day = start_all_day;
    if (stressor->all_day)
        stressor->end += TEND_DAY_SECONDS; /* the last day counts in full */
    else
        stressor->tzid = g_strdup(ctx.tzid);

    g_autofree char *path = store_default_path();
    g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_WRITE, &error);
    int result = TEND_EXIT_OK;
    if (!store || !store_begin(store, &error) ||
        !stressor_add(store, stressor, tend_clock_now(&ctx.clock), &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        result = error && error->domain == G_IO_ERROR ? cli_usage("stressor", "%s", error->message)
                                                      : cli_fail(error);
    } else {
        cli_refresh_live_copy(store, &ctx);
        g_autofree char *span = describe_span(&ctx, stressor);
        printf("Added stressor %" G_GINT64_FORMAT ": %s (%s)\n", stressor->id, stressor->title,
               span);
        printf("When you are ready, 'tend plan' will place some care around it.\n");
    }
    tend_context_clear(&ctx);
    return result;
}

static int stressor_list_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    if (!cli_parse_json_only("stressor list", &argc, &argv, &json, &status))
        return status;
    if (argc != 1)
        return cli_usage("stressor", "stressor list takes no arguments");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) stressors = stressor_list(store, &error);
    int result = TEND_EXIT_OK;
    if (!stressors) {
        result = cli_fail(error);
    } else if (json) {
        print_json(stressors);
    } else if (stressors->len == 0) {
        printf("No stressors yet. 'tend stressor add' names a hard day when you are ready.\n");
    } else {
        for (guint i = 0; i < stressors->len; i++) {
            const TendStressor *stressor = stressors->pdata[i];
            g_autofree char *span = describe_span(&ctx, stressor);
            printf("%4" G_GINT64_FORMAT "  %s  [%s, intensity %d]  %s\n", stressor->id,
                   stressor->title, stressor_kind_to_string(stressor->kind), stressor->intensity,
                   span);
        }
    }
    tend_context_clear(&ctx);
    return result;
}

static gboolean parse_id_argument(const char *command, int argc, char **argv, gint64 *out_id)
{
    if (argc != 2) {
        cli_usage("stressor", "%s takes one ID", command);
        return FALSE;
    }
    return cli_parse_int("stressor", "ID", argv[1], 1, G_MAXINT64, out_id);
}

static int stressor_show_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    gint64 id;
    if (!cli_parse_json_only("stressor show", &argc, &argv, &json, &status))
        return status;
    if (!parse_id_argument("stressor show", argc, argv, &id))
        return TEND_EXIT_USAGE;

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStressor) stressor = stressor_get(store, id, &error);
    int result = TEND_EXIT_OK;
    if (!stressor) {
        result = cli_fail(error);
    } else if (json) {
        g_autoptr(GPtrArray) one = g_ptr_array_new();
        g_ptr_array_add(one, stressor);
        print_json(one);
    } else {
        g_autofree char *span = describe_span(&ctx, stressor);
        printf("%s\n", stressor->title);
        printf("  when:      %s\n", span);
        printf("  kind:      %s\n", stressor_kind_to_string(stressor->kind));
        printf("  intensity: %d of 5\n", stressor->intensity);
        if (stressor->location)
            printf("  where:     %s\n", stressor->location);
    }
    tend_context_clear(&ctx);
    return result;
}

static int stressor_remove_run(int argc, char **argv)
{
    const GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
    int status;
    gint64 id;
    if (!cli_parse_options("stressor remove", entries, &argc, &argv, &status))
        return status;
    if (!parse_id_argument("stressor remove", argc, argv, &id))
        return TEND_EXIT_USAGE;

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    int result = TEND_EXIT_OK;
    if (!store_begin(store, &error) || !stressor_remove(store, id, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        result = cli_fail(error);
    } else {
        cli_refresh_live_copy(store, &ctx);
        printf("Removed stressor %" G_GINT64_FORMAT " and the care planned around it.\n", id);
    }
    tend_context_clear(&ctx);
    return result;
}

static int stressor_suggest_run(int argc, char **argv)
{
    gboolean json = FALSE;
    g_autofree char *from_text = NULL, *to_text = NULL;
    const GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("stressor suggest", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("stressor", "stressor suggest takes no arguments, only --from, --to "
                                     "and --json");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    gint64 from, to;
    if (!cli_parse_window("stressor", &ctx, from_text, to_text, SUGGEST_DAYS, &from, &to)) {
        tend_context_clear(&ctx);
        return TEND_EXIT_USAGE;
    }
    /* What has already begun is not worth suggesting. */
    from = MAX(from, tend_clock_now(&ctx.clock));
    g_autoptr(GError) error = NULL;
    g_autofree char *config_path = plan_config_user_path();
    TendSuggestConfig config;
    if (!suggest_config_load(config_path, &config, &error)) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    g_autoptr(GPtrArray) found = stressor_suggest(store, &ctx, &config, from, to, &error);
    suggest_config_clear(&config);
    int result = TEND_EXIT_OK;
    if (!found) {
        result = cli_fail(error);
    } else if (json) {
        g_autoptr(JsonBuilder) builder = json_builder_new();
        json_builder_begin_array(builder);
        for (guint i = 0; i < found->len; i++) {
            const TendSuggestion *suggestion = found->pdata[i];
            json_builder_begin_object(builder);
            json_builder_set_member_name(builder, "id");
            json_builder_add_int_value(builder, suggestion->event_id);
            json_builder_set_member_name(builder, "uid");
            json_builder_add_string_value(builder, suggestion->uid);
            json_builder_set_member_name(builder, "title");
            json_builder_add_string_value(builder, suggestion->title);
            json_builder_set_member_name(builder, "calendar");
            json_builder_add_string_value(builder, suggestion->calendar);
            cli_json_add_time(builder, "start", suggestion->start, suggestion->all_day);
            cli_json_add_time(builder, "end", suggestion->end, suggestion->all_day);
            json_builder_set_member_name(builder, "all_day");
            json_builder_add_boolean_value(builder, suggestion->all_day);
            json_builder_set_member_name(builder, "kind");
            json_builder_add_string_value(builder, stressor_kind_to_string(suggestion->kind));
            json_builder_set_member_name(builder, "reasons");
            json_builder_begin_array(builder);
            for (guint r = 0; suggestion->reasons[r]; r++)
                json_builder_add_string_value(builder, suggestion->reasons[r]);
            json_builder_end_array(builder);
            json_builder_end_object(builder);
        }
        json_builder_end_array(builder);
        g_autoptr(JsonNode) root = json_builder_get_root(builder);
        cli_print_json(root);
    } else if (found->len == 0) {
        printf("No coming events look hard from here. You know best, though: 'tend stressor\n"
               "mark ID' works for any imported event ('tend agenda --json' shows the ids).\n");
    } else {
        printf("These coming events might be hard. Nothing changes unless you mark one.\n");
        for (guint i = 0; i < found->len; i++) {
            const TendSuggestion *suggestion = found->pdata[i];
            g_autofree char *when = cli_format_when(&ctx, suggestion->start, suggestion->all_day);
            g_autofree char *reasons = g_strjoinv(", ", suggestion->reasons);
            printf("%4" G_GINT64_FORMAT "  %s  %s  (%s)\n", suggestion->event_id, when,
                   suggestion->title, reasons);
        }
        printf("'tend stressor mark ID' makes one a stressor, so tend can plan care around it.\n");
    }
    tend_context_clear(&ctx);
    return result;
}

static int stressor_mark_run(int argc, char **argv)
{
    g_autofree char *kind_text = NULL, *intensity_text = NULL;
    const GOptionEntry entries[] = {
        {"kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, NULL, NULL},
        {"intensity", 0, 0, G_OPTION_ARG_STRING, &intensity_text, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("stressor mark", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("stressor", "stressor mark takes one event UID or ID ('tend stressor "
                                     "suggest' shows some)");
    TendKind kind = TEND_KIND_OTHER;
    if (kind_text && !stressor_kind_from_string(kind_text, &kind))
        return cli_usage("stressor",
                         "--kind '%s' is not a kind tend knows; use family, work, travel, "
                         "grief, holiday or other",
                         kind_text);
    gint64 intensity = 3;
    if (intensity_text &&
        !cli_parse_int("stressor", "--intensity", intensity_text, 1, 5, &intensity))
        return TEND_EXIT_USAGE;

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    gint64 now = tend_clock_now(&ctx.clock);
    /* An ID from 'tend stressor suggest' or 'tend agenda --json', else a UID. */
    g_autofree char *uid = NULL;
    gint64 event_id;
    if (g_ascii_string_to_signed(argv[1], 10, 1, G_MAXINT64, &event_id, NULL)) {
        uid = suggest_event_uid(store, event_id, NULL);
    }
    if (!uid)
        uid = g_strdup(argv[1]);
    g_autoptr(sqlite3_stmt) count = store_prepare(store, "SELECT count(*) FROM stressors", &error);
    gint64 before = -1;
    if (count && sqlite3_step(count) == SQLITE_ROW)
        before = sqlite3_column_int64(count, 0);
    g_autoptr(TendStressor) stressor = NULL;
    if (count && store_begin(store, &error)) {
        if (!kind_text) {
            /* Guess the kind from the event itself, as suggest does. */
            g_autoptr(TendStressor) peek =
                stressor_add_from_event(store, uid, now, TEND_KIND_OTHER, 3, now, NULL);
            if (peek) {
                TendSuggestConfig none = {NULL, NULL};
                /* Only the kind it guesses is wanted here, not the reasons. */
                g_strfreev(suggest_reasons(&ctx, &none, peek->title, peek->location, peek->start,
                                           peek->end, peek->all_day, &kind));
            }
            store_rollback(store);
            if (!store_begin(store, &error))
                goto done;
        }
        stressor = stressor_add_from_event(store, uid, now, kind, (int)intensity, now, &error);
        if (!stressor || !store_commit(store, &error))
            g_clear_pointer(&stressor, stressor_free);
    }
done:
    if (!stressor) {
        store_rollback(store);
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    sqlite3_reset(count);
    gboolean added = sqlite3_step(count) == SQLITE_ROW && sqlite3_column_int64(count, 0) > before;
    if (added)
        cli_refresh_live_copy(store, &ctx);
    g_autofree char *span = describe_span(&ctx, stressor);
    if (added)
        printf("Marked '%s' (%s) as a hard day: stressor %" G_GINT64_FORMAT
               ", %s, intensity %d.\n'tend prepare %" G_GINT64_FORMAT
               "' helps you make a plan for it, and 'tend plan' places care around it.\n",
               stressor->title, span, stressor->id, stressor_kind_to_string(stressor->kind),
               stressor->intensity, stressor->id);
    else
        printf("'%s' (%s) is already stressor %" G_GINT64_FORMAT "; nothing changed.\n",
               stressor->title, span, stressor->id);
    tend_context_clear(&ctx);
    return TEND_EXIT_OK;
}

int cmd_stressor(int argc, char **argv)
{
    static const TendAction actions[] = {
        {"add", stressor_add_run},   {"list", stressor_list_run},
        {"show", stressor_show_run}, {"remove", stressor_remove_run},
        {"mark", stressor_mark_run}, {"suggest", stressor_suggest_run},
    };
    return cli_run_action("stressor", actions, G_N_ELEMENTS(actions), argc, argv);
}
