/* clock.c: the program's clock and its reading and writing of times.
 *
 * Local times are resolved here, not by libical, because libical 3.0.16 puts
 * times in DST gaps and overlaps an hour off RFC 5545's rule.
 */
#include "tend/clock.h"

#include <gio/gio.h>

#include <stdio.h>
#include <string.h>

gint64 tend_days_from_civil(gint64 y, int m, int d)
{
    y -= m <= 2;
    gint64 era = (y >= 0 ? y : y - 399) / 400;
    gint64 yoe = y - era * 400;
    gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tend_civil_from_days(gint64 z, int *out_y, int *out_m, int *out_d)
{
    z += 719468;
    gint64 era = (z >= 0 ? z : z - 146096) / 146097;
    gint64 doe = z - era * 146097;
    gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    gint64 y = yoe + era * 400;
    gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    gint64 mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *out_y = (int)(y + (m <= 2));
    *out_m = m;
    *out_d = d;
}

gint64 tend_floor_div(gint64 a, gint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static int offset_at(GTimeZone *tz, gint64 instant)
{
    int interval = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, instant);
    return interval < 0 ? 0 : g_time_zone_get_offset(tz, interval);
}

gint64 tend_local_to_utc(GTimeZone *tz, int year, int month, int day, int hour, int minute,
                         int second)
{
    gint64 wall = tend_days_from_civil(year, month, day) * TEND_DAY_SECONDS + hour * 3600 +
                  minute * 60 + second;
    /* Zone transitions are never closer than two days, so the offsets in force
     * two days either side are the only candidates. */
    int before = offset_at(tz, wall - 2 * TEND_DAY_SECONDS);
    int after = offset_at(tz, wall + 2 * TEND_DAY_SECONDS);
    int candidates[2] = {before, after};
    gint64 best = G_MAXINT64;

    for (guint i = 0; i < G_N_ELEMENTS(candidates); i++) {
        gint64 t = wall - candidates[i];
        if (offset_at(tz, t) == candidates[i] && t < best)
            best = t; /* in an overlap, the earlier instant is the first occurrence */
    }
    if (best != G_MAXINT64)
        return best;
    /* A gap: read the wall time with the offset in force before the gap, which moves
     * it forward by the gap's length (RFC 5545, section 3.3.5). */
    return wall - before;
}

gint64 tend_date_to_local(gint64 date, GTimeZone *tz)
{
    int year, month, day;
    tend_civil_from_days(tend_floor_div(date, TEND_DAY_SECONDS), &year, &month, &day);
    return tend_local_to_utc(tz, year, month, day, 0, 0, 0);
}

gint64 tend_date_of(gint64 instant, GTimeZone *tz)
{
    gint64 local = instant + offset_at(tz, instant);
    return tend_floor_div(local, TEND_DAY_SECONDS) * TEND_DAY_SECONDS;
}

static gboolean valid_date(int year, int month, int day)
{
    return year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= g_date_get_days_in_month((GDateMonth)month, (GDateYear)year);
}

static gboolean parse_fixed_int(const char *text, int width, int *out_value)
{
    int value = 0;
    for (int i = 0; i < width; i++) {
        if (!g_ascii_isdigit(text[i]))
            return FALSE;
        value = value * 10 + (text[i] - '0');
    }
    *out_value = value;
    return TRUE;
}

static gboolean parse_time(const char *text, GTimeZone *tz, gboolean date_is_all_day,
                           gint64 *out_time, gboolean *out_all_day, GError **error)
{
    int year, month, day, hour = 0, minute = 0, second = 0;
    const char *p = text;

    if (!text || strlen(text) < 10 || !parse_fixed_int(p, 4, &year) || p[4] != '-' ||
        !parse_fixed_int(p + 5, 2, &month) || p[7] != '-' || !parse_fixed_int(p + 8, 2, &day))
        goto bad;
    if (!valid_date(year, month, day))
        goto bad;
    p += 10;
    if (*p == '\0') {
        gint64 date = tend_days_from_civil(year, month, day) * TEND_DAY_SECONDS;
        if (date_is_all_day) {
            *out_time = date;
            *out_all_day = TRUE;
        } else {
            *out_time = tend_date_to_local(date, tz);
            *out_all_day = FALSE;
        }
        return TRUE;
    }
    if ((*p != 'T' && *p != 't' && *p != ' ') || !parse_fixed_int(p + 1, 2, &hour) || p[3] != ':' ||
        !parse_fixed_int(p + 4, 2, &minute))
        goto bad;
    p += 6;
    if (*p == ':') {
        if (!parse_fixed_int(p + 1, 2, &second))
            goto bad;
        p += 3;
    }
    if (hour > 23 || minute > 59 || second > 59)
        goto bad;

    gint64 wall = tend_days_from_civil(year, month, day) * TEND_DAY_SECONDS + hour * 3600 +
                  minute * 60 + second;
    if (*p == '\0') {
        *out_time = tend_local_to_utc(tz, year, month, day, hour, minute, second);
    } else if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        *out_time = wall;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        int sign = *p == '-' ? -1 : 1;
        if (!parse_fixed_int(p + 1, 2, &oh))
            goto bad;
        const char *q = p + 3;
        if (*q == ':')
            q++;
        if (!parse_fixed_int(q, 2, &om) || q[2] != '\0' || oh > 14 || om > 59)
            goto bad;
        *out_time = wall - sign * (oh * 3600 + om * 60);
    } else {
        goto bad;
    }
    *out_all_day = FALSE;
    return TRUE;

bad:
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                "'%s' is not a time tend understands; use a date like 2026-12-25, a local "
                "time like 2026-12-25T14:00, or add Z or an offset like +01:00",
                text ? text : "");
    return FALSE;
}

gboolean tend_time_parse(const char *text, GTimeZone *tz, gint64 *out_time, gboolean *out_all_day,
                         GError **error)
{
    gint64 time;
    gboolean all_day;
    if (!parse_time(text, tz, TRUE, &time, &all_day, error))
        return FALSE;
    *out_time = time;
    *out_all_day = all_day;
    return TRUE;
}

gboolean tend_time_parse_instant(const char *text, GTimeZone *tz, gint64 *out_time, GError **error)
{
    gint64 time;
    gboolean all_day;
    if (!parse_time(text, tz, FALSE, &time, &all_day, error))
        return FALSE;
    *out_time = time;
    return TRUE;
}

gboolean tend_clock_init(TendClock *clock, GError **error)
{
    const char *fixed = g_getenv("TEND_NOW");
    gint64 base = g_get_real_time() / G_USEC_PER_SEC;

    if (fixed && *fixed) {
        g_autoptr(GTimeZone) tz = g_time_zone_new_local();
        if (!tend_time_parse_instant(fixed, tz, &base, error)) {
            g_prefix_error(error, "TEND_NOW: ");
            return FALSE;
        }
    }
    clock->base_utc = base;
    clock->base_mono = g_get_monotonic_time();
    return TRUE;
}

gint64 tend_clock_now(const TendClock *clock)
{
    return clock->base_utc + (g_get_monotonic_time() - clock->base_mono) / G_USEC_PER_SEC;
}

char *tend_format_utc(gint64 instant)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(instant);
    return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup("?");
}

char *tend_format_date(gint64 date)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(date);
    return dt ? g_date_time_format(dt, "%Y-%m-%d") : g_strdup("?");
}

char *tend_format_local(gint64 instant, GTimeZone *tz, const char *format)
{
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(instant);
    if (!utc)
        return g_strdup("?");
    if (!tz) /* all-day values are dates held as UTC midnights */
        return g_date_time_format(utc, format);
    g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, tz);
    return g_date_time_format(local, format);
}
