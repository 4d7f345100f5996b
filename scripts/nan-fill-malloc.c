/*
 * Diagnostic for the engine's first-use NaN (docs/engine-notes.md): fills every fresh heap
 * allocation of at least NANFILL_MIN bytes (default 4096) with 0xFF bytes, which read as float NaN,
 * so that a kernel which reads memory nobody wrote turns its output into NaN on any machine.
 *   gcc -O2 -shared -fPIC -o /tmp/libnanfill.so scripts/nan-fill-malloc.c
 *   LD_PRELOAD=/tmp/libnanfill.so NANFILL_REPORT=1 ./dlbank doctor
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_memalign(size_t, size_t);

static unsigned long fills;

static size_t min_size(void) {
    static size_t min = 0;
    if (min == 0) {
        const char *value = getenv("NANFILL_MIN");
        min = value ? strtoull(value, NULL, 10) : 4096;
        if (min == 0) min = 1;
    }
    return min;
}

static void *filled(void *p, size_t n) {
    if (p && n >= min_size()) {
        memset(p, 0xFF, n);
        fills++;
    }
    return p;
}

void *malloc(size_t n) { return filled(__libc_malloc(n), n); }
void *memalign(size_t alignment, size_t n) { return filled(__libc_memalign(alignment, n), n); }
void *aligned_alloc(size_t alignment, size_t n) { return memalign(alignment, n); }
int posix_memalign(void **out, size_t alignment, size_t n) {
    void *p = memalign(alignment, n);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}

__attribute__((destructor)) static void report(void) {
    if (getenv("NANFILL_REPORT")) fprintf(stderr, "nan-fill: %lu allocations filled with NaN\n", fills);
}
