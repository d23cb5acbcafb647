/* planner.h: places kind, small activities around each stressor, in free time.
 *
 * For every stressor the planner decides a bundle (rehearse, ground, check in,
 * decompress, reflect) and puts each activity that takes time into a free slot:
 * not on busy events, stressors or other activities, inside waking hours, and no
 * more than the daily budget per day. Planning is deterministic and idempotent:
 * an activity that still fits keeps its place and its id. Nothing here prints or exits.
 *
 * Invariants:
 * - An activity is identified by (stressor_id, kind, slot); its id and uid never
 *   change once stored. Every change to what it exports (time, title) bumps sequence.
 * - Activities that are done, skipped, pinned or already started, or whose reminder
 *   the person answered Done or Skip, are never moved or removed by the planner.
 * - Nothing is placed before "now" (ctx->clock).
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
    char *kind; /* "rehearse", "ground", "checkin", "decompress", "reflect" */
    int slot;   /* which one of that kind: rehearsal 0 the day before, 1 two days before;
                   check-ins 0..3 during; daily check-ins the day's index in the period */
    char *title;
    gint64 start; /* instant */
    gint64 end;
    gboolean busy; /* FALSE for reminder-only check-ins */
    gint64 sequence;
    char *status;    /* "planned", "done", "skipped" */
    gboolean pinned; /* the person placed it; the planner leaves it where it is */
} TendActivity;

void activity_free(TendActivity *activity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendActivity, activity_free)

typedef struct {
    guint placed;          /* new activities */
    guint moved;           /* existing ones that had to move */
    guint kept;            /* existing ones left where they were */
    guint removed;         /* existing ones their stressor no longer asks for */
    guint unplaced;        /* no free slot found */
    guint stressors;       /* stressors planned for */
    GPtrArray *notes;      /* char*, one per activity that could not be placed */
    GPtrArray *activities; /* TendActivity*, every activity of those stressors, by start */
} TendPlanResult;

/* Frees what @result holds and zeroes it; safe on a zeroed result. */
void plan_result_clear(TendPlanResult *result);

/* Plans every stressor that overlaps [from, to), in one write transaction. Bundles
 * of timed stressors may reach a few days outside the window (a rehearsal before,
 * a reflection after); daily check-ins of long periods stay inside it.
 * @out_result (zeroed by the caller or cleared) is filled only on success. */
gboolean planner_run(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *out_result, GError **error);

/* Like planner_run() but rolls everything back: @out_result says what a run would
 * do (new activities carry ids that are not kept). */
gboolean planner_preview(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                         TendPlanResult *out_result, GError **error);

/* Activities ordered by start, then id; @stressor_id 0 for all. */
GPtrArray *activity_list(TendStore *store, gint64 stressor_id, GError **error);
/* One activity; TEND_STORE_ERROR_NOT_FOUND when there is none with @id. */
TendActivity *activity_get(TendStore *store, gint64 id, GError **error);

/* Marks an activity "done", "skipped" or "planned" again. Done and skipped ones are
 * never moved by the planner. TEND_STORE_ERROR_NOT_FOUND for an unknown id. */
gboolean activity_set_status(TendStore *store, gint64 id, const char *status, GError **error);
/* Moves an activity to start at @start (same length) because the person chose so:
 * it is pinned from then on, and its sequence grows when the time changed. */
gboolean activity_move(TendStore *store, gint64 id, gint64 start, GError **error);

/* The strategy (an id in data/strategies.ini) that the built-in rule number @index
 * practises; NULL once @index is past the last rule. Tests check that each exists. */
const char *planner_rule_strategy(guint index);
/* The strategy an activity of @kind practises, for a stressor that is a period (all-day
 * or longer than a day) when @period; NULL for a kind the planner does not make. */
const char *planner_activity_strategy(const char *kind, gboolean period);

/* The planner's rules and settings (waking hours, daily budget).
 *
 * The rules ship in tend_data_dir()/data/planner.conf (documented there): a [planner]
 * group (waking-hours=07:00-22:00, daily-budget=3) and one [rule NAME] group per
 * rule. The person's $XDG_CONFIG_HOME/tend/tend.conf may set the same [planner] keys,
 * change any key of a shipped rule in a [rule NAME] group of the same name, switch
 * one off with enabled=false, or add a rule of their own. A value tend cannot use is
 * a G_KEY_FILE_ERROR naming the file, the group and the key. The built-in table in
 * planner.c holds the same rules as the shipped file (a test checks that), and is
 * what planning uses when ctx->plan_config is NULL. */
TendPlanConfig *plan_config_load(const char *shipped_path, const char *user_path, GError **error);
TendPlanConfig *plan_config_builtin(void);
void plan_config_free(TendPlanConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendPlanConfig, plan_config_free)
/* $XDG_CONFIG_HOME/tend/tend.conf. */
char *plan_config_user_path(void);
void plan_config_settings(const TendPlanConfig *config, int *out_waking_start, int *out_waking_end,
                          int *out_daily_budget);
guint plan_config_n_rules(const TendPlanConfig *config);
/* One line with every field of rule @index (for tests and comparisons); NULL past
 * the last rule. */
char *plan_config_describe_rule(const TendPlanConfig *config, guint index);
const char *plan_config_rule_strategy(const TendPlanConfig *config, guint index);

/* Loads the shipped planner.conf and the person's tend.conf into @ctx: its waking
 * hours, daily budget and plan_config. On failure @ctx is left as it was. */
gboolean planner_load_settings(TendContext *ctx, GError **error);

G_END_DECLS
