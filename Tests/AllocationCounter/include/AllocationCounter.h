// Counts heap allocations made by the calling thread, for the "no allocation per training step"
// test. The test binary defines malloc, calloc, realloc and the aligned variants itself (an
// executable's definitions interpose the C library's for the whole process); each forwards to
// glibc's __libc_* entry points after bumping a thread-local counter, so allocations made by
// other tests running in parallel are not counted.
#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H
#include <stdint.h>

/// Allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by this
/// thread since the process started.
uint64_t allocation_counter_thread_count(void);

#endif
