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

/* The file TZ names (TZ=:/path or TZ=/path), or NULL when TZ names no file. */
const char *tend_local_zone_file(void);
/* The zone in use, read afresh: TZ (a file named by TZ is followed to where it points now),
 * else the system's (/etc/localtime). */
GTimeZone *tend_local_zone_load(void);
/* For a long-running process: reads the zone in use again and, when it is not the one in
 * @ctx (the person moved, or the system's zone was set), puts it in ctx->tz and ctx->tzid.
 * Returns TRUE when it changed. */
gboolean tend_context_refresh_zone(TendContext *ctx);

/* Finds the IANA name of the zone in use: TZ (":" and "/usr/share/zoneinfo/" stripped),
 * else /etc/timezone, else the /etc/localtime link, else "UTC". */
char *tend_local_tzid(void);

/* Folder holding the shipped data (calendars/, data/): TEND_DATA_DIR, else the
 * source tree it was built from when that still exists, else the installed one. */
const char *tend_data_dir(void);

G_END_DECLS
