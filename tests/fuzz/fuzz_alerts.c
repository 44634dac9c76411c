/* fuzz_alerts: the Alertmanager alerts and alert groups decoders (clients/alertmanager_parse.h) and
 * the one-line error of any body, on arbitrary input; RFC 3339 times too. Every decoded string must
 * be there (never NULL) and the error line one line. */
#include <stdlib.h>
#include <string.h>

#include "clients/alertmanager_parse.h"
#include "clients/http.h"
#include "clients/rfc3339.h"
#include "support.h"

static void check_list(const struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		FUZZ_CHECK(l->v[i].name && l->v[i].value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct am_alerts *l = am_alerts_new();
	FUZZ_CHECK(l != NULL);
	if (alertmanager_parse_alerts((const char *)data, size, l, &e) == 0) {
		for (size_t i = 0; i < l->n; i++) {
			const struct am_alert *a = &l->v[i];
			check_list(&a->labels);
			check_list(&a->annotations);
			FUZZ_CHECK(a->fingerprint && a->generator_url && a->state_text);
			for (size_t k = 0; k < a->silenced_by.n; k++)
				FUZZ_CHECK(a->silenced_by.v[k] != NULL);
		}
	}
	am_alerts_free(&l);
	struct am_groups *g = am_groups_new();
	FUZZ_CHECK(g != NULL);
	if (alertmanager_parse_groups((const char *)data, size, g, &e) == 0)
		for (size_t i = 0; i < g->n; i++) {
			FUZZ_CHECK(g->v[i].receiver != NULL);
			check_list(&g->v[i].labels);
		}
	am_groups_free(&g);

	char *s = fuzz_strndup(data, size);
	struct http_resp r;
	memset(&r, 0, sizeof r);
	r.status = size ? 400 + data[0] % 200 : 500;
	r.body = s;
	r.len = size;
	alertmanager_error(&e, &r);
	FUZZ_CHECK(memchr(e.msg, '\0', sizeof e.msg) != NULL);
	FUZZ_CHECK(!strchr(e.msg, '\n'));
	int64_t ms;
	char t[RFC3339_MAX];
	if (rfc3339_parse(s, &ms) == 0)
		rfc3339_format(ms, t, sizeof t);
	free(s);
	return 0;
}
