/* test-util.c: what the unit tests share. */
#include "test-util.h"

#include <glib/gstdio.h>

void test_delete_database(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        g_autofree char *file = g_strconcat(path, suffixes[i], NULL);
        g_unlink(file);
    }
}

void test_close_and_delete(TendStore *store)
{
    g_autofree char *path = g_strdup(store_path(store));
    store_free(store);
    test_delete_database(path);
}
