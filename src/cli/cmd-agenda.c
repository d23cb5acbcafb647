/* cmd-agenda.c: `tend agenda`: what is coming, in time order, day by day. */
#include <stdio.h>

#include "tend/agenda.h"
#include "tend/cli.h"

static void print_json(GPtrArray *items)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < items->len; i++) {
        const TendAgendaItem *item = items->pdata[i];
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "type");
        json_builder_add_string_value(builder, agenda_item_type_to_string(item->type));
        json_builder_set_member_name(builder, "id");
        json_builder_add_int_value(builder, item->id);
        json_builder_set_member_name(builder, "title");
        json_builder_add_string_value(builder, item->title);
        cli_json_add_time(builder, "start", item->start, item->all_day);
        cli_json_add_time(builder, "end", item->end, item->all_day);
        json_builder_set_member_name(builder, "all_day");
        json_builder_add_boolean_value(builder, item->all_day);
        json_builder_set_member_name(builder, "busy");
        json_builder_add_boolean_value(builder, item->busy);
        if (item->type == TEND_ITEM_EVENT) {
            json_builder_set_member_name(builder, "calendar");
            json_builder_add_string_value(builder, item->calendar);
        } else {
            json_builder_set_member_name(builder, "kind");
            json_builder_add_string_value(builder, item->detail);
        }
        json_builder_end_object(builder);
    }
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

static const char *type_label(const TendAgendaItem *item)
{
    switch (item->type) {
    case TEND_ITEM_STRESSOR:
        return "hard day";
    case TEND_ITEM_ACTIVITY:
        return "care";
    case TEND_ITEM_EVENT:
        break;
    }
    return item->calendar;
}

/* Prints the items under one heading per local day. A timed item is listed on the day
 * it starts, an all-day item on the first day it covers within the window (with its
 * last day when it spans several). */
void cli_print_agenda(const TendContext *ctx, GPtrArray *items, gint64 from, gint64 to)
{
    if (items->len == 0) {
        printf("Nothing planned in this stretch. A quiet few days can be a gift.\n");
        return;
    }
    gboolean first_day = TRUE;
    for (gint64 day = tend_date_of(from, ctx->tz); tend_date_to_local(day, ctx->tz) < to;
         day += TEND_DAY_SECONDS) {
        gint64 day_start = tend_date_to_local(day, ctx->tz);
        gint64 day_end = tend_date_to_local(day + TEND_DAY_SECONDS, ctx->tz);
        gboolean printed_heading = FALSE;
        for (guint i = 0; i < items->len; i++) {
            const TendAgendaItem *item = items->pdata[i];
            gint64 start, end;
            agenda_item_span(item, ctx->tz, &start, &end);
            gint64 first_shown = MAX(start, from);
            gboolean today = first_shown >= day_start && first_shown < day_end;
            if (!today)
                continue;
            if (!printed_heading) {
                g_autofree char *heading = tend_format_local(day, NULL, "%a %d %b %Y");
                printf("%s%s\n", first_day ? "" : "\n", heading);
                printed_heading = TRUE;
                first_day = FALSE;
            }
            g_autofree char *when = NULL;
            g_autofree char *until = NULL;
            if (item->all_day) {
                when = g_strdup("all day    ");
                if (item->end - item->start > TEND_DAY_SECONDS) {
                    g_autofree char *last =
                        tend_format_local(item->end - TEND_DAY_SECONDS, NULL, "%a %d %b");
                    until = g_strdup_printf(", until %s", last);
                }
            } else {
                g_autofree char *s = tend_format_local(item->start, ctx->tz, "%H:%M");
                g_autofree char *e = tend_format_local(item->end, ctx->tz, "%H:%M");
                when = g_strdup_printf("%s-%s", s, e);
            }
            printf("  %s  %s%s  (%s)\n", when, item->title, until ? until : "", type_label(item));
        }
    }
}

static int run(const TendContext *ctx, const char *from_text, const char *to_text, gboolean json)
{
    gint64 from, to;
    if (!cli_parse_window("agenda", ctx, from_text, to_text, 14, &from, &to))
        return TEND_EXIT_USAGE;

    g_autoptr(GError) error = NULL;
    g_autofree char *path = store_default_path();
    g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_ONLY, &error);
    if (!store)
        return cli_fail(error);
    g_autoptr(GPtrArray) items = agenda_between(store, ctx, from, to, &error);
    if (!items)
        return cli_fail(error);
    if (json)
        print_json(items);
    else
        cli_print_agenda(ctx, items, from, to);
    return TEND_EXIT_OK;
}

int cmd_agenda(int argc, char **argv)
{
    g_autofree char *from_text = NULL, *to_text = NULL;
    gboolean json = FALSE;
    const GOptionEntry entries[] = {
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("agenda", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("agenda", "agenda takes no arguments besides --from, --to and --json");

    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error))
        return cli_fail(error);
    int result = run(&ctx, from_text, to_text, json);
    tend_context_clear(&ctx);
    return result;
}
