/* cmd-import.c: placeholder until its issue lands. */
#include "tend/cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    return cli_usage(NULL, "'%s' is not ready yet", argv[0]);
}
