/* holidays.c: the holiday calendars: computus, the Hebrew calendar, the lunar tables,
 * reading the shipped rule calendars, writing the generated ones, and `tend season`'s
 * stressors. See include/tend/holidays.h. Nothing here prints or exits.
 */
#include "tend/holidays.h"

#include <gio/gio.h>
#include <libical/ical.h>
#include <string.h>

#include "tend/clock.h"
#include "tend/ical-io.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(icalcomponent, icalcomponent_free)

/* Rule calendars are ours and small; anything bigger is not one of them. */
#define RULE_FILE_MAX_BYTES ((gsize)1024 * 1024)
#define RULE_MAX_STEPS 2000 /* yearly dates from a rule's DTSTART */
#define UID_DOMAIN "@holidays.tend"
#define GENERATED_DTSTAMP "20260101T000000Z"

/* ---- Dates ------------------------------------------------------------------------ */

gint64 holidays_date(int year, int month, int day)
{
    return tend_days_from_civil(year, month, day) * TEND_DAY_SECONDS;
}

/* Julian calendar dates through Julian Day Numbers (Fliegel and Van Flandern, without
 * the century rule); valid for years after -4800. The Unix epoch is JDN 2440588. */
#define JDN_UNIX_EPOCH 2440588

gint64 holidays_julian_date(int year, int month, int day)
{
    int a = (14 - month) / 12;
    gint64 y = (gint64)year + 4800 - a;
    int m = month + 12 * a - 3;
    gint64 jdn = day + (153 * m + 2) / 5 + 365 * y + y / 4 - 32083;
    return (jdn - JDN_UNIX_EPOCH) * TEND_DAY_SECONDS;
}

/* The Gregorian year, month and day of an all-day value. */
static void date_split(gint64 date, int *out_year, int *out_month, int *out_day)
{
    tend_civil_from_days(tend_floor_div(date, TEND_DAY_SECONDS), out_year, out_month, out_day);
}

static int date_year(gint64 date)
{
    int year, month, day;
    date_split(date, &year, &month, &day);
    return year;
}

/* ---- Easter ----------------------------------------------------------------------- */

gint64 holidays_easter_western(int year)
{
    /* Anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8). */
    int a = year % 19, b = year / 100, c = year % 100;
    int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return holidays_date(year, month, day);
}

gint64 holidays_easter_orthodox(int year)
{
    /* Meeus's Julian algorithm gives a Julian calendar date; the JDN carries it over to
     * the Gregorian calendar (13 days later from 1900 to 2099). */
    int a = year % 4, b = year % 7, c = year % 19;
    int d = (19 * c + 15) % 30;
    int e = (2 * a + 4 * b - d + 34) % 7;
    int month = (d + e + 114) / 31;
    int day = (d + e + 114) % 31 + 1;
    return holidays_julian_date(year, month, day);
}

/* ---- Hebrew calendar -------------------------------------------------------------- */

#define HEBREW_PARTS_PER_HOUR 1080
#define HEBREW_PARTS_PER_DAY (24 * HEBREW_PARTS_PER_HOUR)
/* A mean lunar month: 29 days 12 hours 793 parts. */
#define HEBREW_MONTH_PARTS ((gint64)29 * HEBREW_PARTS_PER_DAY + 12 * HEBREW_PARTS_PER_HOUR + 793)
/* The molad of Tishri of year 1, BaHaRaD: Monday, 5 hours 204 parts. Time is counted
 * from the start of a Sunday (6 pm on Saturday evening), so Monday is day 1. */
#define HEBREW_MOLAD_BAHARAD ((gint64)1 * HEBREW_PARTS_PER_DAY + 5 * HEBREW_PARTS_PER_HOUR + 204)

gboolean holidays_hebrew_leap_year(int hebrew_year)
{
    return (7 * (gint64)hebrew_year + 1) % 19 < 7;
}

/* The day (counted as above, day 1 = 1 Tishri of year 1) on which @hebrew_year begins. */
static gint64 hebrew_new_year_day(int hebrew_year)
{
    gint64 months = (235 * (gint64)hebrew_year - 234) / 19; /* months before the year */
    gint64 parts = HEBREW_MOLAD_BAHARAD + months * HEBREW_MONTH_PARTS;
    gint64 day = parts / HEBREW_PARTS_PER_DAY;
    gint64 part = parts % HEBREW_PARTS_PER_DAY;
    int weekday = (int)(day % 7); /* 0 is Sunday */

    if (part >= 18 * HEBREW_PARTS_PER_HOUR)
        day++; /* molad zaken: a molad at noon or later moves to the next day */
    else if (weekday == 2 && part >= 9 * HEBREW_PARTS_PER_HOUR + 204 &&
             !holidays_hebrew_leap_year(hebrew_year))
        day++; /* GaTaRaD: else the common year would be 356 days; Wednesday, then Thursday */
    else if (weekday == 1 && part >= 15 * HEBREW_PARTS_PER_HOUR + 589 &&
             holidays_hebrew_leap_year(hebrew_year - 1))
        day++; /* BeTUTaKPaT: else the leap year before would be 382 days */
    weekday = (int)(day % 7);
    if (weekday == 0 || weekday == 3 || weekday == 5)
        day++; /* lo ADU Rosh: never on a Sunday, Wednesday or Friday */
    return day;
}

gint64 holidays_hebrew_new_year(int hebrew_year)
{
    /* 1 Tishri of year 1 was Monday 7 October 3761 BCE (Julian), astronomical year -3760. */
    gint64 epoch = holidays_julian_date(-3760, 10, 7);
    return epoch + (hebrew_new_year_day(hebrew_year) - 1) * TEND_DAY_SECONDS;
}

int holidays_hebrew_year_length(int hebrew_year)
{
    return (int)(hebrew_new_year_day(hebrew_year + 1) - hebrew_new_year_day(hebrew_year));
}

int holidays_hebrew_month_length(int hebrew_year, int month)
{
    gboolean leap = holidays_hebrew_leap_year(hebrew_year);
    int length = holidays_hebrew_year_length(hebrew_year);
    switch (month) {
    case 1:  /* Nisan */
    case 3:  /* Sivan */
    case 5:  /* Av */
    case 7:  /* Tishri */
    case 11: /* Shevat */
        return 30;
    case 2:  /* Iyar */
    case 4:  /* Tammuz */
    case 6:  /* Elul */
    case 10: /* Tevet */
        return 29;
    case TEND_HEBREW_CHESHVAN: /* 30 in a complete year (355 or 385 days) */
        return length % 10 == 5 ? 30 : 29;
    case TEND_HEBREW_KISLEV: /* 29 in a deficient year (353 or 383 days) */
        return length % 10 == 3 ? 29 : 30;
    case TEND_HEBREW_ADAR: /* Adar I in a leap year */
        return leap ? 30 : 29;
    case TEND_HEBREW_ADAR_II:
        return leap ? 29 : 0;
    default:
        return 0;
    }
}

gboolean holidays_hebrew_date(int hebrew_year, int month, int day, gint64 *out_date)
{
    if (hebrew_year < 2 || day < 1 || day > holidays_hebrew_month_length(hebrew_year, month))
        return FALSE;
    /* The year runs Tishri (7) .. Adar (12, and 13 in a leap year), then Nisan (1) .. Elul. */
    int last = holidays_hebrew_leap_year(hebrew_year) ? 13 : 12;
    gint64 days = day - 1;
    for (int m = TEND_HEBREW_TISHRI; m != month;) {
        days += holidays_hebrew_month_length(hebrew_year, m);
        m = m == last ? 1 : m + 1;
    }
    *out_date = holidays_hebrew_new_year(hebrew_year) + days * TEND_DAY_SECONDS;
    return TRUE;
}

static const char *const hebrew_month_names[] = {
    "",       "Nisan",    "Iyar",   "Sivan", "Tammuz", "Av",   "Elul",
    "Tishri", "Cheshvan", "Kislev", "Tevet", "Shevat", "Adar", "Adar II",
};

/* ---- What is computed, and from what ------------------------------------------------ */

typedef enum {
    BASIS_EASTER_WESTERN, /* Western Easter + offset */
    BASIS_EASTER_ORTHODOX,
    BASIS_HEBREW, /* hebrew_day hebrew_month */
    BASIS_TABLE,  /* a published table */
} Basis;

typedef struct {
    int key; /* the Hijri year for the Eids, else the Gregorian year */
    int year, month, day;
} TableRow;

/* Lunar New Year, the first day of the Chinese calendar's year, as published in widely
 * reproduced tables (two agreeing tables checked for 2026-2035); 2036 from ICU 72's
 * Chinese calendar. ICU is not used for the others: it puts 2027 and 2030 a day late,
 * where the new moon falls just before midnight in Beijing. */
static const TableRow lunar_new_year_table[] = {
    {2026, 2026, 2, 17}, {2027, 2027, 2, 6},  {2028, 2028, 1, 26}, {2029, 2029, 2, 13},
    {2030, 2030, 2, 3},  {2031, 2031, 1, 23}, {2032, 2032, 2, 11}, {2033, 2033, 1, 31},
    {2034, 2034, 2, 19}, {2035, 2035, 2, 8},  {2036, 2036, 1, 28},
};

/* Diwali (Lakshmi Puja) as published for India; two agreeing published tables checked. */
static const TableRow diwali_table[] = {
    {2026, 2026, 11, 8},  {2027, 2027, 10, 29}, {2028, 2028, 10, 17}, {2029, 2029, 11, 5},
    {2030, 2030, 10, 26}, {2031, 2031, 11, 14}, {2032, 2032, 11, 2},  {2033, 2033, 10, 22},
    {2034, 2034, 11, 10}, {2035, 2035, 10, 30}, {2036, 2036, 10, 19},
};

/* Eid al-Fitr (1 Shawwal) and Eid al-Adha (10 Dhu al-Hijjah) by the Umm al-Qura
 * calendar of Saudi Arabia, as tabulated by ICU 72 (calendar=islamic-umalqura). 2033
 * has two Eid al-Fitr. Moon sighting elsewhere often puts them a day later. */
static const TableRow eid_al_fitr_table[] = {
    {1447, 2026, 3, 20},  {1448, 2027, 3, 9},   {1449, 2028, 2, 26}, {1450, 2029, 2, 14},
    {1451, 2030, 2, 4},   {1452, 2031, 1, 24},  {1453, 2032, 1, 14}, {1454, 2033, 1, 3},
    {1455, 2033, 12, 23}, {1456, 2034, 12, 12}, {1457, 2035, 12, 1}, {1458, 2036, 11, 19},
};
static const TableRow eid_al_adha_table[] = {
    {1447, 2026, 5, 27}, {1448, 2027, 5, 16}, {1449, 2028, 5, 5},  {1450, 2029, 4, 24},
    {1451, 2030, 4, 13}, {1452, 2031, 4, 2},  {1453, 2032, 3, 22}, {1454, 2033, 3, 12},
    {1455, 2034, 3, 1},  {1456, 2035, 2, 19}, {1457, 2036, 2, 8},
};

typedef struct {
    const char *set;     /* the set it belongs to */
    const char *uid;     /* UID stem: "good-friday-uk" gives good-friday-uk-2027@... */
    const char *summary; /* SUMMARY in the generated calendar */
    const char *text;    /* DESCRIPTION, after the date in its own calendar if any */
    int intensity;
    Basis basis;
    int offset; /* days after Easter */
    int hebrew_month, hebrew_day;
    const TableRow *table;
    guint table_len;
    const char *table_date; /* "1 Shawwal": the table's date in its own calendar, or NULL */
} Computed;

#define ENTRY(set_, uid_, summary_, text_, intensity_)                                             \
    .set = set_, .uid = uid_, .summary = summary_, .text = text_, .intensity = intensity_
#define EASTER(offset_) .basis = BASIS_EASTER_WESTERN, .offset = offset_
#define HEBREW(month_, day_) .basis = BASIS_HEBREW, .hebrew_month = month_, .hebrew_day = day_
#define TABLE(table_) .basis = BASIS_TABLE, .table = table_, .table_len = G_N_ELEMENTS(table_)

static const Computed computed[] = {
    {ENTRY("easter", "easter-western", "Easter Sunday",
           "Western Easter, kept by the Catholic and Protestant churches (Gregorian computus).", 3),
     EASTER(0)},
    {ENTRY("orthodox", "easter-orthodox", "Orthodox Easter Sunday",
           "Pascha, kept by the Orthodox churches (Julian computus).", 3),
     .basis = BASIS_EASTER_ORTHODOX},
    {ENTRY("hebrew", "rosh-hashanah", "Rosh Hashanah",
           "the Jewish New Year. It begins at sundown on the evening before.", 3),
     HEBREW(TEND_HEBREW_TISHRI, 1)},
    {ENTRY("hebrew", "yom-kippur", "Yom Kippur",
           "the Day of Atonement. It begins at sundown on the evening before.", 2),
     HEBREW(TEND_HEBREW_TISHRI, 10)},
    {ENTRY("hebrew", "hanukkah", "Hanukkah (first day)",
           "the first day of Hanukkah. The first candle is lit at sundown on the evening before.",
           2),
     HEBREW(TEND_HEBREW_KISLEV, 25)},
    {ENTRY("hebrew", "passover", "Passover (first day)",
           "the first day of Passover. It begins at sundown on the evening before, with the "
           "first Seder.",
           3),
     HEBREW(TEND_HEBREW_NISAN, 15)},
    {ENTRY("lunar-new-year", "lunar-new-year", "Lunar New Year",
           "Approximate date, from published tables for China: the first day of the lunar year. "
           "It may differ by a day by region (Tet, Seollal). Celebrations begin the evening "
           "before.",
           3),
     TABLE(lunar_new_year_table)},
    {ENTRY("diwali", "diwali", "Diwali",
           "Approximate date, from published tables for India: Lakshmi Puja, the main day of "
           "Diwali. It may differ by a day by region and by the moon's timing.",
           3),
     TABLE(diwali_table)},
    {ENTRY("eid", "eid-al-fitr", "Eid al-Fitr",
           "by the Umm al-Qura calendar. It may differ by a day by region and moon sighting, "
           "and begins at sundown the evening before.",
           3),
     TABLE(eid_al_fitr_table), .table_date = "1 Shawwal"},
    {ENTRY("eid", "eid-al-adha", "Eid al-Adha",
           "by the Umm al-Qura calendar. It may differ by a day by region and moon sighting, "
           "and begins at sundown the evening before.",
           3),
     TABLE(eid_al_adha_table), .table_date = "10 Dhu al-Hijjah"},
    {ENTRY("uk", "good-friday-uk", "Good Friday", "Two days before Easter Sunday.", 2), EASTER(-2)},
    {ENTRY("uk", "easter-monday-uk", "Easter Monday", "The day after Easter Sunday.", 2),
     EASTER(1)},
    {ENTRY("ie", "easter-monday-ie", "Easter Monday", "The day after Easter Sunday.", 2),
     EASTER(1)},
    {ENTRY("ca", "good-friday-ca", "Good Friday", "Two days before Easter Sunday.", 2), EASTER(-2)},
    {ENTRY("au", "good-friday-au", "Good Friday", "Two days before Easter Sunday.", 2), EASTER(-2)},
    {ENTRY("au", "easter-monday-au", "Easter Monday", "The day after Easter Sunday.", 2),
     EASTER(1)},
    {ENTRY("mothers-day-uk", "mothers-day-uk", "Mothering Sunday (UK)",
           "The fourth Sunday of Lent, three weeks before Easter Sunday.", 3),
     EASTER(-21)},
    {ENTRY("mothers-day-ie", "mothers-day-ie", "Mother's Day (Ireland)",
           "Mothering Sunday: the fourth Sunday of Lent, three weeks before Easter Sunday.", 3),
     EASTER(-21)},
};

/* One computed holiday on one date. */
typedef struct {
    const Computed *what;
    gint64 date;
    char *uid;
    char *description;
} Occurrence;

static void occurrence_clear(Occurrence *occurrence)
{
    g_free(occurrence->uid);
    g_free(occurrence->description);
}

static void add_occurrence(GArray *out, const Computed *what, gint64 date, const char *key,
                           char *description)
{
    Occurrence occurrence = {
        .what = what,
        .date = date,
        .uid = g_strdup_printf("%s-%s" UID_DOMAIN, what->uid, key),
        .description = description,
    };
    g_array_append_val(out, occurrence);
}

/* Appends to @out (Occurrence) each date of @what that falls in Gregorian @year. */
static void computed_in_year(const Computed *what, int year, GArray *out)
{
    g_autofree char *key = g_strdup_printf("%d", year);
    switch (what->basis) {
    case BASIS_EASTER_WESTERN:
    case BASIS_EASTER_ORTHODOX: {
        gint64 easter = what->basis == BASIS_EASTER_WESTERN ? holidays_easter_western(year)
                                                            : holidays_easter_orthodox(year);
        add_occurrence(out, what, easter + what->offset * TEND_DAY_SECONDS, key,
                       g_strdup(what->text));
        break;
    }
    case BASIS_HEBREW:
        /* The Gregorian year overlaps two Hebrew years; keep the date that falls in it. */
        for (int hebrew_year = year + 3760; hebrew_year <= year + 3761; hebrew_year++) {
            gint64 date;
            if (!holidays_hebrew_date(hebrew_year, what->hebrew_month, what->hebrew_day, &date) ||
                date_year(date) != year)
                continue;
            add_occurrence(out, what, date, key,
                           g_strdup_printf("%d %s %d, %s", what->hebrew_day,
                                           hebrew_month_names[what->hebrew_month], hebrew_year,
                                           what->text));
        }
        break;
    case BASIS_TABLE:
        for (guint i = 0; i < what->table_len; i++) {
            const TableRow *row = &what->table[i];
            if (row->year != year)
                continue;
            g_autofree char *row_key =
                g_strdup_printf("%d%s", row->key, what->table_date ? "ah" : "");
            char *description = what->table_date
                                    ? g_strdup_printf("Approximate date: %s %d AH %s",
                                                      what->table_date, row->key, what->text)
                                    : g_strdup(what->text);
            add_occurrence(out, what, holidays_date(row->year, row->month, row->day), row_key,
                           description);
        }
        break;
    }
}

static int occurrence_compare(gconstpointer a, gconstpointer b)
{
    const Occurrence *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return g_strcmp0(x->uid, y->uid);
}

/* ---- Sets ------------------------------------------------------------------------- */

typedef struct {
    TendHolidaySet public;
    const char *file;       /* rule calendar under calendars/, or NULL */
    const char *uid_prefix; /* only its events whose UID starts so; NULL for all */
    const char *suffix;     /* added to each title: " (US)" */
} SetInfo;

static const SetInfo sets[] = {
    {{"us", "United States federal holidays"}, "holidays-us.ics", NULL, " (US)"},
    {{"ca", "Canada's general holidays"}, "holidays-ca.ics", NULL, " (Canada)"},
    {{"uk", "Bank holidays in England and Wales"}, "holidays-uk.ics", NULL, " (UK)"},
    {{"ie", "Public holidays in Ireland"}, "holidays-ie.ics", NULL, " (Ireland)"},
    {{"au", "Australia's national public holidays"}, "holidays-au.ics", NULL, " (Australia)"},
    {{"easter", "Easter Sunday, Western churches"}, NULL, NULL, NULL},
    {{"orthodox", "Easter Sunday, Orthodox churches"}, NULL, NULL, NULL},
    {{"hebrew", "Rosh Hashanah, Yom Kippur, Hanukkah and Passover"}, NULL, NULL, NULL},
    {{"lunar-new-year", "Lunar New Year (approximate, 2026 to 2036)"}, NULL, NULL, NULL},
    {{"diwali", "Diwali (approximate, 2026 to 2036)"}, NULL, NULL, NULL},
    {{"eid", "Eid al-Fitr and Eid al-Adha (approximate, 2026 to 2036)"}, NULL, NULL, NULL},
    {{"mothers-day-us", "Mother's Day in the US"},
     "mothers-fathers-day.ics",
     "mothers-day-us@",
     NULL},
    {{"mothers-day-ca", "Mother's Day in Canada"},
     "mothers-fathers-day.ics",
     "mothers-day-ca@",
     NULL},
    {{"mothers-day-uk", "Mothering Sunday in the UK"}, NULL, NULL, NULL},
    {{"mothers-day-ie", "Mother's Day in Ireland"}, NULL, NULL, NULL},
    {{"mothers-day-au", "Mother's Day in Australia"},
     "mothers-fathers-day.ics",
     "mothers-day-au@",
     NULL},
    {{"mothers-day-nz", "Mother's Day in New Zealand"},
     "mothers-fathers-day.ics",
     "mothers-day-nz@",
     NULL},
    {{"fathers-day-us", "Father's Day in the US"},
     "mothers-fathers-day.ics",
     "fathers-day-us@",
     NULL},
    {{"fathers-day-ca", "Father's Day in Canada"},
     "mothers-fathers-day.ics",
     "fathers-day-ca@",
     NULL},
    {{"fathers-day-uk", "Father's Day in the UK"},
     "mothers-fathers-day.ics",
     "fathers-day-uk@",
     NULL},
    {{"fathers-day-ie", "Father's Day in Ireland"},
     "mothers-fathers-day.ics",
     "fathers-day-ie@",
     NULL},
    {{"fathers-day-au", "Father's Day in Australia"},
     "mothers-fathers-day.ics",
     "fathers-day-au@",
     NULL},
    {{"fathers-day-nz", "Father's Day in New Zealand"},
     "mothers-fathers-day.ics",
     "fathers-day-nz@",
     NULL},
};

const TendHolidaySet *holidays_sets(guint *out_count)
{
    static TendHolidaySet list[G_N_ELEMENTS(sets)];
    static gsize initialised = 0;
    if (g_once_init_enter(&initialised)) {
        for (guint i = 0; i < G_N_ELEMENTS(sets); i++)
            list[i] = sets[i].public;
        g_once_init_leave(&initialised, 1);
    }
    *out_count = G_N_ELEMENTS(sets);
    return list;
}

static const SetInfo *set_find(const char *name)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(sets); i++)
        if (g_str_equal(sets[i].public.name, name))
            return &sets[i];
    return NULL;
}

gboolean holidays_set_known(const char *name)
{
    return set_find(name) != NULL;
}

void holiday_free(TendHoliday *holiday)
{
    if (!holiday)
        return;
    g_free(holiday->set);
    g_free(holiday->uid);
    g_free(holiday->title);
    g_free(holiday->description);
    g_free(holiday);
}

static TendHoliday *holiday_new(const SetInfo *set, const char *uid, const char *summary,
                                const char *description, gint64 date, int intensity,
                                gboolean approximate)
{
    TendHoliday *holiday = g_new0(TendHoliday, 1);
    holiday->set = g_strdup(set->public.name);
    holiday->uid = g_strdup(uid);
    /* "Thanksgiving (US)", but "Canada Day", not "Canada Day (Canada)". */
    g_autofree char *country =
        set->suffix ? g_strndup(set->suffix + 2, strlen(set->suffix) - 3) : NULL;
    gboolean named = country && strstr(summary, country);
    holiday->title = g_strconcat(summary, named ? NULL : set->suffix, NULL);
    holiday->description = g_strdup(description);
    holiday->date = date;
    holiday->intensity = intensity;
    holiday->approximate = approximate;
    return holiday;
}

/* ---- Reading the rule calendars --------------------------------------------------- */

static const char *x_property(icalcomponent *component, const char *name)
{
    for (icalproperty *property = icalcomponent_get_first_property(component, ICAL_X_PROPERTY);
         property; property = icalcomponent_get_next_property(component, ICAL_X_PROPERTY))
        if (g_ascii_strcasecmp(icalproperty_get_x_name(property), name) == 0)
            return icalproperty_get_x(property);
    return NULL;
}

static gint64 icaldate_value(struct icaltimetype time)
{
    return holidays_date(time.year, time.month, time.day);
}

/* Adds to @out the dates of @event within [from, to). */
static gboolean expand_rule_event(icalcomponent *event, const SetInfo *set, const char *path,
                                  gint64 from, gint64 to, GPtrArray *out, GError **error)
{
    const char *uid = icalcomponent_get_uid(event);
    const char *summary = icalcomponent_get_summary(event);
    const char *description = icalcomponent_get_description(event);
    const char *intensity_text = x_property(event, "X-TEND-INTENSITY");
    struct icaltimetype start = icalcomponent_get_dtstart(event);
    gint64 intensity = 2;

    if (!uid || !summary || !start.is_date || icaltime_is_null_time(start) ||
        (intensity_text && !g_ascii_string_to_signed(intensity_text, 10, 1, 5, &intensity, NULL)) ||
        icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY) ||
        icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY) ||
        icalcomponent_count_properties(event, ICAL_RRULE_PROPERTY) > 1) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s': event '%s' is not a yearly all-day holiday tend can read", path,
                    uid ? uid : "without a UID");
        return FALSE;
    }
    icalproperty *rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
    if (!rrule) {
        gint64 date = icaldate_value(start);
        if (date >= from && date < to)
            g_ptr_array_add(
                out, holiday_new(set, uid, summary, description, date, (int)intensity, FALSE));
        return TRUE;
    }
    struct icalrecurrencetype recurrence = icalproperty_get_rrule(rrule);
    icalrecur_iterator *iterator = recurrence.freq == ICAL_YEARLY_RECURRENCE
                                       ? icalrecur_iterator_new(recurrence, start)
                                       : NULL;
    if (!iterator) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s': event '%s' needs a yearly RRULE", path, uid);
        return FALSE;
    }
    /* Yearly dates from DTSTART on: one step per year, ended by the window (and, for a
     * window far in the future, by a bound on the steps). */
    guint steps = 0;
    for (struct icaltimetype time = icalrecur_iterator_next(iterator);
         !icaltime_is_null_time(time) && steps < RULE_MAX_STEPS;
         time = icalrecur_iterator_next(iterator), steps++) {
        gint64 date = icaldate_value(time);
        if (date >= to)
            break;
        if (date >= from)
            g_ptr_array_add(
                out, holiday_new(set, uid, summary, description, date, (int)intensity, FALSE));
    }
    icalrecur_iterator_free(iterator);
    return TRUE;
}

static gboolean expand_rule_file(const char *calendars_dir, const SetInfo *set, gint64 from,
                                 gint64 to, GPtrArray *out, GError **error)
{
    g_autofree char *path = g_build_filename(calendars_dir, set->file, NULL);
    g_autofree char *text = NULL;
    gsize length;
    g_autoptr(GError) read_error = NULL;

    if (!g_file_get_contents(path, &text, &length, &read_error)) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ,
                    "cannot read the holiday calendar '%s'; is tend installed completely?", path);
        return FALSE;
    }
    if (length > RULE_FILE_MAX_BYTES || memchr(text, '\0', length)) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s' is not one of tend's holiday calendars", path);
        return FALSE;
    }
    g_autoptr(icalcomponent) calendar = icalparser_parse_string(text);
    if (!calendar || icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT) {
        g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID,
                    "'%s' is not iCalendar that tend can read", path);
        return FALSE;
    }
    for (icalcomponent *event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         event; event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        const char *uid = icalcomponent_get_uid(event);
        if (set->uid_prefix && !(uid && g_str_has_prefix(uid, set->uid_prefix)))
            continue;
        if (!expand_rule_event(event, set, path, from, to, out, error))
            return FALSE;
    }
    return TRUE;
}

static int holiday_compare(gconstpointer a, gconstpointer b)
{
    const TendHoliday *x = *(TendHoliday *const *)a, *y = *(TendHoliday *const *)b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return g_strcmp0(x->title, y->title);
}

GPtrArray *holidays_between(const char *calendars_dir, const char *const *set_names, gint64 from,
                            gint64 to, GError **error)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func((GDestroyNotify)holiday_free);
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint n = 0; set_names && set_names[n]; n++) {
        const SetInfo *set = set_find(set_names[n]);
        if (!set) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        "'%s' is not a holiday set tend knows; 'tend season --list' shows them",
                        set_names[n]);
            return NULL;
        }
        if (!g_hash_table_add(seen, (gpointer)set->public.name))
            continue; /* named twice */
        if (set->file && !expand_rule_file(calendars_dir, set, from, to, list, error))
            return NULL;
        if (to <= from)
            continue;
        for (guint i = 0; i < G_N_ELEMENTS(computed); i++) {
            if (!g_str_equal(computed[i].set, set->public.name))
                continue;
            g_autoptr(GArray) found = g_array_new(FALSE, TRUE, sizeof(Occurrence));
            g_array_set_clear_func(found, (GDestroyNotify)occurrence_clear);
            for (int year = date_year(from); year <= date_year(to - 1); year++)
                computed_in_year(&computed[i], year, found);
            for (guint k = 0; k < found->len; k++) {
                const Occurrence *occurrence = &g_array_index(found, Occurrence, k);
                if (occurrence->date < from || occurrence->date >= to)
                    continue;
                g_ptr_array_add(list, holiday_new(set, occurrence->uid, computed[i].summary,
                                                  occurrence->description, occurrence->date,
                                                  computed[i].intensity,
                                                  computed[i].basis == BASIS_TABLE));
            }
        }
    }
    g_ptr_array_sort(list, holiday_compare);
    return g_steal_pointer(&list);
}

/* ---- Writing the generated calendars ---------------------------------------------- */

typedef struct {
    const char *file;
    const char *name; /* X-WR-CALNAME */
    const char *description;
    const char *sets[3]; /* the computed entries of these sets go in */
} Generated;

static const Generated generated[] = {
    {"holidays-easter.ics",
     "Easter",
     "Western and Orthodox Easter Sunday computed by tend's tools/gen-holidays from the "
     "Gregorian and the Julian computus.",
     {"easter", "orthodox"}},
    {"holidays-hebrew.ics",
     "Jewish holidays",
     "Rosh Hashanah and Yom Kippur and the first days of Hanukkah and Passover computed by "
     "tend's tools/gen-holidays from the Hebrew calendar. Each begins at sundown on the "
     "evening before the date shown.",
     {"hebrew"}},
    {"holidays-lunar.ics",
     "Lunar holidays (approximate)",
     "Lunar New Year and Diwali and Eid al-Fitr and Eid al-Adha from published tables. The "
     "dates are approximate: they may differ by a day by region and moon sighting.",
     {"lunar-new-year", "diwali", "eid"}},
    {"holidays-uk-easter.ics",
     "UK bank holidays around Easter",
     "Good Friday and Easter Monday (bank holidays in England and Wales) computed from Easter "
     "by tend's tools/gen-holidays. The other bank holidays are in holidays-uk.ics.",
     {"uk"}},
    {"holidays-ie-easter.ics",
     "Ireland public holidays around Easter",
     "Easter Monday computed from Easter by tend's tools/gen-holidays. The other public "
     "holidays are in holidays-ie.ics.",
     {"ie"}},
    {"holidays-ca-easter.ics",
     "Canada holidays around Easter",
     "Good Friday computed from Easter by tend's tools/gen-holidays. The other general "
     "holidays are in holidays-ca.ics.",
     {"ca"}},
    {"holidays-au-easter.ics",
     "Australia public holidays around Easter",
     "Good Friday and Easter Monday computed from Easter by tend's tools/gen-holidays. The "
     "other national public holidays are in holidays-au.ics.",
     {"au"}},
    {"mothering-sunday.ics",
     "Mothering Sunday",
     "Mothering Sunday in the UK and Mother's Day in Ireland (three weeks before Easter) "
     "computed by tend's tools/gen-holidays. The other Mother's and Father's Days are in "
     "mothers-fathers-day.ics.",
     {"mothers-day-uk", "mothers-day-ie"}},
};

const char *const *holidays_generated_files(void)
{
    static const char *names[G_N_ELEMENTS(generated) + 1];
    static gsize initialised = 0;
    if (g_once_init_enter(&initialised)) {
        for (guint i = 0; i < G_N_ELEMENTS(generated); i++)
            names[i] = generated[i].file;
        g_once_init_leave(&initialised, 1);
    }
    return names;
}

static icalproperty *x_new(const char *name, const char *value)
{
    /* libical escapes backslashes in X- values but not commas or semicolons, so the
     * values given here have none (a test parses every generated file). */
    g_assert(!strpbrk(value, ",;"));
    icalproperty *property = icalproperty_new_x(value);
    icalproperty_set_x_name(property, name);
    return property;
}

static struct icaltimetype icaldate_from_value(gint64 date)
{
    struct icaltimetype time = icaltime_null_date();
    date_split(date, &time.year, &time.month, &time.day);
    return time;
}

static icalcomponent *event_new(const Occurrence *occurrence)
{
    icalcomponent *event = icalcomponent_new_vevent();
    icalcomponent_add_property(event, icalproperty_new_uid(occurrence->uid));
    icalcomponent_add_property(event,
                               icalproperty_new_dtstamp(icaltime_from_string(GENERATED_DTSTAMP)));
    icalcomponent_add_property(event,
                               icalproperty_new_dtstart(icaldate_from_value(occurrence->date)));
    icalcomponent_add_property(
        event, icalproperty_new_dtend(icaldate_from_value(occurrence->date + TEND_DAY_SECONDS)));
    icalcomponent_add_property(event, icalproperty_new_summary(occurrence->what->summary));
    icalcomponent_add_property(event, icalproperty_new_description(occurrence->description));
    icalcomponent_add_property(event, icalproperty_new_categories("Holidays"));
    icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
    g_autofree char *intensity = g_strdup_printf("%d", occurrence->what->intensity);
    icalcomponent_add_property(event, x_new("X-TEND-INTENSITY", intensity));
    if (occurrence->what->basis == BASIS_TABLE)
        icalcomponent_add_property(event, x_new("X-TEND-APPROXIMATE", "TRUE"));
    return event;
}

char *holidays_generate_calendar(const char *file_name, GError **error)
{
    const Generated *which = NULL;
    for (guint i = 0; file_name && i < G_N_ELEMENTS(generated); i++)
        if (g_str_equal(generated[i].file, file_name))
            which = &generated[i];
    if (!which) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    "'%s' is not a holiday calendar tend generates", file_name);
        return NULL;
    }

    g_autoptr(GArray) found = g_array_new(FALSE, TRUE, sizeof(Occurrence));
    g_array_set_clear_func(found, (GDestroyNotify)occurrence_clear);
    for (guint i = 0; i < G_N_ELEMENTS(computed); i++)
        for (guint s = 0; s < G_N_ELEMENTS(which->sets) && which->sets[s]; s++)
            if (g_str_equal(computed[i].set, which->sets[s]))
                for (int year = TEND_HOLIDAYS_FIRST_YEAR; year <= TEND_HOLIDAYS_LAST_YEAR; year++)
                    computed_in_year(&computed[i], year, found);
    g_array_sort(found, occurrence_compare);

    g_autoptr(icalcomponent) calendar = icalcomponent_new_vcalendar();
    icalcomponent_add_property(calendar, icalproperty_new_version("2.0"));
    icalcomponent_add_property(calendar, icalproperty_new_prodid("-//tend//Holiday calendars//EN"));
    icalcomponent_add_property(calendar, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(calendar, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalcomponent_add_property(calendar, x_new("X-WR-CALNAME", which->name));
    icalcomponent_add_property(calendar, x_new("X-WR-CALDESC", which->description));
    for (guint i = 0; i < found->len; i++)
        icalcomponent_add_component(calendar, event_new(&g_array_index(found, Occurrence, i)));
    return icalcomponent_as_ical_string_r(calendar);
}

/* ---- tend season ------------------------------------------------------------------ */

void holidays_season_span(int year, gint64 *out_start, gint64 *out_end)
{
    *out_start = holidays_date(year, 11, 20);
    *out_end = holidays_date(year + 1, 1, 3);
}

static int stressor_compare(gconstpointer a, gconstpointer b)
{
    const TendStressor *x = *(TendStressor *const *)a, *y = *(TendStressor *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return g_strcmp0(x->title, y->title);
}

static TendStressor *holiday_stressor_new(const char *title, gint64 start, gint64 end,
                                          int intensity)
{
    TendStressor *stressor = stressor_new();
    stressor->title = g_strdup(title);
    stressor->kind = TEND_KIND_HOLIDAY;
    stressor->intensity = intensity;
    stressor->start = start;
    stressor->end = end;
    stressor->all_day = TRUE;
    return stressor;
}

static const TendStressor *find_same(GPtrArray *stressors, const TendStressor *wanted)
{
    for (guint i = 0; i < stressors->len; i++) {
        const TendStressor *stressor = stressors->pdata[i];
        if (stressor->all_day && stressor->start == wanted->start &&
            g_strcmp0(stressor->title, wanted->title) == 0)
            return stressor;
    }
    return NULL;
}

GPtrArray *holidays_season_stressors(GPtrArray *holidays, gint64 from, gint64 to,
                                     gboolean days_only)
{
    GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)stressor_free);
    for (guint i = 0; i < holidays->len; i++) {
        const TendHoliday *holiday = holidays->pdata[i];
        TendStressor *stressor = holiday_stressor_new(
            holiday->title, holiday->date, holiday->date + TEND_DAY_SECONDS, holiday->intensity);
        if (find_same(list, stressor)) /* the same day named by two sets */
            stressor_free(stressor);
        else
            g_ptr_array_add(list, stressor);
    }
    /* A season that began the year before may still be running at @from. */
    for (int year = date_year(from) - 1; !days_only && to > from && year <= date_year(to - 1);
         year++) {
        gint64 start, end;
        holidays_season_span(year, &start, &end);
        if (start < to && end > from)
            g_ptr_array_add(list, holiday_stressor_new(TEND_HOLIDAY_SEASON_TITLE, start, end, 2));
    }
    g_ptr_array_sort(list, stressor_compare);
    return list;
}

gboolean holidays_season_add(TendStore *store, GPtrArray *proposed, gboolean dry_run, gint64 now,
                             GArray **out_existed, GError **error)
{
    g_autoptr(GArray) existed = g_array_sized_new(FALSE, TRUE, sizeof(gboolean), proposed->len);
    if (!dry_run && !store_begin(store, error))
        return FALSE;
    /* Read inside the write transaction, so nothing can slip in between. */
    g_autoptr(GPtrArray) stored = stressor_list(store, error);
    if (!stored)
        goto fail;
    for (guint i = 0; i < proposed->len; i++) {
        TendStressor *stressor = proposed->pdata[i];
        const TendStressor *same = find_same(stored, stressor);
        gboolean found = same != NULL;
        if (same) {
            stressor->id = same->id;
        } else if (!dry_run) {
            if (!stressor_add(store, stressor, now, error))
                goto fail;
        }
        g_array_append_val(existed, found);
    }
    if (!dry_run && !store_commit(store, error))
        goto fail;
    *out_existed = g_steal_pointer(&existed);
    return TRUE;

fail:
    if (!dry_run)
        store_rollback(store);
    g_prefix_error(error, "cannot add the holidays: ");
    return FALSE;
}
