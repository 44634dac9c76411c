/* fuzz_filter: the `/` filter of every list (tui/widgets/filter.h) on arbitrary patterns and
 * subjects: the first half of the input is the pattern as typed, the rest the subject. A refused
 * pattern has a message; the spans of a match are in order, within the subject, and do not
 * overlap. */
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "tui/widgets/filter.h"

#define MAX_SPANS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t half = size / 2;
	char *pattern = fuzz_strndup(data, half);
	const char *subject = (const char *)data + half;
	size_t len = size - half;
	struct filter_error fe;
	memset(&fe, 0, sizeof fe);
	struct filter *f = filter_new(pattern, &fe);
	if (!f) {
		FUZZ_CHECK(fe.msg[0] != '\0' && memchr(fe.msg, '\0', sizeof fe.msg) != NULL);
		free(pattern);
		return 0;
	}
	FUZZ_CHECK(strcmp(filter_pattern(f), pattern) == 0);
	bool match = filter_match(f, subject, len);
	struct filter_span spans[MAX_SPANS];
	int n = filter_spans(f, subject, len, spans, MAX_SPANS);
	FUZZ_CHECK(n >= 0 && n <= MAX_SPANS);
	if (filter_inverted(f) || filter_all(f))
		FUZZ_CHECK(n == 0);
	else if (n > 0)
		FUZZ_CHECK(match);
	size_t prev = 0;
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(spans[i].start >= prev && spans[i].start <= spans[i].end);
		FUZZ_CHECK(spans[i].end <= len);
		prev = spans[i].end;
	}
	filter_free(&f);
	FUZZ_CHECK(f == NULL);
	free(pattern);
	return 0;
}
