/* suggest.h: imported events that look hard, for the person to choose from.
 *
 * tend never promotes an event on its own: stressor_suggest() only lists upcoming
 * occurrences that look stressful, each with the reasons in plain words, and the
 * person marks the ones they want (`tend stressor mark`). An event looks hard when
 * its title or place names family (mom, dad, in-laws, grandma, ...), a holiday
 * (Thanksgiving, Christmas, Passover, Diwali, ...), one of the person's own keywords
 * ([suggest] keywords= in tend.conf), when its title is written in capitals, or when
 * it is a long evening (starting at 17:00 or later, two hours or more) with one of the
 * relatives the person listed ([suggest] relatives=). Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/context.h"
#include "tend/store.h"
#include "tend/stressor.h"

G_BEGIN_DECLS

typedef struct {
    char **keywords;  /* the person's own words; may be NULL */
    char **relatives; /* names of relatives; may be NULL */
} TendSuggestConfig;

void suggest_config_clear(TendSuggestConfig *config);
/* Reads [suggest] keywords= and relatives= (lists separated by ';') from the config file
 * at @path; a missing file or group gives empty lists. */
gboolean suggest_config_load(const char *path, TendSuggestConfig *out_config, GError **error);

typedef struct {
    gint64 event_id; /* row id of the imported event */
    char *uid;
    char *title;
    char *calendar;
    gint64 start, end; /* the next occurrence; all-day values when all_day */
    gboolean all_day;
    TendKind kind;  /* a guess: family, holiday or other */
    char **reasons; /* "family: 'Mom'", "a holiday: 'Christmas'", ... */
} TendSuggestion;

void suggestion_free(TendSuggestion *suggestion);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendSuggestion, suggestion_free)

/* The reasons an event with this title and place looks hard (NULL-terminated, empty
 * when it does not), and the kind they suggest. @start/@end are instants. */
char **suggest_reasons(const TendContext *ctx, const TendSuggestConfig *config, const char *title,
                       const char *location, gint64 start, gint64 end, gboolean all_day,
                       TendKind *out_kind);

/* Imported events whose next occurrence overlaps [from, to) and looks hard, one per
 * event (by UID), in time order, leaving out occurrences already made stressors. */
GPtrArray *stressor_suggest(TendStore *store, const TendContext *ctx,
                            const TendSuggestConfig *config, gint64 from, gint64 to,
                            GError **error);

/* The UID of the imported event with row id @event_id; TEND_STORE_ERROR_NOT_FOUND
 * when there is none. */
char *suggest_event_uid(TendStore *store, gint64 event_id, GError **error);

G_END_DECLS
