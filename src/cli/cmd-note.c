/* cmd-note.c: `tend note add|list|search|remove`, the private journal.
 *
 * Note text goes to the database and to this command's stdout, nowhere else: it
 * is never put in an error message or a log.
 */
#include <stdio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tend/cli.h"
#include "tend/insights.h"
#include "tend/notes.h"
#include "tend/stressor.h"

/* How much of a note `list` and `search` show; --json gives all of it. */
#define NOTE_PREVIEW_CHARS 200

static void add_optional_int(JsonBuilder *builder, const char *key, gint64 value, gint64 absent)
{
    json_builder_set_member_name(builder, key);
    if (value == absent)
        json_builder_add_null_value(builder);
    else
        json_builder_add_int_value(builder, value);
}

static void add_note_json(JsonBuilder *builder, const TendNote *note, const char *type)
{
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_int_value(builder, note->id);
    if (type) {
        json_builder_set_member_name(builder, "type");
        json_builder_add_string_value(builder, type);
    }
    cli_json_add_time(builder, "created", note->created, FALSE);
    json_builder_set_member_name(builder, "text");
    json_builder_add_string_value(builder, note->text);
    add_optional_int(builder, "mood", note->mood, -1);
    add_optional_int(builder, "stress", note->stress, -1);
    add_optional_int(builder, "stressor_id", note->stressor_id, 0);
    add_optional_int(builder, "activity_id", note->activity_id, 0);
    json_builder_set_member_name(builder, "tags");
    json_builder_begin_array(builder);
    for (guint t = 0; t < note->tags->len; t++)
        json_builder_add_string_value(builder, note->tags->pdata[t]);
    json_builder_end_array(builder);
    json_builder_end_object(builder);
}

static void print_json(GPtrArray *notes)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < notes->len; i++)
        add_note_json(builder, notes->pdata[i], NULL);
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

/* One note as a heading line and its text indented below; a blank line between notes. */
static void print_note(const TendContext *ctx, TendStore *store, const TendNote *note,
                       gboolean first)
{
    g_autofree char *when = cli_format_when(ctx, note->created, FALSE);
    GString *line = g_string_new(NULL);
    g_string_append_printf(line, "%4" G_GINT64_FORMAT "  %s", note->id, when);
    if (note->mood >= 0)
        g_string_append_printf(line, "  mood %d", note->mood);
    if (note->stress >= 0)
        g_string_append_printf(line, "  stress %d", note->stress);
    if (note->tags->len > 0) {
        g_string_append_c(line, ' ');
        for (guint i = 0; i < note->tags->len; i++)
            g_string_append_printf(line, " #%s", (const char *)note->tags->pdata[i]);
    }
    if (note->stressor_id > 0) {
        g_autoptr(TendStressor) stressor = stressor_get(store, note->stressor_id, NULL);
        if (stressor)
            g_string_append_printf(line, "  about: %s", stressor->title);
    }
    if (note->activity_id > 0)
        g_string_append_printf(line, "  activity %" G_GINT64_FORMAT, note->activity_id);
    g_autofree char *heading = g_string_free(line, FALSE);
    printf("%s%s\n", first ? "" : "\n", heading);

    /* Cleaned again on the way out: the terminal gets no control characters whatever
     * the file holds. */
    g_autofree char *text = notes_clean_text(note->text);
    if (g_utf8_strlen(text, -1) > NOTE_PREVIEW_CHARS) {
        char *cut = g_utf8_offset_to_pointer(text, NOTE_PREVIEW_CHARS);
        *cut = '\0';
        /* End on a whole word when one ends near the limit. */
        char *space = strrchr(text, ' ');
        if (space && g_utf8_strlen(space, -1) <= 30)
            *space = '\0';
        g_strchomp(text);
        char *grown = g_strconcat(text, "…", NULL);
        g_free(text);
        text = grown;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        printf("      %s\n", lines[i]);
}

static void print_notes(const TendContext *ctx, TendStore *store, GPtrArray *notes)
{
    for (guint i = 0; i < notes->len; i++)
        print_note(ctx, store, notes->pdata[i], i == 0);
}

/* Words given without quotes arrive as separate arguments: join them with spaces.
 * GOption leaves the "--" that ends options (`note add -- -5 outside`); drop it. */
static char *join_words(int argc, char **argv)
{
    GString *words = g_string_new(NULL);
    gboolean dashes_seen = FALSE;
    for (int i = 1; i < argc; i++) {
        if (!dashes_seen && g_str_equal(argv[i], "--")) {
            dashes_seen = TRUE;
            continue;
        }
        if (words->len)
            g_string_append_c(words, ' ');
        g_string_append(words, argv[i]);
    }
    return g_string_free(words, FALSE);
}

/* Stores @note in one write transaction and thanks the person; the exit status. */
static int save_note(const TendContext *ctx, TendStore *store, TendNote *note)
{
    g_autoptr(GError) error = NULL;
    if (!store_begin(store, &error) ||
        !notes_add(store, note, tend_clock_now(&ctx->clock), &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        return error && error->domain == G_IO_ERROR ? cli_usage("note", "%s", error->message)
                                                    : cli_fail(error);
    }
    printf("Saved note %" G_GINT64_FORMAT ". Thank you for writing it down.\n", note->id);
    return TEND_EXIT_OK;
}

/* --- The guided reflection --------------------------------------------------------- */

typedef struct {
    const char *label;  /* how the answer is headed in the note */
    const char *prompt; /* the question */
} ReflectionPrompt;

/* Drawn from tend's themes, interleaved so that no two days in a row share a theme:
 * noticing a reaction without shame, repair, and feeling secure inside. The day's
 * prompt is chosen by the local date, so it changes every day and comes back after six. */
static const ReflectionPrompt theme_prompts[] = {
    {"Noticing", "Was there a moment you reacted strongly? Describe it as you would for a "
                 "friend: it made sense then."},
    {"Repair", "Was there a moment of repair, with someone else or with yourself, even a "
               "small one?"},
    {"Steady inside", "When did you feel even a little steady inside?"},
    {"Noticing", "What did your body do when it got hard? Just notice it; there is nothing to "
                 "fix."},
    {"Repair", "If something went wrong, what would a gentle repair look like, now or later?"},
    {"Steady inside", "What reminded you that you are okay, and allowed to go at your own pace?"},
};

#define ANSWER_MAX 4096

/* Reads one line without its newline, trimmed. NULL at end of input. */
static char *read_line(void)
{
    char buffer[ANSWER_MAX];
    if (!fgets(buffer, sizeof buffer, stdin))
        return NULL;
    gsize length = strlen(buffer);
    if (length && buffer[length - 1] != '\n' && !feof(stdin)) {
        int c;
        while ((c = getchar()) != EOF && c != '\n')
            ;
    }
    return g_strstrip(g_strdup(buffer));
}

/* Asks for a 0..10 value until one is given, Enter skips (-1). FALSE at end of input. */
static gboolean ask_scale(const char *question, int *out_value)
{
    for (;;) {
        printf("%s ", question);
        fflush(stdout);
        g_autofree char *answer = read_line();
        if (!answer)
            return FALSE;
        gint64 value;
        if (!*answer) {
            *out_value = -1;
            return TRUE;
        }
        if (g_ascii_string_to_signed(answer, 10, 0, 10, &value, NULL)) {
            *out_value = (int)value;
            return TRUE;
        }
        printf("A whole number from 0 to 10 please, or Enter to skip.\n");
    }
}

/* Asks an open question; "" when skipped, NULL at end of input. */
static char *ask_text(const char *question)
{
    printf("\n%s\n> ", question);
    fflush(stdout);
    return read_line();
}

/* Asks the reflection's questions and saves what was answered into @note (already
 * linked as the caller wants). */
static int guided_reflection(const TendContext *ctx, TendStore *store, TendNote *note,
                             const TendStressor *about)
{
    gint64 now = tend_clock_now(&ctx->clock);
    gint64 day = tend_date_of(now, ctx->tz) / TEND_DAY_SECONDS;
    const ReflectionPrompt *theme = &theme_prompts[((day % (gint64)G_N_ELEMENTS(theme_prompts)) +
                                                    (gint64)G_N_ELEMENTS(theme_prompts)) %
                                                   (gint64)G_N_ELEMENTS(theme_prompts)];

    if (about) {
        g_autofree char *when = cli_format_when(ctx, about->start, about->all_day);
        printf("Looking back at '%s' (%s).\n", about->title, when);
    }
    printf("A few gentle questions. Press Enter to skip any of them; Ctrl-D stops and keeps\n"
           "what you have said.\n\n");

    int mood_before = -1, stress_before = -1, mood_after = -1, stress_after = -1;
    const char *labels[] = {"What happened", "What helped", theme->label, "Kind words"};
    char *answers[4] = {NULL};
    const char *questions[] = {"What happened?", "What helped, even a little?", theme->prompt,
                               "One kind sentence to yourself, as you would say it to a friend:"};
    gboolean going = ask_scale(about ? "Mood before it, 0 (very low) to 10 (very good):"
                                     : "Mood before, 0 (very low) to 10 (very good):",
                               &mood_before) &&
                     ask_scale(about ? "Stress before it, 0 (calm) to 10 (overwhelmed):"
                                     : "Stress before, 0 (calm) to 10 (overwhelmed):",
                               &stress_before);
    for (guint i = 0; going && i < 3; i++)
        going = (answers[i] = ask_text(questions[i])) != NULL;
    if (going) {
        printf("\n");
        going = ask_scale("Mood now, 0 to 10:", &mood_after) &&
                ask_scale("Stress now, 0 to 10:", &stress_after);
    }
    if (going)
        going = (answers[3] = ask_text(questions[3])) != NULL;
    if (!going)
        printf("\n");

    GString *text = g_string_new(NULL);
    for (guint i = 0; i < G_N_ELEMENTS(answers); i++)
        if (answers[i] && *answers[i])
            g_string_append_printf(text, "%s: %s\n", labels[i], answers[i]);
    if (mood_before >= 0 || stress_before >= 0) {
        g_string_append(text, "Before:");
        if (mood_before >= 0)
            g_string_append_printf(text, " mood %d%s", mood_before, stress_before >= 0 ? "," : "");
        if (stress_before >= 0)
            g_string_append_printf(text, " stress %d", stress_before);
        g_string_append(text, ".\n");
    }
    for (guint i = 0; i < G_N_ELEMENTS(answers); i++)
        g_free(answers[i]);
    g_free(note->text);
    note->text = g_string_free(text, FALSE);
    note->mood = mood_after;
    note->stress = stress_after;
    if (!*note->text) {
        printf("Nothing saved, and that's okay. You can come back to this any time.\n");
        return TEND_EXIT_OK;
    }
    printf("\n");
    return save_note(ctx, store, note);
}

/* --- Writing in an editor ----------------------------------------------------------- */

/* Opens $VISUAL or $EDITOR on a file in a new private (0700) folder holding @initial,
 * and returns what was saved; the file and folder are removed whatever happens. */
static char *edit_text(const char *initial, GError **error)
{
    const char *editor = g_getenv("VISUAL");
    if (!editor || !*editor)
        editor = g_getenv("EDITOR");
    if (!editor || !*editor) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                            "note add --edit needs an editor: set EDITOR, for example "
                            "EDITOR=nano, or give the text instead");
        return NULL;
    }
    g_autofree char *dir = g_dir_make_tmp("tend-note-XXXXXX", error);
    if (!dir)
        return NULL;
    g_autofree char *path = g_build_filename(dir, "note.txt", NULL);
    char *text = NULL;
    if (g_file_set_contents_full(path, initial, -1, G_FILE_SET_CONTENTS_NONE, 0600, error)) {
        /* Through the shell, so EDITOR may carry arguments ("code --wait"). */
        g_autofree char *command = g_strdup_printf("%s \"$1\"", editor);
        const char *args[] = {"/bin/sh", "-c", command, "sh", path, NULL};
        int wait_status;
        if (g_spawn_sync(NULL, (char **)args, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL,
                         NULL, &wait_status, error) &&
            g_spawn_check_wait_status(wait_status, error))
            g_file_get_contents(path, &text, NULL, error);
        else
            g_prefix_error(error, "the editor '%s' did not finish, so nothing was saved: ", editor);
    }
    (void)g_unlink(path);
    (void)g_rmdir(dir);
    return text;
}

static gboolean parse_link(const char *flag, const char *text, gint64 *out_id)
{
    return !text || cli_parse_int("note", flag, text, 1, G_MAXINT64, out_id);
}

static int note_add_run(int argc, char **argv)
{
    g_autofree char *mood_text = NULL, *stress_text = NULL, *stressor_text = NULL,
                    *activity_text = NULL;
    g_auto(GStrv) tags = NULL;
    gboolean edit = FALSE;
    const GOptionEntry entries[] = {
        {"mood", 0, 0, G_OPTION_ARG_STRING, &mood_text, NULL, NULL},
        {"stress", 0, 0, G_OPTION_ARG_STRING, &stress_text, NULL, NULL},
        {"stressor", 0, 0, G_OPTION_ARG_STRING, &stressor_text, NULL, NULL},
        {"activity", 0, 0, G_OPTION_ARG_STRING, &activity_text, NULL, NULL},
        {"tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, NULL, NULL},
        {"edit", 0, 0, G_OPTION_ARG_NONE, &edit, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("note add", entries, &argc, &argv, &status))
        return status;
    gboolean guided = argc < 2 && !edit;
    if (guided && !isatty(STDIN_FILENO))
        return cli_usage("note", "note add needs the TEXT of the note (quote it if you like), "
                                 "or --edit; in a terminal it asks a few gentle questions");

    g_autoptr(TendNote) note = note_new();
    note->text = join_words(argc, argv);
    gint64 value;
    if (mood_text) {
        if (!cli_parse_int("note", "--mood", mood_text, 0, 10, &value))
            return TEND_EXIT_USAGE;
        note->mood = (int)value;
    }
    if (stress_text) {
        if (!cli_parse_int("note", "--stress", stress_text, 0, 10, &value))
            return TEND_EXIT_USAGE;
        note->stress = (int)value;
    }
    if (!parse_link("--stressor", stressor_text, &note->stressor_id) ||
        !parse_link("--activity", activity_text, &note->activity_id))
        return TEND_EXIT_USAGE;
    for (guint i = 0; tags && tags[i]; i++)
        g_ptr_array_add(note->tags, g_strdup(tags[i]));

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    int result;
    if (guided) {
        result = guided_reflection(&ctx, store, note, NULL);
    } else if (edit) {
        g_autoptr(GError) error = NULL;
        g_autofree char *initial = *note->text ? g_strconcat(note->text, "\n", NULL) : g_strdup("");
        char *text = edit_text(initial, &error);
        if (!text) {
            result = cli_fail(error);
        } else {
            g_free(note->text);
            note->text = text;
            g_autofree char *clean = g_strstrip(notes_clean_text(text));
            if (!*clean) {
                printf("Nothing saved: the note was empty.\n");
                result = TEND_EXIT_OK;
            } else {
                result = save_note(&ctx, store, note);
            }
        }
    } else {
        result = save_note(&ctx, store, note);
    }
    tend_context_clear(&ctx);
    return result;
}

static int note_list_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    if (!cli_parse_json_only("note list", &argc, &argv, &json, &status))
        return status;
    if (argc != 1)
        return cli_usage("note", "note list takes no arguments; 'tend note search' finds words");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) notes = notes_list(store, &error);
    int result = TEND_EXIT_OK;
    if (!notes)
        result = cli_fail(error);
    else if (json)
        print_json(notes);
    else if (notes->len == 0)
        printf("No notes yet. 'tend note add' keeps a few words about how a day went, just for "
               "you.\n");
    else
        print_notes(&ctx, store, notes);
    tend_context_clear(&ctx);
    return result;
}

static int note_search_run(int argc, char **argv)
{
    gboolean json = FALSE;
    int status;
    if (!cli_parse_json_only("note search", &argc, &argv, &json, &status))
        return status;
    if (argc < 2)
        return cli_usage("note", "note search needs a word to look for, such as kitchen or crêpe*");
    g_autofree char *query = join_words(argc, argv);

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) notes = notes_search(store, query, &error);
    int result = TEND_EXIT_OK;
    if (!notes) {
        result =
            error->domain == G_IO_ERROR ? cli_usage("note", "%s", error->message) : cli_fail(error);
    } else if (json) {
        print_json(notes);
    } else if (notes->len == 0) {
        g_autofree char *shown = g_strstrip(notes_clean_text(query));
        printf("No notes match '%s'. Search finds whole words; add * to find the start of one, "
               "like kitch*.\n",
               shown);
    } else {
        print_notes(&ctx, store, notes);
    }
    tend_context_clear(&ctx);
    return result;
}

static int note_remove_run(int argc, char **argv)
{
    const GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
    int status;
    gint64 id;
    if (!cli_parse_options("note remove", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("note", "note remove takes one ID");
    if (!cli_parse_int("note", "ID", argv[1], 1, G_MAXINT64, &id))
        return TEND_EXIT_USAGE;

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    int result = TEND_EXIT_OK;
    /* notes_remove() runs its own transaction: the scrub needs the delete committed. */
    if (!notes_remove(store, id, &error))
        result = cli_fail(error);
    else
        printf("Removed note %" G_GINT64_FORMAT
               ". Its words are gone from the database file too.\n",
               id);
    tend_context_clear(&ctx);
    return result;
}

/* --- A summary to share --------------------------------------------------------------- */

static const char *activity_outcome_text(const TendInsightActivity *activity, gint64 now)
{
    if (g_str_equal(activity->outcome, "done"))
        return "done";
    if (g_str_equal(activity->outcome, "skipped"))
        return "skipped, and that's okay";
    return activity->start > now ? "planned" : "not marked";
}

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

static char *measure_text(const TendMeasure *measure)
{
    if (!measure->count)
        return g_strdup("no notes");
    return g_strdup_printf("%.1f (%u note%s)", insights_mean(measure), measure->count,
                           measure->count == 1 ? "" : "s");
}

static char *stressor_when(const TendContext *ctx, const TendStressor *stressor)
{
    if (stressor->all_day) {
        g_autofree char *first = cli_format_when(ctx, stressor->start, TRUE);
        if (stressor->end - stressor->start <= TEND_DAY_SECONDS)
            return g_strdup_printf("%s, all day", first);
        g_autofree char *last = cli_format_when(ctx, stressor->end - TEND_DAY_SECONDS, TRUE);
        return g_strdup_printf("%s to %s, all day", first, last);
    }
    g_autofree char *first = cli_format_when(ctx, stressor->start, FALSE);
    g_autofree char *last =
        tend_date_of(stressor->start, ctx->tz) == tend_date_of(stressor->end, ctx->tz)
            ? tend_format_local(stressor->end, ctx->tz, "%H:%M")
            : cli_format_when(ctx, stressor->end, FALSE);
    return g_strdup_printf("%s to %s", first, last);
}

static void markdown_note(const TendContext *ctx, const TendNote *note)
{
    g_autofree char *when = cli_format_when(ctx, note->created, FALSE);
    printf("- %s", when);
    if (note->mood >= 0)
        printf(" · mood %d", note->mood);
    if (note->stress >= 0)
        printf(" · stress %d", note->stress);
    for (guint t = 0; t < note->tags->len; t++)
        printf("%s#%s", t == 0 ? " · " : " ", (const char *)note->tags->pdata[t]);
    printf("\n");
    g_autofree char *text = notes_clean_text(note->text);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        printf("%s%s\n", *lines[i] ? "  " : "", lines[i]);
}

static void export_markdown(const TendContext *ctx, gint64 from, gint64 to, GPtrArray *stressors,
                            GPtrArray *others, GPtrArray *rated)
{
    gint64 now = tend_clock_now(&ctx->clock);
    g_autofree char *first = tend_format_local(from, ctx->tz, "%a %d %b %Y");
    g_autofree char *last = tend_format_local(to - 1, ctx->tz, "%a %d %b %Y");
    printf("# Notes and plans, %s to %s\n\n"
           "Written by tend from your own notes and plans. Share as much or as little of it\n"
           "as you like.\n",
           first, last);
    if (stressors->len == 0 && others->len == 0)
        printf("\nNothing was written or planned in these days.\n");
    for (guint i = 0; i < stressors->len; i++) {
        const TendInsightStressor *item = stressors->pdata[i];
        const TendStressor *stressor = item->stressor;
        g_autofree char *when = stressor_when(ctx, stressor);
        printf("\n## %s\n\n%s · %s · how hard: %d of 5\n", stressor->title, when,
               stressor_kind_to_string(stressor->kind), stressor->intensity);
        if (item->activities->len) {
            printf("\nPlan:\n");
            for (guint a = 0; a < item->activities->len; a++) {
                const TendInsightActivity *activity = item->activities->pdata[a];
                g_autofree char *at = cli_format_when(ctx, activity->start, FALSE);
                printf("- %s · %s · %s\n", at, activity->title,
                       activity_outcome_text(activity, now));
            }
        }
        if (item->notes->len) {
            printf("\nNotes:\n");
            for (guint n = 0; n < item->notes->len; n++)
                markdown_note(ctx, item->notes->pdata[n]);
        }
        if (item->mood_before.count || item->mood_after.count || item->stress_before.count ||
            item->stress_after.count) {
            g_autofree char *mb = measure_text(&item->mood_before);
            g_autofree char *ma = measure_text(&item->mood_after);
            g_autofree char *sb = measure_text(&item->stress_before);
            g_autofree char *sa = measure_text(&item->stress_after);
            printf("\nMood before %s, after %s.\nStress before %s, after %s.\n", mb, ma, sb, sa);
        }
    }
    if (others->len) {
        printf("\n## Other notes\n\n");
        for (guint n = 0; n < others->len; n++)
            markdown_note(ctx, others->pdata[n]);
    }
    if (rated->len) {
        printf("\n## Strategies rated\n\n");
        for (guint r = 0; r < rated->len; r++) {
            const TendStrategy *strategy = rated->pdata[r];
            printf("- %s: %d of 5\n", strategy->title, strategy->rating);
        }
    }
}

static void export_json(GPtrArray *stressors, GPtrArray *others, GPtrArray *rated, gint64 now)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < stressors->len; i++) {
        const TendInsightStressor *item = stressors->pdata[i];
        const TendStressor *stressor = item->stressor;
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "id");
        json_builder_add_int_value(builder, stressor->id);
        json_builder_set_member_name(builder, "type");
        json_builder_add_string_value(builder, "stressor");
        json_builder_set_member_name(builder, "title");
        json_builder_add_string_value(builder, stressor->title);
        json_builder_set_member_name(builder, "kind");
        json_builder_add_string_value(builder, stressor_kind_to_string(stressor->kind));
        json_builder_set_member_name(builder, "intensity");
        json_builder_add_int_value(builder, stressor->intensity);
        cli_json_add_time(builder, "start", stressor->start, stressor->all_day);
        cli_json_add_time(builder, "end", stressor->end, stressor->all_day);
        json_builder_set_member_name(builder, "all_day");
        json_builder_add_boolean_value(builder, stressor->all_day);
        json_builder_set_member_name(builder, "activities");
        json_builder_begin_array(builder);
        for (guint a = 0; a < item->activities->len; a++) {
            const TendInsightActivity *activity = item->activities->pdata[a];
            json_builder_begin_object(builder);
            json_builder_set_member_name(builder, "id");
            json_builder_add_int_value(builder, activity->id);
            json_builder_set_member_name(builder, "kind");
            json_builder_add_string_value(builder, activity->kind);
            json_builder_set_member_name(builder, "title");
            json_builder_add_string_value(builder, activity->title);
            cli_json_add_time(builder, "start", activity->start, FALSE);
            json_builder_set_member_name(builder, "outcome");
            json_builder_add_string_value(builder, activity->outcome);
            json_builder_set_member_name(builder, "past");
            json_builder_add_boolean_value(builder, activity->start <= now);
            json_builder_end_object(builder);
        }
        json_builder_end_array(builder);
        json_builder_set_member_name(builder, "notes");
        json_builder_begin_array(builder);
        for (guint n = 0; n < item->notes->len; n++)
            add_note_json(builder, item->notes->pdata[n], NULL);
        json_builder_end_array(builder);
        measure_json(builder, "mood_before", &item->mood_before);
        measure_json(builder, "mood_after", &item->mood_after);
        measure_json(builder, "stress_before", &item->stress_before);
        measure_json(builder, "stress_after", &item->stress_after);
        json_builder_end_object(builder);
    }
    for (guint n = 0; n < others->len; n++)
        add_note_json(builder, others->pdata[n], "note");
    for (guint r = 0; r < rated->len; r++) {
        const TendStrategy *strategy = rated->pdata[r];
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "id");
        json_builder_add_string_value(builder, strategy->id);
        json_builder_set_member_name(builder, "type");
        json_builder_add_string_value(builder, "strategy");
        json_builder_set_member_name(builder, "title");
        json_builder_add_string_value(builder, strategy->title);
        json_builder_set_member_name(builder, "rating");
        json_builder_add_int_value(builder, strategy->rating);
        json_builder_end_object(builder);
    }
    json_builder_end_array(builder);
    g_autoptr(JsonNode) root = json_builder_get_root(builder);
    cli_print_json(root);
}

static int rated_first(gconstpointer a, gconstpointer b)
{
    const TendStrategy *x = *(TendStrategy *const *)a, *y = *(TendStrategy *const *)b;
    if (x->rating != y->rating)
        return y->rating - x->rating;
    return strcmp(x->title, y->title);
}

static int note_export_run(int argc, char **argv)
{
    g_autofree char *from_text = NULL, *to_text = NULL, *format = NULL;
    const GOptionEntry entries[] = {
        {"from", 0, 0, G_OPTION_ARG_STRING, &from_text, NULL, NULL},
        {"to", 0, 0, G_OPTION_ARG_STRING, &to_text, NULL, NULL},
        {"format", 0, 0, G_OPTION_ARG_STRING, &format, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("note export", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("note", "note export takes no arguments; give --from DATE --to DATE");
    if (!from_text || !to_text)
        return cli_usage("note", "note export needs --from DATE and --to DATE, such as --from "
                                 "2026-12-01 --to 2026-12-31");
    gboolean json = format && g_str_equal(format, "json");
    if (format && !json && !g_str_equal(format, "md"))
        return cli_usage("note", "--format is md or json, not '%s'", format);

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    int result = TEND_EXIT_OK;
    gint64 from, to;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) stressors = NULL, notes = NULL, strategies = NULL;
    if (!cli_parse_window("note", &ctx, from_text, to_text, 0, &from, &to)) {
        result = TEND_EXIT_USAGE;
    } else if (!(stressors = insights_stressors(store, ctx.tz, from, to, &error)) ||
               !(notes = notes_list_between(store, from, to, &error)) ||
               !(strategies = strategy_list(store, tend_data_dir(), TRUE, &error))) {
        result = cli_fail(error);
    } else {
        /* Notes about a hard day are shown with it; the rest on their own. */
        g_autoptr(GHashTable) shown = g_hash_table_new(g_int64_hash, g_int64_equal);
        for (guint i = 0; i < stressors->len; i++) {
            TendInsightStressor *item = stressors->pdata[i];
            for (guint n = 0; n < item->notes->len; n++)
                g_hash_table_add(shown, &((TendNote *)item->notes->pdata[n])->id);
        }
        g_autoptr(GPtrArray) others = g_ptr_array_new();
        for (guint n = 0; n < notes->len; n++)
            if (!g_hash_table_contains(shown, &((TendNote *)notes->pdata[n])->id))
                g_ptr_array_add(others, notes->pdata[n]);
        g_autoptr(GPtrArray) rated = g_ptr_array_new();
        for (guint i = 0; i < strategies->len; i++)
            if (((TendStrategy *)strategies->pdata[i])->rating > 0)
                g_ptr_array_add(rated, strategies->pdata[i]);
        g_ptr_array_sort(rated, rated_first);
        if (json)
            export_json(stressors, others, rated, tend_clock_now(&ctx.clock));
        else
            export_markdown(&ctx, from, to, stressors, others, rated);
    }
    tend_context_clear(&ctx);
    return result;
}

/* `tend reflect ID`: the guided reflection, linked to a stressor that has begun. */
int cmd_reflect(int argc, char **argv)
{
    const GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
    int status;
    gint64 id;
    if (!cli_parse_options("reflect", entries, &argc, &argv, &status))
        return status;
    if (argc != 2)
        return cli_usage("reflect", "reflect takes the ID of a stressor; 'tend stressor list' "
                                    "shows them");
    if (!cli_parse_int("reflect", "ID", argv[1], 1, G_MAXINT64, &id))
        return TEND_EXIT_USAGE;
    if (!isatty(STDIN_FILENO))
        return cli_usage("reflect", "reflect asks its questions in a terminal; otherwise use "
                                    "'tend note add TEXT --stressor ID'");

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStressor) stressor = stressor_get(store, id, &error);
    int result;
    if (!stressor) {
        result = cli_fail(error);
    } else {
        g_autoptr(TendNote) note = note_new();
        note->stressor_id = id;
        result = guided_reflection(&ctx, store, note, stressor);
    }
    tend_context_clear(&ctx);
    return result;
}

int cmd_note(int argc, char **argv)
{
    static const TendAction actions[] = {
        {"add", note_add_run},       {"list", note_list_run},     {"search", note_search_run},
        {"remove", note_remove_run}, {"export", note_export_run},
    };
    return cli_run_action("note", actions, G_N_ELEMENTS(actions), argc, argv);
}
