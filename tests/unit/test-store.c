/* test-store.c: the database's place, privacy, pragmas and migrations. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tend/store.h"

typedef struct {
    char *dir;
    char *path;
} Fixture;

static void fixture_setup(Fixture *fixture, gconstpointer data)
{
    (void)data;
    fixture->dir = g_dir_make_tmp("tend-store-XXXXXX", NULL);
    g_assert_nonnull(fixture->dir);
    fixture->path = g_build_filename(fixture->dir, "data", "tend", "tend.db", NULL);
}

static void remove_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    if (dir) {
        const char *name;
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
                !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
                remove_tree(child);
            else
                g_unlink(child);
        }
        g_dir_close(dir);
    }
    g_rmdir(path);
}

static void fixture_teardown(Fixture *fixture, gconstpointer data)
{
    (void)data;
    remove_tree(fixture->dir);
    g_free(fixture->dir);
    g_free(fixture->path);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_mode & 07777;
}

static gint64 query_int(TendStore *store, const char *sql)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, NULL);
    g_assert_nonnull(stmt);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    return sqlite3_column_int64(stmt, 0);
}

static void test_private_under_umask_022(Fixture *fixture, gconstpointer data)
{
    (void)data;
    mode_t old = umask(022);
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
    g_assert_true(store_begin(store, &error));
    g_assert_true(store_exec(
        store, "INSERT INTO notes (created, text) VALUES (1, 'a private word')", &error));
    g_assert_true(store_commit(store, &error));
    umask(old);

    g_autofree char *folder = g_path_get_dirname(fixture->path);
    g_autofree char *wal = g_strconcat(fixture->path, "-wal", NULL);
    g_autofree char *shm = g_strconcat(fixture->path, "-shm", NULL);
    g_assert_cmpint(mode_of(folder), ==, 0700);
    g_assert_cmpint(mode_of(fixture->path), ==, 0600);
    g_assert_cmpint(mode_of(wal), ==, 0600);
    g_assert_cmpint(mode_of(shm), ==, 0600);
}

static void test_pragmas(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_WRITE, NULL);
    g_assert_nonnull(store);
    g_assert_cmpint(query_int(store, "PRAGMA foreign_keys"), ==, 1);
    g_assert_cmpint(query_int(store, "PRAGMA secure_delete"), ==, 1);
    g_assert_cmpint(query_int(store, "PRAGMA busy_timeout"), >=, 1000);
    g_assert_cmpint(query_int(store, "PRAGMA user_version"), ==, TEND_STORE_SCHEMA_VERSION);
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, "PRAGMA journal_mode", NULL);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpstr(store_column_text(stmt, 0), ==, "wal");
}

static void test_symlink_refused(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autofree char *real = g_build_filename(fixture->dir, "real.db", NULL);
    g_autofree char *link = g_build_filename(fixture->dir, "link.db", NULL);
    g_autoptr(TendStore) made = store_open(real, TEND_STORE_READ_WRITE, NULL);
    g_assert_nonnull(made);
    g_clear_pointer(&made, store_free);
    g_assert_cmpint(symlink(real, link), ==, 0);

    for (int mode = TEND_STORE_READ_ONLY; mode <= TEND_STORE_READ_WRITE; mode++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(TendStore) store = store_open(link, (TendStoreMode)mode, &error);
        g_assert_null(store);
        g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_UNSAFE);
        g_assert_nonnull(strstr(error->message, "symbolic link"));
    }
}

static void test_newer_schema_refused_untouched(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_WRITE, NULL);
    g_assert_true(store_exec(store, "PRAGMA user_version = 99", NULL));
    g_clear_pointer(&store, store_free);

    g_autofree char *before = NULL, *after = NULL;
    gsize before_len, after_len;
    g_assert_true(g_file_get_contents(fixture->path, &before, &before_len, NULL));

    for (int mode = TEND_STORE_READ_ONLY; mode <= TEND_STORE_READ_WRITE; mode++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(TendStore) refused = store_open(fixture->path, (TendStoreMode)mode, &error);
        g_assert_null(refused);
        g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_TOO_NEW);
        g_assert_nonnull(strstr(error->message, "newer tend"));
    }
    g_assert_true(g_file_get_contents(fixture->path, &after, &after_len, NULL));
    g_assert_cmpmem(before, before_len, after, after_len);
}

static void test_read_only_missing_creates_nothing(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_ONLY, &error);
    g_assert_no_error(error);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM stressors"), ==, 0);
    g_autofree char *folder = g_path_get_dirname(fixture->path);
    g_assert_false(g_file_test(folder, G_FILE_TEST_EXISTS));
}

static void test_read_only_cannot_write(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(TendStore) made = store_open(fixture->path, TEND_STORE_READ_WRITE, NULL);
    g_clear_pointer(&made, store_free);
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_ONLY, &error);
    g_assert_no_error(error);
    g_assert_false(store_exec(store, "INSERT INTO notes (created, text) VALUES (1, 'x')", &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL);
}

static void test_not_a_database(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autofree char *folder = g_path_get_dirname(fixture->path);
    g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
    g_assert_true(g_file_set_contents(fixture->path,
                                      "these are not the bytes of a database, "
                                      "just some words written by hand\n",
                                      -1, NULL));
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_WRITE, &error);
    g_assert_null(store);
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN);
    g_assert_nonnull(strstr(error->message, fixture->path));
}

/* A database written by schema version 1 (tests/data/store-v1.sql, dumped from a v1
 * database holding two notes, a stressor and an activity) upgrades in place: its
 * rows survive and its notes become searchable. */
static void test_upgrade_v1_fixture(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autofree char *sql = NULL;
    g_autofree char *fixture_path = g_build_filename(TEND_TEST_DATA, "store-v1.sql", NULL);
    g_assert_true(g_file_get_contents(fixture_path, &sql, NULL, NULL));
    g_autofree char *folder = g_path_get_dirname(fixture->path);
    g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);

    sqlite3 *db = NULL;
    g_assert_cmpint(sqlite3_open(fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    /* Two calendars as an older import left them: one whose longest occurrence is a
     * two-hour repeat, one with an event but no occurrences. */
    g_assert_cmpint(
        sqlite3_exec(db,
                     "INSERT INTO calendars VALUES (7, 'Work', NULL, 1798000000);"
                     "INSERT INTO calendars VALUES (8, 'Empty', NULL, 1798000000);"
                     "INSERT INTO events (id, calendar_id, uid, start_utc, end_utc, raw, raw_hash)"
                     "  VALUES (1, 7, 'a', 1798000000, 1798003600, '', ''),"
                     "         (2, 7, 'b', 1798000000, 1798007200, '', ''),"
                     "         (3, 8, 'c', 1798000000, 1798009000, '', '');"
                     "INSERT INTO occurrences VALUES (1, 1798000000, 1798003600),"
                     "  (2, 1798000000, 1798007200), (2, 1798604800, 1798612000);",
                     NULL, NULL, NULL),
        ==, SQLITE_OK);
    sqlite3_close(db);

    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_ONLY, &error);
    g_assert_no_error(error);
    g_assert_cmpint(store_schema_version(store), ==, TEND_STORE_SCHEMA_VERSION);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM notes"), ==, 2);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM stressors"), ==, 1);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM activities"), ==, 1);
    g_assert_cmpint(query_int(store, "SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'kitchen'"),
                    ==, 2);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM reminder_log"), ==, 0);
    /* Schema 3: scripts, safety plan and the strategies' edited mark exist. */
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM boundary_scripts"), ==, 0);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM safety_plan"), ==, 0);
    g_assert_cmpint(query_int(store, "SELECT count(edited) FROM strategies"), ==, 0);
    /* Schema 4: snoozes in the reminder log, urgent marks and the service's state. */
    g_assert_cmpint(
        query_int(store, "SELECT count(snooze_until) + count(snoozes) FROM reminder_log"), ==, 0);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM reminder_urgent"), ==, 0);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM reminder_state"), ==, 0);
    /* Schema 5: each calendar's longest occurrence, filled in from what was stored. */
    g_assert_cmpint(query_int(store, "SELECT longest FROM calendars WHERE id = 7"), ==, 7200);
    g_assert_cmpint(query_int(store, "SELECT longest FROM calendars WHERE id = 8"), ==, 0);
    /* Schema 6: what the agenda shows of each event, filled in from the stored events. */
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM event_briefs b JOIN events e"
                                     "  USING (id, calendar_id, all_day, transparent, summary)"),
                    ==, 3);
    /* Schema 7: occurrences in one tree ordered by time, and each event's own kept with
     * its row: none for the event whose one occurrence is its own start and end, both of
     * the repeat (2 bytes for the first, at the row's own times, 4 for a week on), an
     * empty list for the event that had none. */
    g_assert_cmpint(query_int(store, "SELECT group_concat(name, ',') = 'start_utc,end_utc,event_id'"
                                     " FROM (SELECT name FROM pragma_table_info('occurrences')"
                                     "  WHERE pk > 0 ORDER BY pk)"),
                    ==, 1);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM pragma_index_list('occurrences')"), ==,
                    1);
    g_assert_cmpint(query_int(store, "SELECT count(*) FROM occurrences"), ==, 3);
    g_assert_cmpint(query_int(store, "SELECT occurrences IS NULL FROM events WHERE id = 1"), ==, 1);
    g_assert_cmpint(query_int(store, "SELECT length(occurrences) FROM events WHERE id = 2"), ==, 6);
    g_assert_cmpint(query_int(store,
                              "SELECT typeof(occurrences) = 'blob' AND length(occurrences) = 0"
                              " FROM events WHERE id = 3"),
                    ==, 1);
}

static void test_begin_is_immediate(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(TendStore) first = store_open(fixture->path, TEND_STORE_READ_WRITE, NULL);
    g_autoptr(TendStore) second = store_open(fixture->path, TEND_STORE_READ_WRITE, NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true(store_begin(first, &error));
    /* The write lock is taken at BEGIN, so a second writer waits and then gives up
     * at once rather than failing half-way through its own transaction. */
    sqlite3_busy_timeout(store_db(second), 50);
    g_assert_false(store_begin(second, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL);
    store_rollback(first);
    store_rollback(second);
}

/* The occurrences kept with an event's row (schema 7) as the column gives them back:
 * @packed, or NULL for the column's NULL. */
static GArray *spans_through_column(TendStore *store, gint64 start, gint64 end,
                                    const GByteArray *packed, gboolean *out_ok)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, "SELECT ?1", NULL);
    if (!packed)
        sqlite3_bind_null(stmt, 1);
    else if (packed->len == 0)
        sqlite3_bind_zeroblob(stmt, 1, 0);
    else
        sqlite3_bind_blob(stmt, 1, packed->data, (int)packed->len, SQLITE_STATIC);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    GArray *spans = g_array_new(FALSE, FALSE, sizeof(TendSpan));
    *out_ok = store_column_spans(stmt, 0, start, end, spans);
    return spans;
}

/* Packing gives back exactly what went in: no list for the one occurrence at the row's own
 * times, an empty one for none, and any starts and lengths at all, however far apart
 * (differences wrap, and unwrap, modulo 2^64); a cut-off list is refused. */
static void test_spans_round_trip(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_WRITE, NULL);
    g_autoptr(GByteArray) packed = g_byte_array_new();
    gboolean ok = FALSE;

    TendSpan own = {1798000000, 1798003600};
    g_assert_false(store_spans_pack(own.start, own.end, &own, 1, packed));
    g_autoptr(GArray) one = spans_through_column(store, own.start, own.end, NULL, &ok);
    g_assert_true(ok);
    g_assert_cmpuint(one->len, ==, 1);
    g_assert_cmpint(g_array_index(one, TendSpan, 0).end, ==, own.end);

    g_assert_true(store_spans_pack(own.start, own.end, NULL, 0, packed));
    g_assert_cmpuint(packed->len, ==, 0);
    g_autoptr(GArray) none = spans_through_column(store, own.start, own.end, packed, &ok);
    g_assert_true(ok);
    g_assert_cmpuint(none->len, ==, 0);

    const TendSpan far[] = {
        {G_MININT64, G_MAXINT64},     {-86400, 0},
        {1798000000, 1798000000},     {1798604800, 1798612000},
        {G_MAXINT64 - 1, G_MAXINT64},
    };
    g_assert_true(store_spans_pack(own.start, own.end, far, G_N_ELEMENTS(far), packed));
    g_autoptr(GArray) back = spans_through_column(store, own.start, own.end, packed, &ok);
    g_assert_true(ok);
    g_assert_cmpuint(back->len, ==, G_N_ELEMENTS(far));
    g_assert_cmpmem(back->data, back->len * sizeof(TendSpan), far, sizeof far);

    /* a weekly hour takes 4 bytes; the last byte of a varint cut off is refused */
    const TendSpan weekly[] = {{1798000000, 1798003600}, {1798604800, 1798608400}};
    g_assert_true(store_spans_pack(1798000000, 1798003600, weekly, 2, packed));
    g_assert_cmpuint(packed->len, ==, 6);
    g_byte_array_set_size(packed, packed->len - 2);
    g_array_unref(spans_through_column(store, own.start, own.end, packed, &ok));
    g_assert_false(ok);
}

/* Idle means no statement is part-way through: prepared, finished or reset ones don't
 * count, one stepped to a row does. */
static void test_idle(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = store_open(fixture->path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);
    g_assert_true(
        store_exec(store, "CREATE TEMP TABLE t (x); INSERT INTO t VALUES (1), (2)", &error));
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, "SELECT x FROM t ORDER BY x", &error);
    g_assert_nonnull(stmt);
    g_assert_true(store_idle(store));
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_false(store_idle(store));
    sqlite3_reset(stmt);
    g_assert_true(store_idle(store));
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_false(store_idle(store));
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
    g_assert_true(store_idle(store));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
    ADD("/store/private-under-umask-022", test_private_under_umask_022);
    ADD("/store/pragmas", test_pragmas);
    ADD("/store/symlink-refused", test_symlink_refused);
    ADD("/store/newer-schema-refused-untouched", test_newer_schema_refused_untouched);
    ADD("/store/read-only-missing-creates-nothing", test_read_only_missing_creates_nothing);
    ADD("/store/read-only-cannot-write", test_read_only_cannot_write);
    ADD("/store/not-a-database", test_not_a_database);
    ADD("/store/upgrade-v1-fixture", test_upgrade_v1_fixture);
    ADD("/store/begin-is-immediate", test_begin_is_immediate);
    ADD("/store/spans-round-trip", test_spans_round_trip);
    ADD("/store/idle", test_idle);
#undef ADD
    return g_test_run();
}
