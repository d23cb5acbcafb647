/* strategy.h: the library of small coping strategies and boundary scripts.
 *
 * Shipped strategies and scripts come from data files in tend_data_dir()/data
 * (strategies.ini, boundary-scripts.ini); the person's own additions, edits, hidden
 * marks and ratings live in the store. A strategy id is stable text such as
 * "breath-4-6": the planner and notes may refer to shipped ids (see the ids listed
 * in data/strategies.ini), and the person's own strategies get an id made from
 * their title.
 *
 * Writes (strategy_add, strategy_edit, strategy_set_hidden, strategy_rate,
 * script_add) must run inside store_begin() ... store_commit().
 * Bad input fails with G_IO_ERROR_INVALID_ARGUMENT, an unknown id with
 * TEND_STORE_ERROR_NOT_FOUND, a broken data file with a G_KEY_FILE_ERROR naming the
 * file and group. Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/store.h"

G_BEGIN_DECLS

#define TEND_STRATEGY_MAX_MINUTES 120

typedef enum {
    TEND_FITS_BEFORE, /* preparing for a hard event */
    TEND_FITS_DURING, /* in the middle of it, often discreetly */
    TEND_FITS_AFTER,  /* landing and recovering afterwards */
    TEND_FITS_ANY,
} TendFits;

typedef enum {
    TEND_WHERE_HOME,  /* somewhere private: anything but preparation fits */
    TEND_WHERE_THERE, /* at the gathering: only what fits 'during' or 'any' */
} TendWhere;

typedef struct {
    char *id;
    char *title;
    char *category; /* one of strategy_categories() */
    int minutes;    /* 1..TEND_STRATEGY_MAX_MINUTES */
    TendFits fits;
    char **steps; /* NULL-terminated, at least one non-empty step */
    char *why;
    gboolean custom; /* the person's own, not shipped */
    gboolean edited; /* shipped, rewritten by the person */
    gboolean hidden;
    int rating; /* 1..5, or 0 when not rated */
} TendStrategy;

TendStrategy *strategy_new(void);
void strategy_free(TendStrategy *strategy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendStrategy, strategy_free)

/* Changes for strategy_edit(); NULL (or 0 for minutes, FALSE for set_fits) leaves a
 * field as it is. */
typedef struct {
    const char *title;
    const char *category;
    int minutes;
    gboolean set_fits;
    TendFits fits;
    char **steps;
    const char *why;
} TendStrategyChanges;

typedef struct {
    const char *id;    /* "settling" */
    const char *label; /* "settling the body" */
} TendStrategyCategory;

/* The eight categories in display order, ending with a { NULL, NULL } entry. */
const TendStrategyCategory *strategy_categories(void);
/* The label for @id, or NULL when it is not a category. */
const char *strategy_category_label(const char *id);

const char *strategy_fits_to_string(TendFits fits);
gboolean strategy_fits_from_string(const char *text, TendFits *out_fits);

/* Reads @data_dir/data/strategies.ini. Every strategy must have all fields, valid
 * values and an id used once. Element type TendStrategy, in file order. */
GPtrArray *strategy_load_shipped(const char *data_dir, GError **error);

/* Shipped strategies with the person's edits, marks and ratings applied, and the
 * person's own, ordered by category (display order), then title, then id. Hidden
 * ones only when @include_hidden. */
GPtrArray *strategy_list(TendStore *store, const char *data_dir, gboolean include_hidden,
                         GError **error);
/* One strategy by id, hidden or not. */
TendStrategy *strategy_get(TendStore *store, const char *data_dir, const char *id, GError **error);

/* Checks @strategy's fields and stores it as the person's own; sets its id (from the
 * title, made unique against shipped and stored ids) and custom = TRUE. */
gboolean strategy_add(TendStore *store, const char *data_dir, TendStrategy *strategy,
                      GError **error);
/* Applies @changes. Editing a shipped strategy stores the person's version beside it;
 * the shipped words stay in the data file. */
gboolean strategy_edit(TendStore *store, const char *data_dir, const char *id,
                       const TendStrategyChanges *changes, GError **error);
gboolean strategy_set_hidden(TendStore *store, const char *data_dir, const char *id,
                             gboolean hidden, GError **error);
/* @rating 1..5 (how much it helped), or 0 to forget a rating. */
gboolean strategy_rate(TendStore *store, const char *data_dir, const char *id, int rating,
                       GError **error);

/* Chooses up to @count strategies from @strategies for a hard moment: not hidden;
 * fitting @where (THERE: 'during' or 'any'; HOME: anything but 'before'); taking at
 * most @minutes when @minutes > 0. Order: higher rating first (not rated counts as
 * 3), then the better fit ('during' over 'any' over 'after'), then quicker, then id.
 * Categories are kept different unless the person rated a strategy 4 or 5.
 * Deterministic. Returns borrowed pointers into @strategies (no free function). */
GPtrArray *strategy_pick_now(GPtrArray *strategies, int minutes, TendWhere where, guint count);

/* A boundary script: the same boundary said more softly or more firmly. */
typedef struct {
    char *id; /* shipped: "weight-comment"; the person's own: "my-3" */
    char *situation;
    char *softer;
    char *firmer;
    gboolean custom;
} TendScript;

void script_free(TendScript *script);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendScript, script_free)

/* Reads @data_dir/data/boundary-scripts.ini. Element type TendScript, in file order. */
GPtrArray *script_load_shipped(const char *data_dir, GError **error);
/* Shipped scripts then the person's own (oldest first), only @situation's when it is
 * not NULL. */
GPtrArray *script_list(TendStore *store, const char *data_dir, const char *situation,
                       GError **error);
/* TRUE when @situation is usable: lowercase letters, digits and '-', 1..40 long. */
gboolean script_situation_valid(const char *situation);
/* Stores the person's own script and sets its id. */
gboolean script_add(TendStore *store, TendScript *script, gint64 now, GError **error);

G_END_DECLS
