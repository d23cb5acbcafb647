/* alarms.c: placeholder until its issue lands; see include/tend/alarms.h. */
#include "tend/alarms.h"
