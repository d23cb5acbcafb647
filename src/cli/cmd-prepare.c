/* cmd-prepare.c: `tend prepare ID`, making the coping plan for one hard event.
 *
 * With flags it sets just those parts of the plan (for scripts); with none, at a
 * terminal, it asks one kind question at a time, offers examples from the strategy
 * library and boundary scripts, and accepts blank answers. Everything is saved in
 * one transaction at the end (or at end of input). The plan itself and its card live
 * in src/core/coping-plan.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tend/cli.h"
#include "tend/coping-plan.h"
#include "tend/strategy.h"
#include "tend/stressor.h"

#define ANSWER_MAX 4096
#define QUESTIONS 8
#define MOMENT_CHOICES 5

/* Scripts offered as examples: the first of each of these situations. */
static const char *const example_situations[] = {"food-and-body", "staying-longer", "politics"};

/* Reads one line into @buffer without its newline. FALSE at end of input. */
static gboolean read_line(char *buffer, gsize size)
{
    if (!fgets(buffer, (int)size, stdin))
        return FALSE;
    gsize length = strlen(buffer);
    if (length && buffer[length - 1] == '\n')
        buffer[length - 1] = '\0';
    else if (!feof(stdin))
        for (int c; (c = getchar()) != EOF && c != '\n';)
            ;
    g_strstrip(buffer);
    return TRUE;
}

/* "17:30" on the stressor's own (local) day, or any time tend_time_parse() reads. */
static gboolean parse_exit_by(const TendContext *ctx, const TendStressor *stressor,
                              const char *text, gint64 *out_time, char **out_problem)
{
    int hours, minutes;
    char end;
    gint64 value;
    if (sscanf(text, "%d:%d%c", &hours, &minutes, &end) == 2 && strlen(text) <= 5 && hours >= 0 &&
        hours < 24 && minutes >= 0 && minutes < 60) {
        gint64 date = stressor->all_day ? stressor->start : tend_date_of(stressor->start, ctx->tz);
        g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc(date);
        value = tend_local_to_utc(ctx->tz, g_date_time_get_year(day), g_date_time_get_month(day),
                                  g_date_time_get_day_of_month(day), hours, minutes, 0);
    } else {
        gboolean all_day;
        if (!tend_time_parse(text, ctx->tz, &value, &all_day, NULL) || all_day) {
            *out_problem = g_strdup_printf("'%s' is not a time tend understands; use a time "
                                           "like 17:30 or 2026-12-25T17:30",
                                           text);
            return FALSE;
        }
    }
    gint64 start =
        stressor->all_day ? tend_date_to_local(stressor->start, ctx->tz) : stressor->start;
    if (value <= start) {
        g_autofree char *when = cli_format_when(ctx, start, FALSE);
        *out_problem = g_strdup_printf("'%s' is before '%s' starts (%s); please pick a later time",
                                       text, stressor->title, when);
        return FALSE;
    }
    *out_time = value;
    return TRUE;
}

/* The items of a guided answer: separated by ';', numbers standing for @examples. */
static char **answer_items(const char *answer, GPtrArray *examples)
{
    g_auto(GStrv) parts = g_strsplit(answer, ";", -1);
    g_autoptr(GStrvBuilder) items = g_strv_builder_new();
    for (guint i = 0; parts[i]; i++) {
        g_strstrip(parts[i]);
        gint64 number;
        if (examples && examples->len &&
            g_ascii_string_to_signed(parts[i], 10, 1, examples->len, &number, NULL))
            g_strv_builder_add(items, examples->pdata[number - 1]);
        else if (*parts[i])
            g_strv_builder_add(items, parts[i]);
    }
    return g_strv_builder_end(items);
}

static char *joined(char **items)
{
    return g_strjoinv("; ", items);
}

typedef enum { ASK_TEXT, ASK_LIST, ASK_EXIT_BY, ASK_GROUNDING } AskKind;

typedef struct {
    AskKind kind;
    const char *title;
    const char *prompt;
} Question;

/* Asks one question; FALSE at end of input. Blank keeps, '-' clears. */
static gboolean ask(const TendContext *ctx, const TendStressor *stressor, TendCopingPlan *plan,
                    guint index, const Question *question, char ***list, char **text,
                    GPtrArray *examples, GPtrArray *moment)
{
    char buffer[ANSWER_MAX];
    printf("\n%u of %d. %s\n", index + 1, QUESTIONS, question->title);
    cli_print_wrapped("", "", question->prompt);
    if (examples)
        for (guint i = 0; i < examples->len; i++) {
            g_autofree char *number = g_strdup_printf("  %u. ", i + 1);
            cli_print_wrapped(number, "     ", examples->pdata[i]);
        }
    if (moment)
        for (guint i = 0; i < moment->len; i++) {
            const TendStrategy *strategy = moment->pdata[i];
            printf("  %u. %s (%d %s)\n", i + 1, strategy->title, strategy->minutes,
                   strategy->minutes == 1 ? "minute" : "minutes");
        }
    g_autofree char *now = NULL;
    if (list && (*list)[0])
        now = joined(*list);
    else if (text && **text)
        now = g_strdup(*text);
    else if (question->kind == ASK_EXIT_BY && plan->has_exit_by)
        now = cli_format_when(ctx, plan->exit_by, FALSE);
    if (now)
        cli_print_wrapped("  now: ", "       ", now);

    for (;;) {
        printf("> ");
        fflush(stdout);
        if (!read_line(buffer, sizeof buffer)) {
            printf("\n");
            return FALSE;
        }
        if (!*buffer)
            return TRUE;
        gboolean clear = g_str_equal(buffer, "-");
        switch (question->kind) {
        case ASK_TEXT:
            g_free(*text);
            *text = g_strdup(clear ? "" : buffer);
            return TRUE;
        case ASK_LIST:
            g_strfreev(*list);
            *list = clear ? g_new0(char *, 1) : answer_items(buffer, examples);
            return TRUE;
        case ASK_EXIT_BY: {
            if (clear) {
                plan->has_exit_by = FALSE;
                return TRUE;
            }
            g_autofree char *problem = NULL;
            if (parse_exit_by(ctx, stressor, buffer, &plan->exit_by, &problem)) {
                plan->has_exit_by = TRUE;
                return TRUE;
            }
            printf("%s. Or press Enter to skip this one.\n", problem);
            break;
        }
        case ASK_GROUNDING: {
            if (clear) {
                g_strfreev(plan->grounding);
                plan->grounding = g_new0(char *, 1);
                return TRUE;
            }
            g_auto(GStrv) numbers = g_strsplit_set(buffer, " ,;", -1);
            g_autoptr(GStrvBuilder) ids = g_strv_builder_new();
            gboolean ok = TRUE;
            for (guint i = 0; numbers[i] && ok; i++) {
                gint64 number;
                if (!*numbers[i])
                    continue;
                ok = g_ascii_string_to_signed(numbers[i], 10, 1, moment->len, &number, NULL);
                if (ok)
                    g_strv_builder_add(ids, ((TendStrategy *)moment->pdata[number - 1])->id);
            }
            if (ok) {
                g_strfreev(plan->grounding);
                plan->grounding = g_strv_builder_end(ids);
                return TRUE;
            }
            printf("Numbers from 1 to %u, please, like 1 3. Or press Enter to let tend choose.\n",
                   moment->len);
            break;
        }
        }
    }
}

static int save(TendStore *store, const TendContext *ctx, TendCopingPlan *plan)
{
    gint64 now = tend_clock_now(&ctx->clock);
    g_autoptr(GError) error = NULL;
    if (!store_begin(store, &error) ||
        !coping_plan_save(store, tend_data_dir(), plan, now, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        if (error->domain == G_IO_ERROR)
            return cli_usage("prepare", "%s", error->message);
        if (g_error_matches(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND))
            return cli_usage("prepare", "%s", error->message);
        return cli_fail(error);
    }
    /* The card travels in the exported event's DESCRIPTION. */
    cli_refresh_live_copy(store, ctx);
    return TEND_EXIT_OK;
}

static int guided(const TendContext *ctx, TendStore *store, const TendStressor *stressor,
                  TendCopingPlan *plan)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) scripts = script_list(store, tend_data_dir(), NULL, &error);
    g_autoptr(GPtrArray) library =
        scripts ? strategy_list(store, tend_data_dir(), FALSE, &error) : NULL;
    if (!library)
        return cli_fail(error);
    g_autoptr(GPtrArray) examples = g_ptr_array_new();
    for (guint s = 0; s < G_N_ELEMENTS(example_situations); s++)
        for (guint i = 0; i < scripts->len; i++) {
            const TendScript *script = scripts->pdata[i];
            if (g_str_equal(script->situation, example_situations[s])) {
                g_ptr_array_add(examples, script->softer);
                break;
            }
        }
    g_autoptr(GPtrArray) moment = strategy_pick_now(library, 0, TEND_WHERE_THERE, MOMENT_CHOICES);

    static const Question questions[QUESTIONS] = {
        {ASK_LIST, "What might be hard",
         "What might be hard about it? A topic, a person, a moment. Separate several with ';'."},
        {ASK_LIST, "Your boundaries",
         "What would you like to hold to? For example: I leave by eight; I don't discuss my "
         "weight."},
        {ASK_LIST, "Words you can say",
         "What could you say, word for word, when a boundary is tested? Type your own words, "
         "or a number to use one of these:"},
        {ASK_EXIT_BY, "A time to leave",
         "What time would you like to leave by? Like 17:30. Leaving when you planned to is a "
         "kindness to yourself, not a failure."},
        {ASK_TEXT, "How you will leave",
         "How will you get away? For example: drive myself, the 17:45 train, Sam picks me up."},
        {ASK_LIST, "Who you can text",
         "Who could you text if it gets hard? Separate several with ';'."},
        {ASK_GROUNDING, "In the moment",
         "Which of these would you like on your card? Type their numbers, like 1 3, or press "
         "Enter and tend will choose for you."},
        {ASK_TEXT, "Afterwards",
         "What will help you land afterwards? For example: a bath, an early night, a walk, a "
         "film you love."},
    };
    g_autofree char *when = cli_format_when(ctx, stressor->start, stressor->all_day);
    g_autofree char *intro = g_strdup_printf(
        "Let's make a plan for '%s' (%s). A few words are enough, and you can skip any "
        "question with Enter. Type '-' to clear an answer you gave before. Ctrl-D stops; what "
        "you have answered so far is kept.",
        stressor->title, when);
    cli_print_wrapped("", "", intro);
    for (guint i = 0; i < QUESTIONS; i++) {
        char ***list = NULL;
        char **text = NULL;
        switch (i) {
        case 0:
            list = &plan->triggers;
            break;
        case 1:
            list = &plan->boundaries;
            break;
        case 2:
            list = &plan->scripts;
            break;
        case 4:
            text = &plan->exit_plan;
            break;
        case 5:
            list = &plan->support;
            break;
        case 7:
            text = &plan->aftercare;
            break;
        default:
            break;
        }
        if (!ask(ctx, stressor, plan, i, &questions[i], list, text, i == 2 ? examples : NULL,
                 i == 6 ? moment : NULL))
            break;
    }
    int status = save(store, ctx, plan);
    if (status == TEND_EXIT_OK)
        printf("\nSaved. 'tend plan show %" G_GINT64_FORMAT "' shows your plan as a card, and "
               "'tend export' puts it\nin your calendar.%s\n",
               stressor->id,
               plan->has_exit_by ? " 'tend plan' adds a reminder at your time to leave." : "");
    return status;
}

int cmd_prepare(int argc, char **argv)
{
    g_auto(GStrv) triggers = NULL, boundaries = NULL, scripts = NULL, support = NULL;
    g_auto(GStrv) grounding = NULL;
    g_autofree char *exit_by = NULL, *exit_plan = NULL, *aftercare = NULL;
    const GOptionEntry entries[] = {
        {"trigger", 0, 0, G_OPTION_ARG_STRING_ARRAY, &triggers, NULL, NULL},
        {"boundary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &boundaries, NULL, NULL},
        {"script", 0, 0, G_OPTION_ARG_STRING_ARRAY, &scripts, NULL, NULL},
        {"exit-by", 0, 0, G_OPTION_ARG_STRING, &exit_by, NULL, NULL},
        {"exit-plan", 0, 0, G_OPTION_ARG_STRING, &exit_plan, NULL, NULL},
        {"support", 0, 0, G_OPTION_ARG_STRING_ARRAY, &support, NULL, NULL},
        {"grounding", 0, 0, G_OPTION_ARG_STRING_ARRAY, &grounding, NULL, NULL},
        {"aftercare", 0, 0, G_OPTION_ARG_STRING, &aftercare, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("prepare", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("prepare", "prepare takes one stressor ID ('tend stressor list' shows "
                                    "them)");
    gint64 id;
    if (!cli_parse_int("prepare", "ID", argv[1], 1, G_MAXINT64, &id))
        return TEND_EXIT_USAGE;
    gboolean any = triggers || boundaries || scripts || exit_by || exit_plan || support ||
                   grounding || aftercare;
    if (!any && !isatty(STDIN_FILENO))
        return cli_usage("prepare", "prepare asks its questions in a terminal; otherwise give "
                                    "--trigger, --boundary, --script, --exit-by, --exit-plan, "
                                    "--support, --grounding or --aftercare");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStressor) stressor = stressor_get(store, id, &error);
    g_autoptr(TendCopingPlan) plan = stressor ? coping_plan_load(store, id, &error) : NULL;
    if (!plan) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }
    if (!any) {
        status = guided(&ctx, store, stressor, plan);
        tend_context_clear(&ctx);
        return status;
    }

    /* Each list flag replaces that list; an empty value clears it. */
    struct {
        char **given;
        char ***field;
    } lists[] = {
        {triggers, &plan->triggers}, {boundaries, &plan->boundaries}, {scripts, &plan->scripts},
        {support, &plan->support},   {grounding, &plan->grounding},
    };
    for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
        if (!lists[i].given)
            continue;
        g_autoptr(GStrvBuilder) items = g_strv_builder_new();
        for (guint k = 0; lists[i].given[k]; k++) {
            g_autofree char *item = g_strstrip(g_strdup(lists[i].given[k]));
            if (*item)
                g_strv_builder_add(items, item);
        }
        g_strfreev(*lists[i].field);
        *lists[i].field = g_strv_builder_end(items);
    }
    if (exit_plan) {
        g_free(plan->exit_plan);
        plan->exit_plan = g_strstrip(g_strdup(exit_plan));
    }
    if (aftercare) {
        g_free(plan->aftercare);
        plan->aftercare = g_strstrip(g_strdup(aftercare));
    }
    if (exit_by) {
        g_strstrip(exit_by);
        g_autofree char *problem = NULL;
        if (!*exit_by) {
            plan->has_exit_by = FALSE;
        } else if (parse_exit_by(&ctx, stressor, exit_by, &plan->exit_by, &problem)) {
            plan->has_exit_by = TRUE;
        } else {
            tend_context_clear(&ctx);
            return cli_usage("prepare", "--exit-by: %s", problem);
        }
    }
    status = save(store, &ctx, plan);
    if (status == TEND_EXIT_OK) {
        printf("Saved your plan for '%s'. 'tend plan show %" G_GINT64_FORMAT
               "' shows it as a card.\n",
               stressor->title, stressor->id);
        if (exit_by && plan->has_exit_by)
            printf("'tend plan' adds a reminder at your time to leave.\n");
    }
    tend_context_clear(&ctx);
    return status;
}
