/* test-ical-export.c: the plan as RFC 5545 text, checked line by line, and the
 * atomic file write. Stores are real SQLite files; activities are inserted with SQL
 * the way the planner stores them. */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libical/ical.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tend/coping-plan.h"
#include "tend/ical-io.h"
#include "tend/stressor.h"

#include "test-util.h"

/* 2026-12-20T09:00:00Z, the fixed "now" of every test: DTSTAMP. */
#define NOW 1797757200

typedef struct {
    char *dir;
    TendStore *store;
    TendContext ctx;
} Fixture;

static void context_for_zone(TendContext *ctx, const char *tzid)
{
    tend_context_clear(ctx);
    memset(ctx, 0, sizeof *ctx);
    ctx->clock.base_utc = NOW;
    ctx->clock.base_mono = g_get_monotonic_time();
    ctx->tz = g_str_equal(tzid, "UTC") ? g_time_zone_new_utc() : g_time_zone_new_identifier(tzid);
    g_assert_nonnull(ctx->tz);
    ctx->tzid = g_strdup(tzid);
}

static void exec_sql(TendStore *store, const char *sql)
{
    g_autoptr(GError) error = NULL;
    g_assert_true(store_exec(store, sql, &error));
    g_assert_no_error(error);
}

/* Christmas dinner (timed, London, with a coping plan), a whole-season stressor
 * (all-day), and three activities for the dinner, one of them skipped. */
static void fixture_set_up(Fixture *fx, gconstpointer data)
{
    (void)data;
    fx->dir = g_dir_make_tmp("tend-export-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(fx->dir, "tend.db", NULL);
    fx->store = store_open(path, TEND_STORE_READ_WRITE, NULL);
    g_assert_nonnull(fx->store);
    memset(&fx->ctx, 0, sizeof fx->ctx);
    context_for_zone(&fx->ctx, "Europe/London");
    exec_sql(fx->store,
             "INSERT INTO stressors (id, uid, title, kind, intensity, location, start_utc, "
             "end_utc, all_day, tzid, sequence, created) VALUES "
             "(1, '0d1e@tend', 'Christmas dinner at Mum''s', 'family', 4, "
             "'Mum''s house, 12 Oak St; flat 2', 1798207200, 1798227000, 0, 'Europe/London', 3, "
             "1797000000),"
             "(2, '5ea5@tend', 'The whole season', 'holiday', 2, NULL, 1797724800, "
             "1798934400, 1, NULL, 0, 1797000000);"
             "INSERT INTO plans (stressor_id, triggers, boundaries, scripts, exit_by, exit_plan, "
             "support, grounding, aftercare, updated) VALUES "
             "(1, 'Questions about work, and my weight', 'I leave the table when voices rise', "
             "'\"I''m not going to talk about that today.\"', 1798219800, "
             "'Walk to the station; train at 17:45', 'Sam (text)', "
             "'5 things I can see', 'Bath, early night', 1797000000);"
             "INSERT INTO activities (id, uid, stressor_id, kind, slot, title, start_utc, "
             "end_utc, busy, sequence, status) VALUES "
             "(1, 'a001@tend', 1, 'rehearse', 0, 'Rehearse your words', 1798135200, "
             "1798137000, 1, 0, 'planned'),"
             "(2, 'a002@tend', 1, 'checkin', 0, 'Quick check-in', 1798214400, 1798215000, "
             "0, 2, 'planned'),"
             "(3, 'a003@tend', 1, 'reflect', 0, 'Reflect: what helped?', 1798279200, "
             "1798281000, 1, 0, 'skipped');");
}

static void fixture_tear_down(Fixture *fx, gconstpointer data)
{
    (void)data;
    test_close_and_delete(fx->store);
    g_rmdir(fx->dir);
    g_free(fx->dir);
    tend_context_clear(&fx->ctx);
}

static char *export_text(Fixture *fx, const TendExportOptions *options)
{
    g_autoptr(GError) error = NULL;
    char *text = ical_export_plan(fx->store, &fx->ctx, options, &error);
    g_assert_no_error(error);
    g_assert_nonnull(text);
    return text;
}

/* The logical (unfolded) lines, without their CRLF. */
static GStrv unfolded_lines(const char *text)
{
    GString *joined = g_string_new(NULL);
    for (const char *p = text; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        g_string_append_c(joined, *p);
    }
    GStrv lines = g_strsplit(joined->str, "\r\n", -1);
    g_string_free(joined, TRUE);
    return lines;
}

/* The VEVENT whose UID is @uid, as its unfolded lines joined with "\n". */
static char *event_block(const char *text, const char *uid)
{
    g_auto(GStrv) lines = unfolded_lines(text);
    g_autofree char *uid_line = g_strconcat("UID:", uid, NULL);
    for (guint i = 0; lines[i]; i++) {
        if (!g_str_equal(lines[i], "BEGIN:VEVENT") || !lines[i + 1] ||
            !g_str_equal(lines[i + 1], uid_line))
            continue;
        GString *block = g_string_new(NULL);
        for (guint j = i; lines[j]; j++) {
            g_string_append_printf(block, "%s%s", j > i ? "\n" : "", lines[j]);
            if (g_str_equal(lines[j], "END:VEVENT"))
                break;
        }
        return g_string_free(block, FALSE);
    }
    return NULL;
}

static guint count_lines(const char *text, const char *line)
{
    g_auto(GStrv) lines = unfolded_lines(text);
    guint count = 0;
    for (guint i = 0; lines[i]; i++)
        count += g_str_equal(lines[i], line);
    return count;
}

static guint count_prefix(const char *text, const char *prefix)
{
    g_auto(GStrv) lines = unfolded_lines(text);
    guint count = 0;
    for (guint i = 0; lines[i]; i++)
        count += g_str_has_prefix(lines[i], prefix);
    return count;
}

/* Every line ends in CRLF, no CR or LF stands alone, no physical line passes 75
 * octets, and no continuation starts inside a UTF-8 sequence. */
static void assert_wire_format(const char *text)
{
    g_assert_true(g_utf8_validate(text, -1, NULL));
    g_assert_true(g_str_has_suffix(text, "END:VCALENDAR\r\n"));
    const char *line = text;
    while (*line) {
        const char *end = strstr(line, "\r\n");
        g_assert_nonnull(end);
        gsize length = (gsize)(end - line);
        g_assert_cmpuint(length, <=, 75);
        g_assert_cmpuint(length, >, 0);
        g_assert_null(memchr(line, '\n', length));
        g_assert_null(memchr(line, '\r', length));
        if (line[0] == ' ')
            g_assert_false(((unsigned char)line[1] & 0xC0) == 0x80);
        line = end + 2;
    }
}

static void test_crlf_and_folding(Fixture *fx, gconstpointer data)
{
    (void)data;
    /* "SUMMARY:" and 65 letters fill 73 octets; the next "€" (3 octets) would end at
     * 76, so the first fold comes before it, not inside it. */
    GString *title = g_string_new(NULL);
    for (int i = 0; i < 65; i++)
        g_string_append_c(title, 'a');
    for (int i = 0; i < 30; i++)
        g_string_append(title, "€");
    g_autofree char *sql =
        g_strdup_printf("UPDATE stressors SET title = '%s' WHERE id = 1", title->str);
    exec_sql(fx->store, sql);

    g_autofree char *text = export_text(fx, NULL);
    assert_wire_format(text);

    const char *summary = strstr(text, "SUMMARY:aaaa");
    g_assert_nonnull(summary);
    GString *lines = g_string_new("SUMMARY:");
    for (int i = 0; i < 65; i++)
        g_string_append_c(lines, 'a');
    g_string_append(lines, "\r\n ");
    for (int i = 0; i < 24; i++) /* 1 + 24 * 3 = 73 octets; a 25th would make 76 */
        g_string_append(lines, "€");
    g_string_append(lines, "\r\n ");
    for (int i = 0; i < 6; i++)
        g_string_append(lines, "€");
    g_string_append(lines, "\r\n");
    g_assert_true(g_str_has_prefix(summary, lines->str));
    g_string_free(lines, TRUE);
    g_string_free(title, TRUE);

    /* Values of every length around the boundary that end in a multi-octet character:
     * libical 3.0.16 folds some of them inside the CRLF ("x" * 71 + "é" comes out as
     * "...\r\r\n \n"), which the export must not pass on. Escapes ride along. */
    static const char *const endings[] = {"é", "€", "😀", "\\;é"};
    for (guint e = 0; e < G_N_ELEMENTS(endings); e++) {
        for (int n = 60; n < 160; n++) {
            GString *value = g_string_new(NULL);
            for (int i = 0; i < n; i++)
                g_string_append_c(value, i % 17 == 9 ? ',' : 'x');
            g_string_append(value, endings[e]);
            g_autofree char *update =
                g_strdup_printf("UPDATE stressors SET location = '%s' WHERE id = 1", value->str);
            exec_sql(fx->store, update);
            g_autofree char *again = export_text(fx, NULL);
            assert_wire_format(again);
            GString *escaped = g_string_new("LOCATION:");
            for (const char *p = value->str; *p; p++) {
                if (*p == ',' || *p == ';' || *p == '\\')
                    g_string_append_c(escaped, '\\');
                g_string_append_c(escaped, *p);
            }
            g_assert_cmpuint(count_lines(again, escaped->str), ==, 1);
            g_string_free(escaped, TRUE);
            g_string_free(value, TRUE);
        }
    }
}

static void test_uid_dtstamp_sequence(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autofree char *text = export_text(fx, NULL);
    g_autofree char *rehearse = event_block(text, "a001@tend");
    g_assert_cmpstr(rehearse, ==,
                    "BEGIN:VEVENT\n"
                    "UID:a001@tend\n"
                    "DTSTAMP:20261220T090000Z\n"
                    "SEQUENCE:0\n"
                    "DTSTART;TZID=Europe/London:20261224T180000\n"
                    "DTEND;TZID=Europe/London:20261224T183000\n"
                    "SUMMARY:Rehearse your words\n"
                    "DESCRIPTION:Before \"Christmas dinner at Mum's\": go over your plan and "
                    "say your words out loud once.\n"
                    "CATEGORIES:tend,rehearse\n"
                    "TRANSP:OPAQUE\n"
                    "STATUS:CONFIRMED\n"
                    "BEGIN:VALARM\n"
                    "ACTION:DISPLAY\n"
                    "DESCRIPTION:Rehearse your words\n"
                    "TRIGGER:-PT15M\n"
                    "END:VALARM\n"
                    "END:VEVENT");
    /* A reminder-only check-in does not block time. */
    g_autofree char *checkin = event_block(text, "a002@tend");
    g_assert_nonnull(strstr(checkin, "\nSEQUENCE:2\n"));
    g_assert_nonnull(strstr(checkin, "\nTRANSP:TRANSPARENT\n"));
    /* Skipped, and that's okay: it is not exported. */
    g_assert_null(event_block(text, "a003@tend"));

    g_assert_cmpuint(count_lines(text, "BEGIN:VEVENT"), ==, 4);
    g_assert_cmpuint(count_prefix(text, "UID:"), ==, 4);
    g_assert_cmpuint(count_lines(text, "DTSTAMP:20261220T090000Z"), ==, 4);
    g_assert_cmpuint(count_prefix(text, "SEQUENCE:"), ==, 4);
    g_assert_cmpuint(count_lines(text, "STATUS:CONFIRMED"), ==, 4);
    g_assert_cmpuint(count_lines(text, "SEQUENCE:3"), ==, 1);

    g_auto(GStrv) lines = unfolded_lines(text);
    const char *const head[] = {
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tend//tend 0.1.0//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:tend plan",
        "X-WR-TIMEZONE:Europe/London",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
    };
    for (guint i = 0; i < G_N_ELEMENTS(head); i++)
        g_assert_cmpstr(lines[i], ==, head[i]);

    /* libical's own restriction check finds only the missing ORGANIZER, which
     * RFC 5546 wants for METHOD:PUBLISH: left out on purpose, since Outlook and others
     * turn an event with an ORGANIZER into a meeting someone else owns. The check stops
     * at the first complaint, so each event is checked in a calendar of its own. */
    icalcomponent *parsed = icalparser_parse_string(text);
    g_assert_nonnull(parsed);
    icalcomponent *zone = icalcomponent_get_first_component(parsed, ICAL_VTIMEZONE_COMPONENT);
    guint checked = 0;
    for (icalcomponent *event = icalcomponent_get_first_component(parsed, ICAL_VEVENT_COMPONENT);
         event; event = icalcomponent_get_next_component(parsed, ICAL_VEVENT_COMPONENT)) {
        icalcomponent *alone = icalcomponent_new_vcalendar();
        icalcomponent_add_property(alone, icalproperty_new_version("2.0"));
        icalcomponent_add_property(alone, icalproperty_new_prodid("-//tend//tend 0.1.0//EN"));
        icalcomponent_add_property(alone, icalproperty_new_method(ICAL_METHOD_PUBLISH));
        icalcomponent_add_component(alone, icalcomponent_new_clone(zone));
        icalcomponent_add_component(alone, icalcomponent_new_clone(event));
        g_assert_false(icalrestriction_check(alone));
        g_autofree char *result = icalcomponent_as_ical_string_r(alone);
        g_assert_cmpuint(count_prefix(result, "X-LIC-ERROR"), ==, 1);
        g_assert_cmpuint(count_lines(result,
                                     "X-LIC-ERROR;X-LIC-ERRORTYPE=INVALID-ITIP:Failed iTIP "
                                     "restrictions for ORGANIZER property. Expected 1 instances "
                                     "of the property and got 0"),
                         ==, 1);
        icalcomponent_free(alone);
        checked++;
    }
    g_assert_cmpuint(checked, ==, 4);
    icalcomponent_free(parsed);
}

/* The DESCRIPTION of an exported stressor, as a calendar app reads it back. */
static char *parsed_description(const char *text, const char *uid)
{
    icalcomponent *parsed = icalparser_parse_string(text);
    icalcomponent *event = icalcomponent_get_first_component(parsed, ICAL_VEVENT_COMPONENT);
    while (event && !g_str_equal(icalcomponent_get_uid(event), uid))
        event = icalcomponent_get_next_component(parsed, ICAL_VEVENT_COMPONENT);
    g_assert_nonnull(event);
    char *description = g_strdup(icalcomponent_get_description(event));
    icalcomponent_free(parsed);
    return description;
}

/* The card coping_plan_card() makes for stressor 1: what `tend plan show` prints. */
static char *card_of(Fixture *fx)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(TendStressor) stressor = stressor_get(fx->store, 1, &error);
    g_autoptr(TendCopingPlan) plan = coping_plan_load(fx->store, 1, &error);
    g_assert_no_error(error);
    char *card = coping_plan_card(fx->store, &fx->ctx, tend_data_dir(), stressor, plan, &error);
    g_assert_no_error(error);
    return card;
}

static void test_coping_card(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autofree char *text = export_text(fx, NULL);
    g_autofree char *dinner = event_block(text, "0d1e@tend");
    /* A row written before plans had lists: its one line of grounding in the
     * person's own words comes first, then two picks from the library. */
    g_assert_cmpstr(
        dinner, ==,
        "BEGIN:VEVENT\n"
        "UID:0d1e@tend\n"
        "DTSTAMP:20261220T090000Z\n"
        "SEQUENCE:3\n"
        "DTSTART;TZID=Europe/London:20261225T140000\n"
        "DTEND;TZID=Europe/London:20261225T193000\n"
        "SUMMARY:Christmas dinner at Mum's\n"
        "DESCRIPTION:Christmas dinner at Mum's\\nFri 25 Dec 2026\\, 14:00 to 19:30\\, "
        "Mum's house\\, 12 Oak St\\; flat 2\\nFamily\\, how hard it may feel: 4 of 5.\\n\\n"
        "What may be hard\\n- Questions about work\\, and my weight\\n\\n"
        "My boundaries\\n- I leave the table when voices rise\\n\\n"
        "Words I can use\\n- \"I'm not going to talk about that today.\"\\n\\n"
        "My way out\\nLeave by 17:30. Walk to the station\\; train at 17:45\\n\\n"
        "Who I can text\\n- Sam (text)\\n\\n"
        "In the moment\\, try one of these\\n- 5 things I can see\\n"
        "- Two breaths in\\, one long sigh out (1 minute)\\n"
        "  1. Breathe in through your nose\\, then take one more small sip of air on top.\\n"
        "  2. Let it all go in a long\\, slow sigh through your mouth.\\n"
        "  3. Do this two or three times\\, then breathe as you normally would.\\n"
        "- You are not too much (1 minute)\\n"
        "  1. When you feel too much\\, or not enough\\, notice the thought.\\n"
        "  2. Say to yourself: This is an old feeling. My needs are allowed.\\n"
        "  3. Take one slow breath and let your shoulders soften.\\n\\n"
        "Afterwards\\nBath\\, early night\\n\\nIf it gets too much: tend help-now\n"
        "LOCATION:Mum's house\\, 12 Oak St\\; flat 2\n"
        "CATEGORIES:tend,family\n"
        "TRANSP:OPAQUE\n"
        "STATUS:CONFIRMED\n"
        "BEGIN:VALARM\n"
        "ACTION:DISPLAY\n"
        "DESCRIPTION:In an hour: Christmas dinner at Mum's\n"
        "TRIGGER:-PT1H\n"
        "END:VALARM\n"
        "BEGIN:VALARM\n"
        "ACTION:DISPLAY\n"
        "DESCRIPTION:Tomorrow: Christmas dinner at Mum's\n"
        "TRIGGER:-P1D\n"
        "END:VALARM\n"
        "END:VEVENT");
    /* libical reads the escapes back to the very text of the card. */
    g_autofree char *read_back = parsed_description(text, "0d1e@tend");
    g_autofree char *card = card_of(fx);
    g_assert_cmpstr(read_back, ==, card);

    /* A plan made with `tend prepare`: lists one item a line, grounding by id. */
    exec_sql(fx->store, "UPDATE plans SET triggers = 'Questions about work' || char(10) || "
                        "'Comments on my weight', grounding = 'feet-on-floor' || char(10) || "
                        "'breath-4-6', support = 'Sam' || char(10) || 'Priya'");
    g_autofree char *listed = export_text(fx, NULL);
    g_autofree char *listed_back = parsed_description(listed, "0d1e@tend");
    g_autofree char *listed_card = card_of(fx);
    g_assert_cmpstr(listed_back, ==, listed_card);
    g_assert_nonnull(strstr(listed_card, "\n\nWhat may be hard\n- Questions about work\n- "
                                         "Comments on my weight\n\n"));
    g_assert_nonnull(strstr(listed_card, "\n\nWho I can text\n- Sam\n- Priya\n\n"));
    g_assert_nonnull(strstr(listed_card, "\n\nIn the moment, try one of these\n"
                                         "- Feel your feet on the floor (1 minute)\n  1. "));
    g_assert_nonnull(strstr(listed_card, "\n- Breathe in for 4, out for 6 (2 minutes)\n  1. "));
    g_assert_cmpuint(count_prefix(listed_card, "- "), ==, 0); /* card lines are not ical lines */

    /* A plan left empty, or no plan yet: a short, kind line instead. */
    exec_sql(fx->store, "UPDATE plans SET triggers = NULL, boundaries = '', scripts = ' ', "
                        "exit_by = NULL, exit_plan = NULL, support = NULL, grounding = NULL, "
                        "aftercare = NULL");
    g_autofree char *empty = export_text(fx, NULL);
    g_assert_cmpuint(count_lines(empty, "DESCRIPTION:Family\\, how hard it may feel: 4 of 5.\\n"
                                        "Go gently with yourself. Small kindnesses count."),
                     ==, 1);
    /* Only a time to leave by. */
    exec_sql(fx->store, "UPDATE plans SET exit_by = 1798219800");
    g_autofree char *exit_only = export_text(fx, NULL);
    g_autofree char *exit_back = parsed_description(exit_only, "0d1e@tend");
    g_assert_true(g_str_has_prefix(exit_back, "Christmas dinner at Mum's\nFri 25 Dec 2026, "
                                              "14:00 to 19:30, Mum's house, 12 Oak St; flat 2\n"
                                              "Family, how hard it may feel: 4 of 5.\n\n"
                                              "My way out\nLeave by 17:30.\n\n"
                                              "In the moment, try one of these\n"));
    exec_sql(fx->store, "DELETE FROM plans");
    g_autofree char *plain = export_text(fx, NULL);
    g_assert_cmpuint(count_lines(plain, "DESCRIPTION:Family\\, how hard it may feel: 4 of 5.\\n"
                                        "Go gently with yourself. Small kindnesses count."),
                     ==, 1);
}

static void test_vtimezone_for_tzid(Fixture *fx, gconstpointer data)
{
    (void)data;
    /* The dinner was entered in New York: 14:00 there is 19:00 UTC. */
    exec_sql(fx->store, "UPDATE stressors SET tzid = 'America/New_York', start_utc = 1798225200, "
                        "end_utc = 1798245000 WHERE id = 1");
    g_autofree char *text = export_text(fx, NULL);
    g_autofree char *dinner = event_block(text, "0d1e@tend");
    g_assert_nonnull(strstr(dinner, "\nDTSTART;TZID=America/New_York:20261225T140000\n"
                                    "DTEND;TZID=America/New_York:20261225T193000\n"));
    g_autofree char *rehearse = event_block(text, "a001@tend");
    g_assert_nonnull(strstr(rehearse, "\nDTSTART;TZID=Europe/London:20261224T180000\n"));

    /* One VTIMEZONE per TZID, in name order, before the events, named exactly as the
     * events name them. */
    g_auto(GStrv) lines = unfolded_lines(text);
    GPtrArray *seen = g_ptr_array_new();
    gboolean in_zone = FALSE;
    guint first_event = 0, last_zone = 0;
    for (guint i = 0; lines[i]; i++) {
        if (g_str_equal(lines[i], "BEGIN:VTIMEZONE"))
            in_zone = TRUE;
        else if (g_str_equal(lines[i], "END:VTIMEZONE"))
            in_zone = FALSE, last_zone = i;
        else if (in_zone && g_str_has_prefix(lines[i], "TZID:"))
            g_ptr_array_add(seen, lines[i]);
        else if (!first_event && g_str_equal(lines[i], "BEGIN:VEVENT"))
            first_event = i;
    }
    g_assert_cmpuint(seen->len, ==, 2);
    g_assert_cmpstr(seen->pdata[0], ==, "TZID:America/New_York");
    g_assert_cmpstr(seen->pdata[1], ==, "TZID:Europe/London");
    g_assert_cmpuint(last_zone, <, first_event);
    g_ptr_array_unref(seen);
    g_assert_cmpuint(count_lines(text, "X-LIC-LOCATION:America/New_York"), ==, 1);
    g_assert_cmpuint(count_lines(text, "TZOFFSETTO:-0500"), >, 0);

    /* The zones in the file put the times at the right instants. */
    icalcomponent *parsed = icalparser_parse_string(text);
    icalcomponent *vtz = icalcomponent_get_first_component(parsed, ICAL_VTIMEZONE_COMPONENT);
    while (vtz && !g_str_equal(icalproperty_get_tzid(
                                   icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)),
                               "America/New_York"))
        vtz = icalcomponent_get_next_component(parsed, ICAL_VTIMEZONE_COMPONENT);
    g_assert_nonnull(vtz);
    icaltimezone *zone = icaltimezone_new();
    g_assert_true(icaltimezone_set_component(zone, icalcomponent_new_clone(vtz)));
    struct icaltimetype wall = icaltime_from_string("20261225T140000");
    g_assert_cmpint(icaltime_as_timet_with_zone(wall, zone), ==, 1798225200);
    icaltimezone_free(zone, 1);
    icalcomponent_free(parsed);

    /* A zone nobody knows falls back to the user's own. */
    exec_sql(fx->store, "UPDATE stressors SET tzid = 'Mars/Olympus_Mons' WHERE id = 1");
    g_autofree char *fallback = export_text(fx, NULL);
    g_assert_cmpuint(count_lines(fallback, "DTSTART;TZID=Europe/London:20261225T190000"), ==, 1);
    g_assert_cmpuint(count_lines(fallback, "BEGIN:VTIMEZONE"), ==, 1);

    /* A person in UTC gets UTC times and no VTIMEZONE at all. */
    exec_sql(fx->store, "UPDATE stressors SET tzid = 'UTC' WHERE id = 1");
    context_for_zone(&fx->ctx, "UTC");
    g_autofree char *utc = export_text(fx, NULL);
    g_assert_cmpuint(count_lines(utc, "BEGIN:VTIMEZONE"), ==, 0);
    g_assert_cmpuint(count_lines(utc, "X-WR-TIMEZONE:UTC"), ==, 1);
    g_assert_cmpuint(count_lines(utc, "DTSTART:20261225T190000Z"), ==, 1);
    g_assert_cmpuint(count_lines(utc, "DTEND:20261224T183000Z"), ==, 1);
    g_assert_cmpuint(count_prefix(utc, "DTSTART;TZID"), ==, 0);
}

static void test_autumn_overlap(Fixture *fx, gconstpointer data)
{
    (void)data;
    /* 01:30 happens twice in London on 25 October 2026. RFC 5545 reads a repeated wall
     * time as the first, ical.js and python-icalendar as the second: both are written in
     * UTC, and the times either side as wall times. */
    exec_sql(fx->store, "UPDATE stressors SET tzid = 'Europe/London', start_utc = 1792888200, "
                        "end_utc = 1792891800 WHERE id = 1");
    g_autofree char *autumn = export_text(fx, NULL);
    g_autofree char *first = event_block(autumn, "0d1e@tend");
    g_assert_nonnull(strstr(first, "\nDTSTART:20261025T003000Z\n"
                                   "DTEND:20261025T013000Z\n"));
    exec_sql(fx->store, "UPDATE stressors SET start_utc = 1792891800, end_utc = 1792897200 "
                        "WHERE id = 1");
    g_autofree char *repeated = export_text(fx, NULL);
    g_autofree char *second = event_block(repeated, "0d1e@tend");
    g_assert_nonnull(strstr(second, "\nDTSTART:20261025T013000Z\n"
                                    "DTEND;TZID=Europe/London:20261025T030000\n"));
}

static void test_valarm_after_properties(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autofree char *text = export_text(fx, NULL);
    /* In every VEVENT, nothing but the alarms follows the first BEGIN:VALARM. */
    g_auto(GStrv) lines = unfolded_lines(text);
    gboolean in_event = FALSE, seen_alarm = FALSE, in_alarm = FALSE;
    guint alarms = 0;
    for (guint i = 0; lines[i]; i++) {
        const char *line = lines[i];
        if (g_str_equal(line, "BEGIN:VEVENT")) {
            in_event = TRUE, seen_alarm = FALSE;
        } else if (g_str_equal(line, "END:VEVENT")) {
            in_event = FALSE;
        } else if (in_event && g_str_equal(line, "BEGIN:VALARM")) {
            seen_alarm = in_alarm = TRUE;
            alarms++;
            g_assert_cmpstr(lines[i + 1], ==, "ACTION:DISPLAY");
            g_assert_true(g_str_has_prefix(lines[i + 2], "DESCRIPTION:"));
            g_assert_true(g_str_has_prefix(lines[i + 3], "TRIGGER:-P"));
            g_assert_cmpstr(lines[i + 4], ==, "END:VALARM");
        } else if (in_event && g_str_equal(line, "END:VALARM")) {
            in_alarm = FALSE;
        } else if (in_event && seen_alarm) {
            g_assert_true(in_alarm);
        }
    }
    /* Two for the timed stressor, one for the all-day one, one per activity. */
    g_assert_cmpuint(alarms, ==, 5);
    g_assert_cmpuint(count_lines(text, "TRIGGER:-PT15M"), ==, 2);
    g_assert_cmpuint(count_lines(text, "TRIGGER:-PT1H"), ==, 1);
    g_assert_cmpuint(count_lines(text, "TRIGGER:-P1D"), ==, 1);
    g_assert_cmpuint(count_lines(text, "TRIGGER:-PT15H"), ==, 1);

    TendExportOptions quiet = {.from = 0, .to = G_MAXINT64, .no_alarms = TRUE};
    g_autofree char *silent = export_text(fx, &quiet);
    g_assert_cmpuint(count_lines(silent, "BEGIN:VALARM"), ==, 0);
    g_assert_cmpuint(count_lines(silent, "BEGIN:VEVENT"), ==, 4);
}

static void test_discreet(Fixture *fx, gconstpointer data)
{
    (void)data;
    TendExportOptions discreet = {.from = 0, .to = G_MAXINT64, .discreet = TRUE};
    g_autofree char *text = export_text(fx, &discreet);
    static const char *const private_words[] = {
        "Christmas", "Mum", "Oak St", "whole season", "Rehearse", "check-in", "weight",
        "station",   "Sam", "family", "holiday",      "rehearse", "checkin",  "hard",
    };
    for (guint i = 0; i < G_N_ELEMENTS(private_words); i++)
        if (strstr(text, private_words[i]))
            g_error("discreet export shows '%s'", private_words[i]);
    g_assert_cmpuint(count_prefix(text, "SUMMARY:"), ==, 4);
    g_assert_cmpuint(count_lines(text, "SUMMARY:Personal time"), ==, 4);
    g_assert_cmpuint(count_lines(text, "CLASS:PRIVATE"), ==, 4);
    g_assert_cmpuint(count_lines(text, "CATEGORIES:tend"), ==, 4);
    g_assert_cmpuint(count_prefix(text, "LOCATION"), ==, 0);
    /* The only descriptions left are the alarms', and they are neutral too. */
    g_assert_cmpuint(count_prefix(text, "DESCRIPTION:"), ==, 5);
    g_assert_cmpuint(count_lines(text, "DESCRIPTION:Personal time"), ==, 5);

    g_autofree char *dinner = event_block(text, "0d1e@tend");
    g_assert_cmpstr(dinner, ==,
                    "BEGIN:VEVENT\n"
                    "UID:0d1e@tend\n"
                    "DTSTAMP:20261220T090000Z\n"
                    "SEQUENCE:3\n"
                    "DTSTART;TZID=Europe/London:20261225T140000\n"
                    "DTEND;TZID=Europe/London:20261225T193000\n"
                    "SUMMARY:Personal time\n"
                    "CLASS:PRIVATE\n"
                    "CATEGORIES:tend\n"
                    "TRANSP:OPAQUE\n"
                    "STATUS:CONFIRMED\n"
                    "BEGIN:VALARM\n"
                    "ACTION:DISPLAY\n"
                    "DESCRIPTION:Personal time\n"
                    "TRIGGER:-PT1H\n"
                    "END:VALARM\n"
                    "BEGIN:VALARM\n"
                    "ACTION:DISPLAY\n"
                    "DESCRIPTION:Personal time\n"
                    "TRIGGER:-P1D\n"
                    "END:VALARM\n"
                    "END:VEVENT");
}

static void test_all_day_exclusive_end(Fixture *fx, gconstpointer data)
{
    (void)data;
    /* A one-day stressor on New Year's Eve next to the whole season. */
    exec_sql(fx->store,
             "INSERT INTO stressors (id, uid, title, kind, intensity, start_utc, end_utc, "
             "all_day, sequence, created) VALUES (3, '0e1f@tend', 'New Year''s Eve', 'holiday', "
             "3, 1798675200, 1798761600, 1, 1, 1797000000)");
    g_autofree char *text = export_text(fx, NULL);
    g_autofree char *season = event_block(text, "5ea5@tend");
    g_assert_cmpstr(season, ==,
                    "BEGIN:VEVENT\n"
                    "UID:5ea5@tend\n"
                    "DTSTAMP:20261220T090000Z\n"
                    "SEQUENCE:0\n"
                    "DTSTART;VALUE=DATE:20261220\n"
                    "DTEND;VALUE=DATE:20270103\n"
                    "SUMMARY:The whole season\n"
                    "DESCRIPTION:Holiday\\, how hard it may feel: 2 of 5.\\nGo gently with "
                    "yourself. Small kindnesses count.\n"
                    "CATEGORIES:tend,holiday\n"
                    "TRANSP:TRANSPARENT\n"
                    "STATUS:CONFIRMED\n"
                    "BEGIN:VALARM\n"
                    "ACTION:DISPLAY\n"
                    "DESCRIPTION:Tomorrow: The whole season\n"
                    "TRIGGER:-PT15H\n"
                    "END:VALARM\n"
                    "END:VEVENT");
    g_autofree char *nye = event_block(text, "0e1f@tend");
    g_assert_nonnull(strstr(nye, "\nDTSTART;VALUE=DATE:20261231\nDTEND;VALUE=DATE:20270101\n"));

    /* Windows: [from, to) against the person's own days. The whole season and the
     * dinner overlap 25 December; New Year's Eve does not. */
    TendExportOptions christmas = {.from = 1798156800 /* 25 Dec */, .to = 1798243200};
    g_autofree char *day = export_text(fx, &christmas);
    g_assert_nonnull(strstr(day, "UID:5ea5@tend"));
    g_assert_nonnull(strstr(day, "UID:0d1e@tend"));
    g_assert_nonnull(strstr(day, "UID:a002@tend"));
    g_assert_null(strstr(day, "UID:0e1f@tend"));
    g_assert_null(strstr(day, "UID:a001@tend"));
    /* A window starting at London's midnight into 1 January: New Year's Eve ends
     * exactly there, so it does not overlap; the season runs on. */
    TendExportOptions new_year = {.from = 1798761600, .to = G_MAXINT64};
    g_autofree char *later = export_text(fx, &new_year);
    g_assert_nonnull(strstr(later, "UID:5ea5@tend"));
    g_assert_null(strstr(later, "UID:0e1f@tend"));
    g_assert_cmpuint(count_lines(later, "BEGIN:VEVENT"), ==, 1);
}

static void test_stable_output(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_autofree char *first = export_text(fx, NULL);
    context_for_zone(&fx->ctx, "Europe/London");
    g_autofree char *second = export_text(fx, NULL);
    g_assert_cmpstr(first, ==, second);

    /* A change to one activity changes its own lines and nothing else. */
    exec_sql(fx->store, "UPDATE activities SET sequence = 1, start_utc = start_utc + 3600, "
                        "end_utc = end_utc + 3600 WHERE id = 1");
    g_autofree char *third = export_text(fx, NULL);
    g_auto(GStrv) before = g_strsplit(first, "\r\n", -1);
    g_auto(GStrv) after = g_strsplit(third, "\r\n", -1);
    g_assert_cmpuint(g_strv_length(before), ==, g_strv_length(after));
    GString *changes = g_string_new(NULL);
    for (guint i = 0; before[i]; i++)
        if (!g_str_equal(before[i], after[i]))
            g_string_append_printf(changes, "%s -> %s\n", before[i], after[i]);
    g_assert_cmpstr(changes->str, ==,
                    "SEQUENCE:0 -> SEQUENCE:1\n"
                    "DTSTART;TZID=Europe/London:20261224T180000 -> "
                    "DTSTART;TZID=Europe/London:20261224T190000\n"
                    "DTEND;TZID=Europe/London:20261224T183000 -> "
                    "DTEND;TZID=Europe/London:20261224T193000\n");
    g_string_free(changes, TRUE);
}

static GStrv folder_entries(const char *dir)
{
    g_autoptr(GDir) handle = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(handle);
    GPtrArray *names = g_ptr_array_new();
    const char *name;
    while ((name = g_dir_read_name(handle)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_free(names, FALSE);
}

static void test_atomic_write(void)
{
    g_autofree char *dir = g_dir_make_tmp("tend-write-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "plan.ics", NULL);
    g_autoptr(GError) error = NULL;

    /* A new file: exact contents, 0600 (it holds the plan, whatever the umask), nothing
     * else left in the folder. */
    g_assert_true(ical_write_file_atomic(path, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", &error));
    g_assert_no_error(error);
    g_autofree char *contents = NULL;
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    struct stat info;
    g_assert_cmpint(stat(path, &info), ==, 0);
    g_assert_cmpint(info.st_mode & 0777, ==, 0600);
    g_auto(GStrv) after_new = folder_entries(dir);
    g_assert_cmpuint(g_strv_length(after_new), ==, 1);

    /* A write that fails half-way (the file-size limit stops it, even for root):
     * the old file is intact and the temporary file is gone. */
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 4096; i++)
        g_string_append(big, "X-FILLER:0123456789abcdef\r\n");
    struct rlimit saved, small;
    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &saved), ==, 0);
    small = saved;
    small.rlim_cur = 4096;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &small), ==, 0);
    gboolean written = ical_write_file_atomic(path, big->str, &error);
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &saved), ==, 0);
    signal(SIGXFSZ, old_handler);
    g_string_free(big, TRUE);
    g_assert_false(written);
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_autofree char *expected = g_strdup_printf("cannot write '%s': %s", path, g_strerror(EFBIG));
    g_assert_cmpstr(error->message, ==, expected);
    g_clear_error(&error);
    g_autofree char *still = NULL;
    g_assert_true(g_file_get_contents(path, &still, NULL, NULL));
    g_assert_cmpstr(still, ==, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    g_auto(GStrv) after_failure = folder_entries(dir);
    g_assert_cmpuint(g_strv_length(after_failure), ==, 1);
    g_assert_cmpstr(after_failure[0], ==, "plan.ics");

    /* A folder in the way, or a folder that is not there: the error names the path. */
    g_autofree char *folder = g_build_filename(dir, "taken.ics", NULL);
    g_assert_cmpint(g_mkdir(folder, 0700), ==, 0);
    g_assert_false(ical_write_file_atomic(folder, "x", &error));
    g_autofree char *is_dir = g_strdup_printf("cannot write '%s': %s", folder, g_strerror(EISDIR));
    g_assert_cmpstr(error->message, ==, is_dir);
    g_clear_error(&error);
    g_autofree char *missing = g_build_filename(dir, "no-such-folder", "plan.ics", NULL);
    g_assert_false(ical_write_file_atomic(missing, "x", &error));
    g_autofree char *no_folder =
        g_strdup_printf("cannot write '%s': %s", missing, g_strerror(ENOENT));
    g_assert_cmpstr(error->message, ==, no_folder);
    g_clear_error(&error);

    /* Replacing keeps the mode the person gave the old file. */
    g_assert_cmpint(g_chmod(path, 0640), ==, 0);
    g_assert_true(ical_write_file_atomic(path, "new\r\n", &error));
    g_assert_cmpint(stat(path, &info), ==, 0);
    g_assert_cmpint(info.st_mode & 0777, ==, 0640);
    g_autofree char *replaced = NULL;
    g_assert_true(g_file_get_contents(path, &replaced, NULL, NULL));
    g_assert_cmpstr(replaced, ==, "new\r\n");

    /* A link (into a synced folder, say) stays a link, and the file it names is the one
     * written. */
    g_autofree char *link = g_build_filename(dir, "link.ics", NULL);
    g_assert_cmpint(symlink("plan.ics", link), ==, 0);
    g_assert_true(ical_write_file_atomic(link, "through the link\r\n", &error));
    g_assert_no_error(error);
    g_assert_cmpint(lstat(link, &info), ==, 0);
    g_assert_true(S_ISLNK(info.st_mode));
    g_autofree char *linked = NULL;
    g_assert_true(g_file_get_contents(path, &linked, NULL, NULL));
    g_assert_cmpstr(linked, ==, "through the link\r\n");
    g_assert_cmpint(stat(path, &info), ==, 0);
    g_assert_cmpint(info.st_mode & 0777, ==, 0640);

    /* A pipe is written into, not replaced by a file. */
    g_autofree char *fifo = g_build_filename(dir, "pipe", NULL);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    int reader = open(fifo, O_RDONLY | O_NONBLOCK);
    g_assert_cmpint(reader, >=, 0);
    g_assert_true(ical_write_file_atomic(fifo, "piped\r\n", &error));
    g_assert_no_error(error);
    char got[16] = {0};
    g_assert_cmpint(read(reader, got, sizeof got - 1), ==, 7);
    g_assert_cmpstr(got, ==, "piped\r\n");
    close(reader);
    g_assert_cmpint(lstat(fifo, &info), ==, 0);
    g_assert_true(S_ISFIFO(info.st_mode));

    g_unlink(fifo);
    g_unlink(link);
    g_rmdir(folder);
    g_unlink(path);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void test_empty_store(Fixture *fx, gconstpointer data)
{
    (void)data;
    exec_sql(fx->store, "DELETE FROM stressors");
    g_autofree char *text = export_text(fx, NULL);
    assert_wire_format(text);
    /* Still a calendar with one component (RFC 5545 needs one): the user's zone. */
    g_assert_cmpuint(count_lines(text, "BEGIN:VTIMEZONE"), ==, 1);
    g_assert_cmpuint(count_lines(text, "BEGIN:VEVENT"), ==, 0);
    /* A person in UTC has no zone to describe: the calendar describes UTC itself. */
    context_for_zone(&fx->ctx, "UTC");
    g_autofree char *utc = export_text(fx, NULL);
    assert_wire_format(utc);
    g_assert_nonnull(strstr(utc, "BEGIN:VTIMEZONE\r\nTZID:UTC\r\nBEGIN:STANDARD\r\n"
                                 "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\n"
                                 "TZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\n"
                                 "END:VTIMEZONE\r\n"));
    g_assert_cmpuint(count_lines(utc, "BEGIN:VEVENT"), ==, 0);
}

static void test_bad_times_refused(Fixture *fx, gconstpointer data)
{
    (void)data;
    exec_sql(fx->store, "UPDATE activities SET end_utc = start_utc WHERE id = 2");
    g_autoptr(GError) error = NULL;
    g_autofree char *text = ical_export_plan(fx->store, &fx->ctx, NULL, &error);
    g_assert_null(text);
    g_assert_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_INVALID);
    g_assert_cmpstr(error->message, ==,
                    "cannot export the plan: activity 'a002@tend' has times that cannot be "
                    "written (start 1798214400, end 1798214400)");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
    ADD("/ical-export/crlf-and-folding-keeps-utf8", test_crlf_and_folding);
    ADD("/ical-export/uid-dtstamp-sequence-everywhere", test_uid_dtstamp_sequence);
    ADD("/ical-export/coping-card-in-description", test_coping_card);
    ADD("/ical-export/vtimezone-for-tzid", test_vtimezone_for_tzid);
    ADD("/ical-export/autumn-overlap-written-in-utc", test_autumn_overlap);
    ADD("/ical-export/valarm-after-properties", test_valarm_after_properties);
    ADD("/ical-export/discreet-hides-private-text", test_discreet);
    ADD("/ical-export/all-day-exclusive-end", test_all_day_exclusive_end);
    ADD("/ical-export/stable-output", test_stable_output);
    ADD("/ical-export/empty-store-still-valid", test_empty_store);
    ADD("/ical-export/bad-times-refused", test_bad_times_refused);
#undef ADD
    g_test_add_func("/ical-export/atomic-write-keeps-old-on-failure", test_atomic_write);
    return g_test_run();
}
