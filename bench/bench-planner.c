/* bench-planner.c: how long planning takes on a busy calendar.
 *
 * Fills a scratch database with 50 stressors and 5,000 busy events (seeded, so
 * every run builds the same calendar), then times planner_run() five times from an
 * empty plan and five times with nothing changed, and prints the medians. It plans
 * with the shipped rules (data/planner.conf). Built by meson from bench/meson.build,
 * never run by the test suite: ./build/bench/bench-planner
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "tend/planner.h"
#include "tend/stressor.h"

#define STRESSORS 50
#define EVENTS 5000
#define RUNS 5
#define DAYS 60

static int compare_gint64(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
    return x < y ? -1 : x > y;
}

static gboolean fill(TendStore *store, const TendContext *ctx, gint64 from, GError **error)
{
    g_autoptr(GRand) rand = g_rand_new_with_seed(20261225);
    if (!store_begin(store, error) ||
        !store_exec(store, "INSERT INTO calendars (name, imported_at) VALUES ('Work', 0)", error))
        return FALSE;
    g_autoptr(sqlite3_stmt) event = store_prepare(
        store,
        "INSERT INTO events (calendar_id, uid, summary, start_utc, end_utc, transparent, raw, "
        "raw_hash) VALUES (1, ?1, 'Meeting', ?2, ?3, ?4, 'BEGIN:VEVENT', ?1)",
        error);
    g_autoptr(sqlite3_stmt) occurrence = store_prepare(
        store, "INSERT INTO occurrences (event_id, start_utc, end_utc) VALUES (?, ?, ?)", error);
    if (!event || !occurrence)
        return FALSE;
    for (int i = 0; i < EVENTS; i++) {
        /* Half-hour to two-hour events between 06:00 and 22:00 over 70 days. */
        gint64 start = from + g_rand_int_range(rand, 0, DAYS + 10) * TEND_DAY_SECONDS +
                       g_rand_int_range(rand, 6 * 4, 22 * 4) * 900;
        gint64 end = start + g_rand_int_range(rand, 2, 9) * 900;
        g_autofree char *uid = g_strdup_printf("event-%d@bench", i);
        sqlite3_reset(event);
        sqlite3_bind_text(event, 1, uid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(event, 2, start);
        sqlite3_bind_int64(event, 3, end);
        sqlite3_bind_int(event, 4, i % 10 == 0); /* a few are free time */
        if (sqlite3_step(event) != SQLITE_DONE)
            return store_set_error(store, error, "event");
        sqlite3_reset(occurrence);
        sqlite3_bind_int64(occurrence, 1, sqlite3_last_insert_rowid(store_db(store)));
        sqlite3_bind_int64(occurrence, 2, start);
        sqlite3_bind_int64(occurrence, 3, end);
        if (sqlite3_step(occurrence) != SQLITE_DONE)
            return store_set_error(store, error, "occurrence");
    }
    for (int i = 0; i < STRESSORS; i++) {
        g_autoptr(TendStressor) stressor = stressor_new();
        stressor->title = g_strdup_printf("Hard day %d", i + 1);
        stressor->intensity = 1 + i % 5;
        if (i % 10 == 9) { /* every tenth is a period of a few days */
            stressor->all_day = TRUE;
            stressor->start = tend_date_of(from, ctx->tz) + (gint64)(i % DAYS) * TEND_DAY_SECONDS;
            stressor->end = stressor->start + 3 * TEND_DAY_SECONDS;
        } else {
            stressor->start = from + (gint64)(i * DAYS / STRESSORS) * TEND_DAY_SECONDS +
                              g_rand_int_range(rand, 10, 18) * 3600;
            stressor->end = stressor->start + g_rand_int_range(rand, 1, 6) * 3600;
        }
        if (!stressor_add(store, stressor, from, error))
            return FALSE;
    }
    return store_commit(store, error);
}

static gint64 time_run(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                       TendPlanResult *out_result)
{
    g_autoptr(GError) error = NULL;
    gint64 started = g_get_monotonic_time();
    if (!planner_run(store, ctx, from, to, out_result, &error)) {
        fprintf(stderr, "bench-planner: %s\n", error->message);
        exit(1);
    }
    return g_get_monotonic_time() - started;
}

int main(void)
{
    g_setenv("TZ", "America/New_York", TRUE);
    g_setenv("TEND_NOW", "2026-11-01T12:00:00Z", TRUE);
    TendContext ctx;
    g_autoptr(GError) error = NULL;
    if (!tend_context_init(&ctx, &error) || !planner_load_settings(&ctx, &error)) {
        fprintf(stderr, "bench-planner: %s\n", error->message);
        return 1;
    }
    g_autofree char *dir = g_dir_make_tmp("tend-bench-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "tend.db", NULL);
    TendStore *store = store_open(path, TEND_STORE_READ_WRITE, &error);
    gint64 from = tend_date_to_local(tend_date_of(tend_clock_now(&ctx.clock), ctx.tz), ctx.tz);
    gint64 to = from + DAYS * TEND_DAY_SECONDS;
    if (!store || !fill(store, &ctx, from, &error)) {
        fprintf(stderr, "bench-planner: %s\n", error->message);
        return 1;
    }

    gint64 fresh[RUNS], again[RUNS];
    TendPlanResult result = {0};
    for (int i = 0; i < RUNS; i++) {
        if (!store_exec(store, "DELETE FROM activities", &error)) {
            fprintf(stderr, "bench-planner: %s\n", error->message);
            return 1;
        }
        plan_result_clear(&result);
        fresh[i] = time_run(store, &ctx, from, to, &result);
    }
    printf("%d stressors, %d busy events, %d days: placed %u, unplaced %u\n", STRESSORS, EVENTS,
           DAYS, result.placed, result.unplaced);
    for (int i = 0; i < RUNS; i++) {
        plan_result_clear(&result);
        again[i] = time_run(store, &ctx, from, to, &result);
    }
    printf("re-run: kept %u, placed %u, moved %u\n", result.kept, result.placed, result.moved);
    plan_result_clear(&result);
    qsort(fresh, RUNS, sizeof fresh[0], compare_gint64);
    qsort(again, RUNS, sizeof again[0], compare_gint64);
    printf("planner_run median of %d: %.1f ms from an empty plan, %.1f ms with nothing changed\n",
           RUNS, fresh[RUNS / 2] / 1000.0, again[RUNS / 2] / 1000.0);

    store_free(store);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        g_autofree char *file = g_strconcat(path, suffixes[i], NULL);
        g_unlink(file);
    }
    g_rmdir(dir);
    tend_context_clear(&ctx);
    return 0;
}
