/* planner.h: places kind, small activities around each stressor, in free time.
 *
 * For every stressor the planner decides a bundle (rehearse, ground, check in,
 * decompress, reflect) and puts each activity that takes time into a free slot:
 * not on busy events, stressors or other activities, inside waking hours, and no
 * more than the daily budget per day. Planning is deterministic and idempotent:
 * an activity that still fits keeps its place and its id. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/context.h"
#include "tend/store.h"

G_BEGIN_DECLS

typedef struct {
    gint64 id;
    char *uid;
    gint64 stressor_id;
    char *kind;  /* "rehearse", "ground", "checkin", "decompress", "reflect" */
    char *title;
    gint64 start; /* instant */
    gint64 end;
    gboolean busy; /* FALSE for reminder-only check-ins */
    gint64 sequence;
    char *status; /* "planned", "done", "skipped" */
} TendActivity;

void activity_free(TendActivity *activity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendActivity, activity_free)

typedef struct {
    guint placed;    /* new activities */
    guint moved;     /* existing ones that had to move */
    guint kept;      /* existing ones left as they were */
    guint unplaced;  /* no free slot found */
    GPtrArray *notes; /* char*, one per activity that could not be placed */
} TendPlanResult;

void plan_result_clear(TendPlanResult *result);

/* Plans every stressor that overlaps [from, to). */
gboolean planner_run(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *out_result, GError **error);

/* Activities ordered by start, then id; @stressor_id 0 for all. */
GPtrArray *activity_list(TendStore *store, gint64 stressor_id, GError **error);

G_END_DECLS
