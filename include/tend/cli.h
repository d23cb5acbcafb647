/* cli.h: what the `tend` command's front end shares between subcommands.
 *
 * Adding a subcommand:
 *  1. Write src/cli/cmd-NAME.c exporting `int cmd_NAME(int argc, char **argv)`;
 *     argv[0] is the command's name. Parse options, call the core, print.
 *  2. Declare it below and add one row to `commands[]` in src/cli/main.c: that row
 *     drives both dispatch and `tend --help` / `tend help NAME`.
 *  3. Add it to src/cli/meson.build and give it a tests/cli/NAME-*.sh test.
 *  4. Document it in README.md under "Commands".
 * Exit status: 0 success, 1 runtime failure, 2 usage error. Report errors once,
 * through cli_fail() or cli_usage(); the core never prints.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tend/context.h"
#include "tend/planner.h"
#include "tend/store.h"
#include "tend/strategy.h"

G_BEGIN_DECLS

enum { TEND_EXIT_OK = 0, TEND_EXIT_FAILURE = 1, TEND_EXIT_USAGE = 2 };

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;   /* "stressor add TITLE --start TIME --end TIME [...]" */
    const char *summary; /* one line for `tend --help` */
    const char *help;    /* the longer text for `tend help NAME` */
} TendCommand;

int cmd_activity(int argc, char **argv);
int cmd_agenda(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_help_now(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_insights(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_now(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_reflect(int argc, char **argv);
int cmd_prepare(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_safety_plan(int argc, char **argv);
int cmd_strategy(int argc, char **argv);
int cmd_season(int argc, char **argv);
int cmd_stressor(int argc, char **argv);

/* One action of a command with several ("tend note add", "tend note list", ...). */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the action's name */
} TendAction;

/* Runs the action named by argv[1] from @actions; a missing or unknown action is a usage
 * error that lists the actions in table order, so the message cannot drift from it. */
int cli_run_action(const char *command, const TendAction *actions, guint n_actions, int argc,
                   char **argv);

/* Looks a command up in the table; NULL when unknown. */
const TendCommand *cli_find_command(const char *name);

/* Prints "tend: error: MESSAGE" to stderr and returns TEND_EXIT_FAILURE. */
int cli_fail(const GError *error);
/* Prints "tend: error: MESSAGE" and a hint to see `tend help COMMAND`; returns
 * TEND_EXIT_USAGE. */
int cli_usage(const char *command, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Prints "tend: warning: MESSAGE" to stderr. */
void cli_warn(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* Parses GOptionEntries for @command; on a bad option prints the usage error and
 * returns FALSE with *out_status set to TEND_EXIT_USAGE. */
gboolean cli_parse_options(const char *command, const GOptionEntry *entries, int *argc,
                           char ***argv, int *out_status);
/* cli_parse_options() for the many actions whose only option is --json. */
gboolean cli_parse_json_only(const char *command, int *argc, char ***argv, gboolean *out_json,
                             int *out_status);
/* Parses a whole number in [min, max]; names @flag in the error. */
gboolean cli_parse_int(const char *command, const char *flag, const char *text, gint64 min,
                       gint64 max, gint64 *out_value);

/* Reads --from and --to for commands that cover a stretch of days. --from DATE starts at
 * that local midnight (default: today); --to DATE includes that whole day (default:
 * @default_days days after --from, inclusive). Times with a clock part are taken as
 * given. On a bad value prints the usage error and returns FALSE. */
gboolean cli_parse_window(const char *command, const TendContext *ctx, const char *from_text,
                          const char *to_text, int default_days, gint64 *out_from, gint64 *out_to);

/* Opens the store in @mode for commands that need no clock or zone; on failure reports
 * it and returns NULL. */
TendStore *cli_open_store(TendStoreMode mode);

/* Builds the context from the environment and opens the store in @mode. On failure
 * reports it and returns FALSE. */
gboolean cli_open(TendContext *ctx, TendStore **out_store, TendStoreMode mode);

/* Writes @node (an array) as pretty JSON and a newline to stdout. */
void cli_print_json(JsonNode *node);
/* Adds "key": "2026-11-26T20:00:00Z" (or "2026-12-24" when @all_day). */
void cli_json_add_time(JsonBuilder *builder, const char *key, gint64 value, gboolean all_day);

/* A person-facing time: "Thu 24 Dec 14:00" (or "Thu 24 Dec" when @all_day). */
char *cli_format_when(const TendContext *ctx, gint64 value, gboolean all_day);

/* Prints @items (from agenda_between) under one heading per local day in [from, to). */
void cli_print_agenda(const TendContext *ctx, GPtrArray *items, gint64 from, gint64 to);

/* Adds one strategy as a JSON object (id, title, category, minutes, fits, steps, why,
 * custom, edited, hidden, rating); shared by `tend strategy` and `tend now`. */
void cli_strategy_to_json(JsonBuilder *builder, const TendStrategy *strategy);

/* Adds one activity as a JSON object (id, stressor_id, kind, title, start, end, busy,
 * status, pinned); shared by `tend activity list` and `tend plan --json`. */
void cli_activity_to_json(JsonBuilder *builder, const TendActivity *activity);

/* Prints @text to stdout wrapped at 78 columns: the first line starts with @first, every
 * later one (including after a newline in @text) with @rest. Ends with a newline. */
void cli_print_wrapped(const char *first, const char *rest, const char *text);

/* Rewrites the live copy of the plan (plan.ics beside the database) after a command
 * changed the plan, so a calendar app subscribed to it follows; a failure is a warning,
 * since what the person asked for has already been saved. */
void cli_refresh_live_copy(TendStore *store, const TendContext *ctx);

/* Flushes stdout; reports a write failure (full disk, closed pipe) as exit 1. */
int cli_finish(int status);

G_END_DECLS
