/* fuzz_expo: clients/expo.h and clients/scrape_agg.h on arbitrary /metrics bodies. The parser
 * must count every line exactly once (a sample, a rejection, or skipped), hand out only names
 * and labels that are NUL-terminated within the line, and the aggregator must survive the same
 * body scraped twice (counters that reset, histograms without +Inf, NaN everywhere). */
#include <math.h>
#include <string.h>

#include "clients/expo.h"
#include "clients/scrape_agg.h"
#include "support.h"

static int check_sample(void *ud, const struct expo_sample *s)
{
	size_t *n = ud;
	FUZZ_CHECK(s->name && *s->name && strlen(s->name) <= EXPO_LINE_MAX);
	FUZZ_CHECK(s->nlabels <= EXPO_LABELS_MAX);
	for (size_t i = 0; i < s->nlabels; i++)
		FUZZ_CHECK(*s->labels[i].name && strlen(s->labels[i].value) <= EXPO_LINE_MAX);
	FUZZ_CHECK(s->line > 0);
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expo_stats st;
	size_t n = 0;
	FUZZ_CHECK(expo_parse((const char *)data, size, check_sample, &n, &st) == 0);
	FUZZ_CHECK(n == st.samples);
	FUZZ_CHECK(st.samples + st.rejected <= st.lines);

	struct scrape_metrics m = {.requests = "r", .latency = "h", .drift = "d"};
	struct scrape_agg *a = scrape_agg_new(&m, 60000, 0);
	struct prom_table t = {0};
	if (!a)
		return 0;
	scrape_agg_feed(a, 0, (const char *)data, size, 1000, NULL);
	scrape_agg_feed(a, 1, (const char *)data, size / 2, 2000, NULL);
	scrape_agg_feed(a, 0, (const char *)data, size / 3, 16000, NULL);
	FUZZ_CHECK(scrape_agg_figures(a, 16000, &t) == 0);
	for (size_t i = 0; i < t.n; i++)
		FUZZ_CHECK(t.rows[i].model && t.rows[i].version);
	prom_table_fini(&t);
	scrape_agg_free(&a);
	return 0;
}
