/* notifier.c: showing desktop notifications with libnotify, without ever hanging.
 *
 * libnotify's own calls wait up to 25 s for a stopped server and print a GLib-CRITICAL when
 * there is no bus, so before handing anything to it this file connects to the session bus and
 * asks the server for its information, each bounded by TEND_NOTIFIER_TIMEOUT_MS. Text is
 * cleaned here too: libnotify passes invalid UTF-8 and control characters on and then fails
 * noisily. Nothing here prints or exits.
 */
#include "tend/notifier.h"

#include <gio/gio.h>
#include <libnotify/notify.h>
#include <string.h>

G_DEFINE_QUARK(tend - notifier - error - quark, tend_notifier_error)

/* libnotify 0.8.1 does not declare one. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NotifyNotification, g_object_unref)

#define TITLE_MAX_CHARS 120
#define BODY_MAX_CHARS 400

/* The process's session bus once connected; libnotify shares the same singleton. */
static GDBusConnection *session_bus;
/* Whether the server reads bodies as markup (its "body-markup" capability). */
static gboolean body_markup;

typedef struct {
    GDBusConnection *bus;
    GError *error;
    gboolean done;
} BusWait;

static void bus_ready(GObject *source, GAsyncResult *result, gpointer data)
{
    BusWait *wait = data;
    (void)source;
    wait->bus = g_bus_get_finish(result, &wait->error);
    wait->done = TRUE;
}

static gboolean bus_timeout(gpointer data)
{
    g_cancellable_cancel(G_CANCELLABLE(data));
    return G_SOURCE_REMOVE;
}

/* g_bus_get_sync() has no timeout and would wait forever on a stopped bus daemon: connect
 * asynchronously on a private main context and cancel after the timeout. */
static GDBusConnection *bus_get_bounded(GError **error)
{
    g_autoptr(GMainContext) context = g_main_context_new();
    g_autoptr(GCancellable) cancellable = g_cancellable_new();
    BusWait wait = {0};

    g_main_context_push_thread_default(context);
    g_bus_get(G_BUS_TYPE_SESSION, cancellable, bus_ready, &wait);
    g_autoptr(GSource) timeout = g_timeout_source_new(TEND_NOTIFIER_TIMEOUT_MS);
    g_source_set_callback(timeout, bus_timeout, cancellable, NULL);
    g_source_attach(timeout, context);
    while (!wait.done)
        g_main_context_iteration(context, TRUE);
    g_source_destroy(timeout);
    g_main_context_pop_thread_default(context);

    if (!wait.bus) {
        g_autoptr(GError) cause = wait.error;
        const char *why = cause ? cause->message : "unknown reason";
        if (g_error_matches(cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            why = "it did not answer within 3 seconds";
        g_set_error(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_NO_BUS,
                    "cannot reach the desktop session bus (%s)", why);
        return NULL;
    }
    return wait.bus;
}

/* Asks the notification server who it is, bounded, so that a missing or hung server is
 * found here rather than inside libnotify. */
static gboolean check_server(GDBusConnection *bus, GError **error)
{
    g_autoptr(GError) cause = NULL;
    g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
        bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications", "GetServerInformation", NULL, G_VARIANT_TYPE("(ssss)"),
        G_DBUS_CALL_FLAGS_NONE, TEND_NOTIFIER_TIMEOUT_MS, NULL, &cause);
    if (reply)
        return TRUE;

    g_autofree char *remote = g_dbus_error_get_remote_error(cause);
    if (g_error_matches(cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        g_set_error_literal(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_TIMED_OUT,
                            "the notification server did not answer within 3 seconds");
    } else if (g_strcmp0(remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
               g_strcmp0(remote, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0) {
        g_set_error_literal(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_NO_SERVER,
                            "no notification server is running in your desktop session");
    } else {
        g_dbus_error_strip_remote_error(cause);
        g_set_error(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_FAILED,
                    "the notification server cannot be reached: %s", cause->message);
    }
    return FALSE;
}

/* Servers without "body-markup" show the body as it comes, entities and all. */
static gboolean server_reads_markup(GDBusConnection *bus)
{
    g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
        bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications", "GetCapabilities", NULL, G_VARIANT_TYPE("(as)"),
        G_DBUS_CALL_FLAGS_NONE, TEND_NOTIFIER_TIMEOUT_MS, NULL, NULL);
    if (!reply)
        return TRUE; /* escaping is the safe guess */
    g_autofree const char **caps = NULL;
    g_variant_get(reply, "(^a&s)", &caps);
    return g_strv_contains(caps, "body-markup");
}

gboolean notifier_init(GError **error)
{
    if (!session_bus) {
        GDBusConnection *bus = bus_get_bounded(error);
        if (!bus)
            return FALSE;
        if (!check_server(bus, error)) {
            g_object_unref(bus);
            return FALSE;
        }
        body_markup = server_reads_markup(bus);
        session_bus = bus;
    } else if (!check_server(session_bus, error)) {
        return FALSE;
    }
    if (!notify_is_initted() && !notify_init("tend")) {
        g_set_error_literal(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_FAILED,
                            "cannot start libnotify");
        return FALSE;
    }
    return TRUE;
}

void notifier_uninit(void)
{
    if (notify_is_initted())
        notify_uninit();
    g_clear_object(&session_bus);
}

/* Valid UTF-8, control characters turned into spaces (newlines kept when @keep_newlines),
 * at most @max_chars characters with an ellipsis when cut. */
static char *clean_text(const char *text, gboolean keep_newlines, glong max_chars)
{
    g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
    GString *clean = g_string_sized_new(strlen(valid));
    glong count = 0;

    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (count == max_chars - 1 && g_utf8_strlen(p, -1) > 1) {
            g_string_append_unichar(clean, 0x2026); /* … */
            break;
        }
        if (g_unichar_iscntrl(c) && !(keep_newlines && c == '\n'))
            c = ' ';
        g_string_append_unichar(clean, c);
        count++;
    }
    return g_string_free(clean, FALSE);
}

gboolean notifier_show(const char *title, const char *body, GError **error)
{
    if (!notifier_init(error))
        return FALSE;

    g_autofree char *clean_title = clean_text(title, FALSE, TITLE_MAX_CHARS);
    g_autofree char *clean_body = clean_text(body, TRUE, BODY_MAX_CHARS);
    /* A server with body-markup reads the body as markup (the summary never is); one
     * without shows it as it comes, where escapes would be seen literally. */
    g_autofree char *body_text =
        body_markup ? g_markup_escape_text(clean_body, -1) : g_strdup(clean_body);

    g_autoptr(NotifyNotification) notification =
        notify_notification_new(clean_title, body_text, NULL);
    notify_notification_set_app_name(notification, "tend");
    notify_notification_set_urgency(notification, NOTIFY_URGENCY_NORMAL);
    notify_notification_set_category(notification, "x-tend.reminder");

    g_autoptr(GError) cause = NULL;
    if (!notify_notification_show(notification, &cause)) {
        g_dbus_error_strip_remote_error(cause);
        g_set_error(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_FAILED,
                    "the notification server refused the reminder: %s", cause->message);
        return FALSE;
    }
    return TRUE;
}
