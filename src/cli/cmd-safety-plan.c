/* cmd-safety-plan.c: `tend safety-plan edit|show`.
 *
 * Editing asks one section at a time only when a person is at a terminal and gave no
 * flags; scripts use --section and --text. Answers are saved together at the end (or
 * at end of input), in one transaction.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tend/cli.h"
#include "tend/safety.h"

#define ANSWER_MAX 4096

/* Reads one line into @buffer without its newline. FALSE at end of input. A line too
 * long for the buffer is read to its end and reported through @out_too_long. */
static gboolean read_answer(char *buffer, gsize size, gboolean *out_too_long)
{
    *out_too_long = FALSE;
    if (!fgets(buffer, (int)size, stdin))
        return FALSE;
    gsize length = strlen(buffer);
    if (length && buffer[length - 1] == '\n') {
        buffer[length - 1] = '\0';
        return TRUE;
    }
    if (!feof(stdin)) {
        int c;
        while ((c = getchar()) != EOF && c != '\n')
            ;
        *out_too_long = TRUE;
    }
    return TRUE;
}

static gboolean save_answers(TendStore *store, char *const *answers, gint64 now, GError **error)
{
    const TendSafetySection *sections = safety_plan_sections();
    if (!store_begin(store, error))
        return FALSE;
    for (guint i = 0; sections[i].id; i++) {
        if (answers[i] && !safety_plan_set(store, sections[i].id, answers[i], now, error)) {
            store_rollback(store);
            return FALSE;
        }
    }
    if (!store_commit(store, error)) {
        store_rollback(store);
        return FALSE;
    }
    return TRUE;
}

static int guided_edit(TendStore *store, gint64 now)
{
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) plan = safety_plan_load(store, &error);
    if (!plan)
        return cli_fail(error);
    const TendSafetySection *sections = safety_plan_sections();
    char *answers[TEND_SAFETY_SECTIONS] = {NULL};
    char buffer[ANSWER_MAX];

    printf("Let's write your safety plan, one part at a time. There are no wrong answers,\n"
           "and a few words are enough. Press Enter to keep a part as it is, or type '-'\n"
           "to clear it. Ctrl-D stops; what you have answered so far is kept.\n");
    guint answered = 0;
    for (guint i = 0; sections[i].id; i++) {
        printf("\n%u of %d. %s\n%s\n", i + 1, TEND_SAFETY_SECTIONS, sections[i].title,
               sections[i].prompt);
        if (*plan[i])
            cli_print_wrapped("  now: ", "       ", plan[i]);
        gboolean too_long, got;
        do {
            printf("> ");
            fflush(stdout);
            got = read_answer(buffer, sizeof buffer, &too_long);
            if (got && too_long)
                printf("That was longer than tend keeps (2000 characters). Could you say it "
                       "more briefly?\n");
        } while (got && too_long);
        if (!got) {
            printf("\n");
            break;
        }
        g_strstrip(buffer);
        if (g_str_equal(buffer, "-"))
            answers[i] = g_strdup("");
        else if (*buffer)
            answers[i] = g_strdup(buffer);
        answered++;
    }
    int result = TEND_EXIT_OK;
    if (!save_answers(store, answers, now, &error))
        result = error->domain == G_IO_ERROR ? cli_usage("safety-plan", "%s", error->message)
                                             : cli_fail(error);
    else
        printf("\nSaved. 'tend safety-plan show' shows your plan, and 'tend help-now' shows it\n"
               "beside the crisis lines.%s\n",
               answered < TEND_SAFETY_SECTIONS ? " You can come back to the rest any time." : "");
    for (guint i = 0; i < TEND_SAFETY_SECTIONS; i++)
        g_free(answers[i]);
    return result;
}

static int safety_plan_edit_run(int argc, char **argv)
{
    g_autofree char *section = NULL, *text = NULL;
    const GOptionEntry entries[] = {
        {"section", 0, 0, G_OPTION_ARG_STRING, &section, NULL, NULL},
        {"text", 0, 0, G_OPTION_ARG_STRING, &text, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("safety-plan edit", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("safety-plan", "safety-plan edit takes no arguments; use --section "
                                        "and --text");
    gboolean guided = !section && !text;
    if (guided && !isatty(STDIN_FILENO))
        return cli_usage("safety-plan", "safety-plan edit asks its questions in a terminal; "
                                        "otherwise give --section NAME --text TEXT");
    if (!guided && (!section || !text))
        return cli_usage("safety-plan", "safety-plan edit needs both --section and --text");
    if (section && safety_plan_section_index(section) < 0)
        return cli_usage("safety-plan",
                         "'%s' is not a part of the safety plan; use warning-signs, coping, "
                         "people-places, ask-for-help, professionals or safer-place",
                         section);

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    gint64 now = tend_clock_now(&ctx.clock);
    tend_context_clear(&ctx);
    if (guided)
        return guided_edit(store, now);

    g_autoptr(GError) error = NULL;
    if (!store_begin(store, &error) || !safety_plan_set(store, section, text, now, &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return error->domain == G_IO_ERROR ? cli_usage("safety-plan", "%s", error->message)
                                           : cli_fail(error);
    }
    int index = safety_plan_section_index(section);
    g_autofree char *clean = g_strstrip(g_strdup(text));
    if (*clean)
        printf("Saved '%s' in your safety plan.\n", safety_plan_sections()[index].title);
    else
        printf("Cleared '%s' in your safety plan.\n", safety_plan_sections()[index].title);
    return TEND_EXIT_OK;
}

static int safety_plan_show_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    if (!cli_parse_json_only("safety-plan show", &argc, &argv, &json, &status))
        return status;
    if (argc != 1)
        return cli_usage("safety-plan", "safety-plan show takes no arguments");

    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_ONLY);
    if (!store)
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) plan = safety_plan_load(store, &error);
    if (!plan)
        return cli_fail(error);
    const TendSafetySection *sections = safety_plan_sections();
    if (json) {
        g_autoptr(JsonBuilder) builder = json_builder_new();
        json_builder_begin_array(builder);
        for (guint i = 0; sections[i].id; i++) {
            json_builder_begin_object(builder);
            json_builder_set_member_name(builder, "id");
            json_builder_add_string_value(builder, sections[i].id);
            json_builder_set_member_name(builder, "title");
            json_builder_add_string_value(builder, sections[i].title);
            json_builder_set_member_name(builder, "text");
            json_builder_add_string_value(builder, plan[i]);
            json_builder_end_object(builder);
        }
        json_builder_end_array(builder);
        g_autoptr(JsonNode) root = json_builder_get_root(builder);
        cli_print_json(root);
        return TEND_EXIT_OK;
    }
    if (safety_plan_is_empty(plan)) {
        printf("Your safety plan is empty for now. When you feel ready, 'tend safety-plan edit'\n"
               "walks you through it, one small part at a time.\n");
        return TEND_EXIT_OK;
    }
    printf("Your safety plan\n");
    for (guint i = 0; sections[i].id; i++) {
        printf("\n%s\n", sections[i].title);
        cli_print_wrapped("  ", "  ", *plan[i] ? plan[i] : "(not written yet)");
    }
    printf("\nIf you are in crisis now, 'tend help-now' shows who you can call or text.\n");
    return TEND_EXIT_OK;
}

int cmd_safety_plan(int argc, char **argv)
{
    static const TendAction actions[] = {
        {"edit", safety_plan_edit_run},
        {"show", safety_plan_show_run},
    };
    return cli_run_action("safety-plan", actions, G_N_ELEMENTS(actions), argc, argv);
}
