/* cmd-note.c: `tend note add|list|search|remove`, the private journal.
 *
 * Note text goes to the database and to this command's stdout, nowhere else: it
 * is never put in an error message or a log.
 */
#include <stdio.h>
#include <string.h>

#include "tend/cli.h"
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

static void print_json(GPtrArray *notes)
{
    g_autoptr(JsonBuilder) builder = json_builder_new();
    json_builder_begin_array(builder);
    for (guint i = 0; i < notes->len; i++) {
        const TendNote *note = notes->pdata[i];
        json_builder_begin_object(builder);
        json_builder_set_member_name(builder, "id");
        json_builder_add_int_value(builder, note->id);
        cli_json_add_time(builder, "created", note->created, FALSE);
        json_builder_set_member_name(builder, "text");
        json_builder_add_string_value(builder, note->text);
        add_optional_int(builder, "mood", note->mood, -1);
        add_optional_int(builder, "stress", note->stress, -1);
        add_optional_int(builder, "stressor_id", note->stressor_id, 0);
        json_builder_set_member_name(builder, "tags");
        json_builder_begin_array(builder);
        for (guint t = 0; t < note->tags->len; t++)
            json_builder_add_string_value(builder, note->tags->pdata[t]);
        json_builder_end_array(builder);
        json_builder_end_object(builder);
    }
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

static int note_add_run(int argc, char **argv)
{
    g_autofree char *mood_text = NULL, *stress_text = NULL, *stressor_text = NULL;
    g_auto(GStrv) tags = NULL;
    const GOptionEntry entries[] = {
        {"mood", 0, 0, G_OPTION_ARG_STRING, &mood_text, NULL, NULL},
        {"stress", 0, 0, G_OPTION_ARG_STRING, &stress_text, NULL, NULL},
        {"stressor", 0, 0, G_OPTION_ARG_STRING, &stressor_text, NULL, NULL},
        {"tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("note add", entries, &argc, &argv, &status))
        return status;
    if (argc < 2)
        return cli_usage("note", "note add needs the TEXT of the note (quote it if you like)");

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
    if (stressor_text) {
        if (!cli_parse_int("note", "--stressor", stressor_text, 1, G_MAXINT64, &value))
            return TEND_EXIT_USAGE;
        note->stressor_id = value;
    }
    for (guint i = 0; tags && tags[i]; i++)
        g_ptr_array_add(note->tags, g_strdup(tags[i]));

    TendContext ctx;
    g_autoptr(TendStore) store = NULL;
    if (!cli_open(&ctx, &store, TEND_STORE_READ_WRITE))
        return TEND_EXIT_FAILURE;
    g_autoptr(GError) error = NULL;
    int result = TEND_EXIT_OK;
    if (!store_begin(store, &error) ||
        !notes_add(store, note, tend_clock_now(&ctx.clock), &error) ||
        !store_commit(store, &error)) {
        store_rollback(store);
        result = error && error->domain == G_IO_ERROR ? cli_usage("note", "%s", error->message)
                                                      : cli_fail(error);
    } else {
        printf("Saved note %" G_GINT64_FORMAT ". Thank you for writing it down.\n", note->id);
    }
    tend_context_clear(&ctx);
    return result;
}

static int note_list_run(int argc, char **argv)
{
    gboolean json = FALSE;
    const GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("note list", entries, &argc, &argv, &status))
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
    const GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("note search", entries, &argc, &argv, &status))
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

int cmd_note(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } actions[] = {
        {"add", note_add_run},
        {"list", note_list_run},
        {"search", note_search_run},
        {"remove", note_remove_run},
    };
    if (argc < 2)
        return cli_usage("note", "note needs an action: add, list, search or remove");
    for (guint i = 0; i < G_N_ELEMENTS(actions); i++)
        if (g_str_equal(argv[1], actions[i].name))
            return actions[i].run(argc - 1, argv + 1);
    return cli_usage("note", "'%s' is not a note action; use add, list, search or remove", argv[1]);
}
