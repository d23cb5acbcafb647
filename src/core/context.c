/* context.c: the person's setting, gathered once from the environment. */
#include "tend/context.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tend/planner.h"

char *tend_local_tzid(void)
{
    const char *tz = g_getenv("TZ");
    if (tz && *tz) {
        if (*tz == ':')
            tz++;
        if (g_str_has_prefix(tz, "/usr/share/zoneinfo/"))
            tz += strlen("/usr/share/zoneinfo/");
        if (g_str_equal(tz, "UTC0") || g_str_equal(tz, "Etc/UTC") || g_str_equal(tz, "GMT") ||
            g_str_equal(tz, "UTC"))
            return g_strdup("UTC");
        return g_strdup(tz);
    }
    g_autofree char *contents = NULL;
    if (g_file_get_contents("/etc/timezone", &contents, NULL, NULL)) {
        g_strstrip(contents);
        if (*contents)
            return g_strdup(contents);
    }
    g_autofree char *link = g_file_read_link("/etc/localtime", NULL);
    if (link) {
        const char *found = strstr(link, "zoneinfo/");
        if (found)
            return g_strdup(found + strlen("zoneinfo/"));
    }
    return g_strdup("UTC");
}

const char *tend_local_zone_file(void)
{
    const char *tz = g_getenv("TZ");
    if (tz && *tz == ':')
        tz++;
    return tz && g_path_is_absolute(tz) ? tz : NULL;
}

GTimeZone *tend_local_zone_load(void)
{
    /* GLib keeps a zone named by TZ for as long as the process runs, even when TZ names a
     * file that is later pointed elsewhere: load the file it resolves to now instead. */
    const char *file = tend_local_zone_file();
    if (file) {
        g_autofree char *real = realpath(file, NULL);
        GTimeZone *zone = real ? g_time_zone_new_identifier(real) : NULL;
        if (zone)
            return zone;
    }
    /* Without TZ, GLib looks at /etc/localtime again each time. */
    return g_time_zone_new_local();
}

gboolean tend_context_refresh_zone(TendContext *ctx)
{
    g_autoptr(GTimeZone) zone = tend_local_zone_load();
    g_autofree char *tzid = tend_local_tzid();
    if (g_str_equal(g_time_zone_get_identifier(zone), g_time_zone_get_identifier(ctx->tz)) &&
        g_strcmp0(tzid, ctx->tzid) == 0)
        return FALSE;
    g_time_zone_unref(ctx->tz);
    ctx->tz = g_steal_pointer(&zone);
    g_free(ctx->tzid);
    ctx->tzid = g_steal_pointer(&tzid);
    return TRUE;
}

gboolean tend_context_init(TendContext *ctx, GError **error)
{
    memset(ctx, 0, sizeof *ctx);
    if (!tend_clock_init(&ctx->clock, error))
        return FALSE;
    ctx->tz = tend_local_zone_load();
    ctx->tzid = tend_local_tzid();
    ctx->waking_start = 7 * 60;
    ctx->waking_end = 22 * 60;
    ctx->daily_budget = 3;
    ctx->grace_minutes = 120;
    return TRUE;
}

void tend_context_clear(TendContext *ctx)
{
    g_clear_pointer(&ctx->tz, g_time_zone_unref);
    g_clear_pointer(&ctx->tzid, g_free);
    g_clear_pointer(&ctx->plan_config, plan_config_free);
}

const char *tend_data_dir(void)
{
    const char *env = g_getenv("TEND_DATA_DIR");
    if (env && *env)
        return env;
    if (g_file_test(TEND_SOURCE_DIR "/calendars", G_FILE_TEST_IS_DIR))
        return TEND_SOURCE_DIR;
    return TEND_INSTALLED_DATA_DIR;
}
