/* cmd-remind.c: `tend remind --once`: show what is due now, once, and exit.
 *
 * Each due reminder is claimed in the reminder log before it is shown, so two runs at the same
 * time (or one after the other) never show it twice. A reminder that could not be shown has
 * its claim given back, so the next run tries it again. The long-running reminder service
 * (`--daemon`) is a later step.
 */
#include <stdio.h>

#include "tend/alarms.h"
#include "tend/cli.h"
#include "tend/notifier.h"

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
            g_autofree char *due_at = tend_format_local(reminder->fire_at, ctx->tz, "%H:%M");
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
    g_autoptr(TendStore) reader = NULL;
    g_autoptr(GError) error = NULL;

    /* Finding what is due only reads; the database is opened for writing only when there is
     * something to claim, so a timer running this never creates or locks files for nothing. */
    if (!cli_open(&ctx, &reader, TEND_STORE_READ_ONLY))
        return TEND_EXIT_FAILURE;
    gint64 now = tend_clock_now(&ctx.clock);
    g_autoptr(GPtrArray) due = alarms_due(reader, &ctx, NULL, now, &error);
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
        g_autofree char *path = store_default_path();
        g_autoptr(TendStore) store = store_open(path, TEND_STORE_READ_WRITE, &error);
        if (!store) {
            tend_context_clear(&ctx);
            return cli_fail(error);
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

int cmd_remind(int argc, char **argv)
{
    gboolean once = FALSE, json = FALSE, daemon = FALSE;
    const GOptionEntry entries[] = {
        {"once", 0, 0, G_OPTION_ARG_NONE, &once, NULL, NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL},
        {"daemon", 0, 0, G_OPTION_ARG_NONE, &daemon, NULL, NULL},
        G_OPTION_ENTRY_NULL,
    };
    int status;
    if (!cli_parse_options("remind", entries, &argc, &argv, &status))
        return status;
    if (argc != 1)
        return cli_usage("remind", "remind takes no arguments, only --once (and --json)");
    if (daemon)
        return cli_usage("remind",
                         "the reminder service (--daemon) is not available yet, sorry; for now "
                         "'tend remind --once' shows what is due, and a timer can run it");
    if (!once)
        return cli_usage("remind", "remind needs --once for now: it shows what is due and exits; a "
                                   "service that keeps running comes later");
    return cli_finish(remind_once(json));
}
