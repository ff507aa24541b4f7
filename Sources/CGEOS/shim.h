// Only the reentrant (_r) API: one GEOS context per thread.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
