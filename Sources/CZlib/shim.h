// zlib: gzip decoding of the IDX and CSV data files.
#include <zlib.h>
