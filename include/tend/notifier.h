/* notifier.h: desktop notifications through libnotify.
 *
 * Text shown is escaped for markup and kept short. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Connects to the notification server once. Fails with a clear message when there is
 * no session bus or no server. */
gboolean notifier_init(GError **error);
void notifier_uninit(void);

/* Shows one notification. */
gboolean notifier_show(const char *title, const char *body, GError **error);

G_END_DECLS
