/* planner.c: placeholder until its issue lands; see include/tend/planner.h. */
#include "tend/planner.h"

void plan_result_clear(TendPlanResult *result)
{
    g_clear_pointer(&result->notes, g_ptr_array_unref);
}

gboolean planner_run(TendStore *store, const TendContext *ctx, gint64 from, gint64 to,
                     TendPlanResult *out_result, GError **error)
{
    (void)store, (void)ctx, (void)from, (void)to, (void)out_result;
    g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_NOSYS, "cannot plan yet");
    return FALSE;
}
