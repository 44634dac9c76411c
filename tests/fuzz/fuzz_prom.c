/* fuzz_prom: clients/prom_decode.h on arbitrary Prometheus answers, under every status that
 * matters (200, 400, 422, 503), then each decoded answer put into a table of figures as an
 * instant and as a range answer. An error must leave one line; a success, series whose samples
 * and labels are all there. */
#include <string.h>

#include "clients/prom_decode.h"
#include "clients/prom_req.h"
#include "support.h"

static const long statuses[] = {200, 400, 422, 503};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	long status = statuses[data[0] % 4];
	const char *body = (const char *)data + 1;
	struct prom_result r;
	struct err e = {0};
	int rc =
	    prom_decode(status, data[0] & 4 ? "application/json" : NULL, body, size - 1, &r, &e);
	if (rc < 0) {
		FUZZ_CHECK(e.msg[0] && !strchr(e.msg, '\n'));
		FUZZ_CHECK(r.n == 0 || rc == ERR_HTTP);
		prom_result_fini(&r);
		return 0;
	}
	FUZZ_CHECK(status == 200);
	for (size_t i = 0; i < r.n; i++)
		for (size_t k = 0; k < r.series[i].nlabels; k++)
			FUZZ_CHECK(r.series[i].labels[k].name && r.series[i].labels[k].value);
	struct prom_table t = {0};
	FUZZ_CHECK(prom_req_apply(&t, PROM_FIG_P95, 0, &r, "model", "version") >= 0);
	FUZZ_CHECK(prom_req_apply(&t, PROM_FIG_DRIFT, 1, &r, "model", "version") >= 0);
	for (size_t i = 1; i < t.n; i++)
		FUZZ_CHECK(strcmp(t.rows[i - 1].model, t.rows[i].model) <= 0);
	prom_table_prune(&t);
	prom_table_fini(&t);
	prom_result_fini(&r);
	return 0;
}
