/* planner.c: placing small, kind activities around each stressor, in free time.
 *
 * What a stressor gets is written as rules: the built-in table plan_rules[] below,
 * shipped identically as data/planner.conf (documented there), which the person's
 * tend.conf may change, switch off or add to (plan_config_load()). The defaults:
 *
 *   kind        minutes  busy  when                                          prefers
 *   rehearse    20       yes   the day before the stressor's (local) day     14:00
 *   rehearse    20       yes   two days before, intensity 4 and 5 only       14:00
 *                              (spaced rehearsal: slot 1)
 *   ground      15       yes   the stressor's day, ending >= 30 min before   08:00
 *   checkin     5        no    during: 90, 180, 270, 360 min after the start  (fixed)
 *                              for timed stressors of 2 hours or more
 *   exit        5        no    at the coping plan's exit-by time, when set    (fixed)
 *   decompress  45       yes   the first free time after the end, that        right after
 *                              evening; else the next morning (before 12:00)
 *   reflect     20       yes   the day after the stressor's last day          10:00
 *
 * All-day stressors and timed ones longer than a day are periods (a season, a
 * visit): they get no bundle but a light daily rhythm for each of their days inside
 * the planning window: a check-in (10 minutes, prefers 09:00) and something
 * restoring (20 minutes, prefers 15:00). Periods are not busy time themselves, or
 * nothing could ever be placed during them; timed stressors of a day or less are.
 * Bundles of hard events choose before the rhythm of periods, so a long season
 * never takes a hard day's budget.
 *
 * Placement: a busy activity must not overlap any busy item (imported events that
 * are not transparent, stressors that are not periods, other busy activities), must
 * lie inside waking hours and is at most the ctx->daily_budget-th busy activity of
 * its local day. Candidates are wall-clock times in 15-minute steps from the
 * preferred time outward (later first), each resolved with tend_local_to_utc() so DST
 * days come out right. Reminder-only check-ins take no time and are not counted.
 *
 * Idempotence: activities are keyed by (stressor, kind, slot). One that still fits
 * where it is stays (same id, time and sequence); one that no longer fits is moved
 * (same id and uid, sequence + 1); one its stressor no longer asks for is removed.
 * Done, skipped, pinned and already-started activities are never touched, nor those
 * whose reminder the person answered Done or Skip. When no slot fits, nothing is
 * placed and a kind note says so, with the nearest free time within three days when
 * there is one.
 *
 * This file must not print or exit. It writes only the activities table, and through
 * alarms_forget_removed() drops the reminders of the activities it removes.
 */
#include "tend/planner.h"

#include <gio/gio.h>
#include <stdarg.h>
#include <string.h>

#include "tend/agenda.h"
#include "tend/alarms.h"
#include "tend/stressor.h"

#define STEP_MINUTES 15
#define SUGGEST_DAYS 3

typedef enum {
    SHAPE_EVENT,  /* timed stressors of a day or less */
    SHAPE_PERIOD, /* all-day stressors and anything longer than a day */
} PlanShape;

typedef enum {
    WINDOW_DAY_BEFORE, /* a waking day, day_offset days before the start's day */
    WINDOW_MORNING_OF, /* the start's day, ending lead_minutes before the start */
    WINDOW_DURING,     /* reminder at the start + every_minutes * (slot + 1) */
    WINDOW_EXIT_BY,    /* reminder at the exit-by time of the stressor's coping plan */
    WINDOW_AFTER_END,  /* first free time after the end that day, else next morning */
    WINDOW_DAY_AFTER,  /* a waking day, day_offset days after the last day */
    WINDOW_EACH_DAY,   /* every day of a period */
} PlanWindow;

typedef struct {
    const char *name; /* the rule's group in planner.conf: [rule NAME] */
    const char *kind;
    PlanShape shape;
    int slot;          /* first slot this rule fills */
    int count;         /* WINDOW_DURING: at most this many (others fill one slot) */
    int minutes;       /* length */
    gboolean busy;     /* FALSE: a reminder only, takes no time */
    int min_intensity; /* only for stressors at least this hard */
    PlanWindow window;
    int day_offset;       /* WINDOW_DAY_BEFORE / WINDOW_DAY_AFTER */
    int prefer;           /* minutes after local midnight; -1: as early as the window allows */
    int lead_minutes;     /* WINDOW_MORNING_OF: end this long before the start */
    int every_minutes;    /* WINDOW_DURING */
    int min_length;       /* WINDOW_DURING: only for stressors at least this long, minutes */
    const char *title;    /* "{title}" becomes the stressor's title */
    const char *when;     /* for notes; "{day}" becomes the day */
    const char *purpose;  /* for notes */
    const char *strategy; /* id in data/strategies.ini that this activity practises */
} PlanRule;

/* Order matters: within a stressor, earlier rules choose their time first. This is
 * the built-in set; data/planner.conf ships the same rules (a test holds them equal)
 * and the person's tend.conf may change or add to them (see plan_config_load()). */
static const PlanRule plan_rules[] = {
    {.name = "rehearse-day-before",
     .kind = "rehearse",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_DAY_BEFORE,
     .day_offset = 1,
     .prefer = 14 * 60,
     .title = "Rehearse your boundary words for {title}",
     .when = "the day before",
     .purpose = "for a rehearsal",
     .strategy = "rehearse-a-script"},
    /* Spaced rehearsal for the hardest days: a first run-through two days ahead. */
    {.name = "rehearse-two-days-before",
     .kind = "rehearse",
     .shape = SHAPE_EVENT,
     .slot = 1,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 4,
     .window = WINDOW_DAY_BEFORE,
     .day_offset = 2,
     .prefer = 14 * 60,
     .title = "Rehearse your boundary words for {title}",
     .when = "two days before",
     .purpose = "for a first rehearsal",
     .strategy = "rehearse-a-script"},
    {.name = "ground-morning-of",
     .kind = "ground",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 15,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_MORNING_OF,
     .lead_minutes = 30,
     .prefer = 8 * 60,
     .title = "Ground yourself before {title}: feet on the floor, slow breaths",
     .when = "the morning of",
     .purpose = "for grounding",
     .strategy = "feet-on-floor"},
    /* Reminders only: they take no time and do not count against the budget. */
    {.name = "checkin-during",
     .kind = "checkin",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .count = 4,
     .minutes = 5,
     .busy = FALSE,
     .min_intensity = 1,
     .window = WINDOW_DURING,
     .every_minutes = 90,
     .min_length = 120,
     .prefer = -1,
     .title = "A quiet check-in: how are you doing?",
     .when = "during",
     .purpose = "for a check-in",
     .strategy = "five-minutes-alone"},
    /* Only when the coping plan (tend prepare --exit-by) names a time to leave. */
    {.name = "exit-by",
     .kind = "exit",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 5,
     .busy = FALSE,
     .min_intensity = 1,
     .window = WINDOW_EXIT_BY,
     .prefer = -1,
     .title = "Time to leave {title}, as you planned. You can go now.",
     .when = "at the time you chose to leave",
     .purpose = "as a reminder to leave",
     .strategy = "leave-early-script"},
    {.name = "decompress-after",
     .kind = "decompress",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 45,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_AFTER_END,
     .prefer = -1,
     .title = "Decompress after {title}: somewhere quiet, nothing to prove",
     .when = "after",
     .purpose = "to decompress",
     .strategy = "decompress-at-home"},
    {.name = "reflect-day-after",
     .kind = "reflect",
     .shape = SHAPE_EVENT,
     .slot = 0,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_DAY_AFTER,
     .day_offset = 1,
     .prefer = 10 * 60,
     .title = "Reflect on {title}: what helped, what you needed",
     .when = "the day after",
     .purpose = "to reflect",
     .strategy = "notice-what-helped"},
    /* Periods: slot N is the period's day N (counted from its first day). A light
     * rhythm: a short check-in in the morning, something restoring in the afternoon. */
    {.name = "period-checkin",
     .kind = "checkin",
     .shape = SHAPE_PERIOD,
     .slot = 0,
     .minutes = 10,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_EACH_DAY,
     .prefer = 9 * 60,
     .title = "A gentle check-in during {title}: how are you today?",
     .when = "on {day} during",
     .purpose = "for a check-in",
     .strategy = "self-compassion-break"},
    {.name = "period-restore",
     .kind = "restore",
     .shape = SHAPE_PERIOD,
     .slot = 0,
     .minutes = 20,
     .busy = TRUE,
     .min_intensity = 1,
     .window = WINDOW_EACH_DAY,
     .prefer = 15 * 60,
     .title = "Something restoring during {title}: a walk, music, a warm drink",
     .when = "on {day} during",
     .purpose = "for something restoring",
     .strategy = "small-pleasure"},
};

/* ------------------------------------------------------------------------------
 * Rules and settings from planner.conf and tend.conf
 * ------------------------------------------------------------------------------ */

struct _TendPlanConfig {
    int waking_start, waking_end, daily_budget;
    GArray *rules;         /* PlanRule, in the order they choose */
    GStringChunk *strings; /* the text the rules point to */
};

static const struct {
    const char *name;
    PlanWindow window;
} window_names[] = {
    {"day-before", WINDOW_DAY_BEFORE}, {"morning-of", WINDOW_MORNING_OF},
    {"during", WINDOW_DURING},         {"exit-by", WINDOW_EXIT_BY},
    {"after-end", WINDOW_AFTER_END},   {"day-after", WINDOW_DAY_AFTER},
    {"each-day", WINDOW_EACH_DAY},
};

static const char *const rule_keys[] = {
    "kind",          "shape",  "slot",       "count",   "minutes",      "busy",
    "min-intensity", "window", "day-offset", "prefer",  "lead-minutes", "every-minutes",
    "min-length",    "title",  "when",       "purpose", "strategy",     "enabled",
};

#define RULE_GROUP_PREFIX "rule "

void plan_config_free(TendPlanConfig *config)
{
    if (!config)
        return;
    g_clear_pointer(&config->rules, g_array_unref);
    if (config->strings)
        g_string_chunk_free(config->strings);
    g_free(config);
}

static TendPlanConfig *plan_config_new(void)
{
    TendPlanConfig *config = g_new0(TendPlanConfig, 1);
    config->waking_start = 7 * 60;
    config->waking_end = 22 * 60;
    config->daily_budget = 3;
    config->rules = g_array_new(FALSE, TRUE, sizeof(PlanRule));
    config->strings = g_string_chunk_new(512);
    return config;
}

TendPlanConfig *plan_config_builtin(void)
{
    TendPlanConfig *config = plan_config_new();
    g_array_append_vals(config->rules, plan_rules, G_N_ELEMENTS(plan_rules));
    return config;
}

static gboolean config_error(GError **error, const char *path, const char *group, const char *key,
                             const char *format, ...) G_GNUC_PRINTF(5, 6);

static gboolean config_error(GError **error, const char *path, const char *group, const char *key,
                             const char *format, ...)
{
    va_list args;
    va_start(args, format);
    g_autofree char *why = g_strdup_vprintf(format, args);
    va_end(args);
    if (key)
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "'%s', group [%s], key %s: %s", path, group, key, why);
    else
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "'%s', group [%s]: %s",
                    path, group, why);
    return FALSE;
}

/* "14:00" as minutes after midnight; "24:00" only when @allow_midnight_end. */
static gboolean parse_clock(const char *text, gboolean allow_midnight_end, int *out_minutes)
{
    if (!g_ascii_isdigit(text[0]) || !g_ascii_isdigit(text[1]) || text[2] != ':' ||
        !g_ascii_isdigit(text[3]) || !g_ascii_isdigit(text[4]) || text[5] != '\0')
        return FALSE;
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !allow_midnight_end)))
        return FALSE;
    *out_minutes = hours * 60 + minutes;
    return TRUE;
}

/* A whole number in [min, max] from @key, when the group has it. */
static gboolean config_int(GKeyFile *file, const char *path, const char *group, const char *key,
                           int min, int max, int *value, GError **error)
{
    if (!g_key_file_has_key(file, group, key, NULL))
        return TRUE;
    g_autofree char *text = g_key_file_get_value(file, group, key, NULL);
    gint64 number;
    if (!text || !g_ascii_string_to_signed(g_strstrip(text), 10, min, max, &number, NULL))
        return config_error(error, path, group, key, "'%s' is not a whole number from %d to %d",
                            text ? text : "", min, max);
    *value = (int)number;
    return TRUE;
}

static gboolean config_bool(GKeyFile *file, const char *path, const char *group, const char *key,
                            gboolean *value, GError **error)
{
    if (!g_key_file_has_key(file, group, key, NULL))
        return TRUE;
    g_autofree char *text = g_key_file_get_value(file, group, key, NULL);
    g_strstrip(text);
    if (g_str_equal(text, "true") || g_str_equal(text, "yes"))
        *value = TRUE;
    else if (g_str_equal(text, "false") || g_str_equal(text, "no"))
        *value = FALSE;
    else
        return config_error(error, path, group, key, "'%s' should be true or false", text);
    return TRUE;
}

/* Text from @key, kept in @config's string chunk; "" clears optional text. */
static gboolean config_text(TendPlanConfig *config, GKeyFile *file, const char *path,
                            const char *group, const char *key, const char **value, GError **error)
{
    if (!g_key_file_has_key(file, group, key, NULL))
        return TRUE;
    g_autoptr(GError) local = NULL;
    g_autofree char *text = g_key_file_get_string(file, group, key, &local);
    if (!text)
        return config_error(error, path, group, key, "%s", local->message);
    g_strstrip(text);
    *value = *text ? g_string_chunk_insert_const(config->strings, text) : NULL;
    return TRUE;
}

/* Reads the [planner] group: waking-hours=07:00-22:00 and daily-budget=3. */
static gboolean config_read_planner(TendPlanConfig *config, GKeyFile *file, const char *path,
                                    gboolean required, GError **error)
{
    static const char *const keys[] = {"waking-hours", "daily-budget"};
    const char *group = "planner";
    if (!g_key_file_has_group(file, group)) {
        if (required)
            return config_error(error, path, group, NULL, "the group is missing");
        return TRUE;
    }
    g_auto(GStrv) present = g_key_file_get_keys(file, group, NULL, NULL);
    for (guint i = 0; present && present[i]; i++)
        if (!g_str_equal(present[i], keys[0]) && !g_str_equal(present[i], keys[1]))
            return config_error(error, path, group, present[i],
                                "not a setting tend knows; use waking-hours or daily-budget");
    for (guint i = 0; required && i < G_N_ELEMENTS(keys); i++)
        if (!g_key_file_has_key(file, group, keys[i], NULL))
            return config_error(error, path, group, keys[i], "the key is missing");
    if (g_key_file_has_key(file, group, "waking-hours", NULL)) {
        g_autofree char *text = g_key_file_get_value(file, group, "waking-hours", NULL);
        g_strstrip(text);
        g_auto(GStrv) parts = g_strsplit(text, "-", 2);
        int first, last;
        if (g_strv_length(parts) != 2 || !parse_clock(g_strstrip(parts[0]), FALSE, &first) ||
            !parse_clock(g_strstrip(parts[1]), TRUE, &last))
            return config_error(error, path, group, "waking-hours",
                                "'%s' is not a span of the day like 07:00-22:00", text);
        if (last - first < 60)
            return config_error(error, path, group, "waking-hours",
                                "'%s' should end at least an hour after it starts, on the same "
                                "day",
                                text);
        config->waking_start = first;
        config->waking_end = last;
    }
    return config_int(file, path, group, "daily-budget", 1, 12, &config->daily_budget, error);
}

/* Applies the keys of [rule NAME] in @file to @rule. */
static gboolean config_read_rule(TendPlanConfig *config, GKeyFile *file, const char *path,
                                 const char *group, PlanRule *rule, GError **error)
{
    g_auto(GStrv) present = g_key_file_get_keys(file, group, NULL, NULL);
    for (guint i = 0; present && present[i]; i++) {
        gboolean known = FALSE;
        for (guint k = 0; k < G_N_ELEMENTS(rule_keys); k++)
            known = known || g_str_equal(present[i], rule_keys[k]);
        if (!known)
            return config_error(error, path, group, present[i],
                                "not a key of a planner rule (see data/planner.conf for the "
                                "keys a rule has)");
    }
    if (g_key_file_has_key(file, group, "shape", NULL)) {
        g_autofree char *text = g_key_file_get_value(file, group, "shape", NULL);
        g_strstrip(text);
        if (g_str_equal(text, "event"))
            rule->shape = SHAPE_EVENT;
        else if (g_str_equal(text, "period"))
            rule->shape = SHAPE_PERIOD;
        else
            return config_error(error, path, group, "shape", "'%s' should be event or period",
                                text);
    }
    if (g_key_file_has_key(file, group, "window", NULL)) {
        g_autofree char *text = g_key_file_get_value(file, group, "window", NULL);
        g_strstrip(text);
        gboolean found = FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(window_names); i++) {
            if (g_str_equal(text, window_names[i].name)) {
                rule->window = window_names[i].window;
                found = TRUE;
            }
        }
        if (!found)
            return config_error(error, path, group, "window",
                                "'%s' is not a window; use day-before, morning-of, during, "
                                "exit-by, after-end, day-after or each-day",
                                text);
    }
    if (g_key_file_has_key(file, group, "prefer", NULL)) {
        g_autofree char *text = g_key_file_get_value(file, group, "prefer", NULL);
        g_strstrip(text);
        if (g_str_equal(text, "none"))
            rule->prefer = -1;
        else if (!parse_clock(text, FALSE, &rule->prefer))
            return config_error(error, path, group, "prefer",
                                "'%s' is not a time of day like 14:00 (or none)", text);
    }
    if (!config_text(config, file, path, group, "kind", &rule->kind, error) ||
        !config_text(config, file, path, group, "title", &rule->title, error) ||
        !config_text(config, file, path, group, "when", &rule->when, error) ||
        !config_text(config, file, path, group, "purpose", &rule->purpose, error) ||
        !config_text(config, file, path, group, "strategy", &rule->strategy, error) ||
        !config_bool(file, path, group, "busy", &rule->busy, error) ||
        !config_int(file, path, group, "slot", 0, 1000, &rule->slot, error) ||
        !config_int(file, path, group, "count", 0, 12, &rule->count, error) ||
        !config_int(file, path, group, "minutes", 1, 240, &rule->minutes, error) ||
        !config_int(file, path, group, "min-intensity", 1, 5, &rule->min_intensity, error) ||
        !config_int(file, path, group, "day-offset", 0, 14, &rule->day_offset, error) ||
        !config_int(file, path, group, "lead-minutes", 0, 720, &rule->lead_minutes, error) ||
        !config_int(file, path, group, "every-minutes", 0, 720, &rule->every_minutes, error) ||
        !config_int(file, path, group, "min-length", 0, 1440, &rule->min_length, error))
        return FALSE;
    return TRUE;
}

/* Whether the rule is whole and sensible; names what is not. */
static gboolean config_check_rule(const PlanRule *rule, const char *path, const char *group,
                                  GError **error)
{
    if (!rule->kind)
        return config_error(error, path, group, "kind", "the key is missing");
    for (const char *p = rule->kind; *p; p++)
        if (!g_ascii_islower(*p) && *p != '-')
            return config_error(error, path, group, "kind",
                                "'%s' should be lowercase letters and '-' only", rule->kind);
    if (!rule->title)
        return config_error(error, path, group, "title", "the key is missing");
    if (rule->minutes < 1)
        return config_error(error, path, group, "minutes", "the key is missing");
    if ((rule->window == WINDOW_EACH_DAY) != (rule->shape == SHAPE_PERIOD))
        return config_error(error, path, group, "window",
                            "each-day is the window for shape=period, and only for it");
    switch (rule->window) {
    case WINDOW_DAY_BEFORE:
    case WINDOW_DAY_AFTER:
        if (rule->day_offset < 1)
            return config_error(error, path, group, "day-offset", "should be 1 or more here");
        break;
    case WINDOW_DURING:
        if (rule->every_minutes < 15)
            return config_error(error, path, group, "every-minutes",
                                "should be 15 or more for window=during");
        if (rule->count < 1)
            return config_error(error, path, group, "count",
                                "should be 1 or more for window=during");
        G_GNUC_FALLTHROUGH;
    case WINDOW_EXIT_BY:
        if (rule->busy)
            return config_error(error, path, group, "busy",
                                "a reminder during the event takes no time: set busy=false");
        break;
    case WINDOW_MORNING_OF:
    case WINDOW_AFTER_END:
    case WINDOW_EACH_DAY:
        break;
    }
    if (!rule->busy && rule->window != WINDOW_DURING && rule->window != WINDOW_EXIT_BY)
        return config_error(error, path, group, "busy",
                            "only window=during and window=exit-by can be reminders only");
    return TRUE;
}

/* Two rules that would give one stressor two activities with the same kind and slot. */
static gboolean config_check_unique(const TendPlanConfig *config, const char *path, GError **error)
{
    for (guint i = 0; i < config->rules->len; i++) {
        const PlanRule *a = &g_array_index(config->rules, PlanRule, i);
        for (guint j = 0; j < i; j++) {
            const PlanRule *b = &g_array_index(config->rules, PlanRule, j);
            if (a->shape != b->shape || !g_str_equal(a->kind, b->kind))
                continue;
            int a_last = a->slot + (a->window == WINDOW_DURING ? a->count - 1 : 0);
            int b_last = b->slot + (b->window == WINDOW_DURING ? b->count - 1 : 0);
            if (a->shape == SHAPE_PERIOD || (a->slot <= b_last && b->slot <= a_last)) {
                g_autofree char *group = g_strconcat(RULE_GROUP_PREFIX, a->name, NULL);
                return config_error(error, path, group, "slot",
                                    "rules [rule %s] and [rule %s] both plan kind=%s in the "
                                    "same slot; give one of them another slot",
                                    b->name, a->name, a->kind);
            }
        }
    }
    return TRUE;
}

static gboolean load_key_file(GKeyFile *file, const char *path, gboolean required,
                              gboolean *out_found, GError **error)
{
    g_autoptr(GError) local = NULL;
    *out_found = FALSE;
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &local)) {
        if (!required && g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            return TRUE;
        g_set_error(error, local->domain, local->code, "cannot read '%s': %s", path,
                    local->message);
        return FALSE;
    }
    *out_found = TRUE;
    return TRUE;
}

/* Merges the [planner] group and [rule NAME] groups of @path into @config. */
static gboolean config_merge(TendPlanConfig *config, const char *path, gboolean shipped,
                             GError **error)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    gboolean found;
    if (!load_key_file(file, path, shipped, &found, error))
        return FALSE;
    if (!found)
        return TRUE;
    if (!config_read_planner(config, file, path, shipped, error))
        return FALSE;
    g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
    for (guint g = 0; groups[g]; g++) {
        if (!g_str_has_prefix(groups[g], RULE_GROUP_PREFIX))
            continue;
        const char *name = groups[g] + strlen(RULE_GROUP_PREFIX);
        if (!*name)
            return config_error(error, path, groups[g], NULL, "a rule needs a name: [rule NAME]");
        guint index = config->rules->len;
        for (guint i = 0; i < config->rules->len; i++)
            if (g_str_equal(g_array_index(config->rules, PlanRule, i).name, name))
                index = i;
        if (shipped && index < config->rules->len)
            return config_error(error, path, groups[g], NULL, "this rule is there twice");
        PlanRule rule = {
            .name = g_string_chunk_insert_const(config->strings, name),
            .shape = SHAPE_EVENT,
            .busy = TRUE,
            .min_intensity = 1,
            .prefer = -1,
        };
        if (index < config->rules->len)
            rule = g_array_index(config->rules, PlanRule, index);
        else if (!g_key_file_has_key(file, groups[g], "window", NULL))
            return config_error(error, path, groups[g], "window", "the key is missing");
        gboolean enabled = TRUE;
        if (!config_read_rule(config, file, path, groups[g], &rule, error) ||
            !config_bool(file, path, groups[g], "enabled", &enabled, error))
            return FALSE;
        if (shipped && !enabled)
            return config_error(error, path, groups[g], "enabled",
                                "the shipped rules are all enabled");
        if (!enabled) {
            if (index < config->rules->len)
                g_array_remove_index(config->rules, index);
            continue;
        }
        if (!config_check_rule(&rule, path, groups[g], error))
            return FALSE;
        if (index < config->rules->len)
            g_array_index(config->rules, PlanRule, index) = rule;
        else
            g_array_append_val(config->rules, rule);
    }
    return config_check_unique(config, path, error);
}

TendPlanConfig *plan_config_load(const char *shipped_path, const char *user_path, GError **error)
{
    g_autoptr(TendPlanConfig) config = plan_config_new();
    if (!config_merge(config, shipped_path, TRUE, error) ||
        (user_path && !config_merge(config, user_path, FALSE, error)))
        return NULL;
    return g_steal_pointer(&config);
}

char *plan_config_user_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "tend", "tend.conf", NULL);
}

gboolean planner_load_settings(TendContext *ctx, GError **error)
{
    g_autofree char *shipped = g_build_filename(tend_data_dir(), "data", "planner.conf", NULL);
    g_autofree char *user = plan_config_user_path();
    TendPlanConfig *config = plan_config_load(shipped, user, error);
    if (!config)
        return FALSE;
    ctx->waking_start = config->waking_start;
    ctx->waking_end = config->waking_end;
    ctx->daily_budget = config->daily_budget;
    plan_config_free(ctx->plan_config);
    ctx->plan_config = config;
    return TRUE;
}

void plan_config_settings(const TendPlanConfig *config, int *out_waking_start, int *out_waking_end,
                          int *out_daily_budget)
{
    *out_waking_start = config->waking_start;
    *out_waking_end = config->waking_end;
    *out_daily_budget = config->daily_budget;
}

guint plan_config_n_rules(const TendPlanConfig *config)
{
    return config->rules->len;
}

char *plan_config_describe_rule(const TendPlanConfig *config, guint index)
{
    if (index >= config->rules->len)
        return NULL;
    const PlanRule *r = &g_array_index(config->rules, PlanRule, index);
    const char *window = "";
    for (guint i = 0; i < G_N_ELEMENTS(window_names); i++)
        if (window_names[i].window == r->window)
            window = window_names[i].name;
    return g_strdup_printf("%s kind=%s shape=%s slot=%d count=%d minutes=%d busy=%d "
                           "min-intensity=%d window=%s day-offset=%d prefer=%d lead-minutes=%d "
                           "every-minutes=%d min-length=%d title=%s when=%s purpose=%s "
                           "strategy=%s",
                           r->name, r->kind, r->shape == SHAPE_EVENT ? "event" : "period", r->slot,
                           r->count, r->minutes, r->busy, r->min_intensity, window, r->day_offset,
                           r->prefer, r->lead_minutes, r->every_minutes, r->min_length, r->title,
                           r->when ? r->when : "", r->purpose ? r->purpose : "",
                           r->strategy ? r->strategy : "");
}

/* The rules planning uses: the context's, else the built-in ones. */
static const PlanRule *rules_of(const TendContext *ctx, guint *out_n)
{
    if (ctx->plan_config) {
        *out_n = ctx->plan_config->rules->len;
        return (const PlanRule *)(void *)ctx->plan_config->rules->data;
    }
    *out_n = G_N_ELEMENTS(plan_rules);
    return plan_rules;
}

/* The decompression fallback on the next morning ends by noon. */
#define NEXT_MORNING_END (12 * 60)

typedef struct {
    gint64 start, end;
} Span;

/* Where one activity may start: wall-clock minutes of one local day, in the order
 * the planner tries them, and instant bounds (start >= lo, end <= hi). */
typedef struct {
    gint64 date; /* all-day value of the local day */
    int first_min, last_min, pref_min;
    gboolean outward; /* FALSE: forward from pref_min */
    gint64 lo, hi;
} PlanRange;

/* One activity a stressor asks for. */
typedef struct {
    const PlanRule *rule;
    const TendStressor *stressor;
    int slot;
    char *title;
    PlanRange ranges[2];
    guint n_ranges;
    gint64 fixed;              /* WINDOW_DURING: its one start */
    gint64 bound_lo, bound_hi; /* limits any suggestion must respect too */
    gint64 prefer;             /* the instant it would ideally start */
    TendActivity *existing;    /* borrowed */
    gboolean settled;          /* existing one kept where it is */
} PlanSpec;

static void plan_spec_free(PlanSpec *spec)
{
    g_free(spec->title);
    g_free(spec);
}

/* Busy time and per-day counts the candidates are checked against. Fixed busy
 * spans (events, stressors, activities of other stressors) are sorted once with a
 * running maximum of their ends, so one binary search answers an overlap query;
 * the planner's own activities are few and scanned. */
/* The local day @date runs over [start, end) in instants. */
typedef struct LocalDay {
    gint64 date, start, end;
} LocalDay;

typedef struct {
    const TendContext *ctx;
    gint64 now;
    GArray *fixed;     /* Span, by start */
    GArray *max_end;   /* gint64: max end of fixed[0..i] */
    GArray *placed;    /* Span */
    GHashTable *count; /* day number -> busy activities that day */
    /* Zone lookups dominate planning time (GLib scans the zone's transitions), so
     * each local day's bounds are worked out once. */
    GHashTable *days;              /* day number -> LocalDay */
    struct LocalDay *last_instant; /* the day occ_date_of() answered last */
} Occupancy;

static void occupancy_clear(Occupancy *occ)
{
    g_clear_pointer(&occ->fixed, g_array_unref);
    g_clear_pointer(&occ->max_end, g_array_unref);
    g_clear_pointer(&occ->placed, g_array_unref);
    g_clear_pointer(&occ->count, g_hash_table_unref);
    g_clear_pointer(&occ->days, g_hash_table_unref);
    g_clear_pointer(&occ->last_instant, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Occupancy, occupancy_clear)

static int compare_spans(gconstpointer a, gconstpointer b)
{
    const Span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static const LocalDay *occ_local_day(const Occupancy *occ, gint64 date)
{
    gpointer key = GINT_TO_POINTER((int)(date / TEND_DAY_SECONDS));
    LocalDay *day = g_hash_table_lookup(occ->days, key);
    if (!day) {
        day = g_new(LocalDay, 1);
        day->date = date;
        day->start = tend_date_to_local(date, occ->ctx->tz);
        day->end = tend_date_to_local(date + TEND_DAY_SECONDS, occ->ctx->tz);
        g_hash_table_insert(occ->days, key, day);
    }
    return day;
}

/* tend_date_of(), remembering the last day. */
static gint64 occ_date_of(const Occupancy *occ, gint64 instant)
{
    LocalDay *last = occ->last_instant;
    if (instant < last->start || instant >= last->end)
        *last = *occ_local_day(occ, tend_date_of(instant, occ->ctx->tz));
    return last->date;
}

static gpointer day_key(const Occupancy *occ, gint64 instant)
{
    return GINT_TO_POINTER((int)(occ_date_of(occ, instant) / TEND_DAY_SECONDS));
}

static int day_count(const Occupancy *occ, gint64 instant)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(occ->count, day_key(occ, instant)));
}

static void count_activity(Occupancy *occ, gint64 start)
{
    gpointer key = day_key(occ, start);
    g_hash_table_insert(occ->count, key, GINT_TO_POINTER(day_count(occ, start) + 1));
}

static void occupy(Occupancy *occ, gint64 start, gint64 end)
{
    Span span = {start, end};
    g_array_append_val(occ->placed, span);
    count_activity(occ, start);
}

static gboolean overlaps_busy(const Occupancy *occ, gint64 start, gint64 end)
{
    /* fixed[0..n) start before @end; any of them ending after @start overlaps. */
    guint lo = 0, hi = occ->fixed->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(occ->fixed, Span, mid).start < end)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && g_array_index(occ->max_end, gint64, lo - 1) > start)
        return TRUE;
    for (guint i = 0; i < occ->placed->len; i++) {
        const Span *span = &g_array_index(occ->placed, Span, i);
        if (span->start < end && span->end > start)
            return TRUE;
    }
    return FALSE;
}

/* Whether a busy activity of @seconds may start at @start within [lo, hi]. */
static gboolean fits(const Occupancy *occ, gint64 lo, gint64 hi, gint64 start, gint64 seconds)
{
    return start >= occ->now && start >= lo && start + seconds <= hi &&
           day_count(occ, start) < occ->ctx->daily_budget &&
           !overlaps_busy(occ, start, start + seconds);
}

static void civil_of(gint64 date, int *year, int *month, int *day)
{
    GDate civil;
    g_date_clear(&civil, 1);
    g_date_set_julian(&civil, (guint32)(date / TEND_DAY_SECONDS + 719163));
    *year = g_date_get_year(&civil);
    *month = g_date_get_month(&civil);
    *day = g_date_get_day(&civil);
}

/* The instant at @minutes after local midnight of the day @date, in ctx->tz. */
static gint64 local_at(const TendContext *ctx, gint64 date, int minutes)
{
    int year, month, day;
    civil_of(date, &year, &month, &day);
    return tend_local_to_utc(ctx->tz, year, month, day, minutes / 60, minutes % 60, 0);
}

/* local_at() through the day cache: on a day of 24 hours (no change of
 * offset) a wall time is its midnight plus the minutes. */
static gint64 occ_local_at(const Occupancy *occ, gint64 date, int minutes)
{
    const LocalDay *day = occ_local_day(occ, date);
    if (day->end - day->start == TEND_DAY_SECONDS)
        return day->start + (gint64)minutes * 60;
    return local_at(occ->ctx, date, minutes);
}

/* Minutes after local midnight of @instant, rounded up to a whole minute. */
static int wall_minute(const TendContext *ctx, gint64 instant)
{
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
    g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, ctx->tz);
    int minutes = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
    return minutes + (g_date_time_get_second(local) > 0);
}

static gboolean is_period(const TendStressor *stressor)
{
    return stressor->all_day || stressor->end - stressor->start > TEND_DAY_SECONDS;
}

static void stressor_span(const TendStressor *stressor, GTimeZone *tz, gint64 *out_start,
                          gint64 *out_end)
{
    if (stressor->all_day) {
        *out_start = tend_date_to_local(stressor->start, tz);
        *out_end = tend_date_to_local(stressor->end, tz);
    } else {
        *out_start = stressor->start;
        *out_end = stressor->end;
    }
}

/* A whole waking day, or the part of it inside [lo, hi]. */
static PlanRange waking_range(const TendContext *ctx, gint64 date, int minutes, int pref,
                              gboolean outward, gint64 lo, gint64 hi)
{
    PlanRange range = {
        .date = date,
        .first_min = ctx->waking_start,
        .last_min = ctx->waking_end - minutes,
        .pref_min = pref < 0 ? ctx->waking_start : pref,
        .outward = outward,
        .lo = MAX(lo, local_at(ctx, date, ctx->waking_start)),
        .hi = MIN(hi, local_at(ctx, date, ctx->waking_end)),
    };
    return range;
}

static char *replace_all(const char *text, const char *token, const char *value)
{
    g_autoptr(GString) out = g_string_new(text);
    g_string_replace(out, token, value, 0);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static PlanSpec *spec_new(const PlanRule *rule, const TendStressor *stressor, int slot)
{
    PlanSpec *spec = g_new0(PlanSpec, 1);
    spec->rule = rule;
    spec->stressor = stressor;
    spec->slot = slot;
    spec->title = replace_all(rule->title, "{title}", stressor->title);
    spec->bound_lo = G_MININT64;
    spec->bound_hi = G_MAXINT64;
    return spec;
}

/* Adds to @specs what @rule asks for around a timed stressor. */
static void specs_for_event(const TendContext *ctx, const PlanRule *rule,
                            const TendStressor *stressor, const gint64 *exit_by, GPtrArray *specs)
{
    gint64 start = stressor->start, end = stressor->end;
    gint64 start_day = tend_date_of(start, ctx->tz);
    gint64 last_day = tend_date_of(end - 1, ctx->tz);
    gint64 seconds = (gint64)rule->minutes * 60;

    if (stressor->intensity < rule->min_intensity)
        return;
    switch (rule->window) {
    case WINDOW_DAY_BEFORE: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        gint64 date = start_day - rule->day_offset * TEND_DAY_SECONDS;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, date, rule->minutes, rule->prefer, TRUE, G_MININT64, start);
        spec->bound_hi = start;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_MORNING_OF: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        gint64 latest_end = start - (gint64)rule->lead_minutes * 60;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, start_day, rule->minutes, rule->prefer, TRUE, G_MININT64, latest_end);
        spec->bound_hi = latest_end;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_DURING:
        if (end - start < (gint64)rule->min_length * 60)
            return;
        for (int k = 0; k < rule->count; k++) {
            gint64 at = start + (gint64)rule->every_minutes * 60 * (k + 1);
            gint64 day = tend_date_of(at, ctx->tz);
            if (at + seconds > end)
                break;
            /* A reminder in the middle of the night helps no one. */
            if (at < local_at(ctx, day, ctx->waking_start) ||
                at + seconds > local_at(ctx, day, ctx->waking_end))
                continue;
            PlanSpec *spec = spec_new(rule, stressor, rule->slot + k);
            spec->fixed = at;
            spec->prefer = at;
            g_ptr_array_add(specs, spec);
        }
        return;
    case WINDOW_EXIT_BY:
        if (exit_by) {
            PlanSpec *spec = spec_new(rule, stressor, rule->slot);
            spec->fixed = *exit_by;
            spec->prefer = *exit_by;
            g_ptr_array_add(specs, spec);
        }
        return;
    case WINDOW_AFTER_END: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        PlanRange evening = waking_range(ctx, last_day, rule->minutes, -1, FALSE, end, G_MAXINT64);
        evening.pref_min = MAX(evening.first_min, wall_minute(ctx, MAX(end, evening.lo)));
        /* The evening range is searched from the end itself, not from a grid. */
        evening.first_min = evening.pref_min;
        spec->ranges[spec->n_ranges++] = evening;
        gint64 next = last_day + TEND_DAY_SECONDS;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, next, rule->minutes, -1, FALSE, end,
                         local_at(ctx, next, MIN(NEXT_MORNING_END, ctx->waking_end)));
        spec->bound_lo = end;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_DAY_AFTER: {
        PlanSpec *spec = spec_new(rule, stressor, rule->slot);
        gint64 date = last_day + rule->day_offset * TEND_DAY_SECONDS;
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, date, rule->minutes, rule->prefer, TRUE, end, G_MAXINT64);
        spec->bound_lo = end;
        g_ptr_array_add(specs, spec);
        break;
    }
    case WINDOW_EACH_DAY:
        return; /* periods only */
    }
    /* Every case that reaches here added one spec with a range. */
    PlanSpec *added = specs->pdata[specs->len - 1];
    const PlanRange *first = &added->ranges[0];
    added->prefer = local_at(ctx, first->date, first->pref_min);
}

/* Adds a daily check-in for each day of a period, marking the days outside
 * [from, to) so that what is there is left alone. */
static void specs_for_period(const TendContext *ctx, const PlanRule *rule,
                             const TendStressor *stressor, gint64 from, gint64 to, GPtrArray *specs)
{
    gint64 span_start, span_end;
    stressor_span(stressor, ctx->tz, &span_start, &span_end);
    gint64 first_day = tend_date_of(span_start, ctx->tz);
    gint64 last_day = tend_date_of(span_end - 1, ctx->tz);
    gint64 from_day = MAX(first_day, tend_date_of(from, ctx->tz));
    gint64 to_day = MIN(last_day, tend_date_of(to - 1, ctx->tz));

    if (stressor->intensity < rule->min_intensity)
        return;
    for (gint64 date = from_day; date <= to_day; date += TEND_DAY_SECONDS) {
        int slot = rule->slot + (int)((date - first_day) / TEND_DAY_SECONDS);
        PlanSpec *spec = spec_new(rule, stressor, slot);
        spec->ranges[spec->n_ranges++] =
            waking_range(ctx, date, rule->minutes, rule->prefer, TRUE, span_start, span_end);
        spec->bound_lo = span_start;
        spec->bound_hi = span_end;
        spec->prefer = local_at(ctx, date, spec->ranges[0].pref_min);
        g_ptr_array_add(specs, spec);
    }
}

/* Whether a period's day @slot lies inside the period but outside [from, to). */
static gboolean period_day_out_of_window(const TendContext *ctx, const TendStressor *stressor,
                                         int slot, gint64 from, gint64 to)
{
    gint64 span_start, span_end;
    stressor_span(stressor, ctx->tz, &span_start, &span_end);
    gint64 first_day = tend_date_of(span_start, ctx->tz);
    gint64 last_day = tend_date_of(span_end - 1, ctx->tz);
    gint64 date = first_day + (gint64)slot * TEND_DAY_SECONDS;
    if (slot < 0 || date > last_day)
        return FALSE;
    return date < tend_date_of(from, ctx->tz) || date > tend_date_of(to - 1, ctx->tz);
}

/* First candidate in @range that fits, in the range's order. */
static gboolean range_search(const Occupancy *occ, const PlanRange *range, gint64 seconds,
                             gint64 *out_start)
{
    if (range->hi - range->lo < seconds)
        return FALSE;
    for (int step = 0;; step++) {
        int offsets[2];
        guint n = 0;
        if (range->outward) {
            /* 0, +15, -15, +30, -30, ...: later first on a tie. */
            offsets[n++] = step * STEP_MINUTES;
            if (step > 0)
                offsets[n++] = -step * STEP_MINUTES;
        } else {
            offsets[n++] = step * STEP_MINUTES;
        }
        gboolean any = FALSE;
        for (guint i = 0; i < n; i++) {
            int minute = range->pref_min + offsets[i];
            if (minute < range->first_min || minute > range->last_min)
                continue;
            any = TRUE;
            gint64 start = occ_local_at(occ, range->date, minute);
            if (fits(occ, range->lo, range->hi, start, seconds)) {
                *out_start = start;
                return TRUE;
            }
        }
        if (!any && (range->pref_min + step * STEP_MINUTES > range->last_min) &&
            (!range->outward || range->pref_min - step * STEP_MINUTES < range->first_min))
            return FALSE;
    }
}

static gboolean spec_search(const Occupancy *occ, const PlanSpec *spec, gint64 *out_start)
{
    if (!spec->rule->busy) {
        if (spec->fixed < occ->now)
            return FALSE;
        *out_start = spec->fixed;
        return TRUE;
    }
    for (guint i = 0; i < spec->n_ranges; i++)
        if (range_search(occ, &spec->ranges[i], (gint64)spec->rule->minutes * 60, out_start))
            return TRUE;
    return FALSE;
}

/* Whether an existing activity may stay at @start. */
static gboolean spec_fits_at(const Occupancy *occ, const PlanSpec *spec, gint64 start)
{
    if (!spec->rule->busy)
        return start == spec->fixed;
    for (guint i = 0; i < spec->n_ranges; i++)
        if (fits(occ, spec->ranges[i].lo, spec->ranges[i].hi, start,
                 (gint64)spec->rule->minutes * 60))
            return TRUE;
    return FALSE;
}

/* Whether every time the spec could take is already past. */
static gboolean spec_expired(const Occupancy *occ, const PlanSpec *spec)
{
    if (!spec->rule->busy)
        return spec->fixed < occ->now;
    for (guint i = 0; i < spec->n_ranges; i++)
        if (spec->ranges[i].hi - (gint64)spec->rule->minutes * 60 >= occ->now)
            return FALSE;
    return TRUE;
}

/* The free start nearest the preferred time within a few days, respecting the
 * spec's hard bounds, waking hours and the budget. */
static gboolean suggest(const Occupancy *occ, const PlanSpec *spec, gint64 *out_start)
{
    const TendContext *ctx = occ->ctx;
    gint64 seconds = (gint64)spec->rule->minutes * 60;
    gint64 center = spec->ranges[0].date;
    gboolean found = FALSE;
    gint64 best = 0;
    for (int d = -SUGGEST_DAYS; d <= SUGGEST_DAYS; d++) {
        gint64 date = center + d * TEND_DAY_SECONDS;
        gint64 wake_end = occ_local_at(occ, date, ctx->waking_end);
        for (int minute = ctx->waking_start; minute + spec->rule->minutes <= ctx->waking_end;
             minute += STEP_MINUTES) {
            gint64 start = occ_local_at(occ, date, minute);
            if (!fits(occ, spec->bound_lo, MIN(spec->bound_hi, wake_end), start, seconds))
                continue;
            gint64 distance = ABS(start - spec->prefer);
            if (!found || distance < ABS(best - spec->prefer)) {
                best = start;
                found = TRUE;
            }
        }
    }
    if (found)
        *out_start = best;
    return found;
}

static char *unplaced_note(const Occupancy *occ, const PlanSpec *spec)
{
    const TendContext *ctx = occ->ctx;
    g_autofree char *day = tend_format_local(spec->prefer, ctx->tz, "%a %d %b");
    g_autofree char *when = replace_all(spec->rule->when, "{day}", day);
    gint64 nearest;
    if (suggest(occ, spec, &nearest)) {
        g_autofree char *at = tend_format_local(nearest, ctx->tz, "%a %d %b %H:%M");
        return g_strdup_printf("No free %d minutes %s '%s' %s; the nearest free time is %s.",
                               spec->rule->minutes, when, spec->stressor->title,
                               spec->rule->purpose, at);
    }
    return g_strdup_printf("No free %d minutes %s '%s' %s, and none in the days around it "
                           "either; it is okay to let this one go.",
                           spec->rule->minutes, when, spec->stressor->title, spec->rule->purpose);
}

void activity_free(TendActivity *activity)
{
    if (!activity)
        return;
    g_free(activity->uid);
    g_free(activity->kind);
    g_free(activity->title);
    g_free(activity->status);
    g_free(activity);
}

void plan_result_clear(TendPlanResult *result)
{
    if (!result)
        return;
    g_clear_pointer(&result->notes, g_ptr_array_unref);
    g_clear_pointer(&result->activities, g_ptr_array_unref);
    memset(result, 0, sizeof *result);
}

#define ACTIVITY_COLUMNS                                                                           \
    "id, uid, stressor_id, kind, slot, title, start_utc, end_utc, busy, sequence, status, pinned"

static TendActivity *activity_from_row(sqlite3_stmt *stmt)
{
    TendActivity *activity = g_new0(TendActivity, 1);
    activity->id = sqlite3_column_int64(stmt, 0);
    activity->uid = g_strdup(store_column_text(stmt, 1));
    activity->stressor_id = sqlite3_column_int64(stmt, 2);
    activity->kind = g_strdup(store_column_text(stmt, 3));
    activity->slot = sqlite3_column_int(stmt, 4);
    activity->title = g_strdup(store_column_text(stmt, 5));
    activity->start = sqlite3_column_int64(stmt, 6);
    activity->end = sqlite3_column_int64(stmt, 7);
    activity->busy = sqlite3_column_int(stmt, 8) != 0;
    activity->sequence = sqlite3_column_int64(stmt, 9);
    activity->status = g_strdup(store_column_text(stmt, 10));
    activity->pinned = sqlite3_column_int(stmt, 11) != 0;
    return activity;
}

GPtrArray *activity_list(TendStore *store, gint64 stressor_id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT " ACTIVITY_COLUMNS " FROM activities "
                      "WHERE ?1 = 0 OR stressor_id = ?1 ORDER BY start_utc, id",
                      error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, stressor_id);
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify)activity_free);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        g_ptr_array_add(list, activity_from_row(stmt));
    if (rc != SQLITE_DONE) {
        store_set_error(store, error, "cannot read activities");
        return NULL;
    }
    return g_steal_pointer(&list);
}

TendActivity *activity_get(TendStore *store, gint64 id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "SELECT " ACTIVITY_COLUMNS " FROM activities WHERE id = ?", error);
    if (!stmt)
        return NULL;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        return activity_from_row(stmt);
    if (rc == SQLITE_DONE)
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no activity with id %" G_GINT64_FORMAT "; 'tend plan' lists them", id);
    else
        store_set_error(store, error, "cannot read the activity");
    return NULL;
}

gboolean activity_set_status(TendStore *store, gint64 id, const char *status, GError **error)
{
    if (!g_str_equal(status, "planned") && !g_str_equal(status, "done") &&
        !g_str_equal(status, "skipped")) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "'%s' is not a status; use planned, done or skipped", status);
        return FALSE;
    }
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "UPDATE activities SET status = ? WHERE id = ?", error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot mark the activity");
    if (sqlite3_changes(store_db(store)) == 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no activity with id %" G_GINT64_FORMAT "; 'tend activity list' shows them",
                    id);
        return FALSE;
    }
    return TRUE;
}

gboolean activity_move(TendStore *store, gint64 id, gint64 start, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "UPDATE activities SET end_utc = ?1 + (end_utc - start_utc), "
                      "start_utc = ?1, pinned = 1, sequence = sequence + "
                      "(start_utc != ?1) WHERE id = ?2",
                      error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, start);
    sqlite3_bind_int64(stmt, 2, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot move the activity");
    if (sqlite3_changes(store_db(store)) == 0) {
        g_set_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND,
                    "no activity with id %" G_GINT64_FORMAT "; 'tend activity list' shows them",
                    id);
        return FALSE;
    }
    return TRUE;
}

static gboolean activity_is_frozen(const TendActivity *activity, gint64 now)
{
    return activity->pinned || !g_str_equal(activity->status, "planned") || activity->start < now;
}

static gboolean insert_activity(TendStore *store, const PlanSpec *spec, gint64 start,
                                GError **error)
{
    g_autofree char *random = g_uuid_string_random();
    g_autofree char *uid = g_strdup_printf("%s@tend", random);
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "INSERT INTO activities (uid, stressor_id, kind, slot, title, start_utc, "
                      "end_utc, busy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, spec->stressor->id);
    sqlite3_bind_text(stmt, 3, spec->rule->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, spec->slot);
    sqlite3_bind_text(stmt, 5, spec->title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, start);
    sqlite3_bind_int64(stmt, 7, start + (gint64)spec->rule->minutes * 60);
    sqlite3_bind_int(stmt, 8, spec->rule->busy);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot save an activity");
    return TRUE;
}

static gboolean update_activity(TendStore *store, const PlanSpec *spec, gint64 id, gint64 start,
                                GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "UPDATE activities SET title = ?, start_utc = ?, end_utc = ?, busy = ?, "
                      "sequence = sequence + 1 WHERE id = ?",
                      error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_text(stmt, 1, spec->title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, start);
    sqlite3_bind_int64(stmt, 3, start + (gint64)spec->rule->minutes * 60);
    sqlite3_bind_int(stmt, 4, spec->rule->busy);
    sqlite3_bind_int64(stmt, 5, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot move an activity");
    return TRUE;
}

static gboolean delete_activity(TendStore *store, gint64 id, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store, "DELETE FROM activities WHERE id = ?", error);
    if (!stmt)
        return FALSE;
    sqlite3_bind_int64(stmt, 1, id);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_set_error(store, error, "cannot remove an activity");
    return TRUE;
}

/* Loads busy time around [lo, hi) into @occ, leaving out the activities the
 * planner manages in this run (@managed: activity ids). */
static gboolean occupancy_load(Occupancy *occ, TendStore *store, gint64 lo, gint64 hi,
                               GHashTable *managed, GError **error)
{
    const TendContext *ctx = occ->ctx;
    g_autoptr(GPtrArray) items = agenda_between(store, ctx, lo, hi, error);
    if (!items)
        return FALSE;
    for (guint i = 0; i < items->len; i++) {
        const TendAgendaItem *item = items->pdata[i];
        Span span;
        if (!item->busy)
            continue;
        agenda_item_span(item, ctx->tz, &span.start, &span.end);
        if (item->type == TEND_ITEM_STRESSOR &&
            (item->all_day || span.end - span.start > TEND_DAY_SECONDS))
            continue; /* periods are not busy time */
        if (item->type == TEND_ITEM_ACTIVITY) {
            gint64 id = item->id;
            if (g_hash_table_contains(managed, &id))
                continue;
            count_activity(occ, span.start);
        }
        g_array_append_val(occ->fixed, span);
    }
    g_array_sort(occ->fixed, compare_spans);
    gint64 running = G_MININT64;
    for (guint i = 0; i < occ->fixed->len; i++) {
        running = MAX(running, g_array_index(occ->fixed, Span, i).end);
        g_array_append_val(occ->max_end, running);
    }
    return TRUE;
}

/* stressor id -> exit_by (gint64), for every coping plan that names a time to leave. */
static gboolean load_exit_times(TendStore *store, GHashTable **out_times, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt = store_prepare(
        store, "SELECT stressor_id, exit_by FROM plans WHERE exit_by IS NOT NULL", error);
    if (!stmt)
        return FALSE;
    g_autoptr(GHashTable) times = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        gint64 *pair = g_new(gint64, 2);
        pair[0] = sqlite3_column_int64(stmt, 0);
        pair[1] = sqlite3_column_int64(stmt, 1);
        /* The key is pair[0]; the value points at pair[1] inside the same block. */
        g_hash_table_insert(times, pair, pair + 1);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the times to leave");
    *out_times = g_steal_pointer(&times);
    return TRUE;
}

/* The ids of the activities whose reminder the person answered Done or Skip (possible before
 * the start when reminders come early). That answer counts as the activity's outcome (the
 * insights read it so), so the planner leaves them where they are, as it leaves activities
 * marked done or skipped. */
static gboolean load_answered(TendStore *store, GHashTable **out_ids, GError **error)
{
    g_autoptr(sqlite3_stmt) stmt =
        store_prepare(store,
                      "SELECT DISTINCT item_id FROM reminder_log WHERE item_type = 'activity'"
                      " AND outcome IN ('done', 'skipped')",
                      error);
    if (!stmt)
        return FALSE;
    g_autoptr(GHashTable) ids = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        gint64 *id = g_new(gint64, 1);
        *id = sqlite3_column_int64(stmt, 0);
        g_hash_table_add(ids, id);
    }
    if (rc != SQLITE_DONE)
        return store_set_error(store, error, "cannot read the answered reminders");
    *out_ids = g_steal_pointer(&ids);
    return TRUE;
}

static char *spec_key(gint64 stressor_id, const char *kind, int slot)
{
    return g_strdup_printf("%" G_GINT64_FORMAT "/%s/%d", stressor_id, kind, slot);
}

static gboolean plan(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *result, GError **error)
{
    g_auto(Occupancy) occ = {
        .ctx = ctx,
        .now = tend_clock_now(&ctx->clock),
        .fixed = g_array_new(FALSE, FALSE, sizeof(Span)),
        .max_end = g_array_new(FALSE, FALSE, sizeof(gint64)),
        .placed = g_array_new(FALSE, FALSE, sizeof(Span)),
        .count = g_hash_table_new(g_direct_hash, g_direct_equal),
        .days = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
        .last_instant = g_new0(LocalDay, 1),
    };

    /* The stressors that really overlap [from, to) in this zone. */
    g_autoptr(GPtrArray) candidates = stressor_list_between(store, from, to, error);
    if (!candidates)
        return FALSE;
    g_autoptr(GPtrArray) stressors = g_ptr_array_new_with_free_func((GDestroyNotify)stressor_free);
    for (guint i = 0; i < candidates->len; i++) {
        gint64 start, end;
        stressor_span(candidates->pdata[i], ctx->tz, &start, &end);
        if (start < to && end > from)
            g_ptr_array_add(stressors, g_steal_pointer(&candidates->pdata[i]));
    }

    /* The times to leave that coping plans name. */
    g_autoptr(GHashTable) exit_by = NULL;
    if (!load_exit_times(store, &exit_by, error))
        return FALSE;

    /* What each of them asks for, in the order they get to choose: the bundles of
     * hard events first, then the light daily rhythm of periods, which fits around
     * them (a long season must not take a hard day's budget). */
    guint n_rules;
    const PlanRule *rules = rules_of(ctx, &n_rules);
    g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func((GDestroyNotify)plan_spec_free);
    g_autoptr(GHashTable) by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GHashTable) stressor_by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (int pass = 0; pass < 2; pass++) {
        PlanShape shape = pass == 0 ? SHAPE_EVENT : SHAPE_PERIOD;
        for (guint i = 0; i < stressors->len; i++) {
            const TendStressor *stressor = stressors->pdata[i];
            if ((is_period(stressor) ? SHAPE_PERIOD : SHAPE_EVENT) != shape)
                continue;
            g_hash_table_insert(stressor_by_id, (gpointer)&stressor->id, (gpointer)stressor);
            const gint64 *leave = g_hash_table_lookup(exit_by, &stressor->id);
            for (guint r = 0; r < n_rules; r++) {
                if (rules[r].shape != shape)
                    continue;
                if (shape == SHAPE_EVENT)
                    specs_for_event(ctx, &rules[r], stressor, leave, specs);
                else
                    specs_for_period(ctx, &rules[r], stressor, from, to, specs);
            }
        }
    }
    gint64 lo = from, hi = to;
    for (guint i = 0; i < specs->len; i++) {
        PlanSpec *spec = specs->pdata[i];
        g_hash_table_insert(by_key, spec_key(spec->stressor->id, spec->rule->kind, spec->slot),
                            spec);
        for (guint r = 0; r < spec->n_ranges; r++) {
            lo = MIN(lo, spec->ranges[r].lo);
            hi = MAX(hi, spec->ranges[r].hi);
        }
    }

    /* The activities already stored for them. */
    g_autoptr(GPtrArray) all = activity_list(store, 0, error);
    g_autoptr(GHashTable) answered = NULL;
    if (!all || !load_answered(store, &answered, error))
        return FALSE;
    g_autoptr(GPtrArray) existing = g_ptr_array_new();
    g_autoptr(GHashTable) managed = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (guint i = 0; i < all->len; i++) {
        TendActivity *activity = all->pdata[i];
        if (!g_hash_table_contains(stressor_by_id, &activity->stressor_id))
            continue;
        g_ptr_array_add(existing, activity);
        g_hash_table_add(managed, &activity->id);
    }

    /* Busy time, with a margin wide enough for suggestions a few days away. */
    if (!occupancy_load(&occ, store, lo - (SUGGEST_DAYS + 1) * TEND_DAY_SECONDS,
                        hi + (SUGGEST_DAYS + 1) * TEND_DAY_SECONDS, managed, error))
        return FALSE;

    /* First what must stay where it is, then what may stay, in time order, so an
     * activity that still fits is never pushed out by a newcomer. */
    g_autoptr(GPtrArray) to_check = g_ptr_array_new();
    g_autoptr(GPtrArray) to_remove = g_ptr_array_new();
    for (guint i = 0; i < existing->len; i++) {
        TendActivity *activity = existing->pdata[i];
        g_autofree char *key = spec_key(activity->stressor_id, activity->kind, activity->slot);
        PlanSpec *spec = g_hash_table_lookup(by_key, key);
        const TendStressor *stressor = g_hash_table_lookup(stressor_by_id, &activity->stressor_id);
        gboolean out_of_window =
            (!spec && is_period(stressor) &&
             period_day_out_of_window(ctx, stressor, activity->slot, from, to));
        if (spec)
            spec->existing = activity;
        if (activity_is_frozen(activity, occ.now) ||
            g_hash_table_contains(answered, &activity->id) || out_of_window) {
            if (spec)
                spec->settled = TRUE;
            if (activity->busy)
                occupy(&occ, activity->start, activity->end);
            result->kept++;
        } else if (spec) {
            g_ptr_array_add(to_check, spec);
        } else {
            g_ptr_array_add(to_remove, activity);
        }
    }
    for (guint i = 0; i < to_check->len; i++) {
        PlanSpec *spec = to_check->pdata[i];
        const TendActivity *activity = spec->existing;
        if (!spec_fits_at(&occ, spec, activity->start))
            continue;
        spec->settled = TRUE;
        if (spec->rule->busy)
            occupy(&occ, activity->start, activity->start + (gint64)spec->rule->minutes * 60);
        result->kept++;
        /* Same place, but the stressor was renamed or the rule changed: an update. */
        if (!g_str_equal(activity->title, spec->title) ||
            activity->end != activity->start + (gint64)spec->rule->minutes * 60 ||
            activity->busy != spec->rule->busy) {
            if (!update_activity(store, spec, activity->id, activity->start, error))
                return FALSE;
        }
    }
    for (guint i = 0; i < to_remove->len; i++) {
        const TendActivity *activity = to_remove->pdata[i];
        if (!delete_activity(store, activity->id, error))
            return FALSE;
        result->removed++;
    }

    /* Then everything new or displaced, in the stressors' order. */
    for (guint i = 0; i < specs->len; i++) {
        PlanSpec *spec = specs->pdata[i];
        gint64 start;
        if (spec->settled)
            continue;
        if (!spec->existing && spec_expired(&occ, spec))
            continue;
        if (spec_search(&occ, spec, &start)) {
            if (spec->existing) {
                if (!update_activity(store, spec, spec->existing->id, start, error))
                    return FALSE;
                result->moved++;
            } else {
                if (!insert_activity(store, spec, start, error))
                    return FALSE;
                result->placed++;
            }
            if (spec->rule->busy)
                occupy(&occ, start, start + (gint64)spec->rule->minutes * 60);
            continue;
        }
        if (spec->existing) {
            if (!delete_activity(store, spec->existing->id, error))
                return FALSE;
            result->removed++;
        }
        result->unplaced++;
        g_ptr_array_add(result->notes, unplaced_note(&occ, spec));
    }

    /* A removed activity's reminders go with it: its id may be handed to a new one. */
    if (result->removed > 0 && !alarms_forget_removed(store, error))
        return FALSE;

    /* What the plan now holds for these stressors. */
    g_autoptr(GPtrArray) after = activity_list(store, 0, error);
    if (!after)
        return FALSE;
    for (guint i = 0; i < after->len; i++) {
        TendActivity *activity = after->pdata[i];
        if (g_hash_table_contains(stressor_by_id, &activity->stressor_id))
            g_ptr_array_add(result->activities, g_steal_pointer(&after->pdata[i]));
    }
    result->stressors = stressors->len;
    return TRUE;
}

static gboolean planner_run_full(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                                 gboolean keep, TendPlanResult *out_result, GError **error)
{
    TendPlanResult result = {
        .notes = g_ptr_array_new_with_free_func(g_free),
        .activities = g_ptr_array_new_with_free_func((GDestroyNotify)activity_free),
    };

    g_return_val_if_fail(from < to, FALSE);
    if (!store_begin(store, error) || !plan(store, ctx, from, to, &result, error) ||
        (keep && !store_commit(store, error))) {
        store_rollback(store);
        plan_result_clear(&result);
        g_prefix_error(error, "cannot plan: ");
        return FALSE;
    }
    if (!keep)
        store_rollback(store);
    *out_result = result;
    return TRUE;
}

gboolean planner_run(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *out_result, GError **error)
{
    return planner_run_full(store, ctx, from, to, TRUE, out_result, error);
}

gboolean planner_preview(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                         TendPlanResult *out_result, GError **error)
{
    return planner_run_full(store, ctx, from, to, FALSE, out_result, error);
}

const char *planner_rule_strategy(guint index)
{
    return index < G_N_ELEMENTS(plan_rules) ? plan_rules[index].strategy : NULL;
}

const char *planner_activity_strategy(const char *kind, gboolean period)
{
    PlanShape shape = period ? SHAPE_PERIOD : SHAPE_EVENT;
    for (guint i = 0; kind && i < G_N_ELEMENTS(plan_rules); i++)
        if (plan_rules[i].shape == shape && g_str_equal(plan_rules[i].kind, kind))
            return plan_rules[i].strategy;
    return NULL;
}

const char *plan_config_rule_strategy(const TendPlanConfig *config, guint index)
{
    return index < config->rules->len ? g_array_index(config->rules, PlanRule, index).strategy
                                      : NULL;
}
