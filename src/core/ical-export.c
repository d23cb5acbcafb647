/* ical-export.c: placeholder until its issue lands; see include/tend/ical-export.h. */
#include "tend/ical-io.h"

char *ical_export_plan(TendStore *store, const TendContext *ctx, const TendExportOptions *options,
                       GError **error)
{
    (void)store, (void)ctx, (void)options;
    g_set_error_literal(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ, "cannot export yet");
    return NULL;
}

gboolean ical_write_file_atomic(const char *path, const char *text, GError **error)
{
    return g_file_set_contents(path, text, -1, error);
}
