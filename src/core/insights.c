/* insights.c: gathering stressors with their activities, outcomes and notes, and
 * counting what went with the better days. See insights.h for the definitions. */
#include "tend/insights.h"

#include <string.h>

#include "tend/notes.h"
#include "tend/planner.h"

/* The planner's activity kinds, in the order it plans them. */
static const char *const activity_kinds[] = {"rehearse", "ground", "checkin", "decompress",
                                             "reflect"};

double insights_mean(const TendMeasure *measure)
{
    if (!measure->count)
        return 0.0;
    /* Values are 0..10, so the mean is never negative. */
    return (double)(gint64)(measure->sum * 10 / measure->count + 0.5) / 10;
}

static void measure_add(TendMeasure *measure, int value)
{
    if (value < 0)
        return;
    measure->sum += value;
    measure->count++;
}

static void measure_merge(TendMeasure *into, const TendMeasure *from)
{
    into->sum += from->sum;
    into->count += from->count;
}

static void insight_activity_free(TendInsightActivity *activity)
{
    if (!activity)
        return;
    g_free(activity->kind);
    g_free(activity->title);
    g_free(activity->strategy_id);
    g_free(activity->outcome);
    g_free(activity);
}

void insight_stressor_free(TendInsightStressor *item)
{
    if (!item)
        return;
    stressor_free(item->stressor);
    g_clear_pointer(&item->activities, g_ptr_array_unref);
    g_clear_pointer(&item->notes, g_ptr_array_unref);
    g_free(item);
}

static void practice_free(TendInsightPractice *practice)
{
    if (!practice)
        return;
    g_free(practice->kind);
    g_free(practice->strategy_id);
    g_free(practice);
}

void insight_kind_free(TendInsightKind *kind)
{
    if (!kind)
        return;
    g_free(kind->kind);
    g_clear_pointer(&kind->practices, g_ptr_array_unref);
    g_free(kind);
}

static gboolean is_period(const TendStressor *stressor)
{
    /* The planner's rule (planner.c): all-day, or longer than a day. */
    return stressor->all_day || stressor->end - stressor->start > TEND_DAY_SECONDS;
}

static gboolean load_activities(TendStore *store, TendInsightStressor *item, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store,
        "SELECT a.id, a.kind, a.title, a.start_utc, a.end_utc,"
        "  CASE WHEN a.status IN ('done', 'skipped') THEN a.status"
        "  ELSE COALESCE((SELECT r.outcome FROM reminder_log r"
        "                 WHERE r.item_type = 'activity' AND r.item_id = a.id"
        "                   AND r.outcome IN ('done', 'skipped')"
        "                 ORDER BY r.outcome_at DESC, r.fire_at DESC LIMIT 1), 'planned') END "
        "FROM activities a WHERE a.stressor_id = ? ORDER BY a.start_utc, a.id",
        error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, item->stressor->id);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        TendInsightActivity *activity = g_new0(TendInsightActivity, 1);
        activity->id = sqlite3_column_int64(stmt, 0);
        activity->kind = g_strdup(store_column_text(stmt, 1));
        activity->title = g_strdup(store_column_text(stmt, 2));
        activity->start = sqlite3_column_int64(stmt, 3);
        activity->end = sqlite3_column_int64(stmt, 4);
        activity->outcome = g_strdup(store_column_text(stmt, 5));
        activity->strategy_id =
            g_strdup(planner_activity_strategy(activity->kind, is_period(item->stressor)));
        g_ptr_array_add(item->activities, activity);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the plan");
    return TRUE;
}

GPtrArray *insights_stressors(TendStore *store, GTimeZone *tz, gint64 from, gint64 to,
                              GError **error)
{
    g_autoptr(GPtrArray) candidates = stressor_list_between(store, from, to, error);
    if (!candidates)
        return NULL;
    g_autoptr(GPtrArray) notes = notes_list(store, error);
    if (!notes)
        return NULL;

    g_autoptr(GPtrArray) items =
        g_ptr_array_new_with_free_func((GDestroyNotify)insight_stressor_free);
    for (guint i = 0; i < candidates->len; i++) {
        TendStressor *stressor = candidates->pdata[i];
        gint64 start =
            stressor->all_day ? tend_date_to_local(stressor->start, tz) : stressor->start;
        gint64 end = stressor->all_day ? tend_date_to_local(stressor->end, tz) : stressor->end;
        if (start >= to || end <= from)
            continue;
        g_autoptr(TendInsightStressor) item = g_new0(TendInsightStressor, 1);
        item->stressor = g_steal_pointer(&candidates->pdata[i]);
        item->start = start;
        item->end = end;
        item->activities = g_ptr_array_new_with_free_func((GDestroyNotify)insight_activity_free);
        item->notes = g_ptr_array_new();
        if (!load_activities(store, item, error))
            return NULL;
        /* notes_list() is newest first: walk it backwards for oldest first. */
        for (guint n = notes->len; n-- > 0;) {
            TendNote *note = notes->pdata[n];
            if (note->stressor_id != item->stressor->id)
                continue;
            g_ptr_array_add(item->notes, note);
            if (note->created < start) {
                measure_add(&item->mood_before, note->mood);
                measure_add(&item->stress_before, note->stress);
            } else if (note->created >= end) {
                measure_add(&item->mood_after, note->mood);
                measure_add(&item->stress_after, note->stress);
            }
        }
        g_ptr_array_add(items, g_steal_pointer(&item));
    }
    /* The notes the items point at now belong to them. */
    for (guint i = 0; i < items->len; i++) {
        TendInsightStressor *item = items->pdata[i];
        g_ptr_array_set_free_func(item->notes, (GDestroyNotify)note_free);
        for (guint n = 0; n < item->notes->len; n++) {
            guint index;
            if (g_ptr_array_find(notes, item->notes->pdata[n], &index))
                notes->pdata[index] = NULL;
        }
    }
    return g_steal_pointer(&items);
}

static gboolean done_kind(const TendInsightStressor *item, const char *kind)
{
    for (guint i = 0; i < item->activities->len; i++) {
        const TendInsightActivity *activity = item->activities->pdata[i];
        if (g_str_equal(activity->kind, kind) && g_str_equal(activity->outcome, "done"))
            return TRUE;
    }
    return FALSE;
}

static void add_practices(TendInsightKind *group, GPtrArray *members)
{
    for (guint k = 0; k < G_N_ELEMENTS(activity_kinds); k++) {
        const char *kind = activity_kinds[k];
        g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func((GDestroyNotify)practice_free);
        TendInsightPractice *practice = NULL;
        for (guint m = 0; m < members->len; m++) {
            const TendInsightStressor *item = members->pdata[m];
            for (guint a = 0; a < item->activities->len; a++) {
                const TendInsightActivity *activity = item->activities->pdata[a];
                if (!g_str_equal(activity->kind, kind))
                    continue;
                if (!practice) {
                    practice = g_new0(TendInsightPractice, 1);
                    practice->kind = g_strdup(kind);
                    practice->strategy_id = g_strdup(activity->strategy_id);
                    g_ptr_array_add(holder, practice);
                }
                if (g_str_equal(activity->outcome, "done"))
                    practice->done++;
                else if (g_str_equal(activity->outcome, "skipped"))
                    practice->skipped++;
                else
                    practice->planned++;
            }
        }
        if (!practice)
            continue;
        for (guint m = 0; m < members->len; m++) {
            const TendInsightStressor *item = members->pdata[m];
            if (!item->stress_before.count || !item->stress_after.count)
                continue;
            gboolean lower =
                insights_mean(&item->stress_after) < insights_mean(&item->stress_before);
            if (done_kind(item, kind)) {
                practice->measured_with++;
                practice->lower_with += lower;
            } else {
                practice->measured_without++;
                practice->lower_without += lower;
            }
        }
        g_ptr_array_add(group->practices, g_ptr_array_steal_index(holder, 0));
    }
}

GPtrArray *insights_by_kind(GPtrArray *stressors)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func((GDestroyNotify)insight_kind_free);
    for (TendKind kind = TEND_KIND_FAMILY; kind <= TEND_KIND_OTHER; kind++) {
        g_autoptr(GPtrArray) members = g_ptr_array_new();
        for (guint i = 0; i < stressors->len; i++) {
            TendInsightStressor *item = stressors->pdata[i];
            if (item->stressor->kind == kind)
                g_ptr_array_add(members, item);
        }
        if (members->len == 0)
            continue;
        TendInsightKind *group = g_new0(TendInsightKind, 1);
        group->kind = g_strdup(stressor_kind_to_string(kind));
        group->stressors = members->len;
        group->practices = g_ptr_array_new_with_free_func((GDestroyNotify)practice_free);
        for (guint m = 0; m < members->len; m++) {
            const TendInsightStressor *item = members->pdata[m];
            measure_merge(&group->mood_before, &item->mood_before);
            measure_merge(&group->mood_after, &item->mood_after);
            measure_merge(&group->stress_before, &item->stress_before);
            measure_merge(&group->stress_after, &item->stress_after);
        }
        add_practices(group, members);
        g_ptr_array_add(groups, group);
    }
    return groups;
}

gboolean insights_daily(TendStore *store, GTimeZone *tz, gint64 first_date, gint64 last_date,
                        TendMeasure **out_mood, TendMeasure **out_stress, GError **error)
{
    g_return_val_if_fail(last_date >= first_date, FALSE);
    guint days = (guint)((last_date - first_date) / TEND_DAY_SECONDS) + 1;
    gint64 from = tend_date_to_local(first_date, tz);
    gint64 to = tend_date_to_local(last_date + TEND_DAY_SECONDS, tz);
    g_autoptr(GPtrArray) notes = notes_list_between(store, from, to, error);
    if (!notes)
        return FALSE;
    TendMeasure *mood = g_new0(TendMeasure, days);
    TendMeasure *stress = g_new0(TendMeasure, days);
    for (guint i = 0; i < notes->len; i++) {
        const TendNote *note = notes->pdata[i];
        gint64 day = (tend_date_of(note->created, tz) - first_date) / TEND_DAY_SECONDS;
        if (day < 0 || day >= (gint64)days)
            continue;
        measure_add(&mood[day], note->mood);
        measure_add(&stress[day], note->stress);
    }
    *out_mood = mood;
    *out_stress = stress;
    return TRUE;
}
