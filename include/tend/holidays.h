/* holidays.h: the shipped holiday calendars, and turning holidays into stressors.
 *
 * Three kinds of holiday live in calendars/:
 * - rule calendars, written by hand with yearly RRULEs (holidays-us.ics, -ca, -uk,
 *   -ie, -au and mothers-fathers-day.ics); their dates are read from those files, the
 *   single source of truth, and expanded with libical;
 * - computed dates (Western and Orthodox Easter and the days that hang on them, and the
 *   Hebrew-calendar holidays), from the algorithms below;
 * - published tables, marked approximate, for the lunar holidays (Lunar New Year,
 *   Diwali, Eid al-Fitr, Eid al-Adha), 2026 to 2036 only.
 * The computed and table calendars are written by tools/gen-holidays through
 * holidays_generate_calendar(); a test keeps the committed files identical to it.
 *
 * Invariants:
 * - Every date here is an all-day value (see clock.h): the UTC midnight of the date.
 * - Jewish holidays begin at sundown on the evening before the date given; the date is
 *   the day itself, and the description says so.
 * - Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/store.h"
#include "tend/stressor.h"

G_BEGIN_DECLS

/* The years the generated calendars and the lunar tables cover, inclusive. */
#define TEND_HOLIDAYS_FIRST_YEAR 2026
#define TEND_HOLIDAYS_LAST_YEAR 2036

/* The all-day value of a Gregorian date; month 1..12. */
gint64 holidays_date(int year, int month, int day);
/* The all-day value of a date given in the Julian calendar. */
gint64 holidays_julian_date(int year, int month, int day);

/* Easter Sunday by the Gregorian computus (Meeus/Jones/Butcher); @year >= 1583. */
gint64 holidays_easter_western(int year);
/* Orthodox Easter Sunday: the Julian computus, given as a Gregorian date. */
gint64 holidays_easter_orthodox(int year);

/* Hebrew calendar. Months are numbered from Nisan = 1 to Adar = 12 and, in a leap
 * year, Adar II = 13 (Adar = 12 is then Adar I); the year begins at Tishri = 7. */
enum {
    TEND_HEBREW_NISAN = 1,
    TEND_HEBREW_TISHRI = 7,
    TEND_HEBREW_CHESHVAN = 8,
    TEND_HEBREW_KISLEV = 9,
    TEND_HEBREW_ADAR = 12,
    TEND_HEBREW_ADAR_II = 13,
};
/* Leap years (13 months) are years 3, 6, 8, 11, 14, 17 and 19 of the 19-year cycle. */
gboolean holidays_hebrew_leap_year(int hebrew_year);
/* 1 Tishri (Rosh Hashanah) of @hebrew_year: the molad of Tishri moved by the four
 * postponements (molad zaken, lo ADU Rosh, GaTaRaD, BeTUTaKPaT). @hebrew_year >= 2. */
gint64 holidays_hebrew_new_year(int hebrew_year);
/* 353, 354 or 355 days in a common year, 383, 384 or 385 in a leap year. */
int holidays_hebrew_year_length(int hebrew_year);
/* Days in @month of @hebrew_year (29 or 30), 0 for a month the year does not have. */
int holidays_hebrew_month_length(int hebrew_year, int month);
/* The all-day value of @day @month @hebrew_year; FALSE (and *out_date untouched) for a
 * date that does not exist. */
gboolean holidays_hebrew_date(int hebrew_year, int month, int day, gint64 *out_date);

/* One holiday on one date. */
typedef struct {
    char *set;         /* the set it came from: "us" */
    char *uid;         /* its UID in the shipped calendar */
    char *title;       /* as a stressor's title: "Thanksgiving (US)" */
    char *description; /* as in the calendar */
    gint64 date;       /* all-day value */
    int intensity;     /* 2 for a civil day, 3 for a family-heavy one */
    gboolean approximate;
} TendHoliday;

void holiday_free(TendHoliday *holiday);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendHoliday, holiday_free)

typedef struct {
    const char *name;        /* what --holidays takes: "us", "hebrew", "mothers-day-uk" */
    const char *description; /* "United States federal holidays" */
} TendHolidaySet;

/* All sets, in the order `tend season --list` shows them; *out_count gets the count. */
const TendHolidaySet *holidays_sets(guint *out_count);
gboolean holidays_set_known(const char *name);

/* The holidays of @sets (names as in holidays_sets()) dated within [from, to) (all-day
 * values), ordered by date, then title. Rule calendars are read from @calendars_dir.
 * Fails with G_IO_ERROR_INVALID_ARGUMENT for an unknown set name, with G_IO_ERROR
 * or TEND_ICAL_ERROR when a calendar cannot be read. Element type TendHoliday. */
GPtrArray *holidays_between(const char *calendars_dir, const char *const *sets, gint64 from,
                            gint64 to, GError **error);

/* The file names holidays_generate_calendar() knows, NULL-terminated. */
const char *const *holidays_generated_files(void);
/* The text (CRLF, built with libical, the same bytes every time) of the generated
 * calendar @file_name for TEND_HOLIDAYS_FIRST_YEAR..TEND_HOLIDAYS_LAST_YEAR. */
char *holidays_generate_calendar(const char *file_name, GError **error);

/* The holiday season, 20 November to 2 January, as an all-day span that begins in
 * @year; *out_end is exclusive (3 January). */
void holidays_season_span(int year, gint64 *out_start, gint64 *out_end);
#define TEND_HOLIDAY_SEASON_TITLE "Holiday season"

/* What `tend season` offers: a stressor (kind holiday) per holiday in @holidays, and,
 * unless @days_only, one for each holiday season that overlaps [from, to). Ordered by
 * start, then title. Element type TendStressor (not stored). */
GPtrArray *holidays_season_stressors(GPtrArray *holidays, gint64 from, gint64 to,
                                     gboolean days_only);

/* Adds each of @proposed (from holidays_season_stressors()) unless a stressor with the
 * same title and the same all-day start is already stored; such a proposal takes the
 * stored one's id. *out_existed gets one gboolean per proposal, TRUE where it was
 * already there. With @dry_run nothing is written and new proposals keep id 0. Runs in
 * one write transaction: on failure nothing is added and *out_existed is untouched. */
gboolean holidays_season_add(TendStore *store, GPtrArray *proposed, gboolean dry_run, gint64 now,
                             GArray **out_existed, GError **error);

G_END_DECLS
