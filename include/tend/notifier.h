/* notifier.h: desktop notifications through libnotify.
 *
 * Text shown is made valid UTF-8 without control characters, kept short, and the body is
 * escaped for markup. Every call that talks to the session bus is bounded (a few seconds), so
 * a missing, stopped or hung notification server gives an error, never a long block or a
 * GLib-CRITICAL. Nothing here prints or exits.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>

G_BEGIN_DECLS

#define TEND_NOTIFIER_ERROR (tend_notifier_error_quark())
GQuark tend_notifier_error_quark(void);

typedef enum {
    TEND_NOTIFIER_ERROR_NO_BUS,    /* no session bus to talk to */
    TEND_NOTIFIER_ERROR_NO_SERVER, /* the bus has no notification server */
    TEND_NOTIFIER_ERROR_TIMED_OUT, /* the server did not answer in time */
    TEND_NOTIFIER_ERROR_FAILED,    /* the server refused, or libnotify failed */
    /* The server was handed the notification but did not confirm it in time: it may well
     * show it once it catches up, so it must not be sent again. */
    TEND_NOTIFIER_ERROR_UNCONFIRMED,
} TendNotifierError;

/* How long one bus connection or server check may take. */
#define TEND_NOTIFIER_TIMEOUT_MS 3000
/* How long the asynchronous client waits for the server to confirm a Notify call. Nothing
 * waits meanwhile, and a busy desktop (just after a resume, say) may take seconds. */
#define TEND_NOTIFIER_NOTIFY_TIMEOUT_MS 25000

/* Connects to the session bus and checks that a notification server answers. Safe to call
 * again: later calls only repeat the server check. Fails with a clear message when there is
 * no session bus or no server. */
gboolean notifier_init(GError **error);
void notifier_uninit(void);

/* Shows one notification (app "tend", normal urgency, category "x-tend.reminder"). @title
 * is plain text; @body is plain text and is escaped here. Checks the server first. */
gboolean notifier_show(const char *title, const char *body, GError **error);

/* ---- Asynchronous notifications with buttons, for the reminder service ----
 *
 * A TendNotifierClient never blocks the main loop: connecting to the bus and every call to
 * the server run asynchronously on the thread-default main context, each bounded:
 * connecting and asking the server's capabilities by TEND_NOTIFIER_TIMEOUT_MS, the Notify
 * call itself by TEND_NOTIFIER_NOTIFY_TIMEOUT_MS. The bus connection is made on first use and made
 * again after the bus goes away. Buttons pressed and notifications closed arrive through the
 * callbacks. */
typedef struct _TendNotifierClient TendNotifierClient;
typedef void (*TendNotifierActionFunc)(guint32 id, const char *action, gpointer data);
typedef void (*TendNotifierClosedFunc)(guint32 id, gpointer data);
/* The notification server went away or another took its place (or the bus itself went):
 * the notifications shown so far are gone, and the ids they had may be given to other
 * programs' notifications by the next server. */
typedef void (*TendNotifierServerGoneFunc)(gpointer data);

/* Buttons and closings are passed on only when they come from the server that owns the
 * notification service's name on the bus at the time. */
TendNotifierClient *notifier_client_new(TendNotifierActionFunc on_action,
                                        TendNotifierClosedFunc on_closed,
                                        TendNotifierServerGoneFunc on_server_gone, gpointer data);
/* Cancels what is in flight and waits (briefly, on the thread-default context) for it to
 * finish, then frees the client. */
void notifier_client_free(TendNotifierClient *client);

/* Shows (or, with @replaces_id, replaces) a notification. @actions is NULL or a
 * NULL-terminated list of action key, label pairs ("default" is a click on the body).
 * @expire_ms is -1 for the server's default. Text is cleaned and escaped as for
 * notifier_show(). */
void notifier_client_show_async(TendNotifierClient *client, const char *title, const char *body,
                                const char *const *actions, guint32 replaces_id, int expire_ms,
                                GAsyncReadyCallback callback, gpointer data);
/* The id the server gave the notification in *out_id. Fails with a TEND_NOTIFIER_ERROR;
 * TEND_NOTIFIER_ERROR_UNCONFIRMED means the server has it but did not confirm in time. */
gboolean notifier_client_show_finish(TendNotifierClient *client, GAsyncResult *result,
                                     guint32 *out_id, GError **error);

G_END_DECLS
