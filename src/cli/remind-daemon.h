/* remind-daemon.h: the reminder service behind `tend remind --daemon`. */
#pragma once

#include <glib.h>

/* Runs until SIGTERM/SIGINT (or, when @exit_after > 0, until that many notifications were
 * shown). Returns the exit status. */
int remind_daemon(guint exit_after);
