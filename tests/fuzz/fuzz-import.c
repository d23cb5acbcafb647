/* fuzz-import.c: libFuzzer over the whole import path.
 *
 * Each input is read as a calendar file (limits, BOM, line ends, folding, repair,
 * VTIMEZONE and Windows zones), mirrored into a real SQLite database under one
 * calendar name (so every run also diffs against what the run before stored), and
 * then asked for an agenda three years on, which works the stored repeats out again
 * from their text. Built only with clang and -Dfuzz=true; tools/test-all.sh runs it for
 * a minute over tests/fuzz/corpus. */
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "tend/agenda.h"
#include "tend/ical-io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static TendContext ctx;
static TendStore *store;

static void set_up(void)
{
    g_setenv("TEND_NOW", "2026-12-20T09:00:00Z", TRUE);
    g_setenv("TZ", "Europe/Berlin", TRUE);
    if (!tend_context_init(&ctx, NULL))
        abort();
    g_autofree char *dir = g_dir_make_tmp("tend-fuzz-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "tend.db", NULL);
    store = store_open(path, TEND_STORE_READ_WRITE, NULL);
    if (!store)
        abort();
    /* libFuzzer ends the process without cleaning up: the files go now, the open
     * connection keeps working */
    g_autofree char *wal = g_strconcat(path, "-wal", NULL);
    g_autofree char *shm = g_strconcat(path, "-shm", NULL);
    g_unlink(path);
    g_unlink(wal);
    g_unlink(shm);
    g_rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        set_up();
    g_autoptr(GError) error = NULL;
    g_autoptr(TendImportBatch) batch =
        ical_import_read_data(&ctx, "fuzz.ics", (const char *)data, size, &error);
    if (!batch)
        return 0;
    TendImportResult result = {0};
    if (ical_import_apply(store, batch, "fuzz", &result, &error)) {
        if (result.added + result.updated + result.unchanged > 0) {
            gint64 from = tend_clock_now(&ctx.clock) + 3 * 365 * TEND_DAY_SECONDS;
            GPtrArray *items =
                agenda_between(store, &ctx, from, from + 14 * TEND_DAY_SECONDS, NULL);
            if (items)
                g_ptr_array_unref(items);
        }
        import_result_clear(&result);
    }
    return 0;
}
