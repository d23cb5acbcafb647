/* stressor.h: the hard events and periods a person wants help with.
 *
 * A stressor is a span of time (timed, or all-day dates) with a kind and an
 * intensity from 1 (a little hard) to 5 (very hard). Each has a stable UID for
 * export, and a SEQUENCE that grows whenever what it exports changes.
 * Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/store.h"

G_BEGIN_DECLS

typedef enum {
    TEND_KIND_FAMILY,
    TEND_KIND_WORK,
    TEND_KIND_TRAVEL,
    TEND_KIND_GRIEF,
    TEND_KIND_HOLIDAY,
    TEND_KIND_OTHER,
} TendKind;

typedef struct {
    gint64 id;
    char *uid;
    char *title;
    TendKind kind;
    int intensity; /* 1..5 */
    char *location;
    gint64 start; /* instant, or all-day value (see clock.h) */
    gint64 end;   /* exclusive; for all-day the day after the last day */
    gboolean all_day;
    char *tzid; /* zone the times were given in, or NULL */
    gint64 sequence;
    gint64 created;  /* instant */
    gint64 event_id; /* imported event this came from, or 0 */
} TendStressor;

TendStressor *stressor_new(void);
void stressor_free(TendStressor *stressor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendStressor, stressor_free)

/* "family" and so on; NULL for an unknown kind. */
const char *stressor_kind_to_string(TendKind kind);
gboolean stressor_kind_from_string(const char *text, TendKind *out_kind);

/* Checks the fields (non-empty title, end after start, intensity 1..5) and stores
 * @stressor, filling in its id, uid, sequence and created time. */
gboolean stressor_add(TendStore *store, TendStressor *stressor, gint64 now, GError **error);
/* All stressors ordered by start, then id. Element type TendStressor. */
GPtrArray *stressor_list(TendStore *store, GError **error);
/* Stressors that overlap [from, to). All-day ones are compared by their dates
 * widened by a day on each side, so callers should filter precisely if needed. */
GPtrArray *stressor_list_between(TendStore *store, gint64 from, gint64 to, GError **error);
TendStressor *stressor_get(TendStore *store, gint64 id, GError **error);
/* Promotes the next occurrence of an imported event (by UID, in any calendar) that
 * ends after @after into a stressor of @kind and @intensity, linked to the event.
 * When a stressor is already linked to that occurrence, returns it unchanged.
 * Fails with TEND_STORE_ERROR_NOT_FOUND when no such occurrence is stored. */
TendStressor *stressor_add_from_event(TendStore *store, const char *event_uid, gint64 after,
                                      TendKind kind, int intensity, gint64 now, GError **error);
/* Removes the stressor and everything planned for it. */
gboolean stressor_remove(TendStore *store, gint64 id, GError **error);

G_END_DECLS
