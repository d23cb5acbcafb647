/* context.h: what every command needs to know about the person's setting.
 *
 * A TendContext is built once by the front end and passed down; there is no
 * global state. It owns the clock, the user's time zone (from TZ) and the
 * settings that shape plans and reminders. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/clock.h"

G_BEGIN_DECLS

typedef struct _TendPlanConfig TendPlanConfig;

typedef struct {
    TendClock clock;
    GTimeZone *tz; /* the user's zone: TZ, else the system's */
    char *tzid;    /* IANA name such as "Europe/Berlin", or "UTC" */

    /* Settings, in minutes after local midnight where they are times of day. */
    int waking_start;  /* default 07:00 */
    int waking_end;    /* default 22:00 */
    int daily_budget;  /* most planned activities on one day, default 3 */
    int grace_minutes; /* how late a missed reminder may still be shown, default 120 */
    /* The planner's rules (planner_load_settings() in planner.h); NULL: built-in. */
    TendPlanConfig *plan_config;
} TendContext;

/* Fills @ctx from the environment (TEND_NOW, TZ). */
gboolean tend_context_init(TendContext *ctx, GError **error);
/* Frees what @ctx owns; safe on a zeroed or cleared context. */
void tend_context_clear(TendContext *ctx);

/* Finds the IANA name of the zone in use: TZ (":" and "/usr/share/zoneinfo/" stripped),
 * else /etc/timezone, else the /etc/localtime link, else "UTC". */
char *tend_local_tzid(void);

/* Folder holding the shipped data (calendars/, data/): TEND_DATA_DIR, else the
 * source tree it was built from when that still exists, else the installed one. */
const char *tend_data_dir(void);

G_END_DECLS
