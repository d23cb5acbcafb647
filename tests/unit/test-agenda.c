/* test-agenda.c: one timeline of events, stressors and activities, in time order. */
#include <glib/gstdio.h>
#include <string.h>

#include "tend/agenda.h"
#include "tend/stressor.h"

#include "test-util.h"

typedef struct {
    char *dir;
    TendStore *store;
    TendContext ctx;
} Fixture;

/* A calendar with a busy timed event, a transparent one, and an all-day one. */
static const char calendar_sql[] =
    "INSERT INTO calendars (id, name, imported_at) VALUES (1, 'Family', 0);"
    "INSERT INTO events (id, calendar_id, uid, summary, start_utc, end_utc, all_day, "
    "  transparent, raw, raw_hash) VALUES"
    "  (1, 1, 'lunch', 'Lunch with Sam', 1798131600, 1798135200, 0, 0, '', ''),"
    "  (2, 1, 'walk', 'Walk, maybe', 1798120800, 1798124400, 0, 1, '', ''),"
    "  (3, 1, 'fair', 'Winter fair', 1798070400, 1798156800, 1, 1, '', '');"
    "INSERT INTO occurrences (event_id, start_utc, end_utc) VALUES"
    "  (1, 1798131600, 1798135200), (2, 1798120800, 1798124400),"
    "  (3, 1798070400, 1798156800);";

static void fixture_setup(Fixture *fixture, gconstpointer data)
{
    g_setenv("TZ", (const char *)data, TRUE);
    g_setenv("TEND_NOW", "2026-12-20T09:00:00Z", TRUE);
    fixture->dir = g_dir_make_tmp("tend-agenda-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(fixture->dir, "tend.db", NULL);
    fixture->store = store_open(path, TEND_STORE_READ_WRITE, NULL);
    g_assert_nonnull(fixture->store);
    g_assert_true(tend_context_init(&fixture->ctx, NULL));
    g_assert_true(store_exec(fixture->store, calendar_sql, NULL));
}

static void fixture_teardown(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autofree char *path = g_strdup(store_path(fixture->store));
    store_free(fixture->store);
    tend_context_clear(&fixture->ctx);
    test_delete_database(path);
    g_rmdir(fixture->dir);
    g_free(fixture->dir);
}

static char *describe(GPtrArray *items)
{
    GString *text = g_string_new(NULL);
    for (guint i = 0; i < items->len; i++) {
        const TendAgendaItem *item = items->pdata[i];
        g_autofree char *start =
            item->all_day ? tend_format_date(item->start) : tend_format_utc(item->start);
        g_string_append_printf(text, "%s %" G_GINT64_FORMAT " %s %s%s\n",
                               agenda_item_type_to_string(item->type), item->id, start, item->title,
                               item->busy ? "" : " (free)");
    }
    return g_string_free(text, FALSE);
}

/* 2026-12-24 in New York: the all-day fair first (it starts at local midnight), then
 * the transparent walk, the stressor, lunch; a promoted occurrence shows only once. */
static void test_merges_in_time_order(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autoptr(TendStressor) dinner = stressor_new();
    dinner->title = g_strdup("Christmas Eve at Dad's");
    dinner->start = 1798128000; /* 2026-12-24T16:00:00Z, 11:00 local */
    dinner->end = 1798138800;
    g_assert_true(stressor_add(fixture->store, dinner, 0, NULL));
    g_autoptr(TendStressor) season = stressor_new();
    season->title = g_strdup("The season");
    season->start = 1797465600; /* 2026-12-17 as a date */
    season->end = 1798675200;   /* through 2026-12-30 */
    season->all_day = TRUE;
    g_assert_true(stressor_add(fixture->store, season, 0, NULL));
    /* Lunch becomes a stressor too: the agenda then lists it once, as the stressor. */
    g_autoptr(TendStressor) lunch =
        stressor_add_from_event(fixture->store, "lunch", 1798000000, TEND_KIND_FAMILY, 3, 0, NULL);
    g_assert_nonnull(lunch);

    gint64 from = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 24, 0, 0, 0);
    gint64 to = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 25, 0, 0, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = agenda_between(fixture->store, &fixture->ctx, from, to, &error);
    g_assert_no_error(error);
    g_autofree char *text = describe(items);
    g_assert_cmpstr(text, ==,
                    "stressor 2 2026-12-17 The season (free)\n"
                    "event 3 2026-12-24 Winter fair (free)\n"
                    "event 2 2026-12-24T14:00:00Z Walk, maybe (free)\n"
                    "stressor 1 2026-12-24T16:00:00Z Christmas Eve at Dad's\n"
                    "stressor 3 2026-12-24T17:00:00Z Lunch with Sam\n");
}

/* The same all-day fair seen from Auckland falls on its own local date there. */
static void test_all_day_follows_zone(Fixture *fixture, gconstpointer data)
{
    (void)data;
    gint64 from = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 23, 0, 0, 0);
    gint64 to = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 24, 0, 0, 0);
    g_autoptr(GPtrArray) items = agenda_between(fixture->store, &fixture->ctx, from, to, NULL);
    g_autofree char *text = describe(items);
    /* 23 Dec in Auckland ends at 2026-12-23T11:00Z: before lunch, the walk and the fair. */
    g_assert_cmpstr(text, ==, "");

    gint64 day_from = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 25, 0, 0, 0);
    gint64 day_to = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 26, 0, 0, 0);
    g_autoptr(GPtrArray) christmas =
        agenda_between(fixture->store, &fixture->ctx, day_from, day_to, NULL);
    g_autofree char *christmas_text = describe(christmas);
    g_assert_cmpstr(christmas_text, ==,
                    "event 2 2026-12-24T14:00:00Z Walk, maybe (free)\n"
                    "event 1 2026-12-24T17:00:00Z Lunch with Sam\n");
}

static char *agenda_text(TendStore *store, const TendContext *ctx, gint64 from, gint64 to)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = agenda_between(store, ctx, from, to, &error);
    g_assert_no_error(error);
    return describe(items);
}

/* What the agenda reads of an event (schema 6 keeps it in event_briefs) follows every
 * change to the event: a new title, a changed busy mark, a moved calendar, a deletion. */
static void test_follows_event_changes(Fixture *fixture, gconstpointer data)
{
    (void)data;
    gint64 from = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 24, 0, 0, 0);
    gint64 to = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 25, 0, 0, 0);
    g_assert_true(store_exec(
        fixture->store,
        "INSERT INTO calendars (id, name, imported_at) VALUES (2, 'Work', 0);"
        "UPDATE events SET summary = 'Lunch with Sam and Jo', transparent = 1 WHERE id = 1;"
        "UPDATE events SET calendar_id = 2, all_day = 0 WHERE id = 3;"
        "DELETE FROM events WHERE id = 2;",
        NULL));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = agenda_between(fixture->store, &fixture->ctx, from, to, &error);
    g_assert_no_error(error);
    g_autofree char *text = describe(items);
    /* The fair is now a timed event of the Work calendar: 2026-12-24T00:00Z to the next
     * midnight UTC, which New York sees from 19:00 on the 23rd. */
    g_assert_cmpstr(text, ==,
                    "event 3 2026-12-24T00:00:00Z Winter fair (free)\n"
                    "event 1 2026-12-24T17:00:00Z Lunch with Sam and Jo (free)\n");
    g_assert_cmpstr(((TendAgendaItem *)items->pdata[0])->calendar, ==, "Work");
    g_assert_cmpstr(((TendAgendaItem *)items->pdata[1])->calendar, ==, "Family");
}

/* Event ids far apart (rows inserted with ids of their own) are read just the same. */
static void test_far_apart_event_ids(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_assert_true(store_exec(
        fixture->store,
        "INSERT INTO events (id, calendar_id, uid, summary, start_utc, end_utc, raw, raw_hash)"
        "  VALUES (90000000000, 1, 'tea', 'Tea with Ana', 1798128000, 1798131600, '', '');"
        "INSERT INTO occurrences (event_id, start_utc, end_utc)"
        "  VALUES (90000000000, 1798128000, 1798131600);",
        NULL));
    gint64 from = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 24, 0, 0, 0);
    gint64 to = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 25, 0, 0, 0);
    g_autofree char *text = agenda_text(fixture->store, &fixture->ctx, from, to);
    g_assert_cmpstr(text, ==,
                    "event 3 2026-12-24 Winter fair (free)\n"
                    "event 2 2026-12-24T14:00:00Z Walk, maybe (free)\n"
                    "event 90000000000 2026-12-24T16:00:00Z Tea with Ana\n"
                    "event 1 2026-12-24T17:00:00Z Lunch with Sam\n");
}

/* A database from before schema 6 (the v1 fixture, with the same calendar as a fresh one)
 * gives, once upgraded, exactly the agenda the fresh database gives. */
static void test_upgraded_database_same_agenda(Fixture *fixture, gconstpointer data)
{
    (void)data;
    g_autofree char *sql = NULL;
    g_autofree char *fixture_path = g_build_filename(TEND_TEST_DATA, "store-v1.sql", NULL);
    g_assert_true(g_file_get_contents(fixture_path, &sql, NULL, NULL));
    g_autofree char *old_path = g_build_filename(fixture->dir, "old.db", NULL);
    sqlite3 *db = NULL;
    g_assert_cmpint(sqlite3_open(old_path, &db), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_exec(db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_exec(db, calendar_sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close(db);
    /* The fixture's own stressor and activity, in the fresh database too. */
    g_assert_true(store_exec(
        fixture->store,
        "INSERT INTO stressors VALUES(1, 'f00d@tend', 'Christmas at Mum''s', 'family', 4, NULL,"
        "  1798203600, 1798221600, 0, 'Europe/London', 0, 1795000000, NULL);"
        "INSERT INTO activities VALUES(1, 'cafe@tend', 1, 'rehearse', 0,"
        "  'Rehearse your boundary words', 1798117200, 1798119000, 1, 0, 'planned', 0);",
        NULL));

    g_autoptr(GError) error = NULL;
    g_autoptr(TendStore) upgraded = store_open(old_path, TEND_STORE_READ_ONLY, &error);
    g_assert_no_error(error);
    g_assert_cmpint(store_schema_version(upgraded), ==, TEND_STORE_SCHEMA_VERSION);
    gint64 from = tend_local_to_utc(fixture->ctx.tz, 2026, 12, 20, 0, 0, 0);
    gint64 to = tend_local_to_utc(fixture->ctx.tz, 2027, 1, 3, 0, 0, 0);
    g_autofree char *fresh_text = agenda_text(fixture->store, &fixture->ctx, from, to);
    g_autofree char *upgraded_text = agenda_text(upgraded, &fixture->ctx, from, to);
    g_assert_cmpstr(fresh_text, ==,
                    "event 3 2026-12-24 Winter fair (free)\n"
                    "activity 1 2026-12-24T13:00:00Z Rehearse your boundary words\n"
                    "event 2 2026-12-24T14:00:00Z Walk, maybe (free)\n"
                    "event 1 2026-12-24T17:00:00Z Lunch with Sam\n"
                    "stressor 1 2026-12-25T13:00:00Z Christmas at Mum's\n");
    g_assert_cmpstr(upgraded_text, ==, fresh_text);
    store_free(g_steal_pointer(&upgraded));
    test_delete_database(old_path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/agenda/merges-in-time-order", Fixture, "America/New_York", fixture_setup,
               test_merges_in_time_order, fixture_teardown);
    g_test_add("/agenda/all-day-follows-zone", Fixture, "Pacific/Auckland", fixture_setup,
               test_all_day_follows_zone, fixture_teardown);
    g_test_add("/agenda/follows-event-changes", Fixture, "America/New_York", fixture_setup,
               test_follows_event_changes, fixture_teardown);
    g_test_add("/agenda/far-apart-event-ids", Fixture, "America/New_York", fixture_setup,
               test_far_apart_event_ids, fixture_teardown);
    g_test_add("/agenda/upgraded-database-same-agenda", Fixture, "Europe/Berlin", fixture_setup,
               test_upgraded_database_same_agenda, fixture_teardown);
    return g_test_run();
}
