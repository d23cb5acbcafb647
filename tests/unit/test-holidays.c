/* test-holidays.c: Easter, the Hebrew calendar, the shipped holiday calendars and the
 * stressors `tend season` makes of them.
 *
 * Known dates come from published sources: Easter from python3-dateutil's easter()
 * (and church calendars), Hebrew dates from Debian's hebcal 4.31 (`hebcal 2027`; it
 * lists the first Hanukkah candle, on the evening before 25 Kislev).
 */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "tend/context.h"
#include "tend/holidays.h"
#include "tend/ical-io.h"

#include "test-util.h"

static char *calendars_dir(void)
{
    return g_build_filename(tend_data_dir(), "calendars", NULL);
}

static void assert_date(gint64 date, const char *expected)
{
    g_autofree char *text = tend_format_date(date);
    g_assert_cmpstr(text, ==, expected);
}

static void test_easter_western(void)
{
    static const struct {
        int year;
        const char *date;
    } known[] = {
        {2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2027, "2027-03-28"},
        {2030, "2030-04-21"}, {2035, "2035-03-25"}, {2038, "2038-04-25"}, {2285, "2285-03-22"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(known); i++)
        assert_date(holidays_easter_western(known[i].year), known[i].date);
}

static void test_easter_orthodox(void)
{
    static const struct {
        int year;
        const char *date;
    } known[] = {
        {2024, "2024-05-05"},
        {2025, "2025-04-20"},
        {2026, "2026-04-12"},
        {2027, "2027-05-02"},
        {2032, "2032-05-02"},
        {2035, "2035-04-29"},
        {2036, "2036-04-20"},
        /* After 2100 the Julian calendar is 14 days behind, not 13. */
        {2101, "2101-04-24"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(known); i++)
        assert_date(holidays_easter_orthodox(known[i].year), known[i].date);
}

static void test_hebrew_known_dates(void)
{
    /* hebcal YEAR: "Rosh Hashana", "Yom Kippur", "Chanukah: 1 Candle" (+1 day), "Pesach I". */
    static const struct {
        int year;
        const char *rosh_hashanah, *yom_kippur, *hanukkah, *passover;
    } known[] = {
        {2026, "2026-09-12", "2026-09-21", "2026-12-05", "2026-04-02"},
        {2027, "2027-10-02", "2027-10-11", "2027-12-25", "2027-04-22"},
        {2028, "2028-09-21", "2028-09-30", "2028-12-13", "2028-04-11"},
        {2029, "2029-09-10", "2029-09-19", "2029-12-02", "2029-03-31"},
        {2030, "2030-09-28", "2030-10-07", "2030-12-21", "2030-04-18"},
        {2032, "2032-09-06", "2032-09-15", "2032-11-28", "2032-03-27"},
        {2035, "2035-10-04", "2035-10-13", "2035-12-26", "2035-04-24"},
        {2036, "2036-09-22", "2036-10-01", "2036-12-14", "2036-04-12"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
        int hebrew_year = known[i].year + 3761; /* the year that begins that autumn */
        gint64 date;
        assert_date(holidays_hebrew_new_year(hebrew_year), known[i].rosh_hashanah);
        g_assert_true(holidays_hebrew_date(hebrew_year, TEND_HEBREW_TISHRI, 10, &date));
        assert_date(date, known[i].yom_kippur);
        g_assert_true(holidays_hebrew_date(hebrew_year, TEND_HEBREW_KISLEV, 25, &date));
        assert_date(date, known[i].hanukkah);
        g_assert_true(holidays_hebrew_date(hebrew_year - 1, TEND_HEBREW_NISAN, 15, &date));
        assert_date(date, known[i].passover);
    }
    /* 5786 (from 23 September 2025) is a regular common year of 354 days; 5787 (from 12
     * September 2026) a complete leap year of 385, with Adar I and Adar II. */
    g_assert_false(holidays_hebrew_leap_year(5786));
    g_assert_true(holidays_hebrew_leap_year(5787));
    g_assert_cmpint(holidays_hebrew_year_length(5786), ==, 354);
    g_assert_cmpint(holidays_hebrew_year_length(5787), ==, 385);
    assert_date(holidays_hebrew_new_year(5786), "2025-09-23");
    gint64 date;
    /* Kislev has 30 days in a regular year: the first of two days of Rosh Chodesh Tevet. */
    g_assert_true(holidays_hebrew_date(5786, TEND_HEBREW_KISLEV, 30, &date));
    assert_date(date, "2025-12-20");
    g_assert_false(holidays_hebrew_date(5786, TEND_HEBREW_KISLEV, 31, &date));
    g_assert_false(holidays_hebrew_date(5786, TEND_HEBREW_ADAR_II, 1, &date));
    g_assert_true(holidays_hebrew_date(5787, TEND_HEBREW_ADAR_II, 14, &date)); /* Purim */
    assert_date(date, "2027-03-23");
}

static void test_hebrew_year_lengths(void)
{
    /* The postponements must keep every year to one of the six lengths, and Rosh
     * Hashanah off Sunday, Wednesday and Friday; a wrong rule breaks this somewhere
     * in a thousand years. */
    guint seen[6] = {0};
    for (int year = 5400; year < 6400; year++) {
        int length = holidays_hebrew_year_length(year);
        gboolean leap = holidays_hebrew_leap_year(year);
        int index = length - (leap ? 383 : 353);
        g_assert_cmpint(index, >=, 0);
        g_assert_cmpint(index, <=, 2);
        seen[(leap ? 3 : 0) + index]++;
        gint64 days = holidays_hebrew_new_year(year) / TEND_DAY_SECONDS;
        int weekday = (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
        g_assert_true(weekday == 1 || weekday == 2 || weekday == 4 || weekday == 6);
        int sum = 0;
        for (int month = 1; month <= 13; month++)
            sum += holidays_hebrew_month_length(year, month);
        g_assert_cmpint(sum, ==, length);
    }
    for (guint i = 0; i < G_N_ELEMENTS(seen); i++)
        g_assert_cmpuint(seen[i], >, 0);
}

static GPtrArray *between(const char *sets, const char *from, const char *to)
{
    g_autofree char *dir = calendars_dir();
    g_auto(GStrv) names = g_strsplit(sets, ",", -1);
    gint64 start, end;
    gboolean all_day;
    g_assert_true(tend_time_parse(from, NULL, &start, &all_day, NULL));
    g_assert_true(tend_time_parse(to, NULL, &end, &all_day, NULL));
    g_autoptr(GError) error = NULL;
    GPtrArray *list = holidays_between(dir, (const char *const *)names, start, end, &error);
    g_assert_no_error(error);
    return list;
}

/* "2027-11-25 Thanksgiving (US)" lines for @list. */
static char *describe(GPtrArray *list)
{
    g_autoptr(GString) text = g_string_new(NULL);
    for (guint i = 0; i < list->len; i++) {
        const TendHoliday *holiday = list->pdata[i];
        g_autofree char *date = tend_format_date(holiday->date);
        g_string_append_printf(text, "%s %s%s\n", date, holiday->title,
                               holiday->approximate ? " ~" : "");
    }
    return g_string_free(g_steal_pointer(&text), FALSE);
}

static void test_us_thanksgiving_2027(void)
{
    g_autoptr(GPtrArray) list = between("us", "2027-11-01", "2027-12-01");
    g_autofree char *text = describe(list);
    g_assert_cmpstr(text, ==,
                    "2027-11-11 Veterans Day (US)\n"
                    "2027-11-25 Thanksgiving (US)\n");
    const TendHoliday *thanksgiving = list->pdata[1];
    g_assert_cmpstr(thanksgiving->uid, ==, "thanksgiving-us@holidays.tend");
    g_assert_cmpint(thanksgiving->intensity, ==, 3);
    g_assert_cmpint(((TendHoliday *)list->pdata[0])->intensity, ==, 2);
}

static void test_rule_calendars_expand(void)
{
    g_autoptr(GPtrArray) us = between("us", "2027-01-01", "2028-01-01");
    g_autofree char *us_text = describe(us);
    g_assert_cmpstr(us_text, ==,
                    "2027-01-01 New Year's Day (US)\n"
                    "2027-01-18 Martin Luther King Jr. Day (US)\n"
                    "2027-02-15 Presidents' Day (US)\n"
                    "2027-05-31 Memorial Day (US)\n"
                    "2027-06-19 Juneteenth (US)\n"
                    "2027-07-04 Independence Day (US)\n"
                    "2027-09-06 Labor Day (US)\n"
                    "2027-10-11 Columbus Day / Indigenous Peoples' Day (US)\n"
                    "2027-11-11 Veterans Day (US)\n"
                    "2027-11-25 Thanksgiving (US)\n"
                    "2027-12-25 Christmas Day (US)\n");

    /* The UK set joins the rule file and the Easter-dependent days. */
    g_autoptr(GPtrArray) uk = between("uk", "2027-01-01", "2028-01-01");
    g_autofree char *uk_text = describe(uk);
    g_assert_cmpstr(uk_text, ==,
                    "2027-01-01 New Year's Day (UK)\n"
                    "2027-03-26 Good Friday (UK)\n"
                    "2027-03-29 Easter Monday (UK)\n"
                    "2027-05-03 Early May bank holiday (UK)\n"
                    "2027-05-31 Spring bank holiday (UK)\n"
                    "2027-08-30 Summer bank holiday (UK)\n"
                    "2027-12-25 Christmas Day (UK)\n"
                    "2027-12-26 Boxing Day (UK)\n");

    g_autoptr(GPtrArray) ca = between("ca", "2027-05-01", "2027-11-01");
    g_autofree char *ca_text = describe(ca);
    g_assert_cmpstr(ca_text, ==,
                    "2027-05-24 Victoria Day (Canada)\n"
                    "2027-07-01 Canada Day\n"
                    "2027-08-02 Civic Holiday (Canada)\n"
                    "2027-09-06 Labour Day (Canada)\n"
                    "2027-09-30 National Day for Truth and Reconciliation (Canada)\n"
                    "2027-10-11 Thanksgiving (Canada)\n");

    g_autoptr(GPtrArray) au = between("au", "2027-01-01", "2027-07-01");
    g_autofree char *au_text = describe(au);
    g_assert_cmpstr(au_text, ==,
                    "2027-01-01 New Year's Day (Australia)\n"
                    "2027-01-26 Australia Day\n"
                    "2027-03-26 Good Friday (Australia)\n"
                    "2027-03-29 Easter Monday (Australia)\n"
                    "2027-04-25 Anzac Day (Australia)\n"
                    "2027-06-14 King's Birthday (Australia)\n");

    g_autoptr(GPtrArray) ie = between("ie", "2029-01-01", "2030-01-01");
    g_autofree char *ie_text = describe(ie);
    g_assert_cmpstr(ie_text, ==,
                    "2029-01-01 New Year's Day (Ireland)\n"
                    "2029-02-05 St Brigid's Day (Ireland)\n"
                    "2029-03-17 St Patrick's Day (Ireland)\n"
                    "2029-04-02 Easter Monday (Ireland)\n"
                    "2029-05-07 May bank holiday (Ireland)\n"
                    "2029-06-04 June bank holiday (Ireland)\n"
                    "2029-08-06 August bank holiday (Ireland)\n"
                    "2029-10-29 October bank holiday (Ireland)\n"
                    "2029-12-25 Christmas Day (Ireland)\n"
                    "2029-12-26 St Stephen's Day (Ireland)\n");
    /* St Brigid's Day: the first Monday of February, or 1 February on a Friday. */
    static const char *const brigid[][2] = {
        {"2030-01-15", "2030-02-01 St Brigid's Day (Ireland)\n"},
        {"2031-01-15", "2031-02-03 St Brigid's Day (Ireland)\n"},
        {"2036-01-15", "2036-02-01 St Brigid's Day (Ireland)\n"},
        {"2041-01-15", "2041-02-01 St Brigid's Day (Ireland)\n"},
        {"2042-01-15", "2042-02-03 St Brigid's Day (Ireland)\n"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(brigid); i++) {
        g_autofree char *to = g_strdup(brigid[i][0]);
        memcpy(to + 5, "02-10", 5);
        g_autoptr(GPtrArray) days = between("ie", brigid[i][0], to);
        g_autofree char *text = describe(days);
        g_assert_cmpstr(text, ==, brigid[i][1]);
    }

    g_autoptr(GPtrArray) family =
        between("mothers-day-us,mothers-day-uk,fathers-day-au,fathers-day-uk,mothers-day-ie",
                "2027-01-01", "2028-01-01");
    g_autofree char *family_text = describe(family);
    g_assert_cmpstr(family_text, ==,
                    "2027-03-07 Mother's Day (Ireland)\n"
                    "2027-03-07 Mothering Sunday (UK)\n"
                    "2027-05-09 Mother's Day (US)\n"
                    "2027-06-20 Father's Day (UK)\n"
                    "2027-09-05 Father's Day (Australia)\n");
}

static void test_computed_sets(void)
{
    g_autoptr(GPtrArray) list = between("easter,orthodox,hebrew,lunar-new-year,diwali,eid,easter",
                                        "2027-01-01", "2028-01-01");
    g_autofree char *text = describe(list);
    g_assert_cmpstr(text, ==,
                    "2027-02-06 Lunar New Year ~\n"
                    "2027-03-09 Eid al-Fitr ~\n"
                    "2027-03-28 Easter Sunday\n"
                    "2027-04-22 Passover (first day)\n"
                    "2027-05-02 Orthodox Easter Sunday\n"
                    "2027-05-16 Eid al-Adha ~\n"
                    "2027-10-02 Rosh Hashanah\n"
                    "2027-10-11 Yom Kippur\n"
                    "2027-10-29 Diwali ~\n"
                    "2027-12-25 Hanukkah (first day)\n");
    const TendHoliday *passover = list->pdata[3];
    g_assert_cmpstr(passover->description, ==,
                    "15 Nisan 5787, the first day of Passover. It begins at sundown on the "
                    "evening before, with the first Seder.");
    g_assert_cmpint(passover->intensity, ==, 3);
    const TendHoliday *fitr = list->pdata[1];
    g_assert_cmpstr(fitr->uid, ==, "eid-al-fitr-1448ah@holidays.tend");
    g_assert_true(g_str_has_prefix(fitr->description, "Approximate date: 1 Shawwal 1448 AH"));

    /* 2033 has two Eid al-Fitr; the tables end with 2036. */
    g_autoptr(GPtrArray) eid = between("eid", "2033-01-01", "2034-01-01");
    g_autofree char *eid_text = describe(eid);
    g_assert_cmpstr(eid_text, ==,
                    "2033-01-03 Eid al-Fitr ~\n"
                    "2033-03-12 Eid al-Adha ~\n"
                    "2033-12-23 Eid al-Fitr ~\n");
    g_autoptr(GPtrArray) late = between("lunar-new-year,diwali,eid", "2037-01-01", "2038-01-01");
    g_assert_cmpuint(late->len, ==, 0);

    /* Computed sets go on past the generated files' years. */
    g_autoptr(GPtrArray) far = between("hebrew", "2040-09-01", "2040-10-01");
    g_autofree char *far_text = describe(far);
    g_assert_cmpstr(far_text, ==, "2040-09-08 Rosh Hashanah\n2040-09-17 Yom Kippur\n");
}

static void test_unknown_set(void)
{
    g_autofree char *dir = calendars_dir();
    const char *const names[] = {"us", "narnia", NULL};
    g_autoptr(GError) error = NULL;
    g_assert_null(holidays_between(dir, names, 0, TEND_DAY_SECONDS * 30000, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr(error->message, ==,
                    "'narnia' is not a holiday set tend knows; 'tend season --list' shows them");
    g_assert_true(holidays_set_known("mothers-day-nz"));
    g_assert_false(holidays_set_known("mothers-day"));

    /* A missing calendar folder is a clear error, not an empty list. */
    g_clear_error(&error);
    const char *const us[] = {"us", NULL};
    g_assert_null(holidays_between("/nonexistent/calendars", us, 0, TEND_DAY_SECONDS, &error));
    g_assert_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ);
    g_assert_cmpstr(error->message, ==,
                    "cannot read the holiday calendar '/nonexistent/calendars/holidays-us.ics'; "
                    "is tend installed completely?");
}

static void test_generated_files_match(void)
{
    /* The committed calendars are exactly what the algorithms and tables give today. */
    g_autofree char *dir = calendars_dir();
    guint count = 0;
    for (const char *const *name = holidays_generated_files(); *name; name++, count++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *generated = holidays_generate_calendar(*name, &error);
        g_assert_no_error(error);
        g_autofree char *path = g_build_filename(dir, *name, NULL);
        g_autofree char *committed = NULL;
        g_assert_true(g_file_get_contents(path, &committed, NULL, &error));
        if (g_strcmp0(generated, committed) != 0)
            g_error("%s differs from what tools/gen-holidays writes; run "
                    "'meson compile -C build update-holidays' and review the change",
                    path);
    }
    g_assert_cmpuint(count, ==, 8);

    g_autofree char *easter = holidays_generate_calendar("holidays-easter.ics", NULL);
    g_assert_nonnull(strstr(easter, "\r\nUID:easter-western-2027@holidays.tend\r\n"
                                    "DTSTAMP:20260101T000000Z\r\n"
                                    "DTSTART;VALUE=DATE:20270328\r\n"
                                    "DTEND;VALUE=DATE:20270329\r\n"
                                    "SUMMARY:Easter Sunday\r\n"));
    g_assert_nonnull(strstr(easter, "\r\nDTSTART;VALUE=DATE:20270502\r\n"));
    g_autofree char *lunar = holidays_generate_calendar("holidays-lunar.ics", NULL);
    g_assert_nonnull(strstr(lunar, "X-TEND-APPROXIMATE:TRUE\r\n"));
    g_autoptr(GError) error = NULL;
    g_assert_null(holidays_generate_calendar("holidays-us.ics", &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static TendStore *open_scratch(char **out_dir)
{
    char *dir = g_dir_make_tmp("tend-holidays-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "tend.db", NULL);
    TendStore *store = store_open(path, TEND_STORE_READ_WRITE, NULL);
    g_assert_nonnull(store);
    *out_dir = dir;
    return store;
}

static void cleanup_scratch(TendStore *store, char *dir)
{
    test_close_and_delete(store);
    g_rmdir(dir);
    g_free(dir);
}

static void test_season_adds_once(void)
{
    char *dir;
    TendStore *store = open_scratch(&dir);
    g_autoptr(GError) error = NULL;
    gint64 from = holidays_date(2026, 12, 20), to = holidays_date(2027, 1, 10);

    g_autoptr(GPtrArray) holidays = between("uk,us", "2026-12-20", "2027-01-10");
    g_autoptr(GPtrArray) proposed = holidays_season_stressors(holidays, from, to, FALSE);
    g_assert_cmpuint(proposed->len, ==, 6);
    const TendStressor *season = proposed->pdata[0];
    g_assert_cmpstr(season->title, ==, "Holiday season");
    g_assert_cmpint(season->start, ==, holidays_date(2026, 11, 20));
    g_assert_cmpint(season->end, ==, holidays_date(2027, 1, 3));
    g_assert_cmpint(season->intensity, ==, 2);
    g_assert_cmpint(season->kind, ==, TEND_KIND_HOLIDAY);
    g_assert_true(season->all_day);
    g_assert_cmpstr(((TendStressor *)proposed->pdata[1])->title, ==, "Christmas Day (UK)");
    g_assert_cmpint(((TendStressor *)proposed->pdata[1])->intensity, ==, 3);

    /* A dry run writes nothing. */
    g_autoptr(GArray) existed = NULL;
    g_assert_true(holidays_season_add(store, proposed, TRUE, 1000, &existed, &error));
    g_assert_no_error(error);
    g_autoptr(GPtrArray) none = stressor_list(store, &error);
    g_assert_cmpuint(none->len, ==, 0);
    g_assert_false(g_array_index(existed, gboolean, 0));
    g_clear_pointer(&existed, g_array_unref);

    g_assert_true(holidays_season_add(store, proposed, FALSE, 1000, &existed, &error));
    g_assert_cmpuint(existed->len, ==, 6);
    for (guint i = 0; i < existed->len; i++)
        g_assert_false(g_array_index(existed, gboolean, i));
    g_autoptr(GPtrArray) stored = stressor_list(store, &error);
    g_assert_cmpuint(stored->len, ==, 6);
    g_clear_pointer(&existed, g_array_unref);

    /* Again, over a longer window: only what is new is added. */
    g_autoptr(GPtrArray) more = between("uk,us", "2026-12-20", "2027-01-20");
    g_autoptr(GPtrArray) again =
        holidays_season_stressors(more, from, holidays_date(2027, 1, 20), FALSE);
    g_assert_cmpuint(again->len, ==, 7); /* Martin Luther King Jr. Day, 18 January */
    g_assert_true(holidays_season_add(store, again, FALSE, 2000, &existed, &error));
    guint added = 0;
    for (guint i = 0; i < existed->len; i++)
        added += !g_array_index(existed, gboolean, i);
    g_assert_cmpuint(added, ==, 1);
    g_assert_cmpint(((TendStressor *)again->pdata[0])->id, ==, season->id);
    g_autoptr(GPtrArray) after = stressor_list(store, &error);
    g_assert_cmpuint(after->len, ==, 7);

    /* --days-only leaves the season out; an empty window proposes nothing. */
    g_autoptr(GPtrArray) days = holidays_season_stressors(holidays, from, to, TRUE);
    g_assert_cmpuint(days->len, ==, 5);
    g_autoptr(GPtrArray) spring_holidays = between("us", "2027-03-01", "2027-04-01");
    g_autoptr(GPtrArray) spring = holidays_season_stressors(
        spring_holidays, holidays_date(2027, 3, 1), holidays_date(2027, 4, 1), FALSE);
    g_assert_cmpuint(spring->len, ==, 0);
    cleanup_scratch(store, dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/holidays/easter-western-known-years", test_easter_western);
    g_test_add_func("/holidays/easter-orthodox-known-years", test_easter_orthodox);
    g_test_add_func("/holidays/hebrew-known-dates", test_hebrew_known_dates);
    g_test_add_func("/holidays/hebrew-year-lengths", test_hebrew_year_lengths);
    g_test_add_func("/holidays/us-thanksgiving-2027-nov-25", test_us_thanksgiving_2027);
    g_test_add_func("/holidays/rule-calendars-expand", test_rule_calendars_expand);
    g_test_add_func("/holidays/computed-and-table-sets", test_computed_sets);
    g_test_add_func("/holidays/unknown-set-and-missing-calendar", test_unknown_set);
    g_test_add_func("/holidays/generated-files-match", test_generated_files_match);
    g_test_add_func("/holidays/season-adds-once", test_season_adds_once);
    return g_test_run();
}
