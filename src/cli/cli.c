/* cli.c: reporting, option parsing and output shared by the subcommands. */
#include "tend/cli.h"

#include "tend/ical-io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_fail(const GError *error)
{
    fprintf(stderr, "tend: error: %s\n", error ? error->message : "something went wrong");
    return TEND_EXIT_FAILURE;
}

int cli_usage(const char *command, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *message = g_strdup_vprintf(format, args);
    va_end(args);
    fprintf(stderr, "tend: error: %s\n", message);
    if (command)
        fprintf(stderr, "see 'tend help %s'\n", command);
    return TEND_EXIT_USAGE;
}

void cli_warn(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *message = g_strdup_vprintf(format, args);
    va_end(args);
    fprintf(stderr, "tend: warning: %s\n", message);
}

int cli_run_action(const char *command, const TendAction *actions, guint n_actions, int argc,
                   char **argv)
{
    for (guint i = 0; argc >= 2 && i < n_actions; i++)
        if (g_str_equal(argv[1], actions[i].name))
            return actions[i].run(argc - 1, argv + 1);

    g_autoptr(GString) names = g_string_new(NULL);
    for (guint i = 0; i < n_actions; i++)
        g_string_append_printf(names, "%s%s",
                               i == 0               ? ""
                               : i + 1 == n_actions ? " or "
                                                    : ", ",
                               actions[i].name);
    if (argc < 2)
        return cli_usage(command, "%s needs an action: %s", command, names->str);
    return cli_usage(command, "'%s' is not a %s action; use %s", argv[1], command, names->str);
}

gboolean cli_parse_options(const char *command, const GOptionEntry *entries, int *argc,
                           char ***argv, int *out_status)
{
    g_autoptr(GOptionContext) context = g_option_context_new(NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *topic = g_strdup(command);

    g_option_context_add_main_entries(context, entries, NULL);
    g_option_context_set_help_enabled(context, FALSE);
    if (!g_option_context_parse(context, argc, argv, &error)) {
        /* GLib capitalises its messages; tend's errors start lowercase. */
        if (error->message[0])
            error->message[0] = g_ascii_tolower(error->message[0]);
        char *space = strchr(topic, ' ');
        if (space)
            *space = '\0';
        *out_status = cli_usage(topic, "%s: %s", command, error->message);
        return FALSE;
    }
    return TRUE;
}

gboolean cli_parse_json_only(const char *command, int *argc, char ***argv, gboolean *out_json,
                             int *out_status)
{
    const GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, out_json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    return cli_parse_options(command, entries, argc, argv, out_status);
}

gboolean cli_parse_int(const char *command, const char *flag, const char *text, gint64 min,
                       gint64 max, gint64 *out_value)
{
    gint64 value;
    if (!g_ascii_string_to_signed(text, 10, min, max, (gint64 *)&value, NULL)) {
        cli_usage(command,
                  "%s must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                  ", not '%s'",
                  flag, min, max, text);
        return FALSE;
    }
    *out_value = value;
    return TRUE;
}

gboolean cli_parse_window(const char *command, const TendContext *ctx, const char *from_text,
                          const char *to_text, int default_days, gint64 *out_from, gint64 *out_to)
{
    g_autoptr(GError) error = NULL;
    gboolean all_day;
    gint64 from = tend_date_to_local(tend_date_of(tend_clock_now(&ctx->clock), ctx->tz), ctx->tz);
    gint64 to;

    if (from_text) {
        if (!tend_time_parse(from_text, ctx->tz, &from, &all_day, &error)) {
            cli_usage(command, "--from: %s", error->message);
            return FALSE;
        }
        if (all_day)
            from = tend_date_to_local(from, ctx->tz);
    }
    to = tend_date_to_local(tend_date_of(from, ctx->tz) + (default_days + 1) * TEND_DAY_SECONDS,
                            ctx->tz);
    if (to_text) {
        if (!tend_time_parse(to_text, ctx->tz, &to, &all_day, &error)) {
            cli_usage(command, "--to: %s", error->message);
            return FALSE;
        }
        if (all_day)
            to = tend_date_to_local(to + TEND_DAY_SECONDS, ctx->tz);
    }
    if (to <= from) {
        cli_usage(command, "--to must come after --from");
        return FALSE;
    }
    *out_from = from;
    *out_to = to;
    return TRUE;
}

TendStore *cli_open_store(TendStoreMode mode)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *path = store_default_path();
    TendStore *store = store_open(path, mode, &error);
    if (!store)
        cli_fail(error);
    return store;
}

gboolean cli_open(TendContext *ctx, TendStore **out_store, TendStoreMode mode)
{
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(ctx, &error)) {
        cli_fail(error);
        return FALSE;
    }
    TendStore *store = cli_open_store(mode);
    if (!store) {
        tend_context_clear(ctx);
        return FALSE;
    }
    *out_store = store;
    return TRUE;
}

void cli_print_json(JsonNode *node)
{
    g_autoptr(JsonGenerator) generator = json_generator_new();
    json_generator_set_pretty(generator, TRUE);
    json_generator_set_indent(generator, 2);
    json_generator_set_root(generator, node);
    g_autofree char *text = json_generator_to_data(generator, NULL);
    fputs(text, stdout);
    fputc('\n', stdout);
}

void cli_json_add_time(JsonBuilder *builder, const char *key, gint64 value, gboolean all_day)
{
    g_autofree char *text = all_day ? tend_format_date(value) : tend_format_utc(value);
    json_builder_set_member_name(builder, key);
    json_builder_add_string_value(builder, text);
}

char *cli_format_when(const TendContext *ctx, gint64 value, gboolean all_day)
{
    if (all_day)
        return tend_format_local(value, NULL, "%a %d %b %Y");
    return tend_format_local(value, ctx->tz, "%a %d %b %Y %H:%M");
}

void cli_print_wrapped(const char *first, const char *rest, const char *text)
{
    enum { WIDTH = 78 };
    g_auto(GStrv) paragraphs = g_strsplit(text, "\n", -1);
    for (guint p = 0; paragraphs[p]; p++) {
        const char *prefix = p == 0 ? first : rest;
        glong column = g_utf8_strlen(prefix, -1);
        fputs(prefix, stdout);
        g_auto(GStrv) words = g_strsplit(paragraphs[p], " ", -1);
        gboolean line_empty = TRUE;
        for (guint w = 0; words[w]; w++) {
            if (!*words[w])
                continue;
            glong length = g_utf8_strlen(words[w], -1);
            if (!line_empty && column + 1 + length > WIDTH) {
                printf("\n%s", rest);
                column = g_utf8_strlen(rest, -1);
                line_empty = TRUE;
            }
            if (!line_empty) {
                fputc(' ', stdout);
                column++;
            }
            fputs(words[w], stdout);
            column += length;
            line_empty = FALSE;
        }
        fputc('\n', stdout);
    }
}

void cli_refresh_live_copy(TendStore *store, const TendContext *ctx)
{
    g_autoptr(GError) error = NULL;
    if (!ical_export_live(store, ctx, &error))
        cli_warn("the live copy of your plan was not updated: %s", error->message);
}

int cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int saved = errno;
        fprintf(stderr, "tend: error: cannot write the output: %s\n",
                saved ? g_strerror(saved) : "write error");
        return TEND_EXIT_FAILURE;
    }
    return status;
}
