/* remind-daemon.c: `tend remind --daemon`, the reminder service.
 *
 * One GLib main loop, and it sleeps. It wakes only when
 *  - the next reminder is due: a timerfd on CLOCK_REALTIME with TFD_TIMER_ABSTIME and
 *    TFD_TIMER_CANCEL_ON_SET, so a clock change or a resume wakes it at once (the read then
 *    fails with ECANCELED) and it looks again;
 *  - the database changes: file monitors on the database and its -wal; PRAGMA data_version
 *    tells another process's change from its own writes;
 *  - the time zone may have changed: file monitors on /etc/localtime, /etc/timezone and a
 *    file named by TZ; each look reads the zone again, so 09:00 stays 09:00 where one is;
 *  - a button is pressed or a notification closed (D-Bus signals);
 *  - a signal: TERM/INT stop it, HUP reads tend.conf again, USR1 means "the clock jumped".
 * There is no periodic timer. A reminder that cannot be shown (no bus, no server, a hung one)
 * keeps its place and is tried again with a growing pause (30 s doubling up to 15 min); the
 * failure is written to stderr once, and every D-Bus call is asynchronous and bounded, so the
 * loop never blocks.
 *
 * Exactly once: each reminder is claimed in the reminder log before it is shown (as
 * `tend remind --once` does), only one service runs per database (an flock on
 * "<database>.remind.lock"), and reminders missed while away are claimed as "missed" in the
 * same step that counts them for the one summary.
 *
 * Test hooks (documented in README, harmless in real use): with TEND_NOW_FILE set, the clock
 * starts from the instant written in that file and SIGUSR1 reads it again, which is how the
 * tests make "the wall clock jumped" or "the machine resumed" without touching the machine's
 * clock. --exit-after N stops after N notifications were shown.
 */
#include "remind-daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "tend/alarms.h"
#include "tend/cli.h"
#include "tend/notifier.h"
#include "tend/planner.h"

#define RETRY_FIRST_SECONDS 30
#define RETRY_MAX_SECONDS (15 * 60)
#define IDLE_HORIZON (365 * TEND_DAY_SECONDS)
#define CONFIRM_EXPIRE_MS 6000

typedef struct {
    TendContext ctx;
    TendReminderSettings settings;
    TendStore *store;
    GMainLoop *loop;
    int timer_fd;
    int lock_fd;
    const char *time_file;
    GFileMonitor *monitors[2];
    GFileMonitor *zone_monitors[3];
    gint64 data_version;
    TendNotifierClient *notifier;
    GHashTable *showing; /* "type:id:fire" of reminders being shown -> their Showing */
    GHashTable *hints;   /* Showing of plan hints on their way (a set) */
    GHashTable *shown;   /* notification id -> TendReminder, waiting for an answer */
    guint servers;       /* notification servers gone so far: ids from before are void */
    GPtrArray *summary;  /* missed reminders whose summary is being shown, or NULL */
    GPtrArray *passed;   /* reminders a zone change made too late to show, to sum up */
    gint64 retry_at;     /* while showing fails: when to try again; else 0 */
    guint failures;      /* failures in a row */
    gint64 armed_for;    /* program time the timer is set for */
    gboolean catch_up;   /* a resume or clock change is to be looked at */
    guint exit_after;    /* 0: run until stopped */
    guint shown_count;
    int status;
} Daemon;

static void process(Daemon *d, gboolean catch_up);

static char *reminder_key(const TendReminder *reminder)
{
    return g_strdup_printf("%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                           agenda_item_type_to_string(reminder->type), reminder->item_id,
                           reminder->fire_at);
}

static TendReminder *reminder_copy(const TendReminder *reminder)
{
    TendReminder *copy = g_new(TendReminder, 1);
    *copy = *reminder;
    copy->title = g_strdup(reminder->title);
    copy->summary = g_strdup(reminder->summary);
    return copy;
}

static gint64 now_of(Daemon *d)
{
    return tend_clock_now(&d->ctx.clock);
}

/* Real time, for arming the timer only: everything else runs on the program's clock. */
static gint64 real_now(void)
{
    return g_get_real_time() / G_USEC_PER_SEC;
}

/* Test hook: sets the program's clock to the instant in TEND_NOW_FILE (it runs on from there). */
static void read_time_file(Daemon *d)
{
    g_autofree char *text = NULL;
    gint64 instant;
    if (d->time_file && g_file_get_contents(d->time_file, &text, NULL, NULL) &&
        tend_time_parse_instant(g_strstrip(text), d->ctx.tz, &instant, NULL)) {
        d->ctx.clock.base_utc = instant;
        d->ctx.clock.base_mono = g_get_monotonic_time();
    }
}

/* Brings the program's clock up to date. Without TEND_NOW it is re-read from the real clock,
 * since it otherwise runs on the monotonic clock, which stops during suspend. */
static void refresh_clock(Daemon *d)
{
    if (!d->time_file && !g_getenv("TEND_NOW"))
        tend_clock_init(&d->ctx.clock, NULL);
}

static void note_failure(Daemon *d, const GError *error)
{
    gint64 pause = RETRY_FIRST_SECONDS;
    for (guint i = 0; i < d->failures && pause < RETRY_MAX_SECONDS; i++)
        pause *= 2;
    pause = MIN(pause, RETRY_MAX_SECONDS);
    if (d->failures == 0)
        fprintf(stderr,
                "tend: warning: could not show a reminder: %s; it stays due and will be "
                "tried again (first in %" G_GINT64_FORMAT " seconds)\n",
                error->message, pause);
    d->failures++;
    d->retry_at = now_of(d) + pause;
}

static void note_success(Daemon *d)
{
    if (d->failures > 0)
        printf("Notifications work again.\n");
    d->failures = 0;
    d->retry_at = 0;
}

static void count_shown(Daemon *d)
{
    d->shown_count++;
    if (d->exit_after > 0 && d->shown_count >= d->exit_after)
        g_main_loop_quit(d->loop);
}

/* What the service's own output (often the system journal) calls a reminder: its title, or
 * nothing that names the event when the person chose discreet reminders. */
static const char *log_title(Daemon *d, const TendReminder *reminder)
{
    return d->settings.discreet ? "a reminder" : reminder->title;
}

/* ---- showing reminders ---- */

static const char *const reminder_actions[] = {
    "default", "Show my plan", "done", "Done", "snooze", "Snooze", "skip", "Skip", NULL,
};

/* The buttons of a reminder, with the snooze's length on its label. */
static GStrv reminder_buttons(Daemon *d)
{
    GStrv actions = g_strdupv((char **)reminder_actions);
    g_free(actions[5]);
    actions[5] = g_strdup_printf("Snooze %d min", d->settings.snooze_minutes);
    return actions;
}

typedef struct {
    Daemon *daemon;
    TendReminder *reminder;
    guint32 replaces; /* the notification a plan hint replaces, or 0 */
    guint servers;    /* Daemon.servers when it was sent */
} Showing;

static void reminder_shown(GObject *source, GAsyncResult *result, gpointer data)
{
    Showing *showing = data;
    Daemon *d = showing->daemon;
    g_autoptr(TendReminder) reminder = showing->reminder;
    g_autofree char *key = reminder_key(reminder);
    g_autoptr(GError) error = NULL;
    guint32 id = 0;
    (void)source;
    g_free(showing);
    g_hash_table_remove(d->showing, key);

    gboolean shown = notifier_client_show_finish(d->notifier, result, &id, &error);
    /* A server that is only slow shows it when it catches up: sending it again at the retry
     * would show it twice, so it keeps its claim and counts as shown. */
    gboolean unconfirmed =
        g_error_matches(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_UNCONFIRMED);
    if (unconfirmed) {
        fprintf(stderr,
                "tend: warning: %s; the reminder counts as shown, so it never comes twice\n",
                error->message);
        g_clear_error(&error);
    } else if (!shown) {
        g_autoptr(GError) db_error = NULL;
        if (!alarms_release(d->store, reminder, &db_error))
            fprintf(stderr, "tend: warning: %s\n", db_error->message);
        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return; /* stopping: it stays due for next time */
        note_failure(d, error);
        process(d, FALSE);
        return;
    }
    if (!unconfirmed)
        note_success(d);
    g_autofree char *due = tend_format_local(reminder->due_at, d->ctx.tz, "%H:%M");
    printf("Shown: %s (due %s)\n", log_title(d, reminder), due);
    if (!alarms_record_outcome(d->store, reminder, "shown", now_of(d), &error))
        fprintf(stderr, "tend: warning: the reminder was shown but could not be marked: %s\n",
                error->message);
    if (!unconfirmed) /* else its id is unknown: its buttons cannot be told apart */
        g_hash_table_replace(d->shown, GUINT_TO_POINTER(id), g_steal_pointer(&reminder));
    count_shown(d);
}

static void show_reminder(Daemon *d, const TendReminder *reminder)
{
    g_autofree char *key = reminder_key(reminder);
    g_autoptr(GError) error = NULL;
    gboolean claimed = FALSE;
    if (g_hash_table_contains(d->showing, key))
        return;
    if (!alarms_claim(d->store, reminder, now_of(d), &claimed, &error)) {
        fprintf(stderr, "tend: warning: %s\n", error->message);
        return;
    }
    if (!claimed)
        return; /* `tend remind --once` has it */
    g_auto(GStrv) actions = reminder_buttons(d);
    Showing *showing = g_new0(Showing, 1);
    showing->daemon = d;
    showing->reminder = reminder_copy(reminder);
    g_hash_table_insert(d->showing, g_steal_pointer(&key), showing);
    notifier_client_show_async(d->notifier, reminder->title, reminder->summary,
                               (const char *const *)actions, 0, -1, reminder_shown, showing);
}

static gboolean same_reminder(gconstpointer a, gconstpointer b)
{
    const TendReminder *x = a, *y = b;
    return x->type == y->type && x->item_id == y->item_id && x->fire_at == y->fire_at;
}

/* Keeps @reminder (a copy) to be summed up as missed at the next look back, once. */
static void add_passed(Daemon *d, const TendReminder *reminder)
{
    if (!g_ptr_array_find_with_equal_func(d->passed, reminder, same_reminder, NULL))
        g_ptr_array_add(d->passed, reminder_copy(reminder));
}

/* Adds to @missed (copies) the reminders a zone change made too late to show, unless the
 * look back found them too. One that is not too late at @now (the clock was put back since)
 * is left to come at its time. */
static void take_passed(Daemon *d, GPtrArray *missed, gint64 now)
{
    gint64 late = now - (gint64)d->settings.grace_minutes * 60;
    for (guint i = 0; i < d->passed->len; i++) {
        const TendReminder *reminder = d->passed->pdata[i];
        if (reminder->due_at <= late &&
            !g_ptr_array_find_with_equal_func(missed, reminder, same_reminder, NULL))
            g_ptr_array_add(missed, reminder_copy(reminder));
    }
}

static void summary_shown(GObject *source, GAsyncResult *result, gpointer data)
{
    Daemon *d = data;
    g_autoptr(GPtrArray) missed = g_steal_pointer(&d->summary);
    g_autoptr(GError) error = NULL;
    guint32 id;
    (void)source;
    if (!notifier_client_show_finish(d->notifier, result, &id, &error) &&
        g_error_matches(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_UNCONFIRMED)) {
        /* As for a reminder: the server has it, so it is not sent again. */
        fprintf(stderr, "tend: warning: %s; the summary counts as shown, so it never comes twice\n",
                error->message);
        g_clear_error(&error);
    } else if (error) {
        g_autoptr(GError) db_error = NULL;
        if (!alarms_release_missed(d->store, missed, &db_error))
            fprintf(stderr, "tend: warning: %s\n", db_error->message);
        /* The look back starts from the last look, which may be past them now. */
        for (guint i = 0; i < missed->len; i++)
            add_passed(d, missed->pdata[i]);
        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return;
        d->catch_up = TRUE;
        note_failure(d, error);
        process(d, FALSE);
        return;
    } else {
        note_success(d);
    }
    printf("Shown: %u %s passed while you were away\n", missed->len,
           missed->len == 1 ? "reminder" : "reminders");
    count_shown(d);
    if (d->catch_up)
        process(d, FALSE); /* a look back that waited for this summary */
}

/* Reminders older than the grace period that passed while away: one gentle summary. */
static gboolean summarise_missed(Daemon *d, gint64 now)
{
    g_autoptr(GError) error = NULL;
    gint64 since = 0;
    gboolean found = FALSE;
    if (d->summary)
        return FALSE; /* one is on its way: look back again once it has gone (the clock may
                         have been put right meanwhile, and what it claimed be due after all) */
    if (!alarms_get_last_seen(d->store, &since, &found, &error)) {
        fprintf(stderr, "tend: warning: %s\n", error->message);
        return FALSE;
    }
    /* The first run ever: nothing was missed "while away". */
    g_autoptr(GPtrArray) missed =
        found ? alarms_missed(d->store, &d->ctx, &d->settings, since, now, &error)
              : g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);
    if (missed)
        take_passed(d, missed, now);
    guint claimed = 0;
    if (!missed || !alarms_claim_missed(d->store, missed, now, &claimed, &error)) {
        fprintf(stderr, "tend: warning: %s\n", error->message);
        return FALSE;
    }
    g_ptr_array_set_size(d->passed, 0); /* claimed, or someone else's now */
    if (claimed == 0)
        return TRUE;
    g_autofree char *title = g_strdup_printf("%u %s passed while you were away", claimed,
                                             claimed == 1 ? "reminder" : "reminders");
    d->summary = g_steal_pointer(&missed);
    notifier_client_show_async(d->notifier, title,
                               "That's okay. Your plan is still here when you want it: "
                               "tend agenda.",
                               NULL, 0, -1, summary_shown, d);
    return TRUE;
}

/* ---- the timer ---- */

static void arm_timer(Daemon *d, gint64 next)
{
    gint64 now = now_of(d);
    gint64 target;
    if (next == G_MAXINT64)
        target = real_now() + IDLE_HORIZON; /* armed all the same, to hear of clock changes */
    else
        target = real_now() + MAX(next - now, 0);
    struct itimerspec spec = {.it_value = {.tv_sec = (time_t)MAX(target, 1), .tv_nsec = 0}};
    if (timerfd_settime(d->timer_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL) != 0)
        fprintf(stderr, "tend: warning: cannot set the reminder timer: %s\n", g_strerror(errno));
    if (next != d->armed_for) {
        if (next == G_MAXINT64) {
            printf("Nothing more to remind you of for now.\n");
        } else {
            g_autofree char *when = tend_format_local(next, d->ctx.tz, "%a %-d %b %H:%M");
            printf("Next reminder: %s\n", when);
        }
        d->armed_for = next;
    }
}

/* The person moved (or the system's zone was set): all-day reminders, quiet hours and the
 * times shown follow the new zone from now on. */
static void follow_zone(Daemon *d, GTimeZone *old);

static void refresh_zone(Daemon *d)
{
    g_autoptr(GTimeZone) old = g_time_zone_ref(d->ctx.tz);
    if (!tend_context_refresh_zone(&d->ctx))
        return;
    /* A zone named by a file path is told by the zone's own name. */
    const char *name = d->ctx.tzid;
    if (g_path_is_absolute(name)) {
        const char *id = g_time_zone_get_identifier(d->ctx.tz);
        const char *found = strstr(id, "zoneinfo/");
        name = found ? found + strlen("zoneinfo/") : id;
    }
    printf("The time zone is now %s; reminders follow it.\n", name);
    d->armed_for = G_MININT64; /* say when the next one is, in the new zone's time */
    follow_zone(d, old);
}

/* An all-day item's reminders move to the morning where the person is now: their log rows,
 * and with them the reminders held here (on screen, on their way, summed up), so an answer
 * to one finds its row. One the move made too late to show, unseen, is summed up as missed
 * at the next look back, by name: the look back itself stays where it was, so nothing left
 * out on purpose (added late) is counted. */
static void follow_zone(Daemon *d, GTimeZone *old)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) passed = NULL;
    if (!alarms_follow_zone(d->store, &d->ctx, &d->settings, old, now_of(d), &passed, &error)) {
        fprintf(stderr, "tend: warning: %s\n", error->message);
        return; /* the rows stayed, and so do the reminders held */
    }
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, d->shown);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        alarms_reminder_follow_zone(&d->ctx, &d->settings, old, value);
    g_hash_table_iter_init(&iter, d->hints);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        alarms_reminder_follow_zone(&d->ctx, &d->settings, old, ((Showing *)key)->reminder);
    /* Those on their way are known by their key, which holds the fire time. */
    g_autoptr(GHashTable) showing = g_steal_pointer(&d->showing);
    d->showing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_iter_init(&iter, showing);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Showing *one = value;
        alarms_reminder_follow_zone(&d->ctx, &d->settings, old, one->reminder);
        g_hash_table_insert(d->showing, reminder_key(one->reminder), one);
    }
    for (guint i = 0; d->summary && i < d->summary->len; i++)
        alarms_reminder_follow_zone(&d->ctx, &d->settings, old, d->summary->pdata[i]);
    for (guint i = 0; i < d->passed->len; i++)
        alarms_reminder_follow_zone(&d->ctx, &d->settings, old, d->passed->pdata[i]);
    for (guint i = 0; i < passed->len; i++)
        add_passed(d, passed->pdata[i]);
    if (passed->len > 0)
        d->catch_up = TRUE;
}

/* One look: the summary of what was missed (after a start, resume or clock change), what is
 * due now, and when to wake next. */
static void process(Daemon *d, gboolean catch_up)
{
    g_autoptr(GError) error = NULL;
    refresh_clock(d);
    refresh_zone(d);
    gint64 now = now_of(d);
    /* A pause after a failed show ends at its time (or at once if the clock went back further
     * than any pause): whatever is still due is then tried, and if nothing is, there is
     * nothing to wait for. Keeping a passed retry time would wake the loop for it forever. */
    if (d->retry_at != 0 && (now >= d->retry_at || d->retry_at - now > RETRY_MAX_SECONDS))
        d->retry_at = 0;
    gboolean waiting = d->retry_at != 0;

    d->catch_up = d->catch_up || catch_up;
    if (!waiting) {
        if (d->catch_up && summarise_missed(d, now))
            d->catch_up = FALSE;
        g_autoptr(GPtrArray) due = alarms_due(d->store, &d->ctx, &d->settings, now, &error);
        if (!due) {
            fprintf(stderr, "tend: warning: %s\n", error->message);
            g_clear_error(&error);
        }
        for (guint i = 0; due && i < due->len; i++)
            show_reminder(d, due->pdata[i]);
        /* The service was here: a reminder older than the grace period from now on was
         * missed while away, not added late. */
        if (!d->catch_up && !alarms_set_last_seen(d->store, now, &error)) {
            fprintf(stderr, "tend: warning: %s\n", error->message);
            g_clear_error(&error);
        }
    }

    gint64 next = G_MAXINT64;
    if (!alarms_next(d->store, &d->ctx, &d->settings, now, &next, &error)) {
        fprintf(stderr, "tend: warning: %s\n", error->message);
        next = G_MAXINT64;
    }
    if (d->retry_at != 0)
        next = MIN(next, d->retry_at);
    arm_timer(d, next);
}

static gboolean on_timer(int fd, GIOCondition condition, gpointer data)
{
    Daemon *d = data;
    guint64 expirations;
    (void)condition;
    /* ECANCELED: the clock was set, or the machine resumed. Either way, look again. */
    ssize_t got = read(fd, &expirations, sizeof expirations);
    gboolean cancelled = got < 0 && errno == ECANCELED;
    if (cancelled)
        printf("The clock changed; looking again.\n");
    process(d, TRUE);
    return G_SOURCE_CONTINUE;
}

/* ---- the database ---- */

static gint64 data_version(Daemon *d)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(d->store, "PRAGMA data_version", NULL);
    if (!stmt || sqlite3_step(stmt) != SQLITE_ROW)
        return -1;
    return sqlite3_column_int64(stmt, 0);
}

static void on_db_changed(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
                          gpointer data)
{
    Daemon *d = data;
    (void)monitor;
    (void)file;
    (void)other;
    if (event != G_FILE_MONITOR_EVENT_CHANGED && event != G_FILE_MONITOR_EVENT_CREATED &&
        event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT)
        return;
    gint64 version = data_version(d);
    if (version == d->data_version)
        return; /* our own writes */
    d->data_version = version;
    process(d, FALSE);
}

static void on_zone_file_changed(GFileMonitor *monitor, GFile *file, GFile *other,
                                 GFileMonitorEvent event, gpointer data)
{
    (void)monitor;
    (void)file;
    (void)other;
    if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
        event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT || event == G_FILE_MONITOR_EVENT_UNMOUNTED)
        return;
    process(data, FALSE); /* it reads the zone again, and says so only if it changed */
}

/* Watches what tells the zone in use. A file that cannot be watched is only a missed hint:
 * the zone is read again at every look all the same. */
static void watch_zone(Daemon *d)
{
    const char *paths[G_N_ELEMENTS(d->zone_monitors)] = {"/etc/localtime", "/etc/timezone",
                                                         tend_local_zone_file()};
    for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
        if (!paths[i])
            continue;
        g_autoptr(GFile) file = g_file_new_for_path(paths[i]);
        d->zone_monitors[i] = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, NULL);
        if (d->zone_monitors[i])
            g_signal_connect(d->zone_monitors[i], "changed", G_CALLBACK(on_zone_file_changed), d);
    }
}

/* ---- answers ---- */

/* "Snoozed. I'll remind you again at 14:10.", or, when quiet hours hold it back, when they
 * end ("tomorrow at 08:00" when that is another day). */
static char *snooze_confirmation(Daemon *d, const TendReminder *reminder, gint64 now, gint64 until)
{
    /* when it comes back, as alarms.c finds the snoozed reminder due */
    gint64 due = alarms_due_at(&d->settings, d->ctx.tz, until, reminder->urgent);
    g_autofree char *at = tend_format_local(due, d->ctx.tz, "%H:%M");
    if (due == until)
        return g_strdup_printf("Snoozed. I'll remind you again at %s.", at);
    g_autofree char *today = tend_format_local(now, d->ctx.tz, "%Y-%m-%d");
    g_autofree char *day = tend_format_local(due, d->ctx.tz, "%Y-%m-%d");
    return g_strdup_printf("Snoozed. I'll remind you again when your quiet hours end, %s%s.",
                           g_str_equal(today, day) ? "at " : "tomorrow at ", at);
}

static void confirm_shown(GObject *source, GAsyncResult *result, gpointer data)
{
    Daemon *d = data;
    guint32 id;
    (void)source;
    notifier_client_show_finish(d->notifier, result, &id, NULL);
}

/* A click on a reminder's body asks for the plan. The coping card holds the most private
 * words (boundaries, the way out, after-care) and is long: in a notification it would be cut
 * short and kept in the server's history or on a lock screen, and printed here it would go
 * to the system journal, where the person never looks. So the reminder, buttons and all,
 * turns into one that says how to open the plan in a terminal, in discreet mode too. */
static char *plan_hint(Daemon *d, const TendReminder *reminder)
{
    gint64 stressor_id = reminder->item_id;
    if (reminder->type == TEND_ITEM_ACTIVITY) {
        g_autoptr(GError) error = NULL;
        g_autoptr(TendActivity) activity = activity_get(d->store, reminder->item_id, &error);
        stressor_id = activity ? activity->stressor_id : 0;
    }
    if (stressor_id <= 0)
        return g_strdup("To see your plan, run in a terminal:\ntend agenda\n"
                        "If it gets too much: tend help-now");
    return g_strdup_printf("To read your plan, run in a terminal:\ntend plan show %" G_GINT64_FORMAT
                           "\nIf it gets too much: tend help-now",
                           stressor_id);
}

static void plan_hint_shown(GObject *source, GAsyncResult *result, gpointer data)
{
    Showing *showing = data;
    Daemon *d = showing->daemon;
    g_autoptr(TendReminder) reminder = showing->reminder;
    g_autoptr(GError) error = NULL;
    guint32 id;
    (void)source;
    guint32 replaces = showing->replaces;
    guint servers = showing->servers;
    g_hash_table_remove(d->hints, showing);
    g_free(showing);
    if (!notifier_client_show_finish(d->notifier, result, &id, &error)) {
        if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return; /* stopping */
        fprintf(stderr, "tend: warning: could not show how to open your plan: %s\n",
                error->message);
        /* A slow server has it all the same, in place of the one clicked (a replacement keeps
         * its id): its buttons keep working. A server that failed or went has neither. */
        if (g_error_matches(error, TEND_NOTIFIER_ERROR, TEND_NOTIFIER_ERROR_UNCONFIRMED) &&
            servers == d->servers)
            g_hash_table_replace(d->shown, GUINT_TO_POINTER(replaces), g_steal_pointer(&reminder));
        return;
    }
    printf("Showed how to open the plan.\n");
    /* A server that closed the clicked notification gives the new one a new id. */
    g_hash_table_replace(d->shown, GUINT_TO_POINTER(id), g_steal_pointer(&reminder));
}

static void show_plan_hint(Daemon *d, guint32 id)
{
    gpointer key, value;
    /* Taken out until the server answers: its "closed" for the clicked one may come first. */
    if (!g_hash_table_steal_extended(d->shown, GUINT_TO_POINTER(id), &key, &value))
        return;
    TendReminder *reminder = value;
    g_autofree char *body = plan_hint(d, reminder);
    g_auto(GStrv) actions = reminder_buttons(d);
    Showing *showing = g_new0(Showing, 1);
    showing->daemon = d;
    showing->reminder = reminder;
    showing->replaces = id;
    showing->servers = d->servers;
    g_hash_table_add(d->hints, showing);
    notifier_client_show_async(d->notifier, reminder->title, body, (const char *const *)actions, id,
                               -1, plan_hint_shown, showing);
}

/* Done or Skip on an activity's reminder is the person's answer for the activity itself, as
 * `tend activity done|skip` is: a planned activity takes it as its status, so the planner
 * leaves it and the calendars see it (a skipped one leaves plan.ics). */
static void settle_activity(Daemon *d, const TendReminder *reminder, const char *status)
{
    if (reminder->type != TEND_ITEM_ACTIVITY)
        return;
    /* Only the answer to its last reminder (at its start, unless set otherwise): an earlier
     * one ("Soon: ...") may mean "not now", and the last must still come. */
    gint64 last = G_MAXINT64;
    for (guint i = 0; i < d->settings.n_activity_leads; i++)
        last = MIN(last, d->settings.activity_leads[i]);
    if (reminder->start - reminder->fire_at != last)
        return;
    g_autoptr(GError) error = NULL;
    g_autoptr(TendActivity) activity = NULL;
    gboolean ok = store_begin(d->store, &error) &&
                  (activity = activity_get(d->store, reminder->item_id, &error)) != NULL;
    if (ok && !g_str_equal(activity->status, "planned")) {
        store_rollback(d->store); /* marked already */
        return;
    }
    if (!ok || !activity_set_status(d->store, reminder->item_id, status, &error) ||
        !store_commit(d->store, &error)) {
        store_rollback(d->store);
        if (!g_error_matches(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND))
            fprintf(stderr,
                    "tend: warning: your answer is kept, but the activity could not be marked "
                    "%s: %s\n",
                    status, error->message);
        return;
    }
    cli_refresh_live_copy(d->store, &d->ctx);
}

static void on_action(guint32 id, const char *action, gpointer data)
{
    Daemon *d = data;
    TendReminder *reminder = g_hash_table_lookup(d->shown, GUINT_TO_POINTER(id));
    g_autoptr(GError) error = NULL;
    g_autofree char *confirm = NULL;
    gint64 now;
    if (!reminder)
        return; /* not ours, or already answered */
    refresh_clock(d);
    refresh_zone(d);
    now = now_of(d);
    if (g_str_equal(action, "default")) {
        show_plan_hint(d, id);
        return;
    }
    if (g_str_equal(action, "done")) {
        if (alarms_record_outcome(d->store, reminder, "done", now, &error)) {
            confirm = g_strdup("Done. Thank you for taking care of yourself.");
            settle_activity(d, reminder, "done");
        }
    } else if (g_str_equal(action, "skip")) {
        if (alarms_record_outcome(d->store, reminder, "skipped", now, &error)) {
            confirm = g_strdup("Skipped, and that's okay.");
            settle_activity(d, reminder, "skipped");
        }
    } else if (g_str_equal(action, "snooze")) {
        gint64 until = now + (gint64)d->settings.snooze_minutes * 60;
        if (alarms_snooze(d->store, reminder, now, until, &error))
            confirm = snooze_confirmation(d, reminder, now, until);
    } else {
        return;
    }
    if (!confirm) {
        fprintf(stderr, "tend: warning: could not record your answer: %s\n", error->message);
        return;
    }
    if (d->settings.discreet)
        printf("%s\n", confirm);
    else
        printf("%s (%s)\n", confirm, reminder->title);
    notifier_client_show_async(d->notifier, confirm, "", NULL, id, CONFIRM_EXPIRE_MS, confirm_shown,
                               d);
    g_hash_table_remove(d->shown, GUINT_TO_POINTER(id));
    process(d, FALSE); /* a snooze is a new time to wake for */
}

static void on_closed(guint32 id, gpointer data)
{
    Daemon *d = data;
    g_hash_table_remove(d->shown, GUINT_TO_POINTER(id));
}

/* The server restarted or went away: its notifications went with it, and a new server hands
 * out the same ids to other programs' notifications, whose buttons must not answer ours. */
static void on_server_gone(gpointer data)
{
    Daemon *d = data;
    g_hash_table_remove_all(d->shown);
    d->servers++; /* a hint on its way to the old server must not come back under its id */
}

/* ---- signals ---- */

static gboolean on_stop(gpointer data)
{
    Daemon *d = data;
    g_main_loop_quit(d->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean on_clock_jump(gpointer data)
{
    Daemon *d = data;
    read_time_file(d);
    process(d, TRUE);
    g_autofree char *now = tend_format_local(now_of(d), d->ctx.tz, "%a %-d %b %H:%M");
    printf("Looked again at %s.\n", now);
    return G_SOURCE_CONTINUE;
}

static gboolean on_reload(gpointer data)
{
    Daemon *d = data;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = alarms_config_path();
    TendReminderSettings settings;
    alarms_settings_init(&settings);
    if (!alarms_settings_load(&settings, path, &error)) {
        fprintf(stderr, "tend: warning: keeping the settings in use: %s\n", error->message);
        return G_SOURCE_CONTINUE;
    }
    d->settings = settings;
    d->ctx.grace_minutes = settings.grace_minutes;
    printf("Settings read again.\n");
    process(d, FALSE);
    return G_SOURCE_CONTINUE;
}

/* ---- the lock ---- */

static gboolean take_lock(Daemon *d, const char *db_path)
{
    g_autofree char *path = g_strconcat(db_path, ".remind.lock", NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        fprintf(stderr, "tend: error: cannot open '%s': %s\n", path, g_strerror(errno));
        return FALSE;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char text[32] = "";
        ssize_t got = pread(fd, text, sizeof text - 1, 0);
        text[MAX(got, 0)] = '\0';
        g_strstrip(text);
        close(fd);
        if (*text)
            fprintf(stderr,
                    "tend: error: the reminder service is already running (process %s); only "
                    "one runs at a time, and that one will show your reminders\n",
                    text);
        else
            fprintf(stderr, "tend: error: the reminder service is already running; only one "
                            "runs at a time, and that one will show your reminders\n");
        return FALSE;
    }
    g_autofree char *pid = g_strdup_printf("%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) < 0) {
        /* The lock holds without the number; it is only for the message above. */
    }
    d->lock_fd = fd;
    return TRUE;
}

int remind_daemon(guint exit_after)
{
    Daemon d = {.timer_fd = -1, .lock_fd = -1, .exit_after = exit_after};
    g_autoptr(GError) error = NULL;
    guint sources[5] = {0};

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (tend_context_init(&d.ctx, &error) == FALSE) {
        tend_context_clear(&d.ctx);
        return cli_fail(error);
    }
    alarms_settings_init(&d.settings);
    g_autofree char *config = alarms_config_path();
    if (!alarms_settings_load(&d.settings, config, &error)) {
        tend_context_clear(&d.ctx);
        return cli_fail(error);
    }
    d.ctx.grace_minutes = d.settings.grace_minutes;
    d.time_file = g_getenv("TEND_NOW_FILE");
    if (d.time_file && !*d.time_file)
        d.time_file = NULL;

    g_autofree char *path = store_default_path();
    d.store = store_open(path, TEND_STORE_READ_WRITE, &error);
    if (!d.store) {
        tend_context_clear(&d.ctx);
        return cli_fail(error);
    }
    if (!take_lock(&d, path)) {
        store_free(d.store);
        tend_context_clear(&d.ctx);
        return TEND_EXIT_FAILURE;
    }

    d.timer_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (d.timer_fd < 0) {
        fprintf(stderr, "tend: error: cannot create a timer: %s\n", g_strerror(errno));
        d.status = TEND_EXIT_FAILURE;
        goto out;
    }
    d.loop = g_main_loop_new(NULL, FALSE);
    d.showing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    d.hints = g_hash_table_new(NULL, NULL);
    d.passed = g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);
    d.shown = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)reminder_free);
    d.notifier = notifier_client_new(on_action, on_closed, on_server_gone, &d);
    d.armed_for = G_MININT64;
    d.data_version = data_version(&d);

    static const char *const suffixes[] = {"", "-wal"};
    for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        g_autofree char *name = g_strconcat(path, suffixes[i], NULL);
        g_autoptr(GFile) file = g_file_new_for_path(name);
        d.monitors[i] = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, &error);
        if (!d.monitors[i]) {
            fprintf(stderr, "tend: error: cannot watch '%s' for changes: %s\n", name,
                    error->message);
            d.status = TEND_EXIT_FAILURE;
            goto out;
        }
        g_signal_connect(d.monitors[i], "changed", G_CALLBACK(on_db_changed), &d);
    }
    watch_zone(&d);
    sources[0] = g_unix_fd_add(d.timer_fd, G_IO_IN, on_timer, &d);
    sources[1] = g_unix_signal_add(SIGTERM, on_stop, &d);
    sources[2] = g_unix_signal_add(SIGINT, on_stop, &d);
    sources[3] = g_unix_signal_add(SIGUSR1, on_clock_jump, &d);
    sources[4] = g_unix_signal_add(SIGHUP, on_reload, &d);

    read_time_file(&d);
    printf("The reminder service is running (process %ld).\n", (long)getpid());
    process(&d, TRUE);
    if (!(d.exit_after > 0 && d.shown_count >= d.exit_after))
        g_main_loop_run(d.loop);
    printf("The reminder service stopped.\n");

out:
    for (guint i = 0; i < G_N_ELEMENTS(sources); i++)
        if (sources[i])
            g_source_remove(sources[i]);
    g_clear_pointer(&d.notifier, notifier_client_free);
    for (guint i = 0; i < G_N_ELEMENTS(d.monitors); i++)
        g_clear_object(&d.monitors[i]);
    for (guint i = 0; i < G_N_ELEMENTS(d.zone_monitors); i++)
        g_clear_object(&d.zone_monitors[i]);
    g_clear_pointer(&d.summary, g_ptr_array_unref);
    g_clear_pointer(&d.showing, g_hash_table_unref);
    g_clear_pointer(&d.hints, g_hash_table_unref);
    g_clear_pointer(&d.passed, g_ptr_array_unref);
    g_clear_pointer(&d.shown, g_hash_table_unref);
    g_clear_pointer(&d.loop, g_main_loop_unref);
    if (d.timer_fd >= 0)
        close(d.timer_fd);
    store_free(d.store);
    close(d.lock_fd);
    tend_context_clear(&d.ctx);
    return d.status;
}
