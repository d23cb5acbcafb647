/* test-clock.c: parsing and resolving times, DST gaps and overlaps, TEND_NOW. */
#include <gio/gio.h>
#include <string.h>

#include "tend/clock.h"

static char *utc_of(const char *text, const char *zone)
{
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(zone);
    g_autoptr(GError) error = NULL;
    gint64 t = 0;
    g_assert_nonnull(tz);
    g_assert_true(tend_time_parse_instant(text, tz, &t, &error));
    g_assert_no_error(error);
    return tend_format_utc(t);
}

static void test_parse_forms(void)
{
    g_autofree char *local = utc_of("2026-12-25T14:00", "America/New_York");
    g_autofree char *zulu = utc_of("2026-12-25T14:00:30Z", "America/New_York");
    g_autofree char *offset = utc_of("2026-12-25T14:00+01:00", "America/New_York");
    g_autofree char *compact = utc_of("2026-12-25T14:00-0330", "UTC");
    g_autofree char *date = utc_of("2026-12-25", "Europe/Berlin");
    g_assert_cmpstr(local, ==, "2026-12-25T19:00:00Z");
    g_assert_cmpstr(zulu, ==, "2026-12-25T14:00:30Z");
    g_assert_cmpstr(offset, ==, "2026-12-25T13:00:00Z");
    g_assert_cmpstr(compact, ==, "2026-12-25T17:30:00Z");
    g_assert_cmpstr(date, ==, "2026-12-24T23:00:00Z");
}

static void test_parse_all_day(void)
{
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Pacific/Auckland");
    gint64 t = 0;
    gboolean all_day = FALSE;
    g_assert_true(tend_time_parse("2026-12-25", tz, &t, &all_day, NULL));
    g_assert_true(all_day);
    g_autofree char *date = tend_format_date(t);
    g_assert_cmpstr(date, ==, "2026-12-25");
    /* The day starts at local midnight: 11:00 UTC the day before in Auckland's summer. */
    g_autofree char *start = tend_format_utc(tend_date_to_local(t, tz));
    g_assert_cmpstr(start, ==, "2026-12-24T11:00:00Z");
    g_assert_cmpint(tend_date_of(tend_date_to_local(t, tz), tz), ==, t);
}

static void test_parse_rejects(void)
{
    static const char *const bad[] = {
        "",
        "2026-13-01",
        "2026-02-30",
        "2026-12-25T25:00",
        "2026-12-25T14:61",
        "2026-12-25T14:00+15:00",
        "tomorrow",
        "2026-12-25T14",
        "2026-12-25T14:00Zjunk",
        "20261225",
        "2026-12-25T14:00:60",
    };
    g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        gint64 t = 42;
        gboolean all_day = TRUE;
        g_assert_false(tend_time_parse(bad[i], tz, &t, &all_day, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_assert_nonnull(strstr(error->message, bad[i]));
        /* out-parameters stay untouched on failure */
        g_assert_cmpint(t, ==, 42);
        g_assert_true(all_day);
    }
}

static void test_dst_gap_shifts_forward(void)
{
    /* 2027-03-14 02:30 does not exist in New York: RFC 5545 reads it as 03:30 EDT. */
    g_autofree char *ny = utc_of("2027-03-14T02:30", "America/New_York");
    g_assert_cmpstr(ny, ==, "2027-03-14T07:30:00Z");
    /* 2026-03-29 02:30 does not exist in Berlin: 03:30 CEST. */
    g_autofree char *berlin = utc_of("2026-03-29T02:30", "Europe/Berlin");
    g_assert_cmpstr(berlin, ==, "2026-03-29T01:30:00Z");
}

static void test_dst_overlap_takes_first(void)
{
    /* 2026-11-01 01:30 happens twice in New York; the first is 01:30 EDT. */
    g_autofree char *ny = utc_of("2026-11-01T01:30", "America/New_York");
    g_assert_cmpstr(ny, ==, "2026-11-01T05:30:00Z");
    /* 2026-10-25 02:30 happens twice in Berlin; the first is 02:30 CEST. */
    g_autofree char *berlin = utc_of("2026-10-25T02:30", "Europe/Berlin");
    g_assert_cmpstr(berlin, ==, "2026-10-25T00:30:00Z");
    /* Southern hemisphere: Sydney's clocks go back on 2026-04-05 03:00 to 02:00. */
    g_autofree char *sydney = utc_of("2026-04-05T02:30", "Australia/Sydney");
    g_assert_cmpstr(sydney, ==, "2026-04-04T15:30:00Z");
}

static void test_clock_from_env(void)
{
    TendClock clock;
    g_autoptr(GError) error = NULL;
    g_setenv("TEND_NOW", "2026-12-24T09:00:00Z", TRUE);
    g_assert_true(tend_clock_init(&clock, &error));
    gint64 now = tend_clock_now(&clock);
    g_autofree char *text = tend_format_utc(now);
    g_assert_cmpstr(text, ==, "2026-12-24T09:00:00Z");

    g_setenv("TEND_NOW", "Christmas", TRUE);
    g_assert_false(tend_clock_init(&clock, &error));
    g_assert_nonnull(strstr(error->message, "TEND_NOW"));
    g_unsetenv("TEND_NOW");
}

static void test_format_local(void)
{
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
    g_autofree char *text = tend_format_local(1798192800, tz, "%a %d %b %Y %H:%M");
    g_assert_cmpstr(text, ==, "Fri 25 Dec 2026 10:00");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/clock/parse/forms", test_parse_forms);
    g_test_add_func("/clock/parse/all-day", test_parse_all_day);
    g_test_add_func("/clock/parse/rejects-with-the-text", test_parse_rejects);
    g_test_add_func("/clock/dst/gap-shifts-forward", test_dst_gap_shifts_forward);
    g_test_add_func("/clock/dst/overlap-takes-first", test_dst_overlap_takes_first);
    g_test_add_func("/clock/now/from-env", test_clock_from_env);
    g_test_add_func("/clock/format/local", test_format_local);
    return g_test_run();
}
