/* store.h: the one SQLite database that holds everything tend knows.
 *
 * The database lives at $TEND_DB, else $XDG_DATA_HOME/tend/tend.db, else
 * ~/.local/share/tend/tend.db. Its folder is 0700 and the file (with its -wal and
 * -shm) 0600 whatever the umask; a symlinked path is refused.
 *
 * Invariants:
 * - WAL journal, busy_timeout, foreign keys and secure_delete are on.
 * - Every write transaction is begun with store_begin() (BEGIN IMMEDIATE), so a
 *   read-then-write never fails with SQLITE_BUSY_SNAPSHOT.
 * - The schema version is PRAGMA user_version. Opening migrates an older database
 *   in order, one transaction per step; a newer one is refused untouched.
 * - Nothing here prints or exits.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define TEND_STORE_ERROR (tend_store_error_quark())
GQuark tend_store_error_quark(void);

typedef enum {
    TEND_STORE_ERROR_OPEN,     /* cannot open or create the file */
    TEND_STORE_ERROR_UNSAFE,   /* symlink, or a folder others can reach into */
    TEND_STORE_ERROR_TOO_NEW,  /* written by a newer tend */
    TEND_STORE_ERROR_SQL,      /* SQLite said no */
    TEND_STORE_ERROR_NOT_FOUND /* no row with that id */
} TendStoreError;

/* The schema version this build writes. */
#define TEND_STORE_SCHEMA_VERSION 7

typedef enum {
    TEND_STORE_READ_ONLY,
    TEND_STORE_READ_WRITE,
} TendStoreMode;

typedef struct _TendStore TendStore;

/* The database path tend uses, per the rules above. */
char *store_default_path(void);

/* Opens (creating when @mode is READ_WRITE) and migrates the database at @path.
 * A READ_ONLY open of a missing file gives an empty in-memory store, so read-only
 * commands never create files. */
TendStore *store_open(const char *path, TendStoreMode mode, GError **error);
void store_free(TendStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendStore, store_free)

sqlite3 *store_db(TendStore *store);
const char *store_path(TendStore *store);
int store_schema_version(TendStore *store);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. store_rollback() is safe to call when no
 * transaction is open, so error paths can call it unconditionally. */
gboolean store_begin(TendStore *store, GError **error);
gboolean store_commit(TendStore *store, GError **error);
void store_rollback(TendStore *store);

/* Whether no statement of the connection is part-way through (stepped, and neither
 * finished nor reset). A connection may go to another thread only then: it is opened
 * without SQLite's mutex, and finishing such a statement here later would change the
 * connection's state under the other thread. */
gboolean store_idle(TendStore *store);

/* Prepares @sql; on failure sets @error with SQLite's message. */
sqlite3_stmt *store_prepare(TendStore *store, const char *sql, GError **error);
/* Runs SQL with no results. */
gboolean store_exec(TendStore *store, const char *sql, GError **error);
/* Sets @error from the connection's last error, prefixed by @what. Returns FALSE. */
gboolean store_set_error(TendStore *store, GError **error, const char *what);

/* Runs every migration from the current version up to @target (tests use this to
 * build old databases). */
gboolean store_migrate_to(TendStore *store, int target, GError **error);

/* Text for a stored column, "" for NULL; never NULL. */
const char *store_column_text(sqlite3_stmt *stmt, int column);

/* Removes deleted content from the file and WAL (checkpoint TRUNCATE). */
gboolean store_scrub(TendStore *store, GError **error);

/* An occurrence of an imported event: UTC instants, or UTC midnights for all-day dates. */
typedef struct {
    gint64 start;
    gint64 end;
} TendSpan;

/* Orders TendSpans by start (for g_array_sort(), which keeps equal ones in order). */
int store_span_compare_start(gconstpointer a, gconstpointer b);

/* Schema 7 keeps the occurrences table in one B-tree ordered by time, and each event's own
 * occurrences with its row (events.occurrences), where the import finds them again to
 * replace or remove them. That column is NULL for an event with exactly one occurrence at
 * its row's own start_utc and end_utc (most events), else the packed list (possibly empty).
 *
 * store_spans_pack() packs @spans (sorted by start) of an event whose row has @start and
 * @end into @out (emptied first) and returns TRUE, or returns FALSE when they are exactly
 * that one occurrence and the column is NULL. */
gboolean store_spans_pack(gint64 start, gint64 end, const TendSpan *spans, guint n,
                          GByteArray *out);
/* Appends to @out (of TendSpan) the occurrences in @column of @stmt, a value of
 * events.occurrences whose row has @start and @end. FALSE if the value is damaged. */
gboolean store_column_spans(sqlite3_stmt *stmt, int column, gint64 start, gint64 end, GArray *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
