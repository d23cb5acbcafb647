/* main.c: the `tend` command: one table drives dispatch and help.
 *
 * This file only finds the subcommand and hands over; each subcommand lives in
 * its own cmd-NAME.c.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "tend/cli.h"

static const TendCommand commands[] = {
    {"agenda", cmd_agenda, "agenda [--from DATE] [--to DATE] [--json]",
     "show what is coming: your events, hard days and planned care",
     "Lists imported events, stressors and planned activities in time order, from today\n"
     "to 14 days ahead unless --from and --to say otherwise (--to is inclusive)."},
    {"demo", cmd_demo, "demo [--dir DIR]",
     "see the whole loop on the bundled example family calendar",
     "Uses a scratch data folder (DIR, or a new temporary one) so your own data is never\n"
     "touched: imports calendars/example-family.ics, adds the example's hard days, plans\n"
     "care around them, writes DIR/plan.ics and prints the agenda."},
    {"export", cmd_export, "export FILE.ics|- [--from DATE] [--to DATE] [--discreet] [--no-alarms]",
     "write your plan as iCalendar for any calendar app",
     "Writes stressors and planned activities as RFC 5545 iCalendar. Importing the file\n"
     "again later updates events instead of duplicating them. --discreet uses neutral\n"
     "titles and leaves private text out, for shared calendars."},
    {"import", cmd_import, "import FILE.ics [--calendar NAME] [--json]",
     "read a calendar export so tend knows when you are busy",
     "Reads an iCalendar file exported from Google, Apple, Outlook, Thunderbird or GNOME.\n"
     "Importing a newer export of the same calendar replaces the old one: changed events\n"
     "are updated, removed ones go, and importing the same file twice changes nothing.\n"
     "The calendar is named by --calendar, else by the file (X-WR-CALNAME), else by the\n"
     "file name. Events tend cannot read are left out with a warning naming their line."},
    {"note", cmd_note, "note add TEXT [--mood 0-10] [--stress 0-10] [--stressor ID] [--tag TAG]...",
     "keep private notes: how it went, what helped",
     "  tend note add TEXT [--mood 0-10] [--stress 0-10] [--stressor ID] [--tag TAG]...\n"
     "  tend note list [--json]\n"
     "  tend note search QUERY [--json]\n"
     "  tend note remove ID\n"
     "Notes stay on this machine. Removing a note scrubs its text from the database file."},
    {"plan", cmd_plan, "plan [--from DATE] [--to DATE] [--json]",
     "place small, kind activities around each hard day",
     "For each stressor, plans a rehearsal the day before, grounding that morning,\n"
     "check-ins during, a decompression block after and a reflection the next day, each\n"
     "in free time within waking hours. Running it again changes nothing unless your\n"
     "calendar or stressors changed."},
    {"remind", cmd_remind, "remind --once", "show desktop reminders that are due now",
     "Shows a desktop notification for each reminder due now that was not shown yet,\n"
     "records it, and exits. A reminder is never shown twice."},
    {"stressor", cmd_stressor,
     "stressor add TITLE --start TIME --end TIME [--kind KIND] [--intensity 1-5] "
     "[--location TEXT]",
     "name the events and periods that are hard for you",
     "  tend stressor add TITLE --start TIME --end TIME [--kind KIND] [--intensity 1-5]\n"
     "                    [--location TEXT]\n"
     "  tend stressor list [--json]\n"
     "  tend stressor show ID [--json]\n"
     "  tend stressor remove ID\n"
     "KIND is family, work, travel, grief, holiday or other. TIME is 2026-12-25T14:00 (your\n"
     "local time), 2026-12-25T14:00Z or with an offset, or 2026-12-25 for a whole day."},
};

const TendCommand *cli_find_command(const char *name)
{
    for (guint i = 0; name && i < G_N_ELEMENTS(commands); i++)
        if (g_str_equal(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: tend COMMAND [ARGS]\n\n"
                 "tend helps you get through hard seasons with a plan made in advance\n"
                 "and gentle reminders on the day.\n\n"
                 "Commands:\n");
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'tend help COMMAND' tells more about one command.\n"
                 "tend is not therapy. If you are in crisis, please call your local\n"
                 "emergency number or a crisis line now.\n");
}

static int print_command_help(const char *name)
{
    const TendCommand *command = cli_find_command(name);
    if (!command)
        return cli_usage(NULL, "'%s' is not a tend command", name);
    printf("usage: tend %s\n\n%s\n", command->usage, command->help);
    return TEND_EXIT_OK;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");

    if (argc < 2) {
        print_overview(stderr);
        return TEND_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (g_str_equal(name, "--help") || g_str_equal(name, "-h")) {
        print_overview(stdout);
        return cli_finish(TEND_EXIT_OK);
    }
    if (g_str_equal(name, "--version")) {
        printf("tend %s\n", TEND_VERSION);
        return cli_finish(TEND_EXIT_OK);
    }
    if (g_str_equal(name, "help")) {
        if (argc < 3) {
            print_overview(stdout);
            return cli_finish(TEND_EXIT_OK);
        }
        return cli_finish(print_command_help(argv[2]));
    }
    const TendCommand *command = cli_find_command(name);
    if (!command)
        return cli_usage(NULL, "'%s' is not a tend command; 'tend --help' lists them", name);
    return cli_finish(command->run(argc - 1, argv + 1));
}
