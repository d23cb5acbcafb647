/* gen-holidays.c: writes the computed holiday calendars (Easter, the Hebrew calendar,
 * the lunar tables and the Easter-dependent days) into a folder.
 *
 *   gen-holidays DIR     writes each of them to DIR/NAME.ics
 *
 * The calendars in calendars/ are its output, committed; after changing
 * src/core/holidays.c run `meson compile -C build update-holidays`. The unit tests
 * check that the committed files are exactly what this writes.
 */
#include <stdio.h>

#include "tend/holidays.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen-holidays DIR\n");
        return 2;
    }
    for (const char *const *name = holidays_generated_files(); *name; name++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = holidays_generate_calendar(*name, &error);
        g_autofree char *path = g_build_filename(argv[1], *name, NULL);
        if (!text || !g_file_set_contents(path, text, -1, &error)) {
            fprintf(stderr, "gen-holidays: error: %s\n", error->message);
            return 1;
        }
    }
    return 0;
}
