/* notifier.h: desktop notifications through libnotify.
 *
 * Text shown is made valid UTF-8 without control characters, kept short, and the body is
 * escaped for markup. Every call that talks to the session bus is bounded (a few seconds), so
 * a missing, stopped or hung notification server gives an error, never a long block or a
 * GLib-CRITICAL. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEND_NOTIFIER_ERROR (tend_notifier_error_quark())
GQuark tend_notifier_error_quark(void);

typedef enum {
    TEND_NOTIFIER_ERROR_NO_BUS,    /* no session bus to talk to */
    TEND_NOTIFIER_ERROR_NO_SERVER, /* the bus has no notification server */
    TEND_NOTIFIER_ERROR_TIMED_OUT, /* the server did not answer in time */
    TEND_NOTIFIER_ERROR_FAILED,    /* the server refused, or libnotify failed */
} TendNotifierError;

/* How long one bus connection or server check may take. */
#define TEND_NOTIFIER_TIMEOUT_MS 3000

/* Connects to the session bus and checks that a notification server answers. Safe to call
 * again: later calls only repeat the server check. Fails with a clear message when there is
 * no session bus or no server. */
gboolean notifier_init(GError **error);
void notifier_uninit(void);

/* Shows one notification (app "tend", normal urgency, category "x-tend.reminder"). @title
 * is plain text; @body is plain text and is escaped here. Checks the server first. */
gboolean notifier_show(const char *title, const char *body, GError **error);

G_END_DECLS
