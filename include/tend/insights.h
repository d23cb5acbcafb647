/* insights.h: what went with the better days, from the person's own notes and plans.
 *
 * Everything here is counting, never judging: means with how many notes they rest on,
 * and "on N of M days" statements. Nothing here prints or exits.
 *
 * Definitions (README "tend insights" says the same in plain words):
 * - A stressor's notes are the notes linked to it (note --stressor, --activity, or
 *   `tend reflect`). "Before" notes were written before the stressor began (all-day
 *   stressors begin at local midnight of their first day); "after" notes at or after
 *   its end. Notes written during it count for neither.
 * - A measure (mood or stress) before or after is the mean of those notes' values;
 *   notes without that value do not count.
 * - An activity's outcome is its status when 'done' or 'skipped'; otherwise the last
 *   'done' or 'skipped' answer to its reminder (reminder_log); otherwise 'planned'.
 * - A stressor had a better day when it has stress before and after and the mean after
 *   is lower than the mean before.
 */
#pragma once

#include <glib.h>

#include "tend/clock.h"
#include "tend/store.h"
#include "tend/stressor.h"

G_BEGIN_DECLS

typedef struct {
    double sum;
    guint count; /* how many values the mean rests on; 0: no mean */
} TendMeasure;

/* The mean of @measure rounded to one decimal (halves up), as tend shows it everywhere;
 * 0 when count is 0. */
double insights_mean(const TendMeasure *measure);

typedef struct {
    gint64 id;
    char *kind; /* "rehearse", "ground", ... */
    char *title;
    char *strategy_id; /* what the planner meant it to practise, or NULL */
    gint64 start, end; /* instants */
    char *outcome;     /* "done", "skipped" or "planned" */
} TendInsightActivity;

typedef struct {
    TendStressor *stressor;
    gint64 start, end;     /* instants (all-day days become local midnights) */
    GPtrArray *activities; /* TendInsightActivity, by start */
    GPtrArray *notes;      /* TendNote linked to it, oldest first */
    TendMeasure mood_before, mood_after, stress_before, stress_after;
} TendInsightStressor;

void insight_stressor_free(TendInsightStressor *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendInsightStressor, insight_stressor_free)

/* Stressors that overlap [from, to) in @tz, by start, with their activities (and
 * outcomes) and linked notes, whenever those were written. */
GPtrArray *insights_stressors(TendStore *store, GTimeZone *tz, gint64 from, gint64 to,
                              GError **error);

/* One kind of activity across the stressors of one kind. */
typedef struct {
    char *kind;        /* activity kind */
    char *strategy_id; /* or NULL */
    guint done, skipped, planned;
    /* Stressors with stress before and after: of those where this kind of activity was
     * done, how many had a lower stress after (lower_with of measured_with); and the
     * same for those where it was not done. */
    guint lower_with, measured_with, lower_without, measured_without;
} TendInsightPractice;

typedef struct {
    char *kind; /* stressor kind: "family", ... */
    guint stressors;
    TendMeasure mood_before, mood_after, stress_before, stress_after;
    GPtrArray *practices; /* TendInsightPractice, in the planner's order of kinds */
} TendInsightKind;

void insight_kind_free(TendInsightKind *kind);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendInsightKind, insight_kind_free)

/* Groups @stressors (from insights_stressors()) by stressor kind, in TendKind order,
 * leaving out kinds with no stressor. Element type TendInsightKind. */
GPtrArray *insights_by_kind(GPtrArray *stressors);

/* Daily means of every note's mood and stress (linked or not) on the local days from
 * @first_date to @last_date (all-day values, inclusive). *out_mood and *out_stress get
 * one TendMeasure per day (g_free them). */
gboolean insights_daily(TendStore *store, GTimeZone *tz, gint64 first_date, gint64 last_date,
                        TendMeasure **out_mood, TendMeasure **out_stress, GError **error);

G_END_DECLS
