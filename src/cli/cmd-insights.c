/* cmd-insights.c: `tend insights`, what went with the better days, in words, in small
 * terminal pictures, as JSON, or as a standalone SVG chart.
 *
 * Words stay careful: counts and "on N of M times", never "this works". Pictures use
 * Unicode blocks, with colour only on a terminal and never when NO_COLOR is set.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tend/cli.h"
#include "tend/insights.h"
#include "tend/notes.h"

/* The default stretch when --from is not given: eight weeks up to --to. */
#define DEFAULT_DAYS 56
/* Longer stressors get no timeline of their own; the month map shows them. */
#define TIMELINE_MAX_DAYS 14
#define TIMELINE_MARGIN_DAYS 3

static const struct {
    const char *kind;
    const char *label;
} practice_labels[] = {
    {"rehearse", "Rehearsal"},       {"ground", "Grounding"},   {"checkin", "Check-ins"},
    {"decompress", "Decompressing"}, {"reflect", "Reflecting"},
};

static const char *practice_label(const char *kind)
{
    for (guint i = 0; i < G_N_ELEMENTS(practice_labels); i++)
        if (g_str_equal(practice_labels[i].kind, kind))
            return practice_labels[i].label;
    return kind;
}

static const TendStrategy *find_strategy(GPtrArray *strategies, const char *id)
{
    for (guint i = 0; id && i < strategies->len; i++)
        if (g_str_equal(((TendStrategy *)strategies->pdata[i])->id, id))
            return strategies->pdata[i];
    return NULL;
}

static char *measure_text(const TendMeasure *measure)
{
    if (!measure->count)
        return g_strdup("no notes");
    return g_strdup_printf("%.1f (%u note%s)", insights_mean(measure), measure->count,
                           measure->count == 1 ? "" : "s");
}

static const char *times(guint n)
{
    return n == 1 ? "time" : "times";
}

/* --- Words ----------------------------------------------------------------------------- */

static void print_kind(const TendInsightKind *group, GPtrArray *strategies)
{
    g_autofree char *kind = g_strdup(group->kind);
    kind[0] = g_ascii_toupper(kind[0]);
    printf("\n%s: %u hard day%s\n", kind, group->stressors, group->stressors == 1 ? "" : "s");
    g_autofree char *mb = measure_text(&group->mood_before);
    g_autofree char *ma = measure_text(&group->mood_after);
    g_autofree char *sb = measure_text(&group->stress_before);
    g_autofree char *sa = measure_text(&group->stress_after);
    printf("  Mood    before %s, after %s\n", mb, ma);
    printf("  Stress  before %s, after %s\n", sb, sa);
    for (guint p = 0; p < group->practices->len; p++) {
        const TendInsightPractice *practice = group->practices->pdata[p];
        const TendStrategy *strategy = find_strategy(strategies, practice->strategy_id);
        g_autofree char *name =
            strategy ? g_strdup_printf("%s (%s)", practice_label(practice->kind), strategy->title)
                     : g_strdup(practice_label(practice->kind));
        GString *line = g_string_new(NULL);
        g_string_append_printf(line, "%s: done %u, skipped %u", name, practice->done,
                               practice->skipped);
        if (practice->planned)
            g_string_append_printf(line, ", not marked %u", practice->planned);
        if (strategy && strategy->rating)
            g_string_append_printf(line, "; you rated it %d of 5", strategy->rating);
        g_autofree char *text = g_string_free(line, FALSE);
        cli_print_wrapped("  ", "    ", text);
        if (practice->measured_with) {
            g_autofree char *said = g_strdup_printf(
                "Stress was lower afterwards on %u of the %u %s you did it%s", practice->lower_with,
                practice->measured_with, times(practice->measured_with),
                practice->measured_without ? "" : ".");
            g_autofree char *rest =
                practice->measured_without
                    ? g_strdup_printf("%s, and on %u of the %u %s you did not.", said,
                                      practice->lower_without, practice->measured_without,
                                      times(practice->measured_without))
                    : g_strdup(said);
            cli_print_wrapped("    ", "    ", rest);
        }
    }
}

static void print_words(gint64 first_date, gint64 last_date, GPtrArray *groups,
                        GPtrArray *strategies)
{
    g_autofree char *first = tend_format_local(first_date, NULL, "%a %d %b %Y");
    g_autofree char *last = tend_format_local(last_date, NULL, "%a %d %b %Y");
    printf("What helped, %s to %s\n", first, last);
    if (groups->len == 0) {
        printf("\nNo hard days were named in these days. When you add some with 'tend stressor\n"
               "add' and write a note before and after, tend counts what went with the\n"
               "better days.\n");
    } else {
        printf("\nThese are counts from your own notes, not proof of what works: a few days\n"
               "can hint at what to keep, and you know your days best.\n");
        for (guint i = 0; i < groups->len; i++)
            print_kind(groups->pdata[i], strategies);
    }
    g_autoptr(GString) rated = g_string_new(NULL);
    for (guint i = 0; i < strategies->len; i++) {
        const TendStrategy *strategy = strategies->pdata[i];
        if (strategy->rating >= 4)
            g_string_append_printf(rated, "%s%s (%d of 5)", rated->len ? ", " : "", strategy->title,
                                   strategy->rating);
    }
    if (rated->len) {
        g_autofree char *text = g_strdup_printf("You rated these as helpful: %s.", rated->str);
        printf("\n");
        cli_print_wrapped("", "", text);
    }
}

/* --- Pictures in the terminal ------------------------------------------------------------ */

static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

/* An ANSI colour for a 0..10 value: green when it is good, red when it is hard. */
static const char *level_colour(double value, gboolean higher_is_better)
{
    double hard = higher_is_better ? 10 - value : value;
    if (hard <= 3)
        return "32";
    if (hard <= 6)
        return "33";
    return "31";
}

static void print_cell(const TendMeasure *measure, gboolean higher_is_better, gboolean colour,
                       const char *const *glyphs, guint n_glyphs, const char *pad)
{
    if (!measure->count) {
        printf("%s·", pad);
        return;
    }
    double value = insights_mean(measure);
    guint level = (guint)(value * (n_glyphs - 1) / 10 + 0.5);
    if (colour)
        printf("%s\033[%sm%s\033[0m", pad, level_colour(value, higher_is_better), glyphs[level]);
    else
        printf("%s%s", pad, glyphs[level]);
}

static gboolean print_timeline(TendStore *store, const TendContext *ctx,
                               const TendInsightStressor *item, gboolean colour, GError **error)
{
    gint64 first_day = tend_date_of(item->start, ctx->tz);
    gint64 last_day = tend_date_of(item->end - 1, ctx->tz);
    if ((last_day - first_day) / TEND_DAY_SECONDS + 1 > TIMELINE_MAX_DAYS)
        return TRUE;
    gint64 from = first_day - TIMELINE_MARGIN_DAYS * TEND_DAY_SECONDS;
    gint64 to = last_day + TIMELINE_MARGIN_DAYS * TEND_DAY_SECONDS;
    guint days = (guint)((to - from) / TEND_DAY_SECONDS) + 1;
    g_autofree TendMeasure *mood = NULL;
    g_autofree TendMeasure *stress = NULL;
    if (!insights_daily(store, ctx->tz, from, to, &mood, &stress, error))
        return FALSE;

    g_autofree char *when = cli_format_when(ctx, item->stressor->start, item->stressor->all_day);
    printf("\nAround %s (%s)\n          ", item->stressor->title, when);
    for (guint d = 0; d < days; d++) {
        g_autofree char *name = tend_format_local(from + (gint64)d * TEND_DAY_SECONDS, NULL, "%a");
        printf(" %s", name);
    }
    printf("\n          ");
    for (guint d = 0; d < days; d++) {
        g_autofree char *number =
            tend_format_local(from + (gint64)d * TEND_DAY_SECONDS, NULL, "%e");
        printf("  %s", number);
    }
    printf("\n  mood    ");
    for (guint d = 0; d < days; d++)
        print_cell(&mood[d], TRUE, colour, bars, G_N_ELEMENTS(bars), "   ");
    printf("\n  stress  ");
    for (guint d = 0; d < days; d++)
        print_cell(&stress[d], FALSE, colour, bars, G_N_ELEMENTS(bars), "   ");
    printf("\n          ");
    /* A line under the hard day's own days; nothing after it, so no trailing spaces. */
    for (gint64 date = from; date <= last_day; date += TEND_DAY_SECONDS)
        printf("%s", date >= first_day ? " ━━━" : "    ");
    printf("\n");
    return TRUE;
}

static const char *const shades[] = {"░", "▒", "▓", "█"};

/* The shade of a day's mean stress: 0-2, 3-4, 5-7, 8-10. */
static const char *stress_shade(double value)
{
    return value < 2.5 ? shades[0] : value < 4.5 ? shades[1] : value < 7.5 ? shades[2] : shades[3];
}

static gboolean print_heat_map(TendStore *store, const TendContext *ctx, gint64 first_date,
                               gint64 last_date, gboolean colour, GError **error)
{
    g_autofree TendMeasure *mood = NULL;
    g_autofree TendMeasure *stress = NULL;
    if (!insights_daily(store, ctx->tz, first_date, last_date, &mood, &stress, error))
        return FALSE;
    printf("\nStress by day (░ 0-2, ▒ 3-4, ▓ 5-7, █ 8-10, · no note)\n");
    for (gint64 month_first = first_date; month_first <= last_date;) {
        g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc(month_first);
        g_autoptr(GDateTime) next = g_date_time_add_months(day, 1);
        g_autoptr(GDateTime) next_first =
            g_date_time_add_days(next, 1 - g_date_time_get_day_of_month(next));
        gint64 month_last = MIN(g_date_time_to_unix(next_first) - TEND_DAY_SECONDS, last_date);
        g_autofree char *month = g_date_time_format(day, "%B %Y");
        printf("\n%s\n          Mo Tu We Th Fr Sa Su\n", month);
        /* Each row starts on a Monday and is labelled by its first day in the month. */
        gint64 monday =
            month_first - (gint64)(g_date_time_get_day_of_week(day) - 1) * TEND_DAY_SECONDS;
        for (; monday <= month_last; monday += 7 * TEND_DAY_SECONDS) {
            g_autoptr(GDateTime) label_day =
                g_date_time_new_from_unix_utc(MAX(monday, month_first));
            g_autofree char *label = g_date_time_format(label_day, "%e %b");
            printf("  %s", label);
            for (int d = 0; d < 7; d++) {
                gint64 cell = monday + d * TEND_DAY_SECONDS;
                if (cell > month_last)
                    break;
                if (cell < month_first) {
                    printf("   ");
                    continue;
                }
                const TendMeasure *measure = &stress[(cell - first_date) / TEND_DAY_SECONDS];
                if (!measure->count) {
                    printf("  ·");
                    continue;
                }
                double value = insights_mean(measure);
                if (colour)
                    printf("  \033[%sm%s\033[0m", level_colour(value, FALSE), stress_shade(value));
                else
                    printf("  %s", stress_shade(value));
            }
            printf("\n");
        }
        month_first = month_last + TEND_DAY_SECONDS;
    }
    return TRUE;
}

/* --- JSON ------------------------------------------------------------------------------- */

static void measure_json(JsonBuilder *builder, const char *key, const TendMeasure *measure)
{
    json_builder_set_member_name(builder, key);
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "mean");
    if (measure->count)
        json_builder_add_double_value(builder, insights_mean(measure));
    else
        json_builder_add_null_value(builder);
    json_builder_set_member_name(builder, "notes");
    json_builder_add_int_value(builder, measure->count);
    json_builder_end_object(builder);
}

static void counts_json(JsonBuilder *builder, const char *key, guint lower, guint of)
{
    json_builder_set_member_name(builder, key);
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "lower");
    json_builder_add_int_value(builder, lower);
    json_builder_set_member_name(builder, "of");
    json_builder_add_int_value(builder, of);
    json_builder_end_object(builder);
}

static void print_json(GPtrArray *groups, GPtrArray *strategies)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < groups->len; i++) {
        const TendInsightKind *group = groups->pdata[i];
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "id");
        json_builder_add_string_value(builder, group->kind);
        json_builder_set_member_name(builder, "stressors");
        json_builder_add_int_value(builder, group->stressors);
        measure_json(builder, "mood_before", &group->mood_before);
        measure_json(builder, "mood_after", &group->mood_after);
        measure_json(builder, "stress_before", &group->stress_before);
        measure_json(builder, "stress_after", &group->stress_after);
        json_builder_set_member_name(builder, "practices");
        json_builder_begin_array(builder);
        for (guint p = 0; p < group->practices->len; p++) {
            const TendInsightPractice *practice = group->practices->pdata[p];
            const TendStrategy *strategy = find_strategy(strategies, practice->strategy_id);
            json_builder_begin_object(builder);
            json_builder_set_member_name(builder, "id");
            json_builder_add_string_value(builder, practice->kind);
            json_builder_set_member_name(builder, "strategy");
            if (practice->strategy_id)
                json_builder_add_string_value(builder, practice->strategy_id);
            else
                json_builder_add_null_value(builder);
            json_builder_set_member_name(builder, "rating");
            if (strategy && strategy->rating)
                json_builder_add_int_value(builder, strategy->rating);
            else
                json_builder_add_null_value(builder);
            json_builder_set_member_name(builder, "done");
            json_builder_add_int_value(builder, practice->done);
            json_builder_set_member_name(builder, "skipped");
            json_builder_add_int_value(builder, practice->skipped);
            json_builder_set_member_name(builder, "not_marked");
            json_builder_add_int_value(builder, practice->planned);
            counts_json(builder, "stress_lower_when_done", practice->lower_with,
                        practice->measured_with);
            counts_json(builder, "stress_lower_when_not_done", practice->lower_without,
                        practice->measured_without);
            json_builder_end_object(builder);
        }
        json_builder_end_array(builder);
        json_builder_end_object(builder);
    }
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

/* --- SVG -------------------------------------------------------------------------------- */

#define SVG_WIDTH 800
#define SVG_HEIGHT 340
#define PLOT_LEFT 50.0
#define PLOT_RIGHT 780.0
#define PLOT_TOP 40.0
#define PLOT_BOTTOM 280.0

/* Numbers in SVG always use a full stop, whatever the locale. */
static const char *num(char *buffer, double value)
{
    return g_ascii_formatd(buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.1f", value);
}

static void svg_series(GString *svg, const char *id, const char *label, const char *colour,
                       const TendMeasure *values, guint days)
{
    char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
    double step = (PLOT_RIGHT - PLOT_LEFT) / days;
    g_string_append_printf(svg, "  <g id=\"%s\">\n    <title>%s</title>\n", id, label);
    g_string_append_printf(svg,
                           "    <polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                           "stroke-width=\"2\" points=\"",
                           colour);
    gboolean first = TRUE;
    for (guint d = 0; d < days; d++) {
        if (!values[d].count)
            continue;
        g_string_append_printf(
            svg, "%s%s,%s", first ? "" : " ", num(x, PLOT_LEFT + (d + 0.5) * step),
            num(y, PLOT_BOTTOM - insights_mean(&values[d]) * (PLOT_BOTTOM - PLOT_TOP) / 10));
        first = FALSE;
    }
    g_string_append(svg, "\"/>\n");
    for (guint d = 0; d < days; d++) {
        if (!values[d].count)
            continue;
        g_string_append_printf(
            svg, "    <circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>\n",
            num(x, PLOT_LEFT + (d + 0.5) * step),
            num(y, PLOT_BOTTOM - insights_mean(&values[d]) * (PLOT_BOTTOM - PLOT_TOP) / 10),
            colour);
    }
    g_string_append(svg, "  </g>\n");
}

static char *build_svg(gint64 first_date, gint64 last_date, GPtrArray *stressors,
                       const TendContext *ctx, const TendMeasure *mood, const TendMeasure *stress)
{
    guint days = (guint)((last_date - first_date) / TEND_DAY_SECONDS) + 1;
    double step = (PLOT_RIGHT - PLOT_LEFT) / days;
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    g_autofree char *first = tend_format_local(first_date, NULL, "%d %b %Y");
    g_autofree char *last = tend_format_local(last_date, NULL, "%d %b %Y");
    GString *svg = g_string_new(NULL);
    g_string_append_printf(svg,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                           "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
                           "  <title>Mood and stress, %s to %s</title>\n"
                           "  <rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
                           "  <text x=\"%d\" y=\"24\" font-size=\"16\">Mood and stress, %s to "
                           "%s</text>\n",
                           SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT, first, last,
                           (int)PLOT_LEFT, first, last);
    /* Hard days as soft bands behind the lines. */
    g_string_append(svg, "  <g id=\"stressors\">\n");
    for (guint i = 0; i < stressors->len; i++) {
        const TendInsightStressor *item = stressors->pdata[i];
        gint64 from_day = MAX(tend_date_of(item->start, ctx->tz), first_date);
        gint64 to_day = MIN(tend_date_of(item->end - 1, ctx->tz), last_date);
        if (to_day < from_day)
            continue;
        g_autofree char *title = g_markup_escape_text(item->stressor->title, -1);
        g_string_append_printf(
            svg,
            "    <rect x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"#eeeeee\">"
            "<title>%s</title></rect>\n",
            num(a, PLOT_LEFT + (double)((from_day - first_date) / TEND_DAY_SECONDS) * step),
            (int)PLOT_TOP, num(b, (double)((to_day - from_day) / TEND_DAY_SECONDS + 1) * step),
            (int)(PLOT_BOTTOM - PLOT_TOP), title);
    }
    g_string_append(svg, "  </g>\n  <g id=\"axes\" stroke=\"#999999\">\n");
    for (int v = 0; v <= 10; v += 5) {
        double y = PLOT_BOTTOM - v * (PLOT_BOTTOM - PLOT_TOP) / 10;
        g_string_append_printf(svg,
                               "    <line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>\n"
                               "    <text x=\"%d\" y=\"%s\" stroke=\"none\" fill=\"#555555\" "
                               "text-anchor=\"end\">%d</text>\n",
                               (int)PLOT_LEFT, num(a, y), (int)PLOT_RIGHT, num(b, y),
                               (int)PLOT_LEFT - 6, num(b, y + 4), v);
    }
    g_string_append_printf(
        svg,
        "    <text x=\"%d\" y=\"%d\" stroke=\"none\" fill=\"#555555\">%s</text>\n"
        "    <text x=\"%d\" y=\"%d\" stroke=\"none\" fill=\"#555555\" "
        "text-anchor=\"end\">%s</text>\n  </g>\n",
        (int)PLOT_LEFT, (int)PLOT_BOTTOM + 18, first, (int)PLOT_RIGHT, (int)PLOT_BOTTOM + 18, last);
    svg_series(svg, "mood", "Mood (0 very low, 10 very good)", "#2b6cb0", mood, days);
    svg_series(svg, "stress", "Stress (0 calm, 10 overwhelmed)", "#c05621", stress, days);
    g_string_append_printf(svg,
                           "  <g id=\"legend\">\n"
                           "    <rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                           "fill=\"#2b6cb0\"/>\n"
                           "    <text x=\"%d\" y=\"%d\">Mood: 0 very low, 10 very good</text>\n"
                           "    <rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                           "fill=\"#c05621\"/>\n"
                           "    <text x=\"%d\" y=\"%d\">Stress: 0 calm, 10 overwhelmed</text>\n"
                           "    <rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                           "fill=\"#eeeeee\"/>\n"
                           "    <text x=\"%d\" y=\"%d\">Hard days</text>\n"
                           "  </g>\n</svg>\n",
                           (int)PLOT_LEFT, SVG_HEIGHT - 30, (int)PLOT_LEFT + 18, SVG_HEIGHT - 20,
                           (int)PLOT_LEFT + 260, SVG_HEIGHT - 30, (int)PLOT_LEFT + 278,
                           SVG_HEIGHT - 20, (int)PLOT_LEFT + 520, SVG_HEIGHT - 30,
                           (int)PLOT_LEFT + 538, SVG_HEIGHT - 20);
    return g_string_free(svg, FALSE);
}

/* --- The command --------------------------------------------------------------------------- */

/* --to DATE includes that day (default today); --from DATE (default DEFAULT_DAYS - 1 days
 * before --to). Out: all-day values of the first and last day. */
static gboolean parse_days(const TendContext *ctx, const char *from_text, const char *to_text,
                           gint64 *out_first, gint64 *out_last)
{
    g_autoptr(GError) error = NULL;
    gint64 value;
    gboolean all_day;
    gint64 last = tend_date_of(tend_clock_now(&ctx->clock), ctx->tz);
    if (to_text) {
        if (!tend_time_parse(to_text, ctx->tz, &value, &all_day, &error)) {
            cli_usage("insights", "--to: %s", error->message);
            return FALSE;
        }
        last = all_day ? value : tend_date_of(value, ctx->tz);
    }
    gint64 first = last - (DEFAULT_DAYS - 1) * TEND_DAY_SECONDS;
    if (from_text) {
        if (!tend_time_parse(from_text, ctx->tz, &value, &all_day, &error)) {
            cli_usage("insights", "--from: %s", error->message);
            return FALSE;
        }
        first = all_day ? value : tend_date_of(value, ctx->tz);
    }
    if (last < first) {
        cli_usage("insights", "--to must not come before --from");
        return FALSE;
    }
    if ((last - first) / TEND_DAY_SECONDS >= 3660) {
        cli_usage("insights", "--from and --to are more than ten years apart; try a season");
        return FALSE;
    }
    *out_first = first;
    *out_last = last;
    return TRUE;
}

static int run(TendStore *store, const TendContext *ctx, gint64 first, gint64 last, gboolean json,
               const char *svg_path)
{
    g_autoptr(GError) error = NULL;
    gint64 from = tend_date_to_local(first, ctx->tz);
    gint64 to = tend_date_to_local(last + TEND_DAY_SECONDS, ctx->tz);
    g_autoptr(GPtrArray) stressors = insights_stressors(store, ctx->tz, from, to, &error);
    if (!stressors)
        return cli_fail(error);
    g_autoptr(GPtrArray) strategies = strategy_list(store, tend_data_dir(), TRUE, &error);
    if (!strategies)
        return cli_fail(error);

    if (svg_path) {
        g_autofree TendMeasure *mood = NULL;
        g_autofree TendMeasure *stress = NULL;
        if (!insights_daily(store, ctx->tz, first, last, &mood, &stress, &error))
            return cli_fail(error);
        g_autofree char *svg = build_svg(first, last, stressors, ctx, mood, stress);
        if (!g_file_set_contents_full(svg_path, svg, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                      &error))
            return cli_fail(error);
        guint days = (guint)((last - first) / TEND_DAY_SECONDS) + 1, with_notes = 0;
        for (guint d = 0; d < days; d++)
            with_notes += mood[d].count || stress[d].count;
        printf("Wrote '%s': mood and stress on %u of %u days. Open it in a browser to view or "
               "print it.\n",
               svg_path, with_notes, days);
        return TEND_EXIT_OK;
    }

    g_autoptr(GPtrArray) groups = insights_by_kind(stressors);
    if (json) {
        print_json(groups, strategies);
        return TEND_EXIT_OK;
    }
    print_words(first, last, groups, strategies);
    gboolean colour = isatty(STDOUT_FILENO) && !(g_getenv("NO_COLOR") && *g_getenv("NO_COLOR"));
    for (guint i = 0; i < stressors->len; i++)
        if (!print_timeline(store, ctx, stressors->pdata[i], colour, &error))
            return cli_fail(error);
    if (!print_heat_map(store, ctx, first, last, colour, &error))
        return cli_fail(error);
    return TEND_EXIT_OK;
}

int cmd_insights(int argc, char **argv)
{
    g_autofree char *from_text = NULL, *to_text = NULL, *svg_path = NULL;
    gboolean json = FALSE;
    const GOptionEntry entries[] = {
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        {"svg", 0, 0, G_OPTION_ARG_FILENAME, &svg_path, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("insights", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("insights", "insights takes no arguments; use --from and --to");
    if (json && svg_path)
        return cli_usage("insights", "choose --json or --svg FILE, not both");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    gint64 first, last;
    int result = parse_days(&ctx, from_text, to_text, &first, &last)
                     ? run(store, &ctx, first, last, json, svg_path)
                     : TEND_EXIT_USAGE;
    tend_context_clear(&ctx);
    return result;
}
