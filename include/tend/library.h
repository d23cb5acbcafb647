/* library.h: a system library opened when first needed rather than linked.
 *
 * tend links only what every command uses. A library that one command needs, and that is
 * costly to load at every start (libcrypto binds its 4,000 symbols as it loads; libnotify
 * brings gdk-pixbuf and the image libraries), is opened by that command's first call and
 * its functions found by name. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A function to find: its name, and where its address goes (a function pointer, passed as
 * (gpointer *)(void *)&pointer). */
typedef struct {
    const char *name;
    gpointer *slot;
} TendSymbol;

/* One library's state; a static zeroed one per library. */
typedef struct {
    gsize done;
    gboolean opened; /* every symbol was found */
    char *failure;   /* why it could not be opened, kept for every later call */
} TendLibrary;

/* Opens the library @soname the first time it is called for @library (from any thread) and
 * fills each of @symbols. Returns NULL once they are all found, else why not (the same text
 * on every later call; owned by @library). */
const char *tend_library_open(TendLibrary *library, const char *soname, const TendSymbol *symbols,
                              guint n_symbols);

/* Whether tend_library_open() found every symbol of @library (FALSE before the first call). */
gboolean tend_library_opened(TendLibrary *library);

G_END_DECLS
