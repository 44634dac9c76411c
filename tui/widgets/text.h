/* text: UTF-8 decoding, display widths, clipping with an ellipsis, padding, number/duration/age
 * formatting, and the ONE sanitizer every piece of remote text passes through before it is drawn.
 * Widths use wcwidth(), so the process must run under a UTF-8 LC_CTYPE (setlocale(LC_ALL, "")).
 * No curses here: everything writes into caller-owned buffers (or a malloc'd one where said). */
#ifndef MLTOP_TEXT_H
#define MLTOP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The code point text_decode reports for an ill-formed sequence. */
#define TEXT_INVALID     0xFFFFFFFFu
#define TEXT_REPLACEMENT 0xFFFDu

/* Decodes one code point from s (len > 0 bytes) into *cp and returns the bytes consumed (1–4).
 * Overlong forms, surrogates, code points past U+10FFFF and truncated sequences give
 * *cp = TEXT_INVALID and consume the maximal ill-formed subpart (at least one byte), as Unicode
 * recommends for U+FFFD substitution. */
size_t text_decode(const char *s, size_t len, uint32_t *cp);

/* Columns a code point takes: 0 for combining and other zero-width marks, 2 for wide (CJK, most
 * emoji), 1 otherwise. Invalid and non-printable code points count 1 (they are drawn as one cell
 * once sanitized). */
int text_cpwidth(uint32_t cp);

/* Display width of the first len bytes of s / of the NUL-terminated s. */
int text_nwidth(const char *s, size_t len);
int text_width(const char *s);

/* The longest prefix of s[0..len) that fits in width columns: returns its byte length (never in
 * the middle of a sequence, never half a wide char; zero-width marks after the last fitting
 * character are kept with it) and stores its width in *used (may be NULL). */
size_t text_fit(const char *s, size_t len, int width, int *used);

/* What marks a clipped string: "…" in a UTF-8 locale, "~" or "..." otherwise. */
enum text_ellipsis {
	TEXT_ELLIPSIS_UTF8,
	TEXT_ELLIPSIS_TILDE,
	TEXT_ELLIPSIS_DOTS,
};

/* The ellipsis string and its width for a mode. */
const char *text_ellipsis_str(enum text_ellipsis e);

/* True when LC_CTYPE's codeset is UTF-8 (choose TEXT_ELLIPSIS_UTF8 and braille then). */
bool text_locale_utf8(void);

/* Clip plan for drawing s[0..len) in width columns: *keep bytes of s are shown, followed by the
 * ellipsis when *ellipsis is true; returns the total width used (<= width). */
int text_clip(const char *s, size_t len, int width, enum text_ellipsis e, size_t *keep,
              bool *ellipsis);

/* Writes s clipped to width columns (with the ellipsis when it does not fit) into out (outsz
 * bytes, always NUL-terminated). Returns the width written. */
int text_ellipsize(char *out, size_t outsz, const char *s, int width, enum text_ellipsis e);

enum text_align {
	TEXT_LEFT,
	TEXT_RIGHT,
	TEXT_CENTER,
};

/* Writes s clipped (with ellipsis) and padded with spaces to exactly width columns, aligned as
 * asked, into out (outsz bytes, NUL-terminated; a too small out truncates at a character).
 * Returns the byte length written. */
size_t text_pad(char *out, size_t outsz, const char *s, int width, enum text_align align,
                enum text_ellipsis e);

/* Orders strings with ASCII letters case folded, then by bytes (so the order is total and
 * stable across runs: "Alpha" < "alpha" < "beta"). */
int text_casecmp(const char *a, const char *b);

/* How every number that is not one is written: "NaN", "Inf", "-Inf"; NULL for a finite v. */
const char *text_nonfinite(double v);

/* v with sig significant digits ("%.*g"), a non-finite one as text_nonfinite says. Returns buf. */
char *text_number(char *buf, size_t n, double v, int sig);

/* "12,418", "-1,000,000". Returns out. */
char *text_thousands(char *out, size_t outsz, long long v);

/* A duration, at most two units, zero units dropped: "850ms", "45s", "6m12s", "2h", "2h5m",
 * "3d", "3d4h". Negative durations get a leading "-". Returns out. */
char *text_duration(char *out, size_t outsz, int64_t ms);

/* An age in one coarse unit: "12s", "4m", "2h", "12d", "3y"; negative ages (clock skew) are 0s.
 * Returns out. */
char *text_age(char *out, size_t outsz, int64_t ms);

/* The sanitizer for all text that came from outside (servers, samples, files). Copies in[0..len)
 * and replaces, with visible escapes: C0 controls ("\e", "\n", "\r", "\t", "\0", else "\x07"),
 * DEL ("\x7f"), C1 controls U+0080–U+009F ("\u0085"), bidi controls U+061C, U+200E/F,
 * U+202A–U+202E, U+2066–U+2069 and the line/paragraph separators U+2028/9 ("\u202e"); and every
 * ill-formed byte sequence with U+FFFD. The output is valid UTF-8 that is safe to draw.
 * With out != NULL it writes there (outsz bytes, NUL-terminated, truncated at a whole character
 * or escape) and returns out; with out == NULL it returns a malloc'd string the caller frees
 * (NULL when out of memory). */
char *text_sanitize(const char *in, size_t len, char *out, size_t outsz);

/* Byte length of text_sanitize's full output for in[0..len) (without the NUL). */
size_t text_sanitized_len(const char *in, size_t len);

#endif
