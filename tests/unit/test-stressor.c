/* test-stressor.c: adding, listing, finding and removing stressors. */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "tend/stressor.h"

#include "test-util.h"

static TendStore *open_scratch(char **out_dir)
{
    char *dir = g_dir_make_tmp("tend-stressor-XXXXXX", NULL);
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

static TendStressor *make(const char *title, gint64 start, gint64 end)
{
    TendStressor *stressor = stressor_new();
    stressor->title = g_strdup(title);
    stressor->kind = TEND_KIND_FAMILY;
    stressor->intensity = 4;
    stressor->start = start;
    stressor->end = end;
    return stressor;
}

static void test_add_list_get_remove(void)
{
    char *dir;
    TendStore *store = open_scratch(&dir);
    g_autoptr(GError) error = NULL;

    g_autoptr(TendStressor) late = make("  Boxing Day walk  ", 1798300000, 1798310000);
    g_autoptr(TendStressor) early = make("Christmas dinner", 1798200000, 1798210000);
    g_assert_true(stressor_add(store, late, 1000, &error));
    g_assert_true(stressor_add(store, early, 1000, &error));
    g_assert_no_error(error);
    g_assert_cmpint(late->id, ==, 1);
    g_assert_cmpint(early->id, ==, 2);
    g_assert_cmpstr(late->title, ==, "Boxing Day walk");
    g_assert_true(g_str_has_suffix(late->uid, "@tend"));
    g_assert_cmpstr(late->uid, !=, early->uid);

    g_autoptr(GPtrArray) all = stressor_list(store, &error);
    g_assert_cmpuint(all->len, ==, 2);
    g_assert_cmpstr(((TendStressor *)all->pdata[0])->title, ==, "Christmas dinner");
    g_assert_cmpstr(((TendStressor *)all->pdata[1])->title, ==, "Boxing Day walk");

    g_autoptr(GPtrArray) window = stressor_list_between(store, 1798250000, 1798305000, &error);
    g_assert_cmpuint(window->len, ==, 1);
    g_assert_cmpint(((TendStressor *)window->pdata[0])->id, ==, 1);

    g_autoptr(TendStressor) got = stressor_get(store, 2, &error);
    g_assert_nonnull(got);
    g_assert_cmpint(got->kind, ==, TEND_KIND_FAMILY);
    g_assert_cmpint(got->intensity, ==, 4);
    g_assert_cmpint(got->start, ==, 1798200000);

    g_assert_true(stressor_remove(store, 2, &error));
    g_assert_false(stressor_remove(store, 2, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    g_clear_error(&error);
    g_assert_null(stressor_get(store, 2, &error));
    g_assert_error(error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_FOUND);
    cleanup_scratch(store, dir);
}

static void test_rejects_bad_fields(void)
{
    char *dir;
    TendStore *store = open_scratch(&dir);
    struct {
        const char *title;
        int intensity;
        gint64 start, end;
        const char *message;
    } cases[] = {
        {"   ", 3, 0, 10, "title"},
        {"Party", 0, 0, 10, "intensity 0"},
        {"Party", 6, 0, 10, "intensity 6"},
        {"Party", 3, 10, 10, "end must come after"},
        {"Party", 3, 10, 5, "end must come after"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(TendStressor) stressor = make(cases[i].title, cases[i].start, cases[i].end);
        stressor->intensity = cases[i].intensity;
        g_assert_false(stressor_add(store, stressor, 1, &error));
        g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_assert_nonnull(strstr(error->message, cases[i].message));
    }
    g_autoptr(GPtrArray) all = stressor_list(store, NULL);
    g_assert_cmpuint(all->len, ==, 0);
    cleanup_scratch(store, dir);
}

static void test_kind_names(void)
{
    TendKind kind = TEND_KIND_OTHER;
    g_assert_true(stressor_kind_from_string("Grief", &kind));
    g_assert_cmpint(kind, ==, TEND_KIND_GRIEF);
    g_assert_false(stressor_kind_from_string("party", &kind));
    g_assert_cmpint(kind, ==, TEND_KIND_GRIEF);
    g_assert_cmpstr(stressor_kind_to_string(TEND_KIND_HOLIDAY), ==, "holiday");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/stressor/add-list-get-remove", test_add_list_get_remove);
    g_test_add_func("/stressor/rejects-bad-fields", test_rejects_bad_fields);
    g_test_add_func("/stressor/kind-names", test_kind_names);
    return g_test_run();
}
