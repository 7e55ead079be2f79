// LAPACK through its C interface (row-major entry points).
#include <lapacke.h>
