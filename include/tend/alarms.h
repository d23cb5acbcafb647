/* alarms.h: which reminders are due, and recording that they were shown.
 *
 * Reminders are derived from the plan: each activity at its start, each stressor
 * an hour before (all-day ones at 09:00 local on the day). The reminder log holds
 * one row per (item, fire time) once claimed, so a reminder is shown at most once
 * however many `tend remind` processes run. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/agenda.h"
#include "tend/context.h"
#include "tend/store.h"

G_BEGIN_DECLS

typedef struct {
    TendItemType type; /* TEND_ITEM_STRESSOR or TEND_ITEM_ACTIVITY */
    gint64 item_id;
    gint64 fire_at; /* instant */
    gint64 start;   /* the item's start, instant */
    char *title;
    char *summary; /* short, kind notification body; never note text */
} TendReminder;

void reminder_free(TendReminder *reminder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendReminder, reminder_free)

/* Reminders whose fire time is in (now - ctx->grace_minutes, now] and that were never
 * claimed, ordered by fire time, then type (stressors first), then id. Activities count only
 * while 'planned'. Element type TendReminder. */
GPtrArray *alarms_due(TendStore *store, const TendContext *ctx, gint64 now, GError **error);

/* Claims @reminder for showing (claimed_at = @now). *out_claimed is FALSE when another
 * process already claimed it. Claim, release and record each run in their own
 * BEGIN IMMEDIATE transaction, so call them outside any open transaction. */
gboolean alarms_claim(TendStore *store, const TendReminder *reminder, gint64 now,
                      gboolean *out_claimed, GError **error);
/* Gives a claim back after the notification could not be shown. */
gboolean alarms_release(TendStore *store, const TendReminder *reminder, GError **error);
/* Records the person's answer: "done", "snoozed", "skipped" or "shown". Fails with
 * TEND_STORE_ERROR_NOT_FOUND when the reminder was never claimed. */
gboolean alarms_record_outcome(TendStore *store, const TendReminder *reminder, const char *outcome,
                               gint64 now, GError **error);

G_END_DECLS
