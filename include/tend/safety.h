/* safety.h: crisis lines by region, and the person's own safety plan.
 *
 * Crisis lines come from tend_data_dir()/data/crisis-lines.ini, which names the
 * source of every number and the date they were checked. Reading them needs no
 * database, so `tend help-now` works even when the store cannot be opened.
 * The safety plan has six fixed sections, each free text kept in the store.
 * Nothing here prints or exits.
 */
#pragma once

#include <glib.h>

#include "tend/store.h"

G_BEGIN_DECLS

/* The region code of the international fallback. */
#define TEND_REGION_FALLBACK "INTL"

typedef struct {
    char *id;      /* "GB/samaritans" */
    char *name;    /* "Samaritans" */
    char *contact; /* "call 116 123 (free from any phone, any time)" */
    char *source;  /* the page the number was checked against */
} TendCrisisLine;

typedef struct {
    char *code;       /* "GB", or TEND_REGION_FALLBACK */
    char *name;       /* "United Kingdom" */
    char *emergency;  /* "999 or 112" */
    char *source;     /* where the emergency number was checked */
    GPtrArray *lines; /* TendCrisisLine, in file order, at least one */
} TendCrisisRegion;

typedef struct {
    char *checked;      /* "2026-11-28": when the numbers were last checked */
    GPtrArray *regions; /* TendCrisisRegion, in file order; includes the fallback */
} TendCrisisDirectory;

void crisis_directory_free(TendCrisisDirectory *directory);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TendCrisisDirectory, crisis_directory_free)

/* Reads @data_dir/data/crisis-lines.ini. Fails (G_KEY_FILE_ERROR, naming the file and
 * group) unless every region has a name, an emergency number and at least one line
 * with a name, contact and source, and the fallback region exists. */
TendCrisisDirectory *crisis_directory_load(const char *data_dir, GError **error);
/* The region for @code, case-insensitive; "UK" means "GB". NULL when not listed. */
const TendCrisisRegion *crisis_directory_find(const TendCrisisDirectory *directory,
                                              const char *code);
/* The international fallback; never NULL for a loaded directory. */
const TendCrisisRegion *crisis_directory_fallback(const TendCrisisDirectory *directory);

/* The territory of a locale name in upper case ("en_GB.UTF-8" gives "GB"), or NULL
 * when it names none ("C", "POSIX", "en"). */
char *safety_region_from_locale(const char *locale);
/* The territory of the locale in use for messages: the first set of LC_ALL,
 * LC_MESSAGES and LANG decides, as POSIX says. NULL when it names none. */
char *safety_region_from_environment(void);
/* The `region` key of the [safety] group in the config file at @path (upper case).
 * NULL without an error when the file or key is missing. */
char *safety_region_from_config(const char *path, GError **error);
/* $XDG_CONFIG_HOME/tend/tend.conf. */
char *safety_config_path(void);

typedef struct {
    const char *id;     /* "warning-signs" */
    const char *title;  /* "Warning signs" */
    const char *prompt; /* the question asked when editing on a terminal */
} TendSafetySection;

#define TEND_SAFETY_SECTIONS 6

/* The six sections in order, ending with a { NULL } entry. */
const TendSafetySection *safety_plan_sections(void);
/* The index of section @id, or -1. */
int safety_plan_section_index(const char *id);

/* The plan's text for every section in order (TEND_SAFETY_SECTIONS strings, "" where
 * nothing is written), NULL-terminated. */
char **safety_plan_load(TendStore *store, GError **error);
/* TRUE when no section has any text. */
gboolean safety_plan_is_empty(char *const *plan);
/* Sets one section's text (surrounding space removed; at most 2000 characters);
 * empty text clears the section. Call inside store_begin() ... store_commit(). */
gboolean safety_plan_set(TendStore *store, const char *section, const char *text, gint64 now,
                         GError **error);

G_END_DECLS
