/* cmd-plan.c: placeholder until its issue lands. */
#include "tend/cli.h"

int cmd_plan(int argc, char **argv)
{
    (void)argc;
    return cli_usage(NULL, "'%s' is not ready yet", argv[0]);
}
