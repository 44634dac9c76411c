/* filter: PCRE2 with JIT, smart case, "!" inversion, reused match data. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "tui/widgets/filter.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/widgets/text.h"

struct filter {
	char *pattern;
	bool inverted;
	bool all; /* empty pattern: no code */
	bool jit;
	pcre2_code *code;
	pcre2_match_data *md; /* scratch, reused by every match */
};

/* Smart case: an upper-case letter typed as such makes the pattern case-sensitive; letters that
 * belong to an escape (\S, \W, \p{Lu}, \x{FF}) do not count. */
static bool has_upper(const char *p)
{
	size_t i = 0, len = strlen(p), n;
	uint32_t cp;

	while (i < len) {
		if (p[i] == '\\' && i + 1 < len) {
			char e = p[i + 1];
			i += 2;
			if ((e == 'p' || e == 'P' || e == 'x' || e == 'o' || e == 'N') &&
			    p[i] == '{') {
				while (i < len && p[i] != '}')
					i++;
			}
			continue;
		}
		n = text_decode(p + i, len - i, &cp);
		if (cp != TEXT_INVALID &&
		    (cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : iswupper((wint_t)cp)))
			return true;
		i += n;
	}
	return false;
}

static int compile(struct filter *f, const char *body, struct filter_error *e)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[128];

	if (!has_upper(body))
		opts |= PCRE2_CASELESS;
	f->code = pcre2_compile((PCRE2_SPTR)body, PCRE2_ZERO_TERMINATED, opts, &code, &off, NULL);
	if (!f->code) {
		if (e) {
			if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
				snprintf((char *)msg, sizeof(msg), "error %d", code);
			e->offset = (int)off + (f->inverted ? 1 : 0);
			snprintf(e->msg, sizeof(e->msg), "%s at %d", (const char *)msg, e->offset);
		}
		return -1;
	}
	f->jit = pcre2_jit_compile(f->code, PCRE2_JIT_COMPLETE) == 0;
	f->md = pcre2_match_data_create(1, NULL);
	return f->md ? 0 : -1;
}

struct filter *filter_new(const char *pattern, struct filter_error *e)
{
	struct filter *f = calloc(1, sizeof(*f));

	if (e) {
		e->offset = 0;
		snprintf(e->msg, sizeof(e->msg), "out of memory");
	}
	if (!f)
		return NULL;
	f->pattern = strdup(pattern);
	if (!f->pattern)
		goto fail;
	f->inverted = pattern[0] == '!';
	f->all = pattern[f->inverted ? 1 : 0] == '\0';
	if (!f->all && compile(f, pattern + (f->inverted ? 1 : 0), e) < 0)
		goto fail;
	if (e)
		e->msg[0] = '\0';
	return f;
fail:
	filter_free(&f);
	return NULL;
}

void filter_free(struct filter **f)
{
	if (!f || !*f)
		return;
	pcre2_match_data_free((*f)->md);
	pcre2_code_free((*f)->code);
	free((*f)->pattern);
	free(*f);
	*f = NULL;
}

const char *filter_pattern(const struct filter *f)
{
	return f->pattern;
}

bool filter_inverted(const struct filter *f)
{
	return f->inverted;
}

bool filter_all(const struct filter *f)
{
	return !f || f->all;
}

/* One match from offset start: the pcre2 return code (> 0 or 0 on a match). */
static int match_at(const struct filter *f, const char *s, size_t len, size_t start)
{
	if (f->jit)
		return pcre2_jit_match(f->code, (PCRE2_SPTR)s, len, start, 0, f->md, NULL);
	return pcre2_match(f->code, (PCRE2_SPTR)s, len, start, 0, f->md, NULL);
}

bool filter_match(const struct filter *f, const char *subject, size_t len)
{
	if (!f || f->all)
		return true;
	return (match_at(f, subject, len, 0) >= 0) != f->inverted;
}

int filter_spans(const struct filter *f, const char *subject, size_t len, struct filter_span *spans,
                 int max)
{
	size_t pos = 0;
	int n = 0;
	uint32_t cp;

	if (!f || f->all || f->inverted)
		return 0;
	while (n < max && pos <= len && match_at(f, subject, len, pos) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);

		if (ov[1] > ov[0]) {
			spans[n].start = ov[0];
			spans[n].end = ov[1];
			n++;
			pos = ov[1];
		} else if (ov[0] < len) {
			pos = ov[0] + text_decode(subject + ov[0], len - ov[0], &cp);
		} else {
			break;
		}
	}
	return n;
}
