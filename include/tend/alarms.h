/* alarms.h: which reminders are due, and recording what became of them.
 *
 * Reminders are derived from the plan and the person's settings (TendReminderSettings, read
 * from the [reminders] group of tend.conf): each stressor some time before its start (by
 * default a day and an hour before), each activity at its start, all-day items at a morning
 * time. A reminder that falls inside quiet hours waits until they end, unless its item is
 * marked urgent. The reminder log holds one row per (item, fire time) once claimed, so a
 * reminder is shown at most once however many `tend remind` processes run; a snoozed one keeps
 * its row and comes back once at its snooze time, unless its item has moved since (it then
 * reminds at its new time instead). Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/agenda.h"
#include "tend/context.h"
#include "tend/store.h"

G_BEGIN_DECLS

#define TEND_REMINDERS_MAX_LEADS 8

typedef struct {
    /* How long before the start each item reminds, in seconds, 0 = at the start. All-day
     * items remind at @morning on the day, and a lead of a day or more moves that many whole
     * days earlier. Distinct and sorted, largest first. */
    gint64 stressor_leads[TEND_REMINDERS_MAX_LEADS];
    guint n_stressor_leads; /* default 2: 1d, 1h */
    gint64 activity_leads[TEND_REMINDERS_MAX_LEADS];
    guint n_activity_leads; /* default 1: 0 */
    int morning;            /* minutes after local midnight, default 09:00 */
    int quiet_start;        /* minutes after local midnight, default 22:00 */
    int quiet_end;          /* default 08:00; equal to quiet_start means no quiet hours */
    int snooze_minutes;     /* default 10 */
    int grace_minutes;      /* how late a reminder may still be shown, default 120 */
    gboolean discreet;      /* neutral title and body only */
} TendReminderSettings;

/* The defaults above. */
void alarms_settings_init(TendReminderSettings *settings);
/* $XDG_CONFIG_HOME/tend/tend.conf. */
char *alarms_config_path(void);
/* Reads the [reminders] group of @path over the values in @settings. A missing file or
 * group changes nothing. A bad value fails naming the file and key; @settings is then
 * untouched. Keys: stressor_before, activity_before (lists such as "1d, 1h, 0"; units m, h,
 * d), morning (HH:MM), quiet_hours (HH:MM-HH:MM or "none"), snooze_minutes, grace_minutes,
 * discreet (true/false). */
gboolean alarms_settings_load(TendReminderSettings *settings, const char *path, GError **error);

typedef struct {
    TendItemType type; /* TEND_ITEM_STRESSOR or TEND_ITEM_ACTIVITY */
    gint64 item_id;
    gint64 fire_at; /* the nominal instant; with the item, the reminder's identity */
    gint64 due_at;  /* when it is shown: fire_at, the end of quiet hours, or a snooze's end */
    gint64 start;   /* the item's start, instant (all-day: the date value) */
    gboolean all_day;
    gboolean urgent;      /* marked urgent: quiet hours do not hold it back */
    gint64 snoozed_until; /* a snoozed reminder coming back: its snooze_until; else 0 */
    char *title;
    char *summary; /* short, kind notification body; never note text */
} TendReminder;

void reminder_free(TendReminder *reminder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendReminder, reminder_free)

/* Reminders whose due time is in (now - grace, now] and that were never claimed (or were
 * snoozed until then), ordered by due time, then type (stressors first), then id.
 * Activities count only while 'planned'. @settings NULL means the defaults, with
 * ctx->grace_minutes as grace. Element type TendReminder. */
GPtrArray *alarms_due(TendStore *store, const TendContext *ctx,
                      const TendReminderSettings *settings, gint64 now, GError **error);

/* The earliest due time after @now of any reminder not yet claimed (or snoozed), in
 * *out_next; G_MAXINT64 when there is none. */
gboolean alarms_next(TendStore *store, const TendContext *ctx, const TendReminderSettings *settings,
                     gint64 now, gint64 *out_next, GError **error);

/* Reminders that were due in (@since, now - grace] and never claimed: those that passed
 * while the machine was off or asleep. Same order and element type as alarms_due().
 * First, when the clock was set ahead and has been put back (a "missed" claim made after
 * @now and never shown), gives back those claims whose reminder is due after now - grace,
 * so they come at their time after all; this writes, in its own BEGIN IMMEDIATE
 * transaction, so call it outside any open transaction. */
GPtrArray *alarms_missed(TendStore *store, const TendContext *ctx,
                         const TendReminderSettings *settings, gint64 since, gint64 now,
                         GError **error);
/* Claims every reminder in @missed with outcome "missed", in one transaction; *out_claimed
 * is how many were not already claimed by someone else. */
gboolean alarms_claim_missed(TendStore *store, GPtrArray *missed, gint64 now, guint *out_claimed,
                             GError **error);
/* Gives back the "missed" claims of @missed (the summary could not be shown). */
gboolean alarms_release_missed(TendStore *store, GPtrArray *missed, GError **error);

/* Claims @reminder for showing (claimed_at = @now). *out_claimed is FALSE when another
 * process already claimed it. A snoozed reminder coming back is claimed by clearing its
 * snooze. Claim, release and record each run in their own BEGIN IMMEDIATE transaction, so
 * call them outside any open transaction. */
gboolean alarms_claim(TendStore *store, const TendReminder *reminder, gint64 now,
                      gboolean *out_claimed, GError **error);
/* Gives a claim back after the notification could not be shown (a snoozed one is snoozed
 * again until its old time, so it is due again at once). */
gboolean alarms_release(TendStore *store, const TendReminder *reminder, GError **error);
/* Records the person's answer: "done", "snoozed", "skipped" or "shown". Fails with
 * TEND_STORE_ERROR_NOT_FOUND when the reminder was never claimed. */
gboolean alarms_record_outcome(TendStore *store, const TendReminder *reminder, const char *outcome,
                               gint64 now, GError **error);
/* Records "snoozed" and brings the reminder back at @until. */
gboolean alarms_snooze(TendStore *store, const TendReminder *reminder, gint64 now, gint64 until,
                       GError **error);

/* Marks an item urgent (or not). Fails with TEND_STORE_ERROR_NOT_FOUND for no such item.
 * An urgent stressor makes its activities urgent too. */
gboolean alarms_set_urgent(TendStore *store, TendItemType type, gint64 item_id, gboolean urgent,
                           GError **error);

/* When a reminder meant for @when is shown: then, or when quiet hours end, unless its item
 * is @urgent. */
gint64 alarms_due_at(const TendReminderSettings *settings, GTimeZone *tz, gint64 when,
                     gboolean urgent);

/* Deletes the reminder log rows and urgent marks of stressors and activities that no longer
 * exist. SQLite hands a removed item's id to the next new one, which must not inherit its
 * urgent mark, its answered or snoozed reminders: every path that removes items calls this
 * inside the same transaction, after removing them (an activity removed with its stressor
 * included). */
gboolean alarms_forget_removed(TendStore *store, GError **error);

/* After the person's zone changed from @old_tz to ctx->tz. An all-day item reminds at the
 * morning time of its day where the person is now, which is another instant, so the log rows
 * of its reminders move to their new fire times, in one BEGIN IMMEDIATE transaction: one
 * shown at 09:00 in Berlin is not shown again at 09:00 in New York. *@out_passed (element
 * type TendReminder) gets each such reminder never claimed that the move puts past the grace
 * period while it was not yet that late in the old zone: nobody saw it, and no look back
 * from the last look finds it, so the caller claims it as missed by name
 * (alarms_claim_missed) and counts it in the summary. */
gboolean alarms_follow_zone(TendStore *store, const TendContext *ctx,
                            const TendReminderSettings *settings, GTimeZone *old_tz, gint64 now,
                            GPtrArray **out_passed, GError **error);
/* Moves a reminder held in memory (on screen, or on its way) as alarms_follow_zone() moved
 * its log row: an all-day item's reminder takes the fire time of the same lead in ctx->tz.
 * Its due time follows the zone's quiet hours. Answers to it then find its row. */
void alarms_reminder_follow_zone(const TendContext *ctx, const TendReminderSettings *settings,
                                 GTimeZone *old_tz, TendReminder *reminder);

/* When the reminder service last looked (reminder_state "last_seen"); *out_found FALSE
 * when it never did. */
gboolean alarms_get_last_seen(TendStore *store, gint64 *out_last_seen, gboolean *out_found,
                              GError **error);
gboolean alarms_set_last_seen(TendStore *store, gint64 when, GError **error);

G_END_DECLS
