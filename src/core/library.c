/* library.c: system libraries opened when first needed (library.h says why). */
#include "tend/library.h"

#include <gmodule.h>

const char *tend_library_open(TendLibrary *library, const char *soname, const TendSymbol *symbols,
                              guint n_symbols)
{
    if (g_once_init_enter(&library->done)) {
        GModule *module = g_module_open(soname, G_MODULE_BIND_LOCAL); /* kept till exit */
        gboolean found = module != NULL;
        for (guint i = 0; found && i < n_symbols; i++)
            found = g_module_symbol(module, symbols[i].name, symbols[i].slot);
        if (found)
            g_atomic_int_set(&library->opened, TRUE);
        else
            library->failure = g_strdup(g_module_error());
        g_once_init_leave(&library->done, 1);
    }
    return library->failure;
}

gboolean tend_library_opened(TendLibrary *library)
{
    return g_atomic_int_get(&library->opened);
}
