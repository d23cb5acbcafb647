/* test-notes.c: the private journal on a real SQLite file: adding, listing,
 * searching, removing, and that a removed note's words leave the file. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tend/notes.h"
#include "tend/stressor.h"

#include "test-util.h"

typedef struct {
    char *dir;
    char *path;
    TendStore *store;
} Fixture;

static void fixture_setup(Fixture *fixture, gconstpointer data)
{
    (void)data;
    fixture->dir = g_dir_make_tmp("tend-notes-XXXXXX", NULL);
    g_assert_nonnull(fixture->dir);
    fixture->path = g_build_filename(fixture->dir, "tend.db", NULL);
    g_autoptr(GError) error = NULL;
    fixture->store = store_open(fixture->path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
}

static void fixture_teardown(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_clear_pointer(&fixture->store, store_free);
    test_delete_database(fixture->path);
    g_rmdir(fixture->dir);
    g_free(fixture->dir);
    g_free(fixture->path);
}

/* Adds a note the way the command line does: in one write transaction. */
static gboolean add(TendStore *store, TendNote *note, gint64 now, GError **error)
{
    g_assert_true(store_begin(store, NULL));
    if (!notes_add(store, note, now, error)) {
        store_rollback(store);
        return FALSE;
    }
    g_assert_true(store_commit(store, NULL));
    return TRUE;
}

static TendNote *make(const char *text, int mood, int stress)
{
    TendNote *note = note_new();
    note->text = g_strdup(text);
    note->mood = mood;
    note->stress = stress;
    return note;
}

static gint64 add_text(TendStore *store, const char *text, gint64 now)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(TendNote) note = make(text, -1, -1);
    g_assert_true(add(store, note, now, &error));
    g_assert_no_error(error);
    return note->id;
}

static gint64 count(TendStore *store, const char *sql)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, NULL);
    g_assert_nonnull(stmt);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    return sqlite3_column_int64(stmt, 0);
}

static TendNote *nth(GPtrArray *notes, guint i)
{
    return notes->pdata[i];
}

/* The ids of @notes as "3,1,2". */
static char *ids_of(GPtrArray *notes)
{
    GString *text = g_string_new(NULL);
    for (guint i = 0; i < notes->len; i++)
        g_string_append_printf(text, "%s%" G_GINT64_FORMAT, i ? "," : "", nth(notes, i)->id);
    return g_string_free(text, FALSE);
}

static char *search_ids(TendStore *store, const char *query)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) found = notes_search(store, query, &error);
    g_assert_no_error(error);
    g_assert_nonnull(found);
    return ids_of(found);
}

static void test_add_and_list_newest_first(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;

    g_autoptr(TendNote) first = make("  Left the kitchen early.\r\nIt was okay.\t\n ", 6, 4);
    g_ptr_array_add(first->tags, g_strdup("exit"));
    g_assert_true(add(fixture->store, first, 1798189200, &error));
    g_assert_no_error(error);
    g_assert_cmpint(first->id, ==, 1);
    g_assert_cmpint(first->created, ==, 1798189200);
    /* Trimmed, carriage return dropped, inner newline kept. */
    g_assert_cmpstr(first->text, ==, "Left the kitchen early.\nIt was okay.");

    /* Invalid UTF-8 is repaired, an escape sequence loses its ESC. */
    g_autoptr(TendNote) second = make("Caf\xe9 \x1b[31mred\x1b[0m", 0, -1);
    g_assert_true(add(fixture->store, second, 1798275600, &error));
    g_assert_cmpstr(second->text, ==, "Caf\xef\xbf\xbd [31mred[0m");

    /* Same instant as the second: the higher id is the newer. */
    gint64 third = add_text(fixture->store, "A quiet walk", 1798275600);
    g_assert_cmpint(third, ==, 3);
    gint64 oldest = add_text(fixture->store, "Written long before", 1798000000);

    g_autoptr(GPtrArray) all = notes_list(fixture->store, &error);
    g_assert_no_error(error);
    g_autofree char *order = ids_of(all);
    g_assert_cmpstr(order, ==, "3,2,1,4");
    g_assert_cmpint(oldest, ==, 4);

    TendNote *got = nth(all, 2);
    g_assert_cmpstr(got->text, ==, "Left the kitchen early.\nIt was okay.");
    g_assert_cmpint(got->mood, ==, 6);
    g_assert_cmpint(got->stress, ==, 4);
    g_assert_cmpint(got->stressor_id, ==, 0);
    g_assert_cmpint(got->created, ==, 1798189200);
    g_assert_cmpuint(got->tags->len, ==, 1);
    g_assert_cmpstr(got->tags->pdata[0], ==, "exit");

    got = nth(all, 1);
    g_assert_cmpint(got->mood, ==, 0);
    g_assert_cmpint(got->stress, ==, -1);
    g_assert_cmpuint(got->tags->len, ==, 0);
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM notes WHERE stress IS NULL"), ==,
                    3);
}

static void test_rejects_out_of_range(Fixture *fixture, gconstpointer data)
{
    (void)data;
    struct {
        const char *text;
        int mood, stress;
        const char *message;
    } cases[] = {
        {"Fine", 11, -1, "mood 11 is out of range; use 0 (very low) to 10 (very good)"},
        {"Fine", -2, -1, "mood -2 is out of range; use 0 (very low) to 10 (very good)"},
        {"Fine", 5, 11, "stress 11 is out of range; use 0 (calm) to 10 (overwhelmed)"},
        {"Fine", -1, -5, "stress -5 is out of range; use 0 (calm) to 10 (overwhelmed)"},
        {" \n\t ", 5, 5, "a note needs a few words, such as \"Left early and that was okay\""},
        {"\x01\x02", 5, 5, "a note needs a few words, such as \"Left early and that was okay\""},
        {NULL, 5, 5, "a note needs a few words, such as \"Left early and that was okay\""},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(TendNote) note = make(cases[i].text, cases[i].mood, cases[i].stress);
        g_assert_false(add(fixture->store, note, 1000, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_assert_cmpstr(error->message, ==, cases[i].message);
        /* Untouched on failure. */
        g_assert_cmpint(note->id, ==, 0);
        g_assert_cmpstr(note->text, ==, cases[i].text);
    }
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM notes"), ==, 0);

    /* The edges of the scale are fine. */
    g_autoptr(TendNote) low = make("Low", 0, 10);
    g_assert_true(add(fixture->store, low, 1000, NULL));
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM notes"), ==, 1);
}

static void test_link_to_missing_stressor_fails(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendNote) note = make("After dinner", 3, 8);
    note->stressor_id = 7;
    g_ptr_array_add(note->tags, g_strdup("family"));
    g_assert_false(add(fixture->store, note, 1000, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr(error->message, ==, "no stressor with id 7; 'tend stressor list' shows them");
    g_clear_error(&error);
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM notes"), ==, 0);
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM note_tags"), ==, 0);

    g_autoptr(TendStressor) dinner = stressor_new();
    dinner->title = g_strdup("Christmas dinner");
    dinner->start = 1798200000;
    dinner->end = 1798210000;
    g_assert_true(store_begin(fixture->store, NULL));
    g_assert_true(stressor_add(fixture->store, dinner, 1000, &error));
    g_assert_true(store_commit(fixture->store, NULL));

    note->stressor_id = dinner->id;
    g_assert_true(add(fixture->store, note, 2000, &error));
    g_assert_no_error(error);
    g_autoptr(GPtrArray) all = notes_list(fixture->store, &error);
    g_assert_cmpuint(all->len, ==, 1);
    g_assert_cmpint(nth(all, 0)->stressor_id, ==, dinner->id);

    /* Removing the stressor keeps the note and drops only the link. */
    g_assert_true(store_begin(fixture->store, NULL));
    g_assert_true(stressor_remove(fixture->store, dinner->id, &error));
    g_assert_true(store_commit(fixture->store, NULL));
    g_autoptr(GPtrArray) after = notes_list(fixture->store, &error);
    g_assert_cmpuint(after->len, ==, 1);
    g_assert_cmpint(nth(after, 0)->stressor_id, ==, 0);
    g_assert_cmpstr(nth(after, 0)->text, ==, "After dinner");
}

static void test_tags_normalised(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendNote) note = make("Tagged", -1, -1);
    /* "CAFE" + combining acute (NFD) becomes the same tag as NFC "café". */
    const char *given[] = {" Kitchen ", "#Exit", "exit", "kitchen", "CAFE\xcc\x81", "caf\xc3\xa9"};
    for (guint i = 0; i < G_N_ELEMENTS(given); i++)
        g_ptr_array_add(note->tags, g_strdup(given[i]));
    g_assert_true(add(fixture->store, note, 1000, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(note->tags->len, ==, 3);
    g_assert_cmpstr(note->tags->pdata[0], ==, "caf\xc3\xa9");
    g_assert_cmpstr(note->tags->pdata[1], ==, "exit");
    g_assert_cmpstr(note->tags->pdata[2], ==, "kitchen");

    g_autoptr(GPtrArray) all = notes_list(fixture->store, &error);
    TendNote *stored = nth(all, 0);
    g_assert_cmpuint(stored->tags->len, ==, 3);
    g_assert_cmpstr(stored->tags->pdata[0], ==, "caf\xc3\xa9");
    g_assert_cmpstr(stored->tags->pdata[1], ==, "exit");
    g_assert_cmpstr(stored->tags->pdata[2], ==, "kitchen");

    g_autofree char *long_tag = g_strnfill(TEND_NOTE_TAG_MAX + 1, 'a');
    g_autofree char *long_message =
        g_strdup_printf("tag '%s' is longer than %d characters; a short word is enough", long_tag,
                        TEND_NOTE_TAG_MAX);
    struct {
        const char *tag;
        const char *message;
    } bad[] = {
        {"Mum Dad", "tag 'mum dad' has a space or comma; a tag is one word, such as 'mum-dad' "
                    "(give --tag again for each tag)"},
        {"exit,kitchen", "tag 'exit,kitchen' has a space or comma; a tag is one word, such as "
                         "'exit-kitchen' (give --tag again for each tag)"},
        {"   ", "a tag needs a word, such as --tag kitchen"},
        {"#", "a tag needs a word, such as --tag kitchen"},
        {long_tag, long_message},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) local = NULL;
        g_autoptr(TendNote) rejected = make("Rejected", -1, -1);
        g_ptr_array_add(rejected->tags, g_strdup("fine"));
        g_ptr_array_add(rejected->tags, g_strdup(bad[i].tag));
        g_assert_false(add(fixture->store, rejected, 2000, &local));
        g_assert_error(local, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_assert_cmpstr(local->message, ==, bad[i].message);
        g_assert_cmpuint(rejected->tags->len, ==, 2);
    }
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM notes"), ==, 1);
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM note_tags"), ==, 3);
}

static void test_search_accents_and_prefix(Fixture *fixture, gconstpointer data)
{
    (void)data;
    add_text(fixture->store, "Crêpes with Mum on Sunday", 1000);          /* 1 */
    add_text(fixture->store, "crepes again, alone this time", 2000);      /* 2 */
    add_text(fixture->store, "The kitchen was loud", 3000);               /* 3 */
    add_text(fixture->store, "I don't know why mum's voice hurts", 4000); /* 4 */
    add_text(fixture->store, "Re-connected with Sam at 9:30", 5000);      /* 5 */

    struct {
        const char *query;
        const char *ids;
    } cases[] = {
        /* Accents are ignored both ways. Notes 1 and 2 are both five words long, so
         * bm25 ties and the newer comes first. */
        {"crêpe*", "2,1"},
        {"crepe*", "2,1"},
        {"CRÊPES", "2,1"},
        {"crêpe", ""},
        {"kitch*", "3"},
        {"ki*", "3"},
        /* bm25: the shorter note (5 words against 9) ranks first. */
        {"mum", "1,4"},
        {"don't", "4"},
        {"mum's", "4"},
        {"re-connected", "5"},
        {"9:30", "5"},
        {"-", ""},
        {"mum sunday", "1"},
        /* bm25: "kitchen" is in one note, "mum" in two, so the rarer word weighs more. */
        {"mum OR kitchen", "3,1,4"},
        {"mum NOT sunday", "4"},
        {"OR", ""},
        {"\"with mum\"", "1"},
        {"NEAR(crepes alone)", "2"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *ids = search_ids(fixture->store, cases[i].query);
        g_assert_cmpstr(ids, ==, cases[i].ids);
    }

    /* bm25 ranks the closer match first even when it is older. */
    add_text(fixture->store, "walk walk walk", 500); /* 6 */
    add_text(fixture->store, "a walk, then tea, then a long talk about the whole season", 6000);
    g_autofree char *ranked = search_ids(fixture->store, "walk");
    g_assert_cmpstr(ranked, ==, "6,7");

    /* Tags come back with search results too. */
    g_autoptr(TendNote) tagged = make("Crêpe party", -1, -1);
    g_ptr_array_add(tagged->tags, g_strdup("food"));
    g_assert_true(add(fixture->store, tagged, 7000, NULL));
    g_autoptr(GPtrArray) found = notes_search(fixture->store, "party", NULL);
    g_assert_cmpuint(found->len, ==, 1);
    g_assert_cmpstr(nth(found, 0)->tags->pdata[0], ==, "food");
}

static void test_query_words_quoted(void)
{
    struct {
        const char *query;
        const char *fts;
    } cases[] = {
        {"don't", "\"don't\""},
        {"  mum's   kitchen ", "\"mum's\" \"kitchen\""},
        {"crêpe*", "\"crêpe\"*"},
        {"kitch** -", "\"kitch\"* \"-\""},
        {"*", "\"*\""},
        {"mum AND dad", "\"mum\" AND \"dad\""},
        {"NOT mum OR", "\"NOT\" \"mum\" \"OR\""},
        {"mum and dad", "\"mum\" \"and\" \"dad\""},
        {"\"said no\" mum", "\"said no\" mum"},
        {"(mum OR dad) kitchen", "(mum OR dad) kitchen"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *fts = notes_query_to_fts(cases[i].query);
        g_assert_cmpstr(fts, ==, cases[i].fts);
    }
    g_assert_null(notes_query_to_fts(" \t\n"));
    g_assert_null(notes_query_to_fts(""));
}

static void test_search_bad_query_errors(Fixture *fixture, gconstpointer data)
{
    (void)data;
    add_text(fixture->store, "Mum called", 1000);
    struct {
        const char *query;
        const char *message;
    } cases[] = {
        {"\"mum", "cannot search for '\"mum': unterminated string; put words in plain text or "
                  "quote a phrase"},
        {"(mum", "cannot search for '(mum': syntax error near \"\"; put words in plain text or "
                 "quote a phrase"},
        {"\"mum\" AND", "cannot search for '\"mum\" AND': syntax error near \"\"; put words in "
                        "plain text or quote a phrase"},
        {"   ", "search needs a word to look for, such as kitchen or crêpe*"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) found = notes_search(fixture->store, cases[i].query, &error);
        g_assert_null(found);
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_assert_cmpstr(error->message, ==, cases[i].message);
    }
    /* The store still answers afterwards. */
    g_autofree char *ids = search_ids(fixture->store, "mum");
    g_assert_cmpstr(ids, ==, "1");
}

/* Whether @word is anywhere in the bytes of @path (a missing file has nothing). */
static gboolean file_contains(const char *path, const char *word)
{
    g_autofree char *bytes = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &bytes, &length, NULL))
        return FALSE;
    return memmem(bytes, length, word, strlen(word)) != NULL;
}

static gboolean store_files_contain(Fixture *fixture, const char *word)
{
    g_autofree char *wal = g_strconcat(fixture->path, "-wal", NULL);
    return file_contains(fixture->path, word) || file_contains(wal, word);
}

static void test_remove_scrubs_file(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    add_text(fixture->store, "A walk by the river before lunch", 1000);
    g_autoptr(TendNote) secret =
        make("I told nobody about the zanzibarquokka dream, not even Sam", 2, 9);
    g_ptr_array_add(secret->tags, g_strdup("quokkatag"));
    g_assert_true(add(fixture->store, secret, 2000, &error));
    add_text(fixture->store, "Tea with Sam after the river walk", 3000);

    /* Control: the words really are in the files before removal, so the checks below
     * can fail. */
    g_assert_true(store_files_contain(fixture, "zanzibarquokka"));
    g_assert_true(store_files_contain(fixture, "quokkatag"));
    g_assert_true(store_files_contain(fixture, "river"));

    g_assert_true(notes_remove(fixture->store, secret->id, &error));
    g_assert_no_error(error);

    g_assert_false(store_files_contain(fixture, "zanzibarquokka"));
    g_assert_false(store_files_contain(fixture, "zanzibarq")); /* no prefix left either */
    g_assert_false(store_files_contain(fixture, "quokkatag"));
    g_assert_false(store_files_contain(fixture, "nobody"));
    /* The other notes are still there and searchable. */
    g_assert_true(store_files_contain(fixture, "river"));
    g_autofree char *ids = search_ids(fixture->store, "river");
    g_assert_cmpstr(ids, ==, "3,1");
    g_autofree char *gone = search_ids(fixture->store, "zanzibar*");
    g_assert_cmpstr(gone, ==, "");
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM note_tags"), ==, 0);
    g_assert_cmpint(count(fixture->store, "SELECT count(*) FROM notes"), ==, 2);

    g_assert_false(notes_remove(fixture->store, secret->id, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_assert_cmpstr(error->message, ==, "no note with id 2; 'tend note list' shows them");
}

/* Measures why the scrub is needed: a plain DELETE, even with secure_delete on, leaves
 * the word in the FTS index (its delete marker repeats the term) and in the WAL. */
static void test_plain_delete_leaves_words(Fixture *fixture, gconstpointer data)
{
    (void)data;
    gint64 id = add_text(fixture->store, "the zanzibarquokka dream", 1000);
    g_autofree char *sql = g_strdup_printf("DELETE FROM notes WHERE id = %" G_GINT64_FORMAT, id);
    g_assert_true(store_exec(fixture->store, sql, NULL));
    g_assert_true(store_files_contain(fixture, "zanzibarquokka"));
    g_assert_true(store_scrub(fixture->store, NULL));
    g_assert_false(store_files_contain(fixture, "zanzibarquokka"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
    ADD("/notes/add-and-list-newest-first", test_add_and_list_newest_first);
    ADD("/notes/rejects-out-of-range", test_rejects_out_of_range);
    ADD("/notes/link-to-missing-stressor-fails", test_link_to_missing_stressor_fails);
    ADD("/notes/tags-normalised", test_tags_normalised);
    ADD("/notes/search-accents-and-prefix", test_search_accents_and_prefix);
    g_test_add_func("/notes/query-words-quoted", test_query_words_quoted);
    ADD("/notes/search-bad-query-errors", test_search_bad_query_errors);
    ADD("/notes/remove-scrubs-file", test_remove_scrubs_file);
    ADD("/notes/plain-delete-leaves-words", test_plain_delete_leaves_words);
#undef ADD
    return g_test_run();
}
