/* coping-plan.h: the plan a person makes for one hard event (`tend prepare`).
 *
 * A coping plan belongs to one stressor and lives in the `plans` table: what may be
 * hard (triggers), the boundaries and the exact words for them (scripts), a time to
 * leave by and how (exit plan), who to text (support), grounding strategies for the
 * moment (ids from the strategy library) and the after-care. Lists are stored one
 * item a line. The card (coping_plan_card()) is the one readable form of a plan:
 * `tend plan show` prints it and the exported stressor's DESCRIPTION carries it.
 * Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/context.h"
#include "tend/store.h"
#include "tend/stressor.h"

G_BEGIN_DECLS

#define TEND_PLAN_MAX_TEXT 500 /* characters in one item or text */
#define TEND_PLAN_MAX_ITEMS 12 /* items in one list */

typedef struct {
    gint64 stressor_id;
    char **triggers; /* NULL-terminated lists; empty (not NULL) when nothing is said */
    char **boundaries;
    char **scripts;
    gboolean has_exit_by;
    gint64 exit_by;  /* instant */
    char *exit_plan; /* "" when nothing is said */
    char **support;
    char **grounding; /* strategy ids */
    char *aftercare;
    gint64 updated; /* instant; 0 for a plan not stored yet */
} TendCopingPlan;

/* An empty plan for @stressor_id. */
TendCopingPlan *coping_plan_new(gint64 stressor_id);
void coping_plan_free(TendCopingPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendCopingPlan, coping_plan_free)

/* The stored plan, or an empty one (updated == 0) when there is none. */
TendCopingPlan *coping_plan_load(TendStore *store, gint64 stressor_id, GError **error);
/* TRUE when nothing at all is said in @plan. */
gboolean coping_plan_is_empty(const TendCopingPlan *plan);
/* Checks @plan (each item at most TEND_PLAN_MAX_TEXT characters of readable text, at
 * most TEND_PLAN_MAX_ITEMS a list, grounding ids known to the library at @data_dir)
 * and stores it, setting updated to @now. Must run inside store_begin() ...
 * store_commit(). Bad input: G_IO_ERROR_INVALID_ARGUMENT naming the field; an
 * unknown strategy: TEND_STORE_ERROR_NOT_FOUND. */
gboolean coping_plan_save(TendStore *store, const char *data_dir, TendCopingPlan *plan, gint64 now,
                          GError **error);

/* The plan as a card to read on the day: the event, what may be hard, the boundaries
 * and the words for them, the way out, who to text, three things to try in the moment
 * (the chosen grounding strategies first, then the library's best picks for being
 * there) with their steps, the after-care, and last the line that points to
 * `tend help-now`. Times are in ctx->tz. */
char *coping_plan_card(TendStore *store, const TendContext *ctx, const char *data_dir,
                       const TendStressor *stressor, const TendCopingPlan *plan, GError **error);

/* The strategies the card offers for the moment, in order (element type TendStrategy). */
GPtrArray *coping_plan_grounding(TendStore *store, const char *data_dir, const TendCopingPlan *plan,
                                 GError **error);

G_END_DECLS
