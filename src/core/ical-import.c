/* ical-import.c: placeholder until its issue lands; see include/tend/ical-import.h. */
#include "tend/ical-io.h"

G_DEFINE_QUARK(tend-ical-error-quark, tend_ical_error)

void import_result_clear(TendImportResult *result)
{
    g_clear_pointer(&result->warnings, g_ptr_array_unref);
}

gboolean ical_import_file(TendStore *store, const TendContext *ctx, const char *path,
                          const char *calendar_name, TendImportResult *out_result,
                          GError **error)
{
    (void)store, (void)ctx, (void)calendar_name, (void)out_result;
    g_set_error(error, TEND_ICAL_ERROR, TEND_ICAL_ERROR_READ, "cannot import '%s' yet", path);
    return FALSE;
}
