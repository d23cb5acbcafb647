/* cmd-export.c: placeholder until its issue lands. */
#include "tend/cli.h"

int cmd_export(int argc, char **argv)
{
    (void)argc;
    return cli_usage(NULL, "'%s' is not ready yet", argv[0]);
}
