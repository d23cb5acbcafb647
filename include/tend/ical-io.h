/* ical-io.h: iCalendar in and out, always through libical.
 *
 * Import reads a person's calendar export into the store; export writes the plan
 * as RFC 5545 text. Limits are checked before libical sees the data (file size,
 * line length, component count, NUL bytes), and recurrence expansion is bounded
 * by a window and an occurrence cap. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/context.h"
#include "tend/store.h"

G_BEGIN_DECLS

#define TEND_ICAL_ERROR (tend_ical_error_quark())
GQuark tend_ical_error_quark(void);

typedef enum {
    TEND_ICAL_ERROR_READ,    /* cannot read the file */
    TEND_ICAL_ERROR_INVALID, /* not iCalendar, empty, or over a limit */
} TendIcalError;

#define TEND_ICAL_MAX_FILE_BYTES ((gsize)256 * 1024 * 1024)
#define TEND_ICAL_MAX_LINE_BYTES ((gsize)64 * 1024)
#define TEND_ICAL_MAX_COMPONENTS 500000
#define TEND_ICAL_MAX_OCCURRENCES 5000 /* per recurring event, within the window */

/* Repeating events are stored expanded over [anchor - PAST, anchor + FUTURE], where the
 * anchor is the calendar's imported_at; a later import keeps the anchor while it is
 * younger than KEEP days. Any other window is worked out on demand (ical_expand_stored).
 * Events that do not repeat by a rule are stored whole, whatever their date. */
#define TEND_ICAL_WINDOW_PAST_DAYS 31
#define TEND_ICAL_WINDOW_FUTURE_DAYS 400
#define TEND_ICAL_WINDOW_KEEP_DAYS 14

typedef enum {
    TEND_IMPORT_ADDED,
    TEND_IMPORT_UPDATED,
    TEND_IMPORT_REMOVED,
} TendImportChangeKind;

typedef struct {
    TendImportChangeKind kind;
    char *uid;
    char *summary;
    gint64 start; /* instant, or all-day value */
    gboolean all_day;
} TendImportChange;

typedef struct {
    gint64 calendar_id; /* row in `calendars` */
    char *calendar;     /* the name it was imported as */
    guint added;
    guint updated;
    guint removed;
    guint unchanged;
    guint skipped;
    GPtrArray *warnings; /* char*, "family.ics: line 12: uid 'x': end before start", in
                          * file order; one per skipped event, plus notes such as a
                          * recurrence cut at TEND_ICAL_MAX_OCCURRENCES */
    GPtrArray *changes;  /* TendImportChange*: added, then updated, then removed, each by
                          * start */
    gboolean dry_run;    /* from ical_import_preview(): nothing was written */
} TendImportResult;

/* Frees what @result holds and zeroes it; safe on a zeroed result. */
void import_result_clear(TendImportResult *result);

/* Imports @path as the calendar @calendar_name (default: the file's X-WR-CALNAME,
 * else its base name). Re-importing the same calendar mirrors it: changed events are
 * updated, vanished ones removed, new ones added. Recurrences are expanded within
 * [now - 31 days, now + 400 days]. Either the whole import lands or nothing does.
 *
 * Events that cannot be read (no DTSTART, an impossible date, an unknown TZID, an
 * end before the start, a repeat rule too costly to expand, an over-long line or a
 * NUL byte) are skipped and named in out_result->warnings; the rest imports. The
 * whole file fails (TEND_ICAL_ERROR_READ or _INVALID) when it cannot be read, is a
 * folder, is empty, is not iCalendar or is over a size, nesting or component limit.
 * Events are "unchanged" when their text, DTSTAMP aside, is the same as last time: a
 * UID whose events all hash as stored is not even handed to libical.
 * @out_result must be zeroed or cleared; it is untouched on failure. */
/* An import split in two, so a front end can read and check a file before it opens (or
 * creates) the store: ical_import_read() checks limits and structure, reads the time
 * zones and hashes each event's text, with no store at hand; ical_import_apply() reads
 * the events that changed with libical, expands them and mirrors the result into the
 * store in one transaction. ical_import_preview() works out the same result (counts,
 * changes, warnings) and writes nothing. A batch is applied or previewed once. */
typedef struct _TendImportBatch TendImportBatch;
TendImportBatch *ical_import_read(const TendContext *ctx, const char *path, GError **error);
/* The same from memory; @name stands for the file in messages. */
TendImportBatch *ical_import_read_data(const TendContext *ctx, const char *name, const char *data,
                                       gsize len, GError **error);
/* How many VEVENTs the file holds. */
guint ical_import_batch_count(const TendImportBatch *batch);
gboolean ical_import_apply(TendStore *store, TendImportBatch *batch, const char *calendar_name,
                           TendImportResult *out_result, GError **error);
gboolean ical_import_preview(TendStore *store, TendImportBatch *batch, const char *calendar_name,
                             TendImportResult *out_result, GError **error);
void ical_import_batch_free(TendImportBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendImportBatch, ical_import_batch_free)

gboolean ical_import_file(TendStore *store, const TendContext *ctx, const char *path,
                          const char *calendar_name, TendImportResult *out_result, GError **error);

/* Whether a calendar whose imported_at is @imported_at has its repeats stored for all
 * of [from, to). */
gboolean ical_window_covers(gint64 imported_at, gint64 from, gint64 to);

typedef struct {
    gint64 event_id;
    gint64 start; /* instant, or all-day value */
    gint64 end;
} TendOccurrence;

/* The occurrences that the repeating events (RRULE) of calendar @calendar_id have in
 * [from, to), worked out again from each event's stored text (with its stored
 * overrides left out), for a window the stored expansion does not cover. Appends
 * TendOccurrence to @out_occurrences and adds the id (a g_free'd gint64*) of every
 * event it could work out to @out_event_ids; for the others (a zone only the original
 * file defined) the stored occurrences stand. All-day occurrences are date values, so
 * widen [from, to) by a day to catch them. */
gboolean ical_expand_stored(TendStore *store, const TendContext *ctx, gint64 calendar_id,
                            gint64 from, gint64 to, GArray *out_occurrences,
                            GHashTable *out_event_ids, GError **error);

typedef struct {
    gint64 from; /* only items that overlap [from, to); 0 and G_MAXINT64 for all */
    gint64 to;
    gboolean discreet;  /* neutral titles, CLASS:PRIVATE, no private text */
    gboolean no_alarms; /* leave VALARMs out */
} TendExportOptions;

/* The plan (stressors and activities) as an iCalendar document with CRLF line ends.
 * @options may be NULL for everything, with alarms. Timed items are written as local
 * wall times with a TZID (the stressor's own zone when it is a named zone, else
 * ctx->tzid) and one VTIMEZONE per TZID; UTC times when ctx->tzid is "UTC" or unknown.
 * Lines are folded at 75 octets, never inside a UTF-8 sequence. The same store,
 * options and clock give the same bytes. */
char *ical_export_plan(TendStore *store, const TendContext *ctx, const TendExportOptions *options,
                       GError **error);
/* Like ical_export_plan(), also counting the stressors and activities written. */
char *ical_export_plan_counted(TendStore *store, const TendContext *ctx,
                               const TendExportOptions *options, guint *out_stressors,
                               guint *out_activities, GError **error);

typedef struct {
    guint stressors; /* items in the plan */
    guint activities;
    guint written;   /* files new or changed */
    guint unchanged; /* files left as they were (DTSTAMP aside) */
    guint removed;   /* files of items that are gone */
} TendVdirResult;

/* Writes the plan into @dir (created 0700 when missing) as one .ics per item, for
 * vdirsyncer and khal: each file is a VCALENDAR with the item's VEVENT and the
 * VTIMEZONEs it uses, named after its UID (the same item keeps the same file), written
 * atomically and only when more than its DTSTAMP changed. Files of items tend wrote
 * before that are gone from the plan are removed (an item outside the window of
 * @options keeps its file); other files in @dir are left alone. */
gboolean ical_export_vdir(TendStore *store, const TendContext *ctx,
                          const TendExportOptions *options, const char *dir,
                          TendVdirResult *out_result, GError **error);

/* The live copy: plan.ics next to the database ($XDG_DATA_HOME/tend/plan.ics), the
 * whole plan with alarms, rewritten atomically (mode 0600 when new). Commands that
 * change the plan call ical_export_live() after they commit, so a calendar app
 * subscribed to the file follows the plan. */
char *ical_export_live_path(TendStore *store);
gboolean ical_export_live(TendStore *store, const TendContext *ctx, GError **error);

/* Writes @text to @path atomically: a temporary file in the same folder, fsync, rename
 * over @path, fsync the folder. A new file gets mode 0600 (it holds the plan), a
 * replaced one keeps its mode. A symbolic link is followed: the file it names is
 * replaced and the link stays. An existing file that is not a regular one (a pipe,
 * /dev/stdout) is written as it is. On failure the old file is left as it was, the
 * temporary file is removed, and the error names @path. */
gboolean ical_write_file_atomic(const char *path, const char *text, GError **error);

G_END_DECLS
