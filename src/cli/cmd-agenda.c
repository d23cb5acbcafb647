/* cmd-agenda.c: `tend agenda`: what is coming, in time order, day by day. */
#include <stdio.h>
#include <string.h>

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

/* A stretch of time known to have one offset from UTC in the user's zone, around the last
 * instant asked about: the weeks around it when a single zone interval covers them (a
 * fortnight mostly has no change of clocks), else its local day if one covers that. With
 * tens of thousands of items, looking the zone up for each one would be most of the cost. */
typedef struct {
    gint64 lo, hi;
    gint32 offset;
} ZoneMemo;

#define ZONE_MEMO_SPAN (16 * TEND_DAY_SECONDS)

/* Whether one interval of @tz, @interval, covers all of [lo, hi). Intervals follow one
 * another in time, so it does when it holds at both ends. */
static gboolean one_interval(GTimeZone *tz, int interval, gint64 lo, gint64 hi)
{
    return g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, lo) == interval &&
           g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, hi - 1) == interval;
}

static gint32 zone_offset(ZoneMemo *memo, GTimeZone *tz, gint64 instant)
{
    if (instant >= memo->lo && instant < memo->hi)
        return memo->offset;
    int interval = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, instant);
    gint32 offset = g_time_zone_get_offset(tz, interval);
    gint64 lo =
        instant - (((instant + offset) % TEND_DAY_SECONDS) + TEND_DAY_SECONDS) % TEND_DAY_SECONDS;
    gint64 hi = lo + TEND_DAY_SECONDS;
    if (one_interval(tz, interval, instant - ZONE_MEMO_SPAN, instant + ZONE_MEMO_SPAN))
        *memo = (ZoneMemo){
            .lo = instant - ZONE_MEMO_SPAN, .hi = instant + ZONE_MEMO_SPAN, .offset = offset};
    else if (one_interval(tz, interval, lo, hi))
        *memo = (ZoneMemo){.lo = lo, .hi = hi, .offset = offset};
    else
        *memo = (ZoneMemo){.lo = instant, .hi = instant + 1, .offset = offset};
    return offset;
}

/* Output gathered and written in large pieces: a fortnight can hold tens of thousands of
 * lines, and a printf (or GString call) per piece of each was a good part of the time. */
typedef struct {
    size_t len;
    char data[1 << 16];
} Output;

static void output_flush(Output *out)
{
    fwrite(out->data, 1, out->len, stdout);
    out->len = 0;
}

static void output_add(Output *out, const char *text, size_t len)
{
    if (len <= sizeof out->data - out->len) {
        memcpy(out->data + out->len, text, len);
        out->len += len;
        return;
    }
    while (len > 0) {
        if (out->len == sizeof out->data)
            output_flush(out);
        size_t part = MIN(len, sizeof out->data - out->len);
        memcpy(out->data + out->len, text, part);
        out->len += part;
        text += part;
        len -= part;
    }
}

static void output_text(Output *out, const char *text)
{
    output_add(out, text, strlen(text));
}

/* "HH:MM" of the last instant asked about: neighbouring items often start together. */
typedef struct {
    ZoneMemo zone;
    gint64 instant;
    char text[5];
    gboolean valid;
} ClockMemo;

/* "HH:MM" of @instant in the user's zone, as g_date_time_format("%H:%M") would write it, into
 * @to (five bytes, no NUL). */
static void format_clock(char *to, ClockMemo *memo, GTimeZone *tz, gint64 instant)
{
    if (!memo->valid || memo->instant != instant) {
        gint64 local = instant + zone_offset(&memo->zone, tz, instant);
        int minutes = (int)((local % TEND_DAY_SECONDS + TEND_DAY_SECONDS) % TEND_DAY_SECONDS / 60);
        memo->text[0] = (char)('0' + minutes / 600);
        memo->text[1] = (char)('0' + minutes / 60 % 10);
        memo->text[2] = ':';
        memo->text[3] = (char)('0' + minutes % 60 / 10);
        memo->text[4] = (char)('0' + minutes % 10);
        memo->instant = instant;
        memo->valid = TRUE;
    }
    memcpy(to, memo->text, sizeof memo->text);
}

/* Prints the items under one heading per local day. A timed item is listed on the day
 * it starts, an all-day item on the first day it covers within the window (with its
 * last day when it spans several). The items come sorted by their local start, so one
 * pass over them serves every day. */
void cli_print_agenda(const TendContext *ctx, GPtrArray *items, gint64 from, gint64 to)
{
    if (items->len == 0) {
        printf("Nothing planned in this stretch. A quiet few days can be a gift.\n");
        return;
    }
    g_autofree Output *out = g_new(Output, 1);
    out->len = 0;
    gboolean first_day = TRUE;
    ClockMemo starts = {0}, ends = {0};
    gint64 last_date = 0, last_date_local = 0;
    gboolean have_date = FALSE;
    gint64 last_until = 0;
    g_autofree char *until = NULL; /* ", until <day>" for the all-day end last_until */
    guint next = 0;
    for (gint64 day = tend_date_of(from, ctx->tz); tend_date_to_local(day, ctx->tz) < to;
         day += TEND_DAY_SECONDS) {
        gint64 day_start = tend_date_to_local(day, ctx->tz);
        gint64 day_end = tend_date_to_local(day + TEND_DAY_SECONDS, ctx->tz);
        gboolean printed_heading = FALSE;
        for (; next < items->len; next++) {
            const TendAgendaItem *item = items->pdata[next];
            gint64 start = item->start;
            if (item->all_day) {
                if (!have_date || last_date != item->start) {
                    last_date = item->start;
                    last_date_local = tend_date_to_local(item->start, ctx->tz);
                    have_date = TRUE;
                }
                start = last_date_local;
            }
            gint64 first_shown = MAX(start, from);
            if (first_shown >= day_end)
                break;
            if (first_shown < day_start)
                continue;
            if (!printed_heading) {
                g_autofree char *heading = tend_format_local(day, NULL, "%a %d %b %Y");
                if (!first_day)
                    output_add(out, "\n", 1);
                output_text(out, heading);
                output_add(out, "\n", 1);
                printed_heading = TRUE;
                first_day = FALSE;
            }
            gboolean several_days = FALSE;
            if (item->all_day) {
                output_add(out, "  all day    ", 13);
                several_days = item->end - item->start > TEND_DAY_SECONDS;
                if (several_days && (!until || last_until != item->end)) {
                    g_autofree char *last =
                        tend_format_local(item->end - TEND_DAY_SECONDS, NULL, "%a %d %b");
                    g_free(until);
                    until = g_strdup_printf(", until %s", last);
                    last_until = item->end;
                }
            } else {
                char span[] = "  HH:MM-HH:MM";
                format_clock(span + 2, &starts, ctx->tz, item->start);
                format_clock(span + 8, &ends, ctx->tz, item->end);
                output_add(out, span, sizeof span - 1);
            }
            output_add(out, "  ", 2);
            output_text(out, item->title);
            if (several_days)
                output_text(out, until);
            output_add(out, "  (", 3);
            output_text(out, type_label(item));
            output_add(out, ")\n", 2);
        }
    }
    output_flush(out);
}

static int run(const TendContext *ctx, const char *from_text, const char *to_text, gboolean json)
{
    gint64 from, to;
    if (!cli_parse_window("agenda", ctx, from_text, to_text, 14, &from, &to))
        return TEND_EXIT_USAGE;

    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_ONLY);
    if (!store)
        return TEND_EXIT_FAILURE;
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
