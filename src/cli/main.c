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
    {"activity", cmd_activity, "activity list [--all] [--json]",
     "mark planned care as done or skipped, or move it yourself",
     "  tend activity list [--all] [--json]\n"
     "  tend activity done ID\n"
     "  tend activity skip ID\n"
     "  tend activity move ID --to TIME\n"
     "The list shows what is planned from today on (--all: everything), with the ID each\n"
     "action needs. 'tend plan' never moves an activity you marked or moved: a moved one\n"
     "stays where you put it, and a skipped one leaves your exported calendar."},
    {"agenda", cmd_agenda, "agenda [--from DATE] [--to DATE] [--json]",
     "show what is coming: your events, hard days and planned care",
     "Lists imported events, stressors and planned activities in time order, from today\n"
     "to 14 days ahead unless --from and --to say otherwise (--to is inclusive)."},
    {"demo", cmd_demo, "demo [--dir DIR]",
     "see the whole loop on the bundled example family calendar",
     "Uses a scratch data folder (DIR, or a new temporary one) so your own data is never\n"
     "touched: imports calendars/example-family.ics, adds the example's hard days, plans\n"
     "care around them, writes DIR/plan.ics and prints the agenda."},
    {"export", cmd_export,
     "export FILE.ics|-|--vdir DIR [--from DATE] [--to DATE] [--discreet] [--no-alarms]",
     "write your plan as iCalendar for any calendar app",
     "Writes stressors and planned activities as RFC 5545 iCalendar to FILE.ics, or to\n"
     "standard output for -. Importing the file again later updates events instead of\n"
     "duplicating them, so it also works as a subscribed calendar.\n"
     "  --from DATE, --to DATE  only what overlaps that span (--to includes its day)\n"
     "  --discreet              \"Personal time\" as every title, marked private, with no\n"
     "                          notes, places or plan text: for shared calendars\n"
     "  --no-alarms             leave out the calendar app's own reminders\n"
     "  --vdir DIR              one .ics file per item in DIR, for vdirsyncer and khal;\n"
     "                          files of items that are gone are removed\n"
     "Every change to the plan also rewrites plan.ics next to tend's database\n"
     "(~/.local/share/tend/plan.ics): subscribe a calendar app to it to follow along."},
    {"help-now", cmd_help_now, "help-now [--region CODE] [--json]",
     "crisis lines to call or text right now, and your safety plan",
     "Shows free crisis lines and the emergency number for your country, then your own\n"
     "safety plan if you have written one. It works even when tend's database cannot be\n"
     "read. The country comes from --region CODE (US, CA, GB, IE, AU or NZ), else from\n"
     "region= in the [safety] group of ~/.config/tend/tend.conf, else from your locale\n"
     "(LANG); anywhere else gets the international directory at findahelpline.com.\n"
     "--json prints the lines and the emergency number."},
    {"import", cmd_import, "import FILE.ics [--calendar NAME] [--dry-run] [--json]",
     "read a calendar export so tend knows when you are busy",
     "Reads an iCalendar file exported from Google, Apple, Outlook, Thunderbird or GNOME.\n"
     "Importing a newer export of the same calendar replaces the old one: changed events\n"
     "are updated, removed ones go, and importing the same file twice changes nothing.\n"
     "The calendar is named by --calendar, else by the file (X-WR-CALNAME), else by the\n"
     "file name. Events tend cannot read are left out with a warning naming their line.\n"
     "--dry-run shows what would be added, updated and removed, and writes nothing."},
    {"insights", cmd_insights, "insights [--from DATE] [--to DATE] [--json | --svg FILE]",
     "what went with your better days, in words and small pictures",
     "For each kind of hard day: your mood and stress in notes written before it and\n"
     "after it (notes linked with --stressor, --activity or 'tend reflect'), what you did\n"
     "or skipped of the plan, what you rated, and on how many of those times stress was\n"
     "lower afterwards. Then a mood and stress timeline around each hard day and a month\n"
     "map of stress (colour only in a terminal, never with NO_COLOR). --svg FILE writes a\n"
     "chart you can open or print instead. Covers the 8 weeks up to today unless --from\n"
     "and --to say otherwise (--to includes its day). These are counts, not proof."},
    {"note", cmd_note, "note add [TEXT] [--edit] [--mood 0-10] [--stress 0-10] [--stressor ID] ...",
     "keep private notes: how it went, what helped",
     "  tend note add [TEXT] [--edit] [--mood 0-10] [--stress 0-10] [--stressor ID]\n"
     "                [--activity ID] [--tag TAG]...\n"
     "  tend note list [--json]\n"
     "  tend note search QUERY [--json]\n"
     "  tend note remove ID\n"
     "  tend note export --from DATE --to DATE [--format md|json]\n"
     "With no TEXT in a terminal, add asks a few gentle questions (a short reflection);\n"
     "--edit opens your editor (VISUAL or EDITOR) for a longer note. --activity links the\n"
     "note to a planned activity and its hard day. Export writes a summary of those days\n"
     "(hard days, their plans, what was done or skipped, ratings and notes) as Markdown\n"
     "or JSON, to share with a therapist if you want to.\n"
     "Mood runs from 0 (very low) to 10 (very good), stress from 0 (calm) to 10\n"
     "(overwhelmed). A tag is one word; give --tag again for each. Search finds whole\n"
     "words, with or without accents; end a word with * to find its start (kitch*), use\n"
     "AND, OR, NOT, or \"quote a phrase\". The list shows the first 200 characters of\n"
     "each note; --json shows all of it.\n"
     "Notes stay on this machine. Removing a note scrubs its text from the database file."},
    {"now", cmd_now, "now [--minutes N] [--where home|there] [--json]",
     "two or three small things to try in a hard moment",
     "Picks two or three strategies for right now, with their steps: the ones you rated\n"
     "highly first, otherwise ones that settle the body, then kindness, then company.\n"
     "--where there (at the gathering) keeps to what you can do there, often discreetly;\n"
     "--minutes N keeps to what takes N minutes or less. Nothing to set up first."},
    {"plan", cmd_plan, "plan [--from DATE] [--to DATE] [--json] [--dry-run]",
     "place small, kind activities around each hard day",
     "  tend plan [--from DATE] [--to DATE] [--json] [--dry-run]\n"
     "  tend plan show ID [--json]\n"
     "For each stressor, plans a rehearsal the day before (and two days before for the\n"
     "hardest ones), grounding that morning, quiet check-ins during, a reminder at your\n"
     "time to leave (tend prepare --exit-by), a decompression block after and a\n"
     "reflection the next day, each in free time within waking hours and at most three\n"
     "a day. Long periods such as a whole season get a light daily rhythm instead: a\n"
     "short check-in and something restoring. Plans from today to 60 days ahead unless\n"
     "--from and --to say otherwise (--to is inclusive). Running it again changes\n"
     "nothing unless your calendar or stressors changed, and never moves what you moved\n"
     "or marked yourself ('tend activity'); --dry-run shows what would change without\n"
     "saving it. The rules, waking hours and daily budget are in data/planner.conf;\n"
     "change them in ~/.config/tend/tend.conf.\n"
     "'tend plan show ID' prints the coping plan of one stressor as a card."},
    {"prepare", cmd_prepare,
     "prepare ID [--trigger TEXT]... [--boundary TEXT]... [--script TEXT]... [--exit-by TIME] "
     "[--exit-plan TEXT] [--support NAME]... [--grounding STRATEGY-ID]... [--aftercare TEXT]",
     "make a plan for one hard event: boundaries, a way out, who to text",
     "With no options, in a terminal, asks a few gentle questions one at a time, with\n"
     "examples; press Enter to skip any of them. With options, sets just those parts:\n"
     "  --trigger TEXT        what may be hard (give it again for each)\n"
     "  --boundary TEXT       a boundary you want to hold (again for each)\n"
     "  --script TEXT         the exact words you can say (again for each)\n"
     "  --exit-by TIME        when you want to leave: 17:30 on the day, or a full time;\n"
     "                        'tend plan' then adds a reminder at that time\n"
     "  --exit-plan TEXT      how you will get away\n"
     "  --support NAME        who you can text (again for each)\n"
     "  --grounding ID        a strategy for the moment ('tend strategy list'; again for\n"
     "                        each)\n"
     "  --aftercare TEXT      what will help afterwards\n"
     "Giving an option again replaces that part; an empty value clears it. 'tend plan\n"
     "show ID' prints the plan as a card, and 'tend export' puts the same card in your\n"
     "calendar."},
    {"reflect", cmd_reflect, "reflect ID", "look back on a hard day with a few gentle questions",
     "Asks, in a terminal, how your mood and stress were before and are now, what\n"
     "happened, what helped, one question that changes each day, and for one kind\n"
     "sentence to yourself. The answers are saved as a note about stressor ID, so\n"
     "'tend insights' can count what helped. Enter skips a question; Ctrl-D stops."},
    {"remind", cmd_remind,
     "remind --once [--json] | --daemon | --install | --uninstall | --urgent stressor:ID",
     "desktop reminders: now, or as a service that keeps running",
     "  --once               show the reminders due now that were not shown yet, and exit\n"
     "  --daemon             keep running: each reminder at its time, with Done, Snooze\n"
     "                       and Skip; it sleeps in between and survives suspend\n"
     "  --install            set the service up to start when you log in (systemd)\n"
     "  --uninstall          stop it and take it away again\n"
     "  --urgent ITEM        stressor:ID or activity:ID reminds even in quiet hours\n"
     "  --not-urgent ITEM    undo that\n"
     "A reminder is never shown twice. By default hard days remind a day and an hour\n"
     "before (whole days at 09:00), activities at their start, nothing between 22:00\n"
     "and 08:00; one missed by up to two hours is still shown, older ones are summed up\n"
     "in one note. Change this in the [reminders] group of ~/.config/tend/tend.conf."},
    {"safety-plan", cmd_safety_plan, "safety-plan edit [--section NAME --text TEXT]",
     "write down what helps when things get very hard",
     "  tend safety-plan edit                    (asks one part at a time, in a terminal)\n"
     "  tend safety-plan edit --section NAME --text TEXT\n"
     "  tend safety-plan show [--json]\n"
     "NAME is warning-signs, coping, people-places, ask-for-help, professionals or\n"
     "safer-place. Empty text clears a part. 'tend help-now' shows your plan beside the\n"
     "crisis lines. A plan is often best made with your therapist or someone you trust."},
    {"season", cmd_season,
     "season --holidays SET,... [--from DATE] [--to DATE] [--days-only] [--dry-run] [--json]",
     "add the holidays you choose, and the holiday season, as hard days",
     "Adds each holiday of the chosen sets between --from (default: today) and --to\n"
     "(default: 120 days on) as an all-day stressor of kind holiday: intensity 2, or 3 for\n"
     "days that often mean family, like Thanksgiving, Christmas or Passover. The holiday\n"
     "season, 20 November to 2 January, is added too as one long stressor, unless\n"
     "--days-only. Running it again adds only what is new. --dry-run shows what it would\n"
     "add. Keep what fits and drop the rest with 'tend stressor remove ID'.\n"
     "'tend season --list' shows the sets: us, ca, uk, ie, au, easter, orthodox, hebrew,\n"
     "lunar-new-year, diwali, eid, mothers-day-us, fathers-day-uk and more. Lunar New\n"
     "Year, Diwali and Eid dates are approximate and known for 2026 to 2036."},
    {"strategy", cmd_strategy, "strategy list [--category C] [--all] [--json]",
     "browse, add and rate coping strategies and boundary scripts",
     "  tend strategy list [--category C] [--all] [--json]\n"
     "  tend strategy show ID [--json]\n"
     "  tend strategy add TITLE --category C --minutes N --steps TEXT... --why TEXT\n"
     "                      [--fits WHEN]\n"
     "  tend strategy edit ID [--title TEXT] [--category C] [--minutes N] [--fits WHEN]\n"
     "                        [--steps TEXT]... [--why TEXT]\n"
     "  tend strategy hide ID\n"
     "  tend strategy unhide ID\n"
     "  tend strategy rate ID 1-5\n"
     "  tend strategy scripts [--situation S] [--json]\n"
     "  tend strategy script-add SITUATION --softer TEXT --firmer TEXT\n"
     "C is settling, self-compassion, boundaries, connection, rest, movement, joy or\n"
     "repair. WHEN is before, during, after or any (the default). Give --steps once for\n"
     "each step. Editing one of tend's own strategies keeps your version beside the\n"
     "original. --all also lists the ones you hid. Rate what helped (5) and what did not\n"
     "(1): 'tend now' offers what helps you first. Scripts are short sentences for hard\n"
     "moments, each in a softer and a firmer version; SITUATION is one of theirs, such as\n"
     "food-and-body, or a name of your own in lowercase letters, digits and '-'."},
    {"stressor", cmd_stressor,
     "stressor add TITLE --start TIME --end TIME [--kind KIND] [--intensity 1-5] "
     "[--location TEXT]",
     "name the events and periods that are hard for you",
     "  tend stressor add TITLE --start TIME --end TIME [--kind KIND] [--intensity 1-5]\n"
     "                    [--location TEXT]\n"
     "  tend stressor list [--json]\n"
     "  tend stressor show ID [--json]\n"
     "  tend stressor remove ID\n"
     "  tend stressor suggest [--from DATE] [--to DATE] [--json]\n"
     "  tend stressor mark UID-OR-ID [--kind KIND] [--intensity 1-5]\n"
     "KIND is family, work, travel, grief, holiday or other. TIME is 2026-12-25T14:00 (your\n"
     "local time), 2026-12-25T14:00Z or with an offset, or 2026-12-25 for a whole day.\n"
     "suggest lists imported events in the next 60 days that may be hard, and why: family\n"
     "words (mom, dad, in-laws, grandma, ...), holidays, titles in capitals, your own\n"
     "words (keywords= in the [suggest] group of ~/.config/tend/tend.conf, separated by\n"
     "';'), and long evenings with the relatives you list there (relatives=). Nothing\n"
     "becomes a stressor until you mark it: mark takes the ID suggest shows, or an\n"
     "event's UID, and makes its next occurrence a stressor (intensity 3 unless you say)."},
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
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'tend help COMMAND' tells more about one command.\n"
                 "tend is not therapy. If you are in crisis, 'tend help-now' shows crisis\n"
                 "lines you can call or text right now.\n");
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
    g_set_prgname("tend");

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
