/* fuzz_isvc: the KServe InferenceService decoder (a list or one object) and the Kubernetes
 * Status reader, on arbitrary input. Traffic helpers must pick entries of the object. */
#include <string.h>

#include "clients/kserve_parse.h"
#include "support.h"

static void check(const struct kserve_isvc *s)
{
	const char *v[] = {s->name,
	                   s->ns,
	                   s->resource_version,
	                   s->framework,
	                   s->model_format,
	                   s->storage_uri,
	                   s->deployment_mode,
	                   s->latest_ready,
	                   s->url,
	                   s->transition_status};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		FUZZ_CHECK(v[i] != NULL);
	const struct kserve_traffic *t = kserve_traffic_latest(s);
	FUZZ_CHECK(!t || (t >= s->traffic && t < s->traffic + s->ntraffic));
	t = kserve_traffic_prev(s);
	FUZZ_CHECK(!t || (t >= s->traffic && t < s->traffic + s->ntraffic));
	for (size_t i = 0; i < s->nconditions; i++)
		FUZZ_CHECK(s->conditions[i].type && s->conditions[i].message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;
	struct kserve_isvcs *l = kserve_isvcs_new();
	FUZZ_CHECK(l != NULL);
	if (kserve_parse((const char *)data, size, l, &e) == 0)
		for (size_t i = 0; i < l->n; i++)
			check(&l->v[i]);
	kserve_isvcs_free(&l);
	struct kserve_status st;
	if (kserve_parse_status((const char *)data, size, &st) == 0) {
		FUZZ_CHECK(memchr(st.message, '\0', sizeof st.message) != NULL);
		FUZZ_CHECK(st.code >= 0 && st.code < 1000);
	}
	return 0;
}
