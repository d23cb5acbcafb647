/* cmd-agenda.c: placeholder until its issue lands. */
#include "tend/cli.h"

int cmd_agenda(int argc, char **argv)
{
    (void)argc;
    return cli_usage(NULL, "'%s' is not ready yet", argv[0]);
}
