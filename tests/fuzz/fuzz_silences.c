/* fuzz_silences: the Alertmanager silences decoder (a list or one silence) and the answer of a
 * silence creation, on arbitrary input. */
#include <string.h>

#include "clients/alertmanager_parse.h"
#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct am_silences *l = am_silences_new();
	FUZZ_CHECK(l != NULL);
	if (alertmanager_parse_silences((const char *)data, size, l, &e) == 0) {
		for (size_t i = 0; i < l->n; i++) {
			const struct am_silence *s = &l->v[i];
			FUZZ_CHECK(s->id && s->comment && s->created_by && s->state_text);
			for (size_t k = 0; k < s->nmatchers; k++)
				FUZZ_CHECK(s->matchers[k].name && s->matchers[k].value);
		}
	}
	am_silences_free(&l);
	char id[40];
	memset(id, 'x', sizeof id);
	alertmanager_parse_silence_id((const char *)data, size, id, sizeof id, &e);
	FUZZ_CHECK(memchr(id, '\0', sizeof id) != NULL);
	return 0;
}
