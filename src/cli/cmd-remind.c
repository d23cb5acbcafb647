/* cmd-remind.c: `tend remind --once | --daemon | --install | --uninstall | --urgent ITEM`.
 *
 * --once shows what is due now and exits. Each due reminder is claimed in the reminder log
 * before it is shown, so two runs at the same time (or one beside the service) never show it
 * twice. A reminder that could not be shown has its claim given back, so the next run tries
 * it again. --daemon is the long-running service (remind-daemon.c); --install writes its
 * systemd user unit and enables it.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "tend/alarms.h"
#include "tend/cli.h"
#include "tend/notifier.h"

#include "remind-daemon.h"

#define UNIT_NAME "tend-remind.service"

static void reminder_to_json(JsonBuilder *builder, const TendReminder *reminder, gboolean shown)
{
    json_builder_begin_object(builder);
    json_builder_set_member_name(builder, "id");
    json_builder_add_int_value(builder, reminder->item_id);
    json_builder_set_member_name(builder, "type");
    json_builder_add_string_value(builder, agenda_item_type_to_string(reminder->type));
    json_builder_set_member_name(builder, "title");
    json_builder_add_string_value(builder, reminder->title);
    json_builder_set_member_name(builder, "body");
    json_builder_add_string_value(builder, reminder->summary);
    cli_json_add_time(builder, "fire_at", reminder->fire_at, FALSE);
    json_builder_set_member_name(builder, "shown");
    json_builder_add_boolean_value(builder, shown);
    json_builder_end_object(builder);
}

typedef struct {
    guint shown;
    guint failed;      /* due reminders not shown; their claims were given back */
    GError *why;       /* the first reason a reminder could not be shown */
    gboolean db_error; /* the reminder log could not be written */
} RemindTally;

/* Claims, shows and records each due reminder in order. Stops at the first one that cannot be
 * shown: the server is then gone or hung, and trying the rest would only wait longer. */
static void show_due(TendStore *store, const TendContext *ctx, GPtrArray *due, gint64 now,
                     JsonBuilder *builder, RemindTally *tally)
{
    g_autoptr(GError) error = NULL;

    if (!notifier_init(&tally->why)) {
        tally->failed = due->len;
        for (guint i = 0; builder && i < due->len; i++)
            reminder_to_json(builder, due->pdata[i], FALSE);
        return;
    }
    for (guint i = 0; i < due->len; i++) {
        const TendReminder *reminder = due->pdata[i];
        gboolean claimed = FALSE;

        if (!alarms_claim(store, reminder, now, &claimed, &error)) {
            cli_fail(error);
            tally->db_error = TRUE;
            return;
        }
        if (!claimed)
            continue; /* another `tend remind` has it */
        if (!notifier_show(reminder->title, reminder->summary, &tally->why)) {
            tally->failed = due->len - i;
            if (!alarms_release(store, reminder, &error)) {
                cli_fail(error);
                tally->db_error = TRUE;
            }
            for (guint j = i; builder && j < due->len; j++)
                reminder_to_json(builder, due->pdata[j], FALSE);
            return;
        }
        tally->shown++;
        if (builder) {
            reminder_to_json(builder, reminder, TRUE);
        } else {
            g_autofree char *due_at = tend_format_local(reminder->due_at, ctx->tz, "%H:%M");
            printf("Shown: %s (due %s)\n", reminder->title, due_at);
        }
        /* It was shown and stays claimed, so it will not be shown again even if this fails. */
        if (!alarms_record_outcome(store, reminder, "shown", now, &error)) {
            cli_warn("the reminder was shown but could not be marked as shown: %s", error->message);
            g_clear_error(&error);
            tally->db_error = TRUE;
        }
    }
}

static int remind_once(gboolean json)
{
    TendContext ctx;
    TendReminderSettings settings;
    g_autoptr(TendStore) reader = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *config = alarms_config_path();

    alarms_settings_init(&settings);
    if (!alarms_settings_load(&settings, config, &error))
        return cli_fail(error);
    /* Finding what is due only reads; the database is opened for writing only when there is
     * something to claim, so a timer running this never creates or locks files for nothing. */
    if (!cli_open(&ctx, &reader, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    ctx.grace_minutes = settings.grace_minutes;
    gint64 now = tend_clock_now(&ctx.clock);
    g_autoptr(GPtrArray) due = alarms_due(reader, &ctx, &settings, now, &error);
    g_clear_pointer(&reader, store_free);
    if (!due) {
        tend_context_clear(&ctx);
        return cli_fail(error);
    }

    g_autoptr(JsonBuilder) builder = json ? json_builder_new() : NULL;
    RemindTally tally = {0};
    if (builder)
        json_builder_begin_array(builder);
    if (due->len > 0) {
        g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_WRITE);
        if (!store) {
            tend_context_clear(&ctx);
            return TEND_EXIT_FAILURE;
        }
        show_due(store, &ctx, due, now, builder, &tally);
        notifier_uninit();
    }
    if (builder) {
        json_builder_end_array(builder);
        g_autoptr(JsonNode) root = json_builder_get_root(builder);
        cli_print_json(root);
    } else if (tally.shown == 0 && tally.failed == 0 && !tally.db_error) {
        printf("Nothing due right now.\n");
    }

    int result = tally.db_error ? TEND_EXIT_FAILURE : TEND_EXIT_OK;
    if (tally.failed > 0) {
        g_autoptr(GError) why = tally.why;
        fflush(stdout);
        if (tally.failed == 1)
            fprintf(stderr,
                    "tend: error: could not show 1 reminder: %s; it will be tried again next "
                    "time\n",
                    why ? why->message : "unknown reason");
        else
            fprintf(stderr,
                    "tend: error: could not show %u reminders: %s; they will be tried again "
                    "next time\n",
                    tally.failed, why ? why->message : "unknown reason");
        result = TEND_EXIT_FAILURE;
    } else {
        g_clear_error(&tally.why);
    }
    tend_context_clear(&ctx);
    return result;
}

/* ---- the systemd user unit ---- */

static char *unit_text(const char *exe)
{
    return g_strdup_printf(
        "[Unit]\n"
        "Description=tend reminders: gentle desktop notifications for your plan\n"
        "After=graphical-session.target\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        "ExecStart=%s remind --daemon\n"
        "ExecReload=/bin/kill -HUP $MAINPID\n"
        "Restart=on-failure\n"
        "RestartSec=30s\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n",
        exe);
}

static char *unit_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "systemd", "user", UNIT_NAME, NULL);
}

/* systemctl is there and a user manager runs in this session (its private socket exists). */
static char *user_manager(void)
{
    g_autofree char *systemctl = g_find_program_in_path("systemctl");
    const char *runtime = g_getenv("XDG_RUNTIME_DIR");
    if (!systemctl || !runtime || !*runtime)
        return NULL;
    g_autofree char *socket = g_build_filename(runtime, "systemd", "private", NULL);
    if (!g_file_test(socket, G_FILE_TEST_EXISTS))
        return NULL;
    return g_steal_pointer(&systemctl);
}

static gboolean run_systemctl(const char *systemctl, const char *const *args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)systemctl);
    g_ptr_array_add(argv, (char *)"--user");
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = 0;
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                      NULL, &err, &status, &error) ||
        !g_spawn_check_wait_status(status, NULL)) {
        g_autofree char *command = g_strjoinv(" ", (char **)argv->pdata + 1);
        fprintf(stderr, "tend: error: 'systemctl %s' failed: %s\n", command,
                error ? error->message : (err ? g_strstrip(err) : "unknown reason"));
        return FALSE;
    }
    return TRUE;
}

static int remind_install(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *exe = g_file_read_link("/proc/self/exe", &error);
    if (!exe)
        return cli_fail(error);
    g_autofree char *path = unit_path();
    g_autofree char *folder = g_path_get_dirname(path);
    g_autofree char *text = unit_text(exe);
    if (g_mkdir_with_parents(folder, 0755) != 0) {
        fprintf(stderr, "tend: error: cannot create '%s': %s\n", folder, g_strerror(errno));
        return TEND_EXIT_FAILURE;
    }
    if (!g_file_set_contents(path, text, -1, &error))
        return cli_fail(error);
    printf("Installed the reminder service: %s\n", path);

    g_autofree char *systemctl = user_manager();
    if (!systemctl) {
        g_autofree char *anywhere = g_find_program_in_path("systemctl");
        if (!anywhere)
            printf("This system has no systemctl, so nothing was started. Run 'tend remind "
                   "--daemon' when your desktop session starts (for example from your "
                   "desktop's autostart settings).\n");
        else
            printf("No systemd user manager is running in this session, so nothing was "
                   "started. When one runs, start reminders with:\n"
                   "  systemctl --user enable --now " UNIT_NAME "\n");
        return TEND_EXIT_OK;
    }
    static const char *const reload[] = {"daemon-reload", NULL};
    static const char *const enable[] = {"enable", "--now", UNIT_NAME, NULL};
    if (!run_systemctl(systemctl, reload) || !run_systemctl(systemctl, enable)) {
        fprintf(stderr, "tend: the service file is in place; to start it yourself, run: "
                        "systemctl --user enable --now " UNIT_NAME "\n");
        return TEND_EXIT_FAILURE;
    }
    printf("Reminders are on: the service runs now and whenever you log in.\n");
    return TEND_EXIT_OK;
}

static int remind_uninstall(void)
{
    g_autofree char *path = unit_path();
    g_autofree char *systemctl = user_manager();
    gboolean present = g_file_test(path, G_FILE_TEST_EXISTS);
    if (!present) {
        printf("The reminder service was not installed (%s); nothing to remove.\n", path);
        return TEND_EXIT_OK;
    }
    static const char *const disable[] = {"disable", "--now", UNIT_NAME, NULL};
    static const char *const reload[] = {"daemon-reload", NULL};
    if (systemctl && !run_systemctl(systemctl, disable))
        return TEND_EXIT_FAILURE;
    if (g_unlink(path) != 0) {
        fprintf(stderr, "tend: error: cannot remove '%s': %s\n", path, g_strerror(errno));
        return TEND_EXIT_FAILURE;
    }
    if (systemctl && !run_systemctl(systemctl, reload))
        return TEND_EXIT_FAILURE;
    printf("Removed the reminder service: %s\n", path);
    if (!systemctl)
        printf("No systemd user manager is running in this session; if 'tend remind --daemon' "
               "still runs, stop it yourself.\n");
    return TEND_EXIT_OK;
}

/* ---- urgent marks ---- */

static int remind_urgent(const char *item, gboolean urgent)
{
    const char *flag = urgent ? "--urgent" : "--not-urgent";
    g_auto(GStrv) parts = g_strsplit(item, ":", 2);
    TendItemType type;
    gint64 id;
    if (g_strv_length(parts) != 2 ||
        (!g_str_equal(parts[0], "stressor") && !g_str_equal(parts[0], "activity")))
        return cli_usage("remind", "%s needs stressor:ID or activity:ID, not '%s'", flag, item);
    type = g_str_equal(parts[0], "stressor") ? TEND_ITEM_STRESSOR : TEND_ITEM_ACTIVITY;
    if (!cli_parse_int("remind", flag, parts[1], 1, G_MAXINT32, &id))
        return TEND_EXIT_USAGE;

    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) store = cli_open_store(TEND_STORE_READ_WRITE);
    if (!store)
        return TEND_EXIT_FAILURE;
    if (!alarms_set_urgent(store, type, id, urgent, &error)) {
        if (g_error_matches(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND))
            g_prefix_error(&error, "%s: ", flag);
        return cli_fail(error);
    }
    if (urgent)
        printf("Marked %s %" G_GINT64_FORMAT " urgent: its reminders come even in quiet hours.\n",
               parts[0], id);
    else
        printf("%s %" G_GINT64_FORMAT " is not urgent: its reminders wait for quiet hours to "
               "end.\n",
               parts[0], id);
    return TEND_EXIT_OK;
}

int cmd_remind(int argc, char **argv)
{
    gboolean once = FALSE, json = FALSE, daemon = FALSE, install = FALSE, uninstall = FALSE;
    g_autofree char *exit_after_text = NULL, *urgent = NULL, *not_urgent = NULL;
    const GOptionEntry entries[] = {
        {"once", 0, 0, G_OPTION_ARG_NONE, &once, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        {"daemon", 0, 0, G_OPTION_ARG_NONE, &daemon, NULL, NULL},
        {"exit-after", 0, 0, G_OPTION_ARG_STRING, &exit_after_text, NULL, NULL},
        {"install", 0, 0, G_OPTION_ARG_NONE, &install, NULL, NULL},
        {"uninstall", 0, 0, G_OPTION_ARG_NONE, &uninstall, NULL, NULL},
        {"urgent", 0, 0, G_OPTION_ARG_STRING, &urgent, NULL, NULL},
        {"not-urgent", 0, 0, G_OPTION_ARG_STRING, &not_urgent, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("remind", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("remind", "remind takes no arguments, only options such as --once");
    int modes = !!once + !!daemon + !!install + !!uninstall + !!urgent + !!not_urgent;
    if (modes == 0)
        return cli_usage("remind", "remind needs --once (show what is due and exit), --daemon "
                                   "(keep running), --install or --uninstall");
    if (modes > 1)
        return cli_usage("remind", "use one of --once, --daemon, --install, --uninstall, "
                                   "--urgent and --not-urgent at a time");
    if (json && !once)
        return cli_usage("remind", "--json goes with --once");
    if (exit_after_text && !daemon)
        return cli_usage("remind", "--exit-after goes with --daemon");
    gint64 exit_after = 0;
    if (exit_after_text &&
        !cli_parse_int("remind", "--exit-after", exit_after_text, 1, 100000, &exit_after))
        return TEND_EXIT_USAGE;
    if (daemon)
        return cli_finish(remind_daemon((guint)exit_after));
    if (install)
        return cli_finish(remind_install());
    if (uninstall)
        return cli_finish(remind_uninstall());
    if (urgent || not_urgent)
        return cli_finish(remind_urgent(urgent ? urgent : not_urgent, urgent != NULL));
    return cli_finish(remind_once(json));
}
