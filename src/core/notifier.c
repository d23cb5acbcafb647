/* notifier.c: showing desktop notifications with libnotify, without ever hanging.
 *
 * libnotify's own calls wait up to 25 s for a stopped server and print a GLib-CRITICAL when
 * there is no bus, so before handing anything to it this file connects to the session bus and
 * asks the server for its information, each bounded by TEND_NOTIFIER_TIMEOUT_MS. Text is
 * cleaned here too: libnotify passes invalid UTF-8 and control characters on and then fails
 * noisily. Nothing here prints or exits.
 */
#include "tend/notifier.h"
#include "tend/library.h"

#include "config.h"

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

/* libnotify is opened when a reminder is first shown through it rather than linked
 * (library.h): with gdk-pixbuf and the image libraries it brings, loading it made every
 * tend command start 0.6 ms later (the agenda's whole budget is 20 ms). Only the functions
 * below are used. */
static TendLibrary libnotify_library;
static struct {
    gboolean (*is_initted)(void);
    gboolean (*init)(const char *app_name);
    void (*uninit)(void);
    NotifyNotification *(*notification_new)(const char *summary, const char *body,
                                            const char *icon);
    void (*set_app_name)(NotifyNotification *notification, const char *app_name);
    void (*set_urgency)(NotifyNotification *notification, NotifyUrgency urgency);
    void (*set_category)(NotifyNotification *notification, const char *category);
    gboolean (*show)(NotifyNotification *notification, GError **error);
} libnotify;

/* Opens libnotify and finds the functions above, once; FALSE with @error when it cannot. */
static gboolean libnotify_load(GError **error)
{
    const TendSymbol symbols[] = {
        {"notify_is_initted", (gpointer *)(void *)&libnotify.is_initted},
        {"notify_init", (gpointer *)(void *)&libnotify.init},
        {"notify_uninit", (gpointer *)(void *)&libnotify.uninit},
        {"notify_notification_new", (gpointer *)(void *)&libnotify.notification_new},
        {"notify_notification_set_app_name", (gpointer *)(void *)&libnotify.set_app_name},
        {"notify_notification_set_urgency", (gpointer *)(void *)&libnotify.set_urgency},
        {"notify_notification_set_category", (gpointer *)(void *)&libnotify.set_category},
        {"notify_notification_show", (gpointer *)(void *)&libnotify.show},
    };
    const char *failure = tend_library_open(&libnotify_library, TEND_LIBNOTIFY_SONAME, symbols,
                                            G_N_ELEMENTS(symbols));
    if (failure) {
        g_set_error(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_FAILED,
                    "cannot load %s, which shows the reminders: %s; install the package "
                    "libnotify4",
                    TEND_LIBNOTIFY_SONAME, failure);
        return FALSE;
    }
    return TRUE;
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
    if (!libnotify_load(error))
        return FALSE;
    if (!libnotify.is_initted() && !libnotify.init("tend")) {
        g_set_error_literal(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_FAILED,
                            "cannot start libnotify");
        return FALSE;
    }
    return TRUE;
}

void notifier_uninit(void)
{
    if (tend_library_opened(&libnotify_library) && libnotify.is_initted())
        libnotify.uninit();
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
        libnotify.notification_new(clean_title, body_text, NULL);
    libnotify.set_app_name(notification, "tend");
    libnotify.set_urgency(notification, NOTIFY_URGENCY_NORMAL);
    libnotify.set_category(notification, "x-tend.reminder");

    g_autoptr(GError) cause = NULL;
    if (!libnotify.show(notification, &cause)) {
        g_dbus_error_strip_remote_error(cause);
        g_set_error(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_FAILED,
                    "the notification server refused the reminder: %s", cause->message);
        return FALSE;
    }
    return TRUE;
}

/* ---- Asynchronous client ---- */

#define NOTIFY_NAME "org.freedesktop.Notifications"
#define NOTIFY_PATH "/org/freedesktop/Notifications"

struct _TendNotifierClient {
    GDBusConnection *bus;
    guint action_sub, closed_sub;
    guint owner_watch; /* watches who owns NOTIFY_NAME on the bus */
    char *owner;       /* the server's unique bus name, or NULL while none is known */
    gboolean caps_known, markup;
    GCancellable *cancellable; /* cancelled when the client is freed */
    guint in_flight;
    GQueue waiting; /* tasks waiting for the bus connection being made, in order */
    gboolean connecting;
    TendNotifierActionFunc on_action;
    TendNotifierClosedFunc on_closed;
    TendNotifierServerGoneFunc on_server_gone;
    gpointer data;
};

typedef struct {
    TendNotifierClient *client;
    char *title, *body;
    GStrv actions;
    guint32 replaces_id;
    int expire_ms;
    guint timeout_id; /* bounds connecting to the bus */
    GCancellable *connect_cancellable;
} ShowRequest;

static void show_request_free(ShowRequest *request)
{
    request->client->in_flight--;
    if (request->timeout_id)
        g_source_remove(request->timeout_id);
    g_clear_object(&request->connect_cancellable);
    g_free(request->title);
    g_free(request->body);
    g_strfreev(request->actions);
    g_free(request);
}

/* The same words as the synchronous path, for the same causes. */
static void set_call_error(GError *cause, GError **error)
{
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
}

/* Every notification shown so far is gone with its server, and a new server numbers its own
 * from 1 again: the ids known so far must not be matched to anything. */
static void server_gone(TendNotifierClient *client)
{
    g_clear_pointer(&client->owner, g_free);
    client->caps_known = FALSE;
    if (client->on_server_gone)
        client->on_server_gone(client->data);
}

static void client_drop_bus(TendNotifierClient *client)
{
    if (!client->bus)
        return;
    g_dbus_connection_signal_unsubscribe(client->bus, client->action_sub);
    g_dbus_connection_signal_unsubscribe(client->bus, client->closed_sub);
    g_bus_unwatch_name(client->owner_watch);
    client->owner_watch = 0;
    g_signal_handlers_disconnect_by_data(client->bus, client);
    g_clear_object(&client->bus);
    server_gone(client);
}

static void on_owner_appeared(GDBusConnection *bus, const char *name, const char *owner,
                              gpointer data)
{
    TendNotifierClient *client = data;
    (void)bus;
    (void)name;
    if (g_strcmp0(client->owner, owner) == 0)
        return;
    if (client->owner)
        server_gone(client); /* replaced without a gap */
    client->owner = g_strdup(owner);
}

static void on_owner_vanished(GDBusConnection *bus, const char *name, gpointer data)
{
    (void)bus;
    (void)name;
    server_gone(data);
}

static void on_bus_closed(GDBusConnection *bus, gboolean remote_peer_vanished, GError *cause,
                          gpointer data)
{
    (void)bus;
    (void)remote_peer_vanished;
    (void)cause;
    client_drop_bus(data);
}

static void on_signal(GDBusConnection *bus, const char *sender, const char *path,
                      const char *interface, const char *signal, GVariant *parameters,
                      gpointer data)
{
    TendNotifierClient *client = data;
    (void)bus;
    (void)path;
    (void)interface;
    /* Only the server tend talks to answers for tend's notifications; any other program on
     * the bus may send a signal of the same name. */
    if (!client->owner || g_strcmp0(sender, client->owner) != 0)
        return;
    if (g_str_equal(signal, "ActionInvoked") &&
        g_variant_is_of_type(parameters, G_VARIANT_TYPE("(us)"))) {
        guint32 id;
        const char *action;
        g_variant_get(parameters, "(u&s)", &id, &action);
        if (client->on_action)
            client->on_action(id, action, client->data);
    } else if (g_str_equal(signal, "NotificationClosed") &&
               g_variant_is_of_type(parameters, G_VARIANT_TYPE("(uu)"))) {
        guint32 id, reason;
        g_variant_get(parameters, "(uu)", &id, &reason);
        if (client->on_closed)
            client->on_closed(id, client->data);
    }
}

static void client_take_bus(TendNotifierClient *client, GDBusConnection *bus)
{
    client_drop_bus(client);
    client->bus = bus;
    /* The shared connection would end the whole process when the bus goes away. */
    g_dbus_connection_set_exit_on_close(bus, FALSE);
    g_signal_connect(bus, "closed", G_CALLBACK(on_bus_closed), client);
    client->action_sub =
        g_dbus_connection_signal_subscribe(bus, NULL, NOTIFY_NAME, "ActionInvoked", NOTIFY_PATH,
                                           NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_signal, client, NULL);
    client->closed_sub = g_dbus_connection_signal_subscribe(
        bus, NULL, NOTIFY_NAME, "NotificationClosed", NOTIFY_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
        on_signal, client, NULL);
    /* Subscribed first, so no change of owner can slip between the two. */
    client->owner_watch =
        g_bus_watch_name_on_connection(bus, NOTIFY_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                       on_owner_appeared, on_owner_vanished, client, NULL);
}

TendNotifierClient *notifier_client_new(TendNotifierActionFunc on_action,
                                        TendNotifierClosedFunc on_closed,
                                        TendNotifierServerGoneFunc on_server_gone, gpointer data)
{
    TendNotifierClient *client = g_new0(TendNotifierClient, 1);
    client->cancellable = g_cancellable_new();
    client->on_action = on_action;
    client->on_closed = on_closed;
    client->on_server_gone = on_server_gone;
    client->data = data;
    return client;
}

void notifier_client_free(TendNotifierClient *client)
{
    if (!client)
        return;
    g_cancellable_cancel(client->cancellable);
    /* Every call is bounded, and cancelled ones finish at once. */
    while (client->in_flight > 0)
        g_main_context_iteration(NULL, TRUE);
    client_drop_bus(client);
    g_object_unref(client->cancellable);
    g_free(client);
}

static void notify_done(GObject *source, GAsyncResult *result, gpointer data)
{
    GTask *task = data;
    ShowRequest *request = g_task_get_task_data(task);
    g_autoptr(GError) cause = NULL;
    g_autoptr(GVariant) reply =
        g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &cause);
    if (!reply) {
        GError *error = NULL;
        /* The call went out whole; a server this slow still has it queued. */
        if (g_error_matches(cause, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            error = g_error_new(TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_UNCONFIRMED,
                                "the notification server did not confirm it within %d seconds",
                                TEND_NOTIFIER_NOTIFY_TIMEOUT_MS / 1000);
        else
            set_call_error(cause, &error);
        request->client->caps_known = FALSE; /* ask again next time */
        g_task_return_error(task, error);
    } else {
        guint32 id;
        g_variant_get(reply, "(u)", &id);
        g_task_return_int(task, id);
    }
    g_object_unref(task);
}

static void send_notify(GTask *task)
{
    ShowRequest *request = g_task_get_task_data(task);
    TendNotifierClient *client = request->client;
    g_autofree char *title = clean_text(request->title, FALSE, TITLE_MAX_CHARS);
    g_autofree char *clean_body = clean_text(request->body, TRUE, BODY_MAX_CHARS);
    g_autofree char *body =
        client->markup ? g_markup_escape_text(clean_body, -1) : g_strdup(clean_body);
    GVariantBuilder actions, hints;
    g_variant_builder_init(&actions, G_VARIANT_TYPE("as"));
    for (guint i = 0; request->actions && request->actions[i] && request->actions[i + 1]; i += 2) {
        g_variant_builder_add(&actions, "s", request->actions[i]);
        g_variant_builder_add(&actions, "s", request->actions[i + 1]);
    }
    g_variant_builder_init(&hints, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&hints, "{sv}", "category", g_variant_new_string("x-tend.reminder"));
    g_variant_builder_add(&hints, "{sv}", "urgency", g_variant_new_byte(1));
    g_variant_builder_add(&hints, "{sv}", "desktop-entry", g_variant_new_string("tend"));
    g_dbus_connection_call(client->bus, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_NAME, "Notify",
                           g_variant_new("(susssasa{sv}i)", "tend", request->replaces_id, "", title,
                                         body, &actions, &hints, request->expire_ms),
                           G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE,
                           TEND_NOTIFIER_NOTIFY_TIMEOUT_MS, client->cancellable, notify_done, task);
}

static void caps_done(GObject *source, GAsyncResult *result, gpointer data)
{
    GTask *task = data;
    ShowRequest *request = g_task_get_task_data(task);
    TendNotifierClient *client = request->client;
    g_autoptr(GError) cause = NULL;
    g_autoptr(GVariant) reply =
        g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &cause);
    if (!reply) {
        GError *error = NULL;
        set_call_error(cause, &error);
        g_task_return_error(task, error);
        g_object_unref(task);
        return;
    }
    g_autofree const char **caps = NULL;
    g_variant_get(reply, "(^a&s)", &caps);
    client->markup = g_strv_contains(caps, "body-markup");
    client->caps_known = TRUE;
    if (client->bus)
        send_notify(task);
    else {
        g_task_return_new_error(task, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_NO_BUS,
                                "the desktop session bus went away");
        g_object_unref(task);
    }
}

/* Asking for the capabilities first also tells a missing server apart, within the bound. */
static void ask_caps_then_notify(GTask *task)
{
    ShowRequest *request = g_task_get_task_data(task);
    TendNotifierClient *client = request->client;
    if (client->caps_known) {
        send_notify(task);
        return;
    }
    g_dbus_connection_call(client->bus, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_NAME, "GetCapabilities",
                           NULL, G_VARIANT_TYPE("(as)"), G_DBUS_CALL_FLAGS_NONE,
                           TEND_NOTIFIER_TIMEOUT_MS, client->cancellable, caps_done, task);
}

static gboolean connect_timed_out(gpointer data)
{
    ShowRequest *request = data;
    request->timeout_id = 0;
    g_cancellable_cancel(request->connect_cancellable);
    return G_SOURCE_REMOVE;
}

static void fail_task(GTask *task, GError *error)
{
    g_task_return_error(task, error);
    g_object_unref(task);
}

static void bus_connected(GObject *source, GAsyncResult *result, gpointer data)
{
    TendNotifierClient *client = data;
    g_autoptr(GError) cause = NULL;
    (void)source;
    GDBusConnection *bus = g_bus_get_finish(result, &cause);
    GTask *first = g_queue_peek_head(&client->waiting);
    ShowRequest *request = first ? g_task_get_task_data(first) : NULL;
    gboolean timed_out = request && request->timeout_id == 0;
    if (request && request->timeout_id) {
        g_source_remove(request->timeout_id);
        request->timeout_id = 0;
    }
    client->connecting = FALSE;
    if (bus && g_dbus_connection_is_closed(bus)) {
        g_clear_object(&bus);
        g_clear_error(&cause);
        cause = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CLOSED, "it closed the connection");
    }
    if (bus) {
        if (client->bus != bus)
            client_take_bus(client, bus);
        else
            g_object_unref(bus);
    }
    GTask *task;
    while ((task = g_queue_pop_head(&client->waiting))) {
        if (client->bus) {
            ask_caps_then_notify(task);
        } else {
            const char *why = cause ? cause->message : "unknown reason";
            if (timed_out || g_error_matches(cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                why = "it did not answer within 3 seconds";
            fail_task(task, g_error_new(TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_NO_BUS,
                                        "cannot reach the desktop session bus (%s)", why));
        }
    }
}

void notifier_client_show_async(TendNotifierClient *client, const char *title, const char *body,
                                const char *const *actions, guint32 replaces_id, int expire_ms,
                                GAsyncReadyCallback callback, gpointer data)
{
    GTask *task = g_task_new(NULL, client->cancellable, callback, data);
    ShowRequest *request = g_new0(ShowRequest, 1);
    request->client = client;
    request->title = g_strdup(title);
    request->body = g_strdup(body);
    request->actions = g_strdupv((char **)actions);
    request->replaces_id = replaces_id;
    request->expire_ms = expire_ms;
    client->in_flight++;
    g_task_set_task_data(task, request, (GDestroyNotify)show_request_free);

    if (client->bus && !g_dbus_connection_is_closed(client->bus)) {
        ask_caps_then_notify(task);
        return;
    }
    /* Requests made while connecting wait for that connection, so they go out in order. */
    g_queue_push_tail(&client->waiting, task);
    if (client->connecting)
        return;
    client_drop_bus(client);
    client->connecting = TRUE;
    /* g_bus_get() has no timeout and would wait forever on a stopped bus daemon. */
    request->connect_cancellable = g_cancellable_new();
    request->timeout_id = g_timeout_add(TEND_NOTIFIER_TIMEOUT_MS, connect_timed_out, request);
    g_bus_get(G_BUS_TYPE_SESSION, request->connect_cancellable, bus_connected, client);
}

gboolean notifier_client_show_finish(TendNotifierClient *client, GAsyncResult *result,
                                     guint32 *out_id, GError **error)
{
    (void)client;
    GError *local = NULL;
    gssize id = g_task_propagate_int(G_TASK(result), &local);
    if (local) {
        g_propagate_error(error, local);
        return FALSE;
    }
    *out_id = (guint32)id;
    return TRUE;
}
