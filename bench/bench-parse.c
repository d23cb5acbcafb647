/* bench-parse.c FILE.ics: the baseline for bench/run.sh, libical's streaming parser
 * alone. Reads FILE with icalparser_get_line (which unfolds) and hands every line to
 * icalparser_add_line, freeing each top-level component it completes; prints the
 * number of VEVENTs seen so nothing is optimised away. No checks, no time zones, no
 * expansion, no database: what tend's import is measured against. */
#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

static char *read_stream(char *s, size_t size, void *data)
{
    return fgets(s, (int)size, (FILE *)data);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench-parse FILE.ics\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "r");
    if (!file) {
        perror(argv[1]);
        return 1;
    }
    icalparser *parser = icalparser_new();
    icalparser_set_gen_data(parser, file);
    long events = 0;
    char *line;
    while ((line = icalparser_get_line(parser, read_stream)) != NULL) {
        if (strncmp(line, "BEGIN:VEVENT", 12) == 0)
            events++;
        icalcomponent *done = icalparser_add_line(parser, line);
        icalmemory_free_buffer(line);
        if (done)
            icalcomponent_free(done);
    }
    icalparser_free(parser);
    fclose(file);
    printf("%ld\n", events);
    return 0;
}
