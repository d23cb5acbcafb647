/* cmd-remind.c: placeholder until its issue lands. */
#include "tend/cli.h"

int cmd_remind(int argc, char **argv)
{
    (void)argc;
    return cli_usage(NULL, "'%s' is not ready yet", argv[0]);
}
