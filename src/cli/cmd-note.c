/* cmd-note.c: placeholder until its issue lands. */
#include "tend/cli.h"

int cmd_note(int argc, char **argv)
{
    (void)argc;
    return cli_usage(NULL, "'%s' is not ready yet", argv[0]);
}
