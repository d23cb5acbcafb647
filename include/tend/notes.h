/* notes.h: the private journal.
 *
 * Notes are the most private thing tend holds. Their text never leaves the
 * machine unless the person exports it, and removing a note scrubs it from the
 * database file. Search is full text (FTS5). Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/store.h"

G_BEGIN_DECLS

typedef struct {
    gint64 id;
    gint64 created; /* instant */
    char *text;
    int mood;   /* 0..10, or -1 when not given */
    int stress; /* 0..10, or -1 when not given */
    gint64 stressor_id; /* 0 when not linked */
    GPtrArray *tags;    /* char* */
} TendNote;

TendNote *note_new(void);
void note_free(TendNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendNote, note_free)

/* Checks the ranges and that a linked stressor exists, then stores @note, filling
 * in its id and created time. */
gboolean notes_add(TendStore *store, TendNote *note, gint64 now, GError **error);
/* All notes, newest first. */
GPtrArray *notes_list(TendStore *store, GError **error);
/* Notes matching an FTS5 query ("crêpe*", "mum AND kitchen"), best match first. */
GPtrArray *notes_search(TendStore *store, const char *query, GError **error);
/* Removes the note and scrubs its text from the file. */
gboolean notes_remove(TendStore *store, gint64 id, GError **error);

G_END_DECLS
