/* support: what every libFuzzer target of tests/fuzz shares. Linked into each target by
 * scripts/fuzz.sh (files named fuzz_*.c are targets, the others support code). */
#ifndef MLTOP_FUZZ_SUPPORT_H
#define MLTOP_FUZZ_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points, declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A NUL-terminated malloc'd copy of data[0..size) (aborts when out of memory). */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* Aborts with a message on stderr (libFuzzer then saves the input) unless cond holds. */
#define FUZZ_CHECK(cond) fuzz_check((cond), #cond, __FILE__, __LINE__)
void fuzz_check(bool cond, const char *what, const char *file, int line);

/* Splits data at every NUL byte into at most max pieces (the last keeps the rest): starts and
 * lengths point into data. Returns the number of pieces (at least 1). */
size_t fuzz_split(const uint8_t *data, size_t size, const char **piece, size_t *len, size_t max);

/* True when s[0..len) is well-formed UTF-8 (no overlong form, surrogate or code point past
 * U+10FFFF) without a C0 control, DEL, a C1 control, a bidi control (U+061C, U+200E/F,
 * U+202A–U+202E, U+2066–U+2069) or a line/paragraph separator (U+2028/9): text safe to draw. */
bool fuzz_safe_text(const char *s, size_t len);

/* A temporary directory made once per process (removed at exit with everything in it). */
const char *fuzz_tmpdir(void);

#endif
