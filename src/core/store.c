/* store.c: opening, securing and migrating tend's SQLite database.
 *
 * This file owns the schema. Other modules read and write their own tables
 * through store_prepare(); they never change the schema themselves.
 */
#include "tend/store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(tend - store - error - quark, tend_store_error)

struct _TendStore {
    sqlite3 *db;
    char *path;
    TendStoreMode mode;
};

/* Version 1: calendars and their events, stressors, activities and plain notes. */
static const char schema_v1[] =
    "CREATE TABLE calendars ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  source TEXT,"
    "  imported_at INTEGER NOT NULL);"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,"
    "  uid TEXT NOT NULL,"
    "  recurrence_id TEXT NOT NULL DEFAULT '',"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  summary TEXT NOT NULL DEFAULT '',"
    "  location TEXT,"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL,"
    "  all_day INTEGER NOT NULL DEFAULT 0,"
    "  tzid TEXT,"
    "  rrule TEXT,"
    "  transparent INTEGER NOT NULL DEFAULT 0,"
    "  raw TEXT NOT NULL,"
    "  raw_hash TEXT NOT NULL,"
    "  UNIQUE (calendar_id, uid, recurrence_id));"
    "CREATE TABLE occurrences ("
    "  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL,"
    "  PRIMARY KEY (event_id, start_utc)) WITHOUT ROWID;"
    "CREATE INDEX occurrences_by_start ON occurrences(start_utc);"
    "CREATE TABLE stressors ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  intensity INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 5),"
    "  location TEXT,"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL,"
    "  all_day INTEGER NOT NULL DEFAULT 0,"
    "  tzid TEXT,"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL,"
    "  event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,"
    "  CHECK (end_utc > start_utc));"
    "CREATE TABLE activities ("
    "  id INTEGER PRIMARY KEY,"
    "  uid TEXT NOT NULL UNIQUE,"
    "  stressor_id INTEGER NOT NULL REFERENCES stressors(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  slot INTEGER NOT NULL DEFAULT 0,"
    "  title TEXT NOT NULL,"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL,"
    "  busy INTEGER NOT NULL DEFAULT 1,"
    "  sequence INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'planned',"
    "  pinned INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (stressor_id, kind, slot));"
    "CREATE INDEX activities_by_start ON activities(start_utc);"
    "CREATE TABLE notes ("
    "  id INTEGER PRIMARY KEY,"
    "  created INTEGER NOT NULL,"
    "  text TEXT NOT NULL,"
    "  mood INTEGER CHECK (mood BETWEEN 0 AND 10),"
    "  stress INTEGER CHECK (stress BETWEEN 0 AND 10),"
    "  stressor_id INTEGER REFERENCES stressors(id) ON DELETE SET NULL);"
    "CREATE TABLE note_tags ("
    "  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,"
    "  tag TEXT NOT NULL,"
    "  PRIMARY KEY (note_id, tag)) WITHOUT ROWID;";

/* Version 2: full-text search over notes, coping plans, the strategy library and
 * the reminder log. Notes written by version 1 are indexed on the way up. */
static const char schema_v2[] =
    "CREATE VIRTUAL TABLE notes_fts USING fts5("
    "  text, content='notes', content_rowid='id',"
    "  tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
    "CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN"
    "  INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text);"
    "END;"
    "CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN"
    "  INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    "END;"
    "CREATE TRIGGER notes_fts_update AFTER UPDATE OF text ON notes BEGIN"
    "  INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    "  INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text);"
    "END;"
    "INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');"
    "CREATE TABLE plans ("
    "  stressor_id INTEGER PRIMARY KEY REFERENCES stressors(id) ON DELETE CASCADE,"
    "  triggers TEXT,"
    "  boundaries TEXT,"
    "  scripts TEXT,"
    "  exit_by INTEGER,"
    "  exit_plan TEXT,"
    "  support TEXT,"
    "  grounding TEXT,"
    "  aftercare TEXT,"
    "  updated INTEGER NOT NULL);"
    "CREATE TABLE strategies ("
    "  id TEXT PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  category TEXT NOT NULL,"
    "  minutes INTEGER NOT NULL,"
    "  fits TEXT NOT NULL DEFAULT 'any',"
    "  steps TEXT NOT NULL DEFAULT '',"
    "  why TEXT NOT NULL DEFAULT '',"
    "  custom INTEGER NOT NULL DEFAULT 0,"
    "  hidden INTEGER NOT NULL DEFAULT 0,"
    "  rating INTEGER CHECK (rating BETWEEN 1 AND 5));"
    "CREATE TABLE reminder_log ("
    "  item_type TEXT NOT NULL,"
    "  item_id INTEGER NOT NULL,"
    "  fire_at INTEGER NOT NULL,"
    "  claimed_at INTEGER NOT NULL,"
    "  outcome TEXT,"
    "  outcome_at INTEGER,"
    "  PRIMARY KEY (item_type, item_id, fire_at)) WITHOUT ROWID;";

/* Version 3: the person's own boundary scripts and safety plan, and a mark on strategy
 * rows that says whether the person rewrote a shipped strategy (edited = 1) or only hid or
 * rated it (edited = 0, so the shipped words keep coming from the data file). */
static const char schema_v3[] =
    "ALTER TABLE strategies ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE boundary_scripts ("
    "  id INTEGER PRIMARY KEY,"
    "  situation TEXT NOT NULL,"
    "  softer TEXT NOT NULL,"
    "  firmer TEXT NOT NULL,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE safety_plan ("
    "  section TEXT PRIMARY KEY,"
    "  text TEXT NOT NULL,"
    "  updated INTEGER NOT NULL) WITHOUT ROWID;";

/* Version 4: what the reminder service needs to remember. A snoozed reminder keeps its row in
 * the log and says when it comes back (snooze_until, cleared when it is shown again) and how
 * often it was snoozed. Items the person marked urgent remind inside quiet hours too. The
 * service's state (when it last looked, to tell "missed while away" from "added late") is a
 * small key/value table. */
static const char schema_v4[] =
    "ALTER TABLE reminder_log ADD COLUMN snooze_until INTEGER;"
    "ALTER TABLE reminder_log ADD COLUMN snoozes INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX reminder_log_snoozed ON reminder_log(snooze_until)"
    "  WHERE snooze_until IS NOT NULL;"
    "CREATE TABLE reminder_urgent ("
    "  item_type TEXT NOT NULL CHECK (item_type IN ('stressor', 'activity')),"
    "  item_id INTEGER NOT NULL,"
    "  PRIMARY KEY (item_type, item_id)) WITHOUT ROWID;"
    "CREATE TABLE reminder_state ("
    "  key TEXT PRIMARY KEY,"
    "  value INTEGER NOT NULL) WITHOUT ROWID;";

/* Version 5: each calendar's longest occurrence (end_utc - start_utc, 0 when it has none),
 * kept exact by the import. A query for what overlaps [from, to) can then bound its scan of
 * occurrences_by_start from below, start_utc >= from - longest, instead of reading every
 * occurrence that starts before the window. Databases from before are filled in here.
 * occurrences_by_start also carries end_utc now, so that scan never leaves the index. */
static const char schema_v5[] =
    "DROP INDEX occurrences_by_start;"
    "CREATE INDEX occurrences_by_start ON occurrences(start_utc, end_utc);"
    "ALTER TABLE calendars ADD COLUMN longest INTEGER NOT NULL DEFAULT 0;"
    "UPDATE calendars SET longest = coalesce((SELECT max(o.end_utc - o.start_utc) "
    "  FROM occurrences o JOIN events e ON e.id = o.event_id "
    "  WHERE e.calendar_id = calendars.id), 0);";

/* Version 6: what the agenda shows of each event (summary, all_day, transparent,
 * calendar_id) in a narrow table of its own, kept equal to events by triggers, so no
 * writer has to know about it. The agenda of a busy fortnight reads about a tenth of all
 * events, scattered over the table; their full rows (uid, hash, stored text) are several
 * times wider than these columns, so reading them from here touches far fewer pages, and
 * looking a row up by its id costs less than looking it up in an index. Filled from the
 * events already stored. */
static const char schema_v6[] =
    "CREATE TABLE event_briefs ("
    "  id INTEGER PRIMARY KEY,"
    "  calendar_id INTEGER NOT NULL,"
    "  all_day INTEGER NOT NULL,"
    "  transparent INTEGER NOT NULL,"
    "  summary TEXT NOT NULL);"
    "INSERT INTO event_briefs (id, calendar_id, all_day, transparent, summary)"
    "  SELECT id, calendar_id, all_day, transparent, summary FROM events;"
    "CREATE TRIGGER event_briefs_insert AFTER INSERT ON events BEGIN"
    "  INSERT OR REPLACE INTO event_briefs (id, calendar_id, all_day, transparent, summary)"
    "  VALUES (new.id, new.calendar_id, new.all_day, new.transparent, new.summary);"
    "END;"
    "CREATE TRIGGER event_briefs_update"
    "  AFTER UPDATE OF id, calendar_id, all_day, transparent, summary ON events BEGIN"
    "  DELETE FROM event_briefs WHERE id = old.id;"
    "  INSERT OR REPLACE INTO event_briefs (id, calendar_id, all_day, transparent, summary)"
    "  VALUES (new.id, new.calendar_id, new.all_day, new.transparent, new.summary);"
    "END;"
    "CREATE TRIGGER event_briefs_delete AFTER DELETE ON events BEGIN"
    "  DELETE FROM event_briefs WHERE id = old.id;"
    "END;";

/* Version 7: the occurrences in one B-tree ordered by (start_utc, end_utc, event_id), the
 * order every reader scans them in, instead of a table by event plus an index by start.
 * A first import of 100,000 events places 700,000 occurrences, and placing each in a
 * second tree took a fifth of the import. The import, the one writer, finds an event's
 * occurrences again from the list kept with its row (events.occurrences, see
 * store_spans_pack()), filled in here from the stored ones: empty for an event without
 * any. The cascade from events goes with the old table; the import removes by hand. */
static const char schema_v7[] =
    "ALTER TABLE events ADD COLUMN occurrences BLOB;"
    "UPDATE events SET occurrences = X'';"
    "UPDATE events SET occurrences = packed.list FROM ("
    "  SELECT o.event_id AS id,"
    "    tend_spans_pack(e.start_utc, e.end_utc, o.start_utc, o.end_utc) AS list"
    "  FROM occurrences o JOIN events e ON e.id = o.event_id GROUP BY o.event_id) AS packed"
    "  WHERE packed.id = events.id;"
    "CREATE TABLE occurrences_by_time ("
    "  event_id INTEGER NOT NULL,"
    "  start_utc INTEGER NOT NULL,"
    "  end_utc INTEGER NOT NULL,"
    "  PRIMARY KEY (start_utc, end_utc, event_id)) WITHOUT ROWID;"
    "INSERT INTO occurrences_by_time (event_id, start_utc, end_utc)"
    "  SELECT event_id, start_utc, end_utc FROM occurrences ORDER BY start_utc, end_utc, event_id;"
    "DROP TABLE occurrences;"
    "ALTER TABLE occurrences_by_time RENAME TO occurrences;";

static const char *const migrations[] = {schema_v1, schema_v2, schema_v3, schema_v4,
                                         schema_v5, schema_v6, schema_v7};
G_STATIC_ASSERT(G_N_ELEMENTS(migrations) == TEND_STORE_SCHEMA_VERSION);

gboolean store_set_error(TendStore *store, GError **error, const char *what)
{
    g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL, "%s: %s", what,
                sqlite3_errmsg(store->db));
    return FALSE;
}

gboolean store_exec(TendStore *store, const char *sql, GError **error)
{
    char *message = NULL;
    if (sqlite3_exec(store->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL, "database: %s",
                    message ? message : sqlite3_errmsg(store->db));
        sqlite3_free(message);
        return FALSE;
    }
    return TRUE;
}

sqlite3_stmt *store_prepare(TendStore *store, const char *sql, GError **error)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        store_set_error(store, error, "database");
        return NULL;
    }
    return stmt;
}

gboolean store_idle(TendStore *store)
{
    for (sqlite3_stmt *stmt = sqlite3_next_stmt(store->db, NULL); stmt;
         stmt = sqlite3_next_stmt(store->db, stmt))
        if (sqlite3_stmt_busy(stmt))
            return FALSE;
    return TRUE;
}

const char *store_column_text(sqlite3_stmt *stmt, int column)
{
    const unsigned char *text = sqlite3_column_text(stmt, column);
    return text ? (const char *)text : "";
}

gboolean store_begin(TendStore *store, GError **error)
{
    return store_exec(store, "BEGIN IMMEDIATE", error);
}

gboolean store_commit(TendStore *store, GError **error)
{
    return store_exec(store, "COMMIT", error);
}

void store_rollback(TendStore *store)
{
    if (store && !sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3 *store_db(TendStore *store)
{
    return store->db;
}

const char *store_path(TendStore *store)
{
    return store->path;
}

static int read_user_version(sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

int store_schema_version(TendStore *store)
{
    return read_user_version(store->db);
}

/* ------------------------------------------------------------------------------------
 * An event's occurrences, packed (schema 7)
 *
 * Each occurrence is two signed varints (zigzag, 7 bits a byte, low bits first): its start
 * less the previous one's (the row's start_utc for the first), and its length less the
 * row's. A weekly hour takes 4 bytes.
 * ---------------------------------------------------------------------------------- */

static void put_varint(GByteArray *out, gint64 value)
{
    guint64 zigzag = ((guint64)value << 1) ^ (value < 0 ? G_MAXUINT64 : 0);
    guint8 bytes[10];
    guint n = 0;
    do {
        bytes[n] = (guint8)(zigzag & 0x7f);
        zigzag >>= 7;
        if (zigzag)
            bytes[n] |= 0x80;
        n++;
    } while (zigzag);
    g_byte_array_append(out, bytes, n);
}

static gboolean get_varint(const guint8 **at, const guint8 *end, gint64 *out)
{
    guint64 zigzag = 0;
    for (guint shift = 0; shift < 64; shift += 7) {
        if (*at >= end)
            return FALSE;
        guint8 byte = *(*at)++;
        zigzag |= (guint64)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = (gint64)(zigzag >> 1) ^ -(gint64)(zigzag & 1);
            return TRUE;
        }
    }
    return FALSE;
}

gboolean store_spans_pack(gint64 start, gint64 end, const TendSpan *spans, guint n, GByteArray *out)
{
    g_byte_array_set_size(out, 0);
    if (n == 1 && spans[0].start == start && spans[0].end == end)
        return FALSE;
    /* differences taken modulo 2^64, as unpacking adds them back: exact for any values */
    guint64 previous = (guint64)start, length = (guint64)end - (guint64)start;
    for (guint i = 0; i < n; i++) {
        put_varint(out, (gint64)((guint64)spans[i].start - previous));
        put_varint(out, (gint64)((guint64)spans[i].end - (guint64)spans[i].start - length));
        previous = (guint64)spans[i].start;
    }
    return TRUE;
}

gboolean store_column_spans(sqlite3_stmt *stmt, int column, gint64 start, gint64 end, GArray *out)
{
    if (sqlite3_column_type(stmt, column) == SQLITE_NULL) {
        TendSpan only = {start, end};
        g_array_append_val(out, only);
        return TRUE;
    }
    int len = sqlite3_column_bytes(stmt, column);
    if (len == 0)
        return TRUE; /* no occurrences */
    const guint8 *at = sqlite3_column_blob(stmt, column);
    const guint8 *stop = at + len;
    guint64 previous = (guint64)start, length = (guint64)end - (guint64)start;
    while (at < stop) {
        gint64 step, stretch;
        if (!get_varint(&at, stop, &step) || !get_varint(&at, stop, &stretch))
            return FALSE;
        guint64 span_start = previous + (guint64)step;
        TendSpan span = {(gint64)span_start, (gint64)(span_start + length + (guint64)stretch)};
        g_array_append_val(out, span);
        previous = span_start;
    }
    return TRUE;
}

typedef struct {
    gint64 start, end;
    GArray *spans;
} PackState;

int store_span_compare_start(gconstpointer a, gconstpointer b)
{
    const TendSpan *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* tend_spans_pack(row start, row end, start, end): the aggregate schema 7 fills
 * events.occurrences with. */
static void spans_pack_step(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    PackState *state = sqlite3_aggregate_context(context, sizeof(PackState));
    if (!state) {
        sqlite3_result_error_nomem(context);
        return;
    }
    if (!state->spans)
        state->spans = g_array_new(FALSE, FALSE, sizeof(TendSpan));
    state->start = sqlite3_value_int64(argv[0]);
    state->end = sqlite3_value_int64(argv[1]);
    TendSpan span = {sqlite3_value_int64(argv[2]), sqlite3_value_int64(argv[3])};
    g_array_append_val(state->spans, span);
}

static void spans_pack_final(sqlite3_context *context)
{
    PackState *state = sqlite3_aggregate_context(context, 0);
    g_autoptr(GByteArray) packed = g_byte_array_new();
    if (!state || !state->spans) {
        sqlite3_result_zeroblob(context, 0);
        return;
    }
    g_array_sort(state->spans, store_span_compare_start);
    if (store_spans_pack(state->start, state->end, (const TendSpan *)(void *)state->spans->data,
                         state->spans->len, packed))
        sqlite3_result_blob(context, packed->data, (int)packed->len, SQLITE_TRANSIENT);
    else
        sqlite3_result_null(context);
    g_array_unref(state->spans);
}

gboolean store_migrate_to(TendStore *store, int target, GError **error)
{
    int version = read_user_version(store->db);
    if (version < 7 && target >= 7 &&
        sqlite3_create_function_v2(store->db, "tend_spans_pack", 4, SQLITE_UTF8, NULL, NULL,
                                   spans_pack_step, spans_pack_final, NULL) != SQLITE_OK)
        return store_set_error(store, error, "cannot prepare the upgrade");
    if (version < 0)
        return store_set_error(store, error, "cannot read the schema version");
    if (version > TEND_STORE_SCHEMA_VERSION) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_TOO_NEW,
                    "'%s' was written by a newer tend (schema %d, this one knows %d); "
                    "please update tend",
                    store->path, version, TEND_STORE_SCHEMA_VERSION);
        return FALSE;
    }
    for (int next = version + 1; next <= target; next++) {
        g_autofree char *bump = g_strdup_printf("PRAGMA user_version = %d", next);
        if (!store_begin(store, error))
            return FALSE;
        /* Re-read inside the lock: another process may have migrated meanwhile. */
        if (read_user_version(store->db) >= next) {
            store_rollback(store);
            continue;
        }
        if (!store_exec(store, migrations[next - 1], error) || !store_exec(store, bump, error) ||
            !store_commit(store, error)) {
            store_rollback(store);
            g_prefix_error(error, "cannot upgrade '%s' to schema %d: ", store->path, next);
            return FALSE;
        }
    }
    return TRUE;
}

char *store_default_path(void)
{
    const char *env = g_getenv("TEND_DB");
    if (env && *env)
        return g_strdup(env);
    return g_build_filename(g_get_user_data_dir(), "tend", "tend.db", NULL);
}

/* Makes sure the database's folder exists and is ours alone when tend made it, and
 * that the file exists with mode 0600 before SQLite (and its -wal, -shm, which copy
 * the file's mode) touches it. */
static gboolean prepare_file(const char *path, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    struct stat st;

    if (g_mkdir_with_parents(dir, 0700) != 0) {
        int saved = errno;
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN,
                    "cannot create the folder '%s': %s", dir, g_strerror(saved));
        return FALSE;
    }
    if (g_str_has_suffix(dir, "/tend") || g_str_equal(dir, "tend"))
        (void)g_chmod(dir, 0700);

    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_UNSAFE,
                        "'%s' is a symbolic link; tend keeps its database in a real file, "
                        "please point TEND_DB at one",
                        path);
            return FALSE;
        }
        if (!S_ISREG(st.st_mode)) {
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN,
                        "'%s' is not a regular file", path);
            return FALSE;
        }
        if ((st.st_mode & 077) != 0 && chmod(path, st.st_mode & 0700) != 0) {
            int saved = errno;
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_UNSAFE,
                        "cannot make '%s' private: %s", path, g_strerror(saved));
            return FALSE;
        }
        return TRUE;
    }

    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
        int saved = errno;
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN, "cannot create '%s': %s", path,
                    g_strerror(saved));
        return FALSE;
    }
    if (fd >= 0) {
        /* open() applies the umask; 0600 is already narrower than any umask leaves. */
        (void)fchmod(fd, 0600);
        close(fd);
    }
    return TRUE;
}

static gboolean configure(TendStore *store, GError **error)
{
    sqlite3_busy_timeout(store->db, 5000);
    sqlite3_extended_result_codes(store->db, 1);
    if (!store_exec(store, "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON", error))
        return FALSE;
    /* No memory map (SQLite's default): since the agenda reads a fortnight from narrow
     * tables (schema 6) it touches about 1,500 pages, and mapping them in (with the
     * kernel's fault-around mapping neighbours it never reads) and out again cost more
     * than reading them: 100,000 events, two weeks, 24 ms with the map against 22 ms
     * without; plan and re-import measured the same either way. */
    if (store->mode == TEND_STORE_READ_WRITE &&
        !store_exec(store, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", error))
        return FALSE;
    return TRUE;
}

/* SQLite counts every allocation under a process-wide mutex, for statistics tend never
 * reads: a twentieth of an import's writing. Only possible before SQLite starts. */
static void configure_sqlite_once(void)
{
    static gsize done = 0;
    if (g_once_init_enter(&done)) {
        (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        g_once_init_leave(&done, 1);
    }
}

static TendStore *open_connection(const char *path, const char *filename, TendStoreMode mode,
                                  int extra_flags, GError **error)
{
    configure_sqlite_once();
    g_autoptr(TendStore) store = g_new0(TendStore, 1);
    /* NOMUTEX: a connection is used by one thread at a time (the import hands it to its
     * writer thread and takes it back), so SQLite need not lock it around every call (a
     * tenth of the agenda's time, stepping and reading tens of thousands of rows). */
    int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX | extra_flags |
                (mode == TEND_STORE_READ_ONLY ? SQLITE_OPEN_READONLY
                                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

    store->path = g_strdup(path);
    store->mode = mode;
    if (sqlite3_open_v2(filename, &store->db, flags, NULL) != SQLITE_OK) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN, "cannot open '%s': %s", path,
                    store->db ? sqlite3_errmsg(store->db) : "out of memory");
        return NULL;
    }
    g_autoptr(GError) local_error = NULL;
    if (!configure(store, &local_error)) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN, "cannot open '%s': %s", path,
                    sqlite3_errmsg(store->db));
        return NULL;
    }
    /* Reading the schema version is the first real read: it catches files that
     * are not databases at all. */
    if (read_user_version(store->db) < 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_OPEN, "cannot read '%s': %s", path,
                    sqlite3_errmsg(store->db));
        return NULL;
    }
    return g_steal_pointer(&store);
}

TendStore *store_open(const char *path, TendStoreMode mode, GError **error)
{
    struct stat st;

    g_return_val_if_fail(path != NULL, NULL);

    if (mode == TEND_STORE_READ_ONLY) {
        if (lstat(path, &st) != 0 && errno == ENOENT) {
            /* Nothing stored yet: answer from an empty store rather than create files. */
            g_autoptr(TendStore) empty =
                open_connection(path, ":memory:", TEND_STORE_READ_WRITE, 0, error);
            if (!empty || !store_migrate_to(empty, TEND_STORE_SCHEMA_VERSION, error))
                return NULL;
            empty->mode = TEND_STORE_READ_ONLY;
            return g_steal_pointer(&empty);
        }
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_UNSAFE,
                        "'%s' is a symbolic link; tend keeps its database in a real file, "
                        "please point TEND_DB at one",
                        path);
            return NULL;
        }
        g_autoptr(TendStore) store = open_connection(path, path, mode, 0, error);
        if (!store)
            return NULL;
        int version = read_user_version(store->db);
        if (version == TEND_STORE_SCHEMA_VERSION)
            return g_steal_pointer(&store);
        if (version > TEND_STORE_SCHEMA_VERSION) {
            g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_TOO_NEW,
                        "'%s' was written by a newer tend (schema %d, this one knows %d); "
                        "please update tend",
                        path, version, TEND_STORE_SCHEMA_VERSION);
            return NULL;
        }
        /* An older database: upgrade it once with a writable connection. */
        g_clear_pointer(&store, store_free);
        g_autoptr(TendStore) writer = store_open(path, TEND_STORE_READ_WRITE, error);
        if (!writer)
            return NULL;
        g_clear_pointer(&writer, store_free);
        return open_connection(path, path, mode, 0, error);
    }

    if (!prepare_file(path, error))
        return NULL;
    g_autoptr(TendStore) store = open_connection(path, path, mode, 0, error);
    if (!store || !store_migrate_to(store, TEND_STORE_SCHEMA_VERSION, error))
        return NULL;
    return g_steal_pointer(&store);
}

gboolean store_scrub(TendStore *store, GError **error)
{
    /* 'optimize' merges the FTS index so deleted terms leave it; secure_delete zeroes the
     * freed pages; the TRUNCATE checkpoint moves them into the file and empties the WAL. */
    if (!store_exec(store, "INSERT INTO notes_fts(notes_fts) VALUES ('optimize')", error))
        return FALSE;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, "PRAGMA wal_checkpoint(TRUNCATE)", error);
    if (!stmt)
        return FALSE;
    /* The row is (busy, log frames, checkpointed frames). busy is 1 when a reader kept
     * the WAL past busy_timeout (or a transaction is open): the old pages stay in it. */
    if (sqlite3_step(stmt) != SQLITE_ROW)
        return store_set_error(store, error, "cannot tidy the database");
    if (sqlite3_column_int(stmt, 0) != 0) {
        g_set_error_literal(
            error, TEND_STORE_ERROR, TEND_STORE_ERROR_SQL,
            "another program kept the database busy, so the tidy-up could not finish");
        return FALSE;
    }
    return TRUE;
}

void store_free(TendStore *store)
{
    if (!store)
        return;
    if (store->db)
        sqlite3_close_v2(store->db);
    g_free(store->path);
    g_free(store);
}
