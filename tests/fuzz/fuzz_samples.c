/* fuzz_samples: failed samples as JSON Lines into a small ring, the failure rule of eval tables
 * and the eval rows under it, on arbitrary input. Input: the rule, a NUL, the body (read both as
 * JSON Lines and as an eval table). The ring never holds more than its cap, every line is kept
 * once, and every kept string is there. */
#include <stdlib.h>
#include <string.h>

#include "clients/samples_eval.h"
#include "clients/samples_parse.h"
#include "support.h"

static void check(const struct samples *s)
{
	FUZZ_CHECK(samples_count(s) <= 8);
	for (size_t i = 0; i < samples_count(s); i++) {
		const struct sample *x = samples_at(s, i);
		FUZZ_CHECK(x->raw && x->model && x->version && x->prediction && x->label &&
		           x->error && x->time);
		for (size_t k = 0; k < x->features.n; k++)
			FUZZ_CHECK(x->features.v[k].name && x->features.v[k].value);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *piece[2];
	size_t len[2];
	struct err e;
	size_t n = fuzz_split(data, size, piece, len, 2);
	const char *body = n > 1 ? piece[1] : piece[0];
	size_t blen = n > 1 ? len[1] : len[0];

	struct samples *s = samples_new(8);
	FUZZ_CHECK(s != NULL);
	long kept = samples_add_text(s, body, blen);
	FUZZ_CHECK(kept >= 0);
	FUZZ_CHECK(samples_total(s) == (uint64_t)kept);
	FUZZ_CHECK(samples_count(s) + samples_dropped(s) == samples_total(s));
	check(s);

	char *rule_text = fuzz_strndup((const uint8_t *)piece[0], n > 1 ? len[0] : 0);
	struct samples_rule rule;
	int have = samples_rule_parse(rule_text, &rule, &e) == 0;
	samples_add_eval(s, body, blen, have ? &rule : NULL, "m", "1", &e);
	check(s);
	free(rule_text);
	samples_free(&s);
	return 0;
}
