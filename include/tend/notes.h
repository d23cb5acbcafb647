/* notes.h: the private journal.
 *
 * Notes are the most private thing tend holds. Their text never leaves the
 * machine unless the person exports it, and removing a note scrubs it from the
 * database file. Search is full text (FTS5). Nothing here prints or exits.
 *
 * Invariants:
 * - Stored text is valid UTF-8 with no control characters but newline and tab,
 *   trimmed, and never empty.
 * - Tags are one word each: trimmed, a leading '#' dropped, lowercased, NFC,
 *   no spaces or commas, at most TEND_NOTE_TAG_MAX characters, no duplicates.
 *   They are listed in alphabetical order.
 * - Bad input is a G_IO_ERROR_INVALID_ARGUMENT (the person can fix what they
 *   typed); a missing stressor is TEND_STORE_ERROR_NOT_FOUND.
 */
#pragma once

#include <glib.h>

#include "tend/store.h"

G_BEGIN_DECLS

typedef struct {
    gint64 id;
    gint64 created; /* instant */
    char *text;
    int mood;           /* 0..10, or -1 when not given */
    int stress;         /* 0..10, or -1 when not given */
    gint64 stressor_id; /* 0 when not linked */
    gint64 activity_id; /* 0 when not linked; see TEND_NOTE_ACTIVITY_TAG */
    GPtrArray *tags;    /* char*, without the activity link */
} TendNote;

TendNote *note_new(void);
void note_free(TendNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendNote, note_free)

#define TEND_NOTE_TAG_MAX 64

/* Schema v3 has no column for a note's activity, so the link is kept as a reserved tag
 * "activity:ID" in note_tags. It never shows among TendNote.tags (it fills activity_id
 * instead), and a person cannot type a tag that starts with it. */
#define TEND_NOTE_ACTIVITY_TAG "activity:"

/* @text as it can be stored and shown: invalid UTF-8 repaired (U+FFFD), control
 * characters other than newline and tab removed. Not trimmed. */
char *notes_clean_text(const char *text);

/* Checks the text, ranges, tags and that a linked stressor and activity exist, then stores
 * @note and its tags, filling in its id and created time and replacing text and
 * tags with their cleaned forms. Runs inside the caller's write transaction
 * (store_begin() ... store_commit()), like stressor_add(); @note is untouched on
 * failure. A note linked to an activity is also linked to the activity's stressor (a
 * different --stressor is refused). */
gboolean notes_add(TendStore *store, TendNote *note, gint64 now, GError **error);
/* All notes, newest first (then highest id). Element type TendNote. */
GPtrArray *notes_list(TendStore *store, GError **error);

/* Notes created in [from, to), oldest first (then lowest id). Element type TendNote. */
GPtrArray *notes_list_between(TendStore *store, gint64 from, gint64 to, GError **error);

/* Turns what a person typed into an FTS5 query. A query with a double quote or a
 * parenthesis is taken as FTS5 syntax as it is (phrases, NEAR, grouping). Otherwise
 * each word becomes a quoted phrase, so "don't", "mum's", "9:30" and "-" are searched
 * as typed; a trailing '*' stays a prefix search ("kitch*"), and AND, OR and NOT
 * in capitals between two words stay operators. NULL when there is no word. */
char *notes_query_to_fts(const char *query);
/* Notes matching @query (see notes_query_to_fts(): crêpe*, mum OR dad, or a
 * "quoted phrase"), best match (bm25) first, newest first among equals. Accents
 * are ignored, so "crepe" finds "Crêpes". A query FTS5 cannot read is a
 * G_IO_ERROR_INVALID_ARGUMENT saying why. */
GPtrArray *notes_search(TendStore *store, const char *query, GError **error);

/* Removes note @id (its tags go with it) and scrubs its words from the database
 * file and WAL (FTS optimize, secure_delete, checkpoint TRUNCATE). The scrub needs
 * the delete committed, so this runs its own write transaction: call it outside
 * one. TEND_STORE_ERROR_NOT_FOUND when there is no such note. */
gboolean notes_remove(TendStore *store, gint64 id, GError **error);

G_END_DECLS
