/* coping-plan.c: a person's plan for one hard event, and the card that shows it.
 *
 * The plan is one row of `plans` (schema v2). Lists (triggers, boundaries, scripts,
 * support, grounding) are kept one item a line; older rows holding one line of free
 * text read back as a list of one. The card is plain text with short headed sections
 * and is the only place the plan is put into words, so `tend plan show` and the
 * export say the same. This file must not print or exit.
 */
#include "tend/coping-plan.h"

#include <gio/gio.h>
#include <string.h>

#include "tend/strategy.h"

#define MOMENT_OPTIONS 3

TendCopingPlan *coping_plan_new(gint64 stressor_id)
{
    TendCopingPlan *plan = g_new0(TendCopingPlan, 1);
    plan->stressor_id = stressor_id;
    plan->triggers = g_new0(char *, 1);
    plan->boundaries = g_new0(char *, 1);
    plan->scripts = g_new0(char *, 1);
    plan->support = g_new0(char *, 1);
    plan->grounding = g_new0(char *, 1);
    plan->exit_plan = g_strdup("");
    plan->aftercare = g_strdup("");
    return plan;
}

void coping_plan_free(TendCopingPlan *plan)
{
    if (!plan)
        return;
    g_strfreev(plan->triggers);
    g_strfreev(plan->boundaries);
    g_strfreev(plan->scripts);
    g_strfreev(plan->support);
    g_strfreev(plan->grounding);
    g_free(plan->exit_plan);
    g_free(plan->aftercare);
    g_free(plan);
}

/* One item a line, blank lines and outer spaces dropped. */
static char **split_items(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
    g_autoptr(GStrvBuilder) items = g_strv_builder_new();
    for (guint i = 0; lines[i]; i++) {
        g_strstrip(lines[i]);
        if (*lines[i])
            g_strv_builder_add(items, lines[i]);
    }
    return g_strv_builder_end(items);
}

TendCopingPlan *coping_plan_load(TendStore *store, gint64 stressor_id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT triggers, boundaries, scripts, exit_by, exit_plan, support, "
                      "grounding, aftercare, updated FROM plans WHERE stressor_id = ?",
                      error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, stressor_id);
    g_autoptr(TendCopingPlan) plan = coping_plan_new(stressor_id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
        return g_steal_pointer(&plan);
    if (rc != SQLITE_ROW) {
        store_set_error(store, error, "cannot read the coping plan");
        return NULL;
    }
    g_strfreev(plan->triggers);
    plan->triggers = split_items(store_column_text(stmt, 0));
    g_strfreev(plan->boundaries);
    plan->boundaries = split_items(store_column_text(stmt, 1));
    g_strfreev(plan->scripts);
    plan->scripts = split_items(store_column_text(stmt, 2));
    plan->has_exit_by = sqlite3_column_type(stmt, 3) != SQLITE_NULL;
    plan->exit_by = sqlite3_column_int64(stmt, 3);
    g_free(plan->exit_plan);
    plan->exit_plan = g_strstrip(g_strdup(store_column_text(stmt, 4)));
    g_strfreev(plan->support);
    plan->support = split_items(store_column_text(stmt, 5));
    g_strfreev(plan->grounding);
    plan->grounding = split_items(store_column_text(stmt, 6));
    g_free(plan->aftercare);
    plan->aftercare = g_strstrip(g_strdup(store_column_text(stmt, 7)));
    plan->updated = sqlite3_column_int64(stmt, 8);
    return g_steal_pointer(&plan);
}

gboolean coping_plan_is_empty(const TendCopingPlan *plan)
{
    return !plan->triggers[0] && !plan->boundaries[0] && !plan->scripts[0] && !plan->has_exit_by &&
           !*plan->exit_plan && !plan->support[0] && !plan->grounding[0] && !*plan->aftercare;
}

/* Readable text: valid UTF-8, no control characters, not too long. */
static gboolean check_text(const char *field, const char *text, GError **error)
{
    gboolean ok = g_utf8_validate(text, -1, NULL) && g_utf8_strlen(text, -1) <= TEND_PLAN_MAX_TEXT;
    for (const char *p = text; ok && *p; p++)
        ok = !((unsigned char)*p < 0x20 || *p == 0x7f);
    if (!ok)
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "%s must be one line of readable text of at most %d characters", field,
                    TEND_PLAN_MAX_TEXT);
    return ok;
}

static gboolean check_list(const char *field, char **items, GError **error)
{
    if (g_strv_length(items) > TEND_PLAN_MAX_ITEMS) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s can hold at most %d items",
                    field, TEND_PLAN_MAX_ITEMS);
        return FALSE;
    }
    for (guint i = 0; items[i]; i++)
        if (!check_text(field, items[i], error))
            return FALSE;
    return TRUE;
}

/* The list as stored: items one a line, or NULL when empty. */
static void bind_list(sqlite3_stmt *stmt, int column, char **items)
{
    if (!items[0]) {
        sqlite3_bind_null(stmt, column);
        return;
    }
    g_autofree char *joined = g_strjoinv("\n", items);
    sqlite3_bind_text(stmt, column, joined, -1, SQLITE_TRANSIENT);
}

static void bind_text(sqlite3_stmt *stmt, int column, const char *text)
{
    if (*text)
        sqlite3_bind_text(stmt, column, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, column);
}

/* Binds @plan's stressor and fields as ?1 to ?9, in the order of the plans table. */
static void bind_plan(sqlite3_stmt *stmt, const TendCopingPlan *plan)
{
    sqlite3_bind_int64(stmt, 1, plan->stressor_id);
    bind_list(stmt, 2, plan->triggers);
    bind_list(stmt, 3, plan->boundaries);
    bind_list(stmt, 4, plan->scripts);
    if (plan->has_exit_by)
        sqlite3_bind_int64(stmt, 5, plan->exit_by);
    else
        sqlite3_bind_null(stmt, 5);
    bind_text(stmt, 6, plan->exit_plan);
    bind_list(stmt, 7, plan->support);
    bind_list(stmt, 8, plan->grounding);
    bind_text(stmt, 9, plan->aftercare);
}

gboolean coping_plan_save(TendStore *store, const char *data_dir, TendCopingPlan *plan, gint64 now,
                          GError **error)
{
    if (!check_list("--trigger", plan->triggers, error) ||
        !check_list("--boundary", plan->boundaries, error) ||
        !check_list("--script", plan->scripts, error) ||
        !check_text("--exit-plan", plan->exit_plan, error) ||
        !check_list("--support", plan->support, error) ||
        !check_list("--grounding", plan->grounding, error) ||
        !check_text("--aftercare", plan->aftercare, error))
        return FALSE;
    for (guint i = 0; plan->grounding[i]; i++) {
        g_autoptr(TendStrategy) strategy = strategy_get(store, data_dir, plan->grounding[i], error);
        if (!strategy) {
            g_prefix_error(error, "--grounding: ");
            return FALSE;
        }
    }
    /* The plan is the stressor's DESCRIPTION in the export: when it changes, a higher
     * SEQUENCE tells a calendar that imports the export again that the event is newer. */
    g_autoptr(sqlite3_stmt) bump = store_prepare(
        store,
        "UPDATE stressors SET sequence = sequence + 1 WHERE id = ?1 AND NOT EXISTS ("
        "SELECT 1 FROM plans WHERE stressor_id = ?1 AND triggers IS ?2 AND boundaries IS ?3 "
        "AND scripts IS ?4 AND exit_by IS ?5 AND exit_plan IS ?6 AND support IS ?7 "
        "AND grounding IS ?8 AND aftercare IS ?9)",
        error);
    g_autoptr(sqlite3_stmt) stmt =
        bump ? store_prepare(store,
                             "INSERT OR REPLACE INTO plans (stressor_id, triggers, boundaries, "
                             "scripts, exit_by, exit_plan, support, grounding, aftercare, updated) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                             error)
             : NULL;
    if (!stmt)
        return FALSE;
    bind_plan(bump, plan);
    bind_plan(stmt, plan);
    sqlite3_bind_int64(stmt, 10, now);
    if (sqlite3_step(bump) != SQLITE_DONE || sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save the coping plan");
    plan->updated = now;
    return TRUE;
}

GPtrArray *coping_plan_grounding(TendStore *store, const char *data_dir, const TendCopingPlan *plan,
                                 GError **error)
{
    g_autoptr(GPtrArray) library = strategy_list(store, data_dir, FALSE, error);
    if (!library)
        return NULL;
    g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func((GDestroyNotify)strategy_free);
    for (guint i = 0; plan->grounding[i] && chosen->len < MOMENT_OPTIONS; i++) {
        g_autoptr(GError) missing = NULL;
        TendStrategy *strategy = strategy_get(store, data_dir, plan->grounding[i], &missing);
        if (strategy) {
            g_ptr_array_add(chosen, strategy);
        } else if (!g_error_matches(missing, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND)) {
            g_propagate_error(error, g_steal_pointer(&missing));
            return NULL;
        }
    }
    /* Then the library's best picks for being there, skipping what is chosen. */
    g_autoptr(GPtrArray) picks =
        strategy_pick_now(library, 0, TEND_WHERE_THERE, MOMENT_OPTIONS + chosen->len);
    for (guint i = 0; i < picks->len && chosen->len < MOMENT_OPTIONS; i++) {
        TendStrategy *pick = picks->pdata[i];
        gboolean taken = FALSE;
        for (guint j = 0; j < chosen->len && !taken; j++)
            taken = g_str_equal(((TendStrategy *)chosen->pdata[j])->id, pick->id);
        if (taken)
            continue;
        /* Move it out of the library; the library frees what is left. */
        for (guint j = 0; j < library->len; j++) {
            if (library->pdata[j] == pick) {
                g_ptr_array_add(chosen, g_ptr_array_steal_index(library, j));
                break;
            }
        }
    }
    return g_steal_pointer(&chosen);
}

static void add_section(GString *card, const char *heading, char **items, const char *before,
                        const char *after)
{
    if (!items[0])
        return;
    g_string_append_printf(card, "\n\n%s", heading);
    for (guint i = 0; items[i]; i++)
        g_string_append_printf(card, "\n- %s%s%s", before, items[i], after);
}

static char *span_text(const TendContext *ctx, const TendStressor *stressor)
{
    if (stressor->all_day) {
        g_autofree char *first = tend_format_local(stressor->start, NULL, "%a %d %b %Y");
        if (stressor->end - stressor->start <= TEND_DAY_SECONDS)
            return g_strdup_printf("%s, all day", first);
        g_autofree char *last =
            tend_format_local(stressor->end - TEND_DAY_SECONDS, NULL, "%a %d %b %Y");
        return g_strdup_printf("%s to %s, all day", first, last);
    }
    g_autofree char *start = tend_format_local(stressor->start, ctx->tz, "%a %d %b %Y, %H:%M");
    gboolean same_day =
        tend_date_of(stressor->start, ctx->tz) == tend_date_of(stressor->end - 1, ctx->tz);
    g_autofree char *end =
        tend_format_local(stressor->end, ctx->tz, same_day ? "%H:%M" : "%a %d %b %Y, %H:%M");
    return g_strdup_printf("%s to %s", start, end);
}

/* "Scripted" words keep the person's own quotes; others get plain quotes. */
static gboolean is_quoted(const char *text)
{
    return g_str_has_prefix(text, "\"") || g_str_has_prefix(text, "\u201c");
}

char *coping_plan_card(TendStore *store, const TendContext *ctx, const char *data_dir,
                       const TendStressor *stressor, const TendCopingPlan *plan, GError **error)
{
    g_autoptr(GPtrArray) moment = coping_plan_grounding(store, data_dir, plan, error);
    if (!moment)
        return NULL;

    g_autoptr(GString) card = g_string_new(stressor->title);
    g_autofree char *span = span_text(ctx, stressor);
    g_string_append_printf(card, "\n%s", span);
    if (stressor->location && *stressor->location)
        g_string_append_printf(card, ", %s", stressor->location);
    g_autofree char *kind = g_strdup(stressor_kind_to_string(stressor->kind));
    kind[0] = g_ascii_toupper(kind[0]);
    g_string_append_printf(card, "\n%s, how hard it may feel: %d of 5.", kind, stressor->intensity);

    add_section(card, "What may be hard", plan->triggers, "", "");
    add_section(card, "My boundaries", plan->boundaries, "", "");
    if (plan->scripts[0]) {
        g_string_append(card, "\n\nWords I can use");
        for (guint i = 0; plan->scripts[i]; i++)
            g_string_append_printf(card, is_quoted(plan->scripts[i]) ? "\n- %s" : "\n- \"%s\"",
                                   plan->scripts[i]);
    }
    if (plan->has_exit_by || *plan->exit_plan) {
        g_string_append(card, "\n\nMy way out\n");
        if (plan->has_exit_by) {
            gboolean same_day = !stressor->all_day && tend_date_of(plan->exit_by, ctx->tz) ==
                                                          tend_date_of(stressor->start, ctx->tz);
            g_autofree char *leave =
                tend_format_local(plan->exit_by, ctx->tz, same_day ? "%H:%M" : "%a %d %b %H:%M");
            g_string_append_printf(card, "Leave by %s.%s", leave, *plan->exit_plan ? " " : "");
        }
        g_string_append(card, plan->exit_plan);
    }
    add_section(card, "Who I can text", plan->support, "", "");

    g_string_append(card, "\n\nIn the moment, try one of these");
    /* Grounding written in the person's own words (not a library id) comes first. */
    guint shown = 0;
    for (guint i = 0; plan->grounding[i]; i++) {
        gboolean known = FALSE;
        for (guint j = 0; j < moment->len && !known; j++)
            known = g_str_equal(((TendStrategy *)moment->pdata[j])->id, plan->grounding[i]);
        if (!known) {
            g_string_append_printf(card, "\n- %s", plan->grounding[i]);
            shown++;
        }
    }
    for (guint i = 0; i < moment->len && shown++ < MOMENT_OPTIONS; i++) {
        const TendStrategy *strategy = moment->pdata[i];
        g_string_append_printf(card, "\n- %s (%d %s)", strategy->title, strategy->minutes,
                               strategy->minutes == 1 ? "minute" : "minutes");
        for (guint s = 0; strategy->steps[s]; s++)
            g_string_append_printf(card, "\n  %u. %s", s + 1, strategy->steps[s]);
    }
    if (*plan->aftercare)
        g_string_append_printf(card, "\n\nAfterwards\n%s", plan->aftercare);
    /* Crisis help is one step from every card, wherever the card is read. */
    g_string_append(card, "\n\nIf it gets too much: tend help-now");
    return g_string_free(g_steal_pointer(&card), FALSE);
}
