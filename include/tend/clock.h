/* clock.h: what time it is, and how tend reads and writes times.
 *
 * Every "now" in tend comes from a TendClock so that tests can fix it with
 * TEND_NOW=2026-12-24T09:00:00Z. The clock then runs on from that instant.
 *
 * Invariants:
 * - Instants are gint64 seconds since the Unix epoch, UTC.
 * - An all-day value is a calendar date, not an instant. It is held as the
 *   UTC midnight of that date (days since 1970-01-01 times 86400); use
 *   tend_date_to_local() to find when that day starts in a time zone.
 * - Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TEND_DAY_SECONDS ((gint64)86400)

typedef struct {
    gint64 base_utc;  /* seconds at start: TEND_NOW or the real clock */
    gint64 base_mono; /* g_get_monotonic_time() at start, microseconds */
} TendClock;

/* Reads TEND_NOW if set, else the real clock. Fails on a malformed TEND_NOW. */
gboolean tend_clock_init(TendClock *clock, GError **error);
/* Seconds since the epoch, running on from the start instant. */
gint64 tend_clock_now(const TendClock *clock);

/* Parses ISO 8601 as the command line accepts it:
 *   2026-12-25            all day (out_all_day TRUE, *out_time is the date value)
 *   2026-12-25T14:00[:ss] local time in @tz
 *   ...Z or ...+01:00     an instant with that offset
 * A local time in a DST gap is shifted forward by the gap; in an overlap the
 * first occurrence is taken. out_* are untouched on failure. */
gboolean tend_time_parse(const char *text, GTimeZone *tz, gint64 *out_time, gboolean *out_all_day,
                         GError **error);

/* Like tend_time_parse() but a bare date means local midnight of that date. */
gboolean tend_time_parse_instant(const char *text, GTimeZone *tz, gint64 *out_time, GError **error);

/* The instant at which @wall (local Y-M-D h:m:s in @tz) happens, following RFC 5545
 * for gaps (shift forward) and overlaps (first occurrence). */
gint64 tend_local_to_utc(GTimeZone *tz, int year, int month, int day, int hour, int minute,
                         int second);
/* When the day held in @date (an all-day value) starts in @tz. */
gint64 tend_date_to_local(gint64 date, GTimeZone *tz);
/* The all-day value of the local day that contains @instant. */
gint64 tend_date_of(gint64 instant, GTimeZone *tz);

/* Calendar arithmetic, proleptic Gregorian (Howard Hinnant's algorithms), valid for
 * any year a gint64 of days can hold. */
/* Days since 1970-01-01 of @year-@month-@day (@month 1..12, @day 1..31). */
gint64 tend_days_from_civil(gint64 year, int month, int day);
/* The year, month (1..12) and day (1..31) of @days since 1970-01-01. */
void tend_civil_from_days(gint64 days, int *out_year, int *out_month, int *out_day);
/* @a / @b rounded towards minus infinity (@b != 0), e.g. the day of a negative time. */
gint64 tend_floor_div(gint64 a, gint64 b);

/* "2026-11-26T20:00:00Z" */
char *tend_format_utc(gint64 instant);
/* "2026-12-24" for an all-day value */
char *tend_format_date(gint64 date);
/* "Thu 24 Dec 14:00" style local text for people, in @tz */
char *tend_format_local(gint64 instant, GTimeZone *tz, const char *format);

G_END_DECLS
