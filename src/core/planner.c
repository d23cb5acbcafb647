/* planner.c: placeholder until its issue lands; see include/tend/planner.h. */
#include "tend/planner.h"
