// OpenBLAS's CBLAS interface, plus the OpenBLAS extensions used for provenance and threads.
#include <cblas.h>
char *openblas_get_config(void);
char *openblas_get_corename(void);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
