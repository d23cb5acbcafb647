/* agenda.h: one time-ordered view of imported events, stressors and activities.
 *
 * The agenda is what the person sees coming, and what the planner treats as
 * busy. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/context.h"
#include "tend/store.h"

G_BEGIN_DECLS

typedef enum {
    TEND_ITEM_EVENT,
    TEND_ITEM_STRESSOR,
    TEND_ITEM_ACTIVITY,
} TendItemType;

/* Items are made by agenda_between() only and freed with agenda_item_free() (the array
 * it returns does that): events' items share one allocation and their strings. */
typedef struct {
    TendItemType type;
    gint64 id; /* row id in its own table */
    char *title;
    gint64 start; /* instant, or all-day value (see clock.h) */
    gint64 end;   /* exclusive */
    gboolean all_day;
    gboolean busy;  /* FALSE for transparent events and reminder-only check-ins */
    char *calendar; /* events only */
    char *detail;   /* kind of stressor or activity, or NULL */
    gpointer block; /* private: the allocation the item lives in, or NULL */
} TendAgendaItem;

void agenda_item_free(TendAgendaItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendAgendaItem, agenda_item_free)

const char *agenda_item_type_to_string(TendItemType type);

/* Every item that overlaps [from, to) (instants), sorted by start, then type,
 * then id. All-day items are placed by where their days fall in ctx->tz. */
GPtrArray *agenda_between(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                          GError **error);

/* The start and end of an item as instants in ctx->tz (all-day days become local
 * midnights). */
void agenda_item_span(const TendAgendaItem *item, GTimeZone *tz, gint64 *out_start,
                      gint64 *out_end);

G_END_DECLS
