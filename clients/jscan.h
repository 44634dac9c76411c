/* jscan: a pull tokenizer over a JSON body in memory, for parsers that go straight from the bytes
 * into their own structures without building a tree.
 *
 * It reads strict JSON only and gives up (jscan_bad is set, every later call fails) on anything
 * else, and also on what cJSON would read differently from the letter of JSON: whitespace other
 * than space, tab, newline and return, raw control bytes in strings, escaped member names,
 * numbers of more than 63 characters, invalid or lone UTF-16 escapes, nesting deeper than
 * JSCAN_DEPTH. A parser built on it therefore hands such a body to its cJSON twin, which decides.
 *
 * Strings come back as slices (struct jstr): into the body when they hold no escape, else into a
 * buffer of decoded text that lives until jscan_free. Escapes are decoded to UTF-8, surrogate
 * pairs included; \u0000 comes back as the two characters '\' '0', as clients/json.h does.
 * Numbers are parsed as strtod does in the C locale (correctly rounded). */
#ifndef MLTOP_JSCAN_H
#define MLTOP_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#define JSCAN_DEPTH 256

struct jstr {
	const char *p; /* NULL: absent, or not a string */
	size_t n;
};

struct jscan {
	const char *p, *end;
	char *buf; /* decoded strings, allocated at the first escape */
	size_t used, cap;
	int depth;
	int bad;
};

void jscan_init(struct jscan *j, const char *body, size_t len);
void jscan_free(struct jscan *j);

/* The first byte of the next value or of what closes the container ('}' ']' ',' ':'), after
 * whitespace; 0 at the end of the body or once bad. */
int jscan_peek(struct jscan *j);
/* 0 when the next value is an object ('{') or array ('[') as asked: it is entered. 1 when it is
 * another value (nothing consumed). -1 when bad. */
int jscan_enter(struct jscan *j, char open);
/* The members of an object entered: 1 with *key set (the ':' read), 0 at its end ('}' read),
 * -1 when bad. *count is how many were read, 0 before the first. */
int jscan_member(struct jscan *j, size_t *count, struct jstr *key);
/* The items of an array entered: 1 when an item follows, 0 at its end, -1 when bad. */
int jscan_item(struct jscan *j, size_t *count);

/* Reads one value of any kind, checking it. 0 or -1. */
int jscan_skip(struct jscan *j);
/* A string value: 0 with *s set; a value of another kind: skipped, 0 with s->p NULL. */
int jscan_str(struct jscan *j, struct jstr *s);
/* The next value, which must be a number (-1 otherwise). */
int jscan_number(struct jscan *j, double *d);

/* 1 when the slice is the NUL-terminated word w. */
int jstr_is(const struct jstr *s, const char *w);

#endif
