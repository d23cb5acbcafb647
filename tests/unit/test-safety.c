/* test-safety.c: which region's crisis lines to show, the lines themselves, and the plan. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tend/context.h"
#include "tend/safety.h"

#include "test-util.h"

static void expect_region(const char *locale, const char *expected)
{
    g_autofree char *region = safety_region_from_locale(locale);
    g_assert_cmpstr(region, ==, expected);
}

static void test_region_from_locale(void)
{
    expect_region("en_GB.UTF-8", "GB");
    expect_region("en_IE", "IE");
    expect_region("en_US.utf8", "US");
    expect_region("fr_CA.UTF-8", "CA");
    expect_region("en_AU.ISO-8859-1", "AU");
    expect_region("mi_NZ.UTF-8", "NZ");
    expect_region("de_DE@euro", "DE");
    expect_region("ga_ie", "IE");
    expect_region("C", NULL);
    expect_region("C.UTF-8", NULL);
    expect_region("POSIX", NULL);
    expect_region("en", NULL);
    expect_region("en_", NULL);
    expect_region("en_GBR", NULL);
    expect_region("", NULL);
    expect_region(NULL, NULL);

    /* The first set variable decides, as POSIX says: LC_ALL, LC_MESSAGES, LANG. */
    g_setenv("LC_ALL", "", TRUE);
    g_setenv("LC_MESSAGES", "en_NZ.UTF-8", TRUE);
    g_setenv("LANG", "en_AU.UTF-8", TRUE);
    g_autofree char *messages = safety_region_from_environment();
    g_assert_cmpstr(messages, ==, "NZ");
    g_unsetenv("LC_MESSAGES");
    g_autofree char *lang = safety_region_from_environment();
    g_assert_cmpstr(lang, ==, "AU");
    g_setenv("LC_ALL", "C.UTF-8", TRUE);
    g_autofree char *plain = safety_region_from_environment();
    g_assert_null(plain);

    /* The config file's [safety] region= is read in upper case; no file is no region. */
    g_autofree char *dir = g_dir_make_tmp("tend-safety-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "tend.conf", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_null(safety_region_from_config(path, &error));
    g_assert_no_error(error);
    g_assert_true(g_file_set_contents(path, "[safety]\nregion = ie\n", -1, NULL));
    g_autofree char *configured = safety_region_from_config(path, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(configured, ==, "IE");
    g_assert_true(g_file_set_contents(path, "region=IE without a group\n", -1, NULL));
    g_assert_null(safety_region_from_config(path, &error));
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, path));
    g_unlink(path);
    g_rmdir(dir);
}

static const char *contacts(const TendCrisisRegion *region, GString *out)
{
    g_string_truncate(out, 0);
    for (guint i = 0; i < region->lines->len; i++) {
        const TendCrisisLine *line = region->lines->pdata[i];
        g_string_append_printf(out, "%s: %s\n", line->name, line->contact);
        g_assert_true(g_str_has_prefix(line->source, "https://"));
    }
    return out->str;
}

static void test_lines_per_region(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(TendCrisisDirectory) directory = crisis_directory_load(tend_data_dir(), &error);
    g_assert_no_error(error);
    g_assert_cmpstr(directory->checked, ==, "2026-11-28");
    g_autoptr(GString) text = g_string_new(NULL);
    const TendCrisisRegion *region;

    region = crisis_directory_find(directory, "US");
    g_assert_cmpstr(region->name, ==, "United States");
    g_assert_cmpstr(region->emergency, ==, "911");
    g_assert_cmpstr(contacts(region, text), ==,
                    "988 Suicide & Crisis Lifeline: call or text 988, or chat at "
                    "988lifeline.org (free, any time)\n"
                    "Crisis Text Line: text HOME to 741741 (free, any time)\n");

    region = crisis_directory_find(directory, "ca");
    g_assert_cmpstr(region->name, ==, "Canada");
    g_assert_cmpstr(region->emergency, ==, "911");
    g_assert_cmpstr(contacts(region, text), ==,
                    "9-8-8: Suicide Crisis Helpline: call or text 9-8-8, in English or French "
                    "(free, any time)\n");

    region = crisis_directory_find(directory, "GB");
    g_assert_cmpstr(region->name, ==, "United Kingdom");
    g_assert_cmpstr(region->emergency, ==, "999 or 112");
    g_assert_cmpstr(contacts(region, text), ==,
                    "Samaritans: call 116 123 (free from any phone, any time)\n"
                    "Shout: text SHOUT to 85258 (free, any time)\n");
    g_assert_true(crisis_directory_find(directory, "uk") == region);

    region = crisis_directory_find(directory, "IE");
    g_assert_cmpstr(region->name, ==, "Ireland");
    g_assert_cmpstr(region->emergency, ==, "112 or 999");
    g_assert_cmpstr(contacts(region, text), ==,
                    "Samaritans: call 116 123 (free from any phone, any time)\n"
                    "50808: text 50808 (free, any time)\n");

    region = crisis_directory_find(directory, "AU");
    g_assert_cmpstr(region->name, ==, "Australia");
    g_assert_cmpstr(region->emergency, ==, "000");
    g_assert_cmpstr(contacts(region, text), ==,
                    "Lifeline: call 13 11 14 or text 0477 13 11 14 (any time)\n");

    region = crisis_directory_find(directory, "NZ");
    g_assert_cmpstr(region->name, ==, "New Zealand");
    g_assert_cmpstr(region->emergency, ==, "111");
    g_assert_cmpstr(contacts(region, text), ==,
                    "1737, Need to talk?: call or text 1737 (free, any time)\n");

    /* Anywhere else: the international directory, never another country's number. */
    g_assert_null(crisis_directory_find(directory, "FR"));
    g_assert_null(crisis_directory_find(directory, NULL));
    region = crisis_directory_fallback(directory);
    g_assert_cmpstr(region->code, ==, "INTL");
    g_assert_cmpstr(contacts(region, text), ==,
                    "Find A Helpline: free, confidential lines for your country at "
                    "findahelpline.com\n");
    g_assert_nonnull(strstr(region->emergency, "local emergency number"));
}

static void test_plan_set_and_clear(void)
{
    g_autofree char *dir = g_dir_make_tmp("tend-safety-plan-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "tend.db", NULL);
    g_autoptr(GError) error = NULL;
    TendStore *store = store_open(path, TEND_STORE_READ_WRITE, &error);
    g_assert_no_error(error);

    g_auto(GStrv) empty = safety_plan_load(store, &error);
    g_assert_cmpuint(g_strv_length(empty), ==, TEND_SAFETY_SECTIONS);
    g_assert_true(safety_plan_is_empty(empty));

    g_assert_true(safety_plan_set(store, "ask-for-help", "  Sam: 07700 900123 \n", 10, &error));
    g_assert_true(safety_plan_set(store, "coping", "A walk with the dog", 10, &error));
    g_assert_false(safety_plan_set(store, "hobbies", "x", 10, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpstr(error->message, ==,
                    "'hobbies' is not a section of the safety plan; use warning-signs, coping, "
                    "people-places, ask-for-help, professionals, safer-place");
    g_clear_error(&error);
    g_auto(GStrv) plan = safety_plan_load(store, &error);
    g_assert_false(safety_plan_is_empty(plan));
    g_assert_cmpstr(plan[safety_plan_section_index("ask-for-help")], ==, "Sam: 07700 900123");
    g_assert_cmpstr(plan[1], ==, "A walk with the dog");
    g_assert_cmpstr(plan[0], ==, "");

    /* Empty text clears a section. */
    g_assert_true(safety_plan_set(store, "coping", "   ", 11, &error));
    g_assert_true(safety_plan_set(store, "ask-for-help", "", 11, &error));
    g_auto(GStrv) cleared = safety_plan_load(store, &error);
    g_assert_true(safety_plan_is_empty(cleared));

    store_free(store);
    test_delete_database(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/safety/region-from-locale", test_region_from_locale);
    g_test_add_func("/safety/lines-per-region", test_lines_per_region);
    g_test_add_func("/safety/plan-set-and-clear", test_plan_set_and_clear);
    return g_test_run();
}
