/* The Alerts panel's model without a server: rows from a GET /api/v2/alerts body grouped by
 * model and version (the worst first), values with their unit, who silenced an alert, the
 * badge's count, the drift table from the drift alerts with its heat against the thresholds,
 * and the silence durations a person types. */
#include <math.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "clients/prom_drift.h"
#include "panels/alerts_data.h"

static const char alerts_body[] =
    "["
    "{\"labels\":{\"alertname\":\"ModelHighLatency\",\"model\":\"churn\",\"version\":\"v5\","
    "\"severity\":\"warning\"},\"annotations\":{\"value\":\"180\",\"unit\":\"ms\"},"
    "\"status\":{\"state\":\"active\",\"silencedBy\":[],\"inhibitedBy\":[]},"
    "\"fingerprint\":\"a1\",\"startsAt\":\"2026-11-29T04:00:00.000Z\"},"
    "{\"labels\":{\"alertname\":\"ModelFeatureDrift\",\"model\":\"churn\",\"version\":\"v5\","
    "\"feature\":\"tenure_days\",\"drift_metric\":\"psi\",\"severity\":\"critical\"},"
    "\"annotations\":{\"value\":\"0.31\"},"
    "\"status\":{\"state\":\"active\",\"silencedBy\":[],\"inhibitedBy\":[]},"
    "\"fingerprint\":\"a2\",\"startsAt\":\"2026-11-29T04:00:00.000Z\"},"
    "{\"labels\":{\"alertname\":\"ModelFeatureDrift\",\"model\":\"fraud\",\"version\":\"v2\","
    "\"feature\":\"merchant_cat\",\"drift_metric\":\"psi\",\"severity\":\"warning\"},"
    "\"annotations\":{\"value\":\"0.12\"},"
    "\"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"s-1\"],\"inhibitedBy\":[]},"
    "\"fingerprint\":\"a3\",\"startsAt\":\"2026-11-29T04:00:00.000Z\"},"
    "{\"labels\":{\"alertname\":\"ModelHighErrorRate\",\"model\":\"churn\",\"version\":\"v3\","
    "\"severity\":\"critical\"},\"annotations\":{\"value\":\"6.8 %\"},"
    "\"status\":{\"state\":\"suppressed\",\"silencedBy\":[],\"inhibitedBy\":[\"x\"]},"
    "\"fingerprint\":\"a4\",\"startsAt\":\"2026-11-29T04:00:00.000Z\"}"
    "]";

static const char silences_body[] =
    "[{\"id\":\"s-1\",\"status\":{\"state\":\"active\"},\"createdBy\":\"ops@bastion\","
    "\"comment\":\"known\",\"startsAt\":\"2026-11-29T04:00:00.000Z\","
    "\"endsAt\":\"2026-11-29T14:00:00.000Z\",\"matchers\":[{\"name\":\"model\","
    "\"value\":\"fraud\",\"isRegex\":false}]}]";

static void test_rows_grouped_with_values_and_silences(void **state)
{
	(void)state;
	struct am_alerts *al = am_alerts_new();
	struct am_silences *sl = am_silences_new();
	struct err e = {0};
	assert_int_equal(alertmanager_parse_alerts(alerts_body, strlen(alerts_body), al, &e), 0);
	assert_int_equal(alertmanager_parse_silences(silences_body, strlen(silences_body), sl, &e),
	                 0);
	struct alerts_view v = {0};
	assert_int_equal(alerts_data_build(&v, al, sl), 0);
	assert_int_equal(v.n, 4);
	/* churn v3, churn v5 (critical first), fraud v2 */
	assert_string_equal(v.rows[0].version, "v3");
	assert_string_equal(v.rows[1].name, "ModelFeatureDrift");
	assert_string_equal(v.rows[1].value, "PSI 0.31");
	assert_string_equal(v.rows[2].value, "180 ms");
	assert_string_equal(v.rows[0].value, "6.8 %");
	assert_true(v.rows[0].group_start && !v.rows[1].group_start && v.rows[3].group_start);
	assert_true(v.rows[0].inhibited);
	assert_true(v.rows[3].silenced);
	assert_non_null(v.rows[3].sil);
	assert_string_equal(v.rows[3].sil->created_by, "ops@bastion");
	/* the badge: critical, firing, not muted (the inhibited v3 one is not counted) */
	assert_int_equal(alerts_data_firing_crit(&v), 1);

	struct alerts_drift d = {0};
	assert_int_equal(alerts_drift_from_alerts(&d, &v), 0);
	assert_int_equal(d.nr, 2);
	assert_int_equal(d.nf, 2);
	assert_string_equal(d.metric, "psi");
	assert_string_equal(d.feat[0], "tenure_days"); /* the worst column first */
	assert_string_equal(d.feat[1], "merchant_cat");
	assert_string_equal(d.rkey[0], "churn\tv5");
	assert_true(fabs(d.score[0 * d.nf + 0] - 0.31) < 1e-9);
	assert_true(isnan(d.score[0 * d.nf + 1]));
	assert_true(fabs(d.score[1 * d.nf + 1] - 0.12) < 1e-9);
	assert_true(isnan(d.score[1 * d.nf + 0]));
	alerts_drift_free(&d);
	alerts_data_free(&v);
	am_alerts_free(&al);
	am_silences_free(&sl);
}

static size_t filtered(const struct alerts_view *all, const char *pattern, struct alerts_view *out)
{
	struct filter_error fe = {0};
	struct filter *f = filter_new(pattern, &fe);
	assert_non_null(f);
	assert_int_equal(alerts_data_filter(out, all, f), 0);
	filter_free(&f);
	return out->n;
}

/* The / filter keeps the matching rows in their groups: on a column, on a label not shown as
 * one (name=value), inverted; an empty pattern keeps every row. */
static void test_filter_rows(void **state)
{
	(void)state;
	struct am_alerts *al = am_alerts_new();
	struct err e = {0};
	assert_int_equal(alertmanager_parse_alerts(alerts_body, strlen(alerts_body), al, &e), 0);
	struct alerts_view all = {0}, v = {0};
	assert_int_equal(alerts_data_build(&all, al, NULL), 0);
	assert_int_equal(filtered(&all, "ModelFeatureDrift", &v), 2);
	assert_string_equal(v.rows[0].model, "churn");
	assert_string_equal(v.rows[1].model, "fraud");
	assert_true(v.rows[0].group_start && v.rows[1].group_start);
	assert_int_equal(filtered(&all, "drift_metric=psi", &v), 2);
	assert_int_equal(filtered(&all, "severity=critical", &v), 2);
	assert_int_equal(filtered(&all, "^ModelHighLatency\tchurn\tv5\t", &v), 1);
	assert_int_equal(filtered(&all, "!churn", &v), 1);
	assert_string_equal(v.rows[0].a->fingerprint, "a3");
	assert_int_equal(filtered(&all, "", &v), 4);
	assert_int_equal(alerts_data_filter(&v, &all, NULL), 0);
	assert_int_equal(v.n, 4);
	alerts_data_free(&v);
	alerts_data_free(&all);
	am_alerts_free(&al);
}

static void test_heat_and_durations(void **state)
{
	(void)state;
	assert_int_equal(alerts_drift_heat("psi", 0.05), 0);
	assert_int_equal(alerts_drift_heat("psi", 0.1), 1);
	assert_int_equal(alerts_drift_heat("psi", 0.25), 2);
	assert_int_equal(alerts_drift_heat("ks", 0.2), 0); /* a p-value: lower is worse */
	assert_int_equal(alerts_drift_heat("ks", 0.03), 1);
	assert_int_equal(alerts_drift_heat("ks", 0.001), 2);
	assert_int_equal(alerts_drift_heat("psi", NAN), 0);
	assert_int_equal(alerts_parse_duration(""), 3600000);
	assert_int_equal(alerts_parse_duration("2h"), 7200000);
	assert_int_equal(alerts_parse_duration("30m"), 1800000);
	assert_int_equal(alerts_parse_duration("1h30m"), 5400000);
	assert_int_equal(alerts_parse_duration("1d"), 86400000);
	assert_int_equal(alerts_parse_duration("2x"), -1);
	assert_int_equal(alerts_parse_duration("h"), -1);
	assert_int_equal(alerts_parse_duration("0m"), -1);
	assert_int_equal(alerts_parse_duration("-1h"), -1);
	assert_int_equal(alerts_parse_duration("5"), -1);
}

/* The per-feature scores of a Prometheus answer: series without the model label and values
 * that are not numbers are left out; other shapes are refused. */
static void test_prom_drift_parse(void **state)
{
	(void)state;
	static const char body[] =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{\"model\":\"churn\",\"version\":\"v5\",\"feature\":\"tenure_days\","
	    "\"method\":\"psi\"},\"value\":[1700000000,\"0.31\"]},"
	    "{\"metric\":{\"model\":\"churn\",\"version\":\"v5\",\"feature\":\"region\","
	    "\"method\":\"psi\"},\"value\":[1700000000,\"NaN\"]},"
	    "{\"metric\":{\"version\":\"v5\",\"feature\":\"plan\"},"
	    "\"value\":[1700000000,\"0.5\"]}]}}";
	struct prom_drift_list l = {0}, *lp = NULL;
	struct err e = {0};
	assert_int_equal(prom_drift_parse(body, strlen(body), NULL, NULL, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].feature, "tenure_days");
	assert_string_equal(l.v[0].method, "psi");
	assert_true(fabs(l.v[0].score - 0.31) < 1e-9);
	lp = calloc(1, sizeof *lp);
	*lp = l;
	prom_drift_list_free(&lp);
	assert_null(lp);
	struct prom_drift_list m = {0};
	static const char scalar[] =
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}";
	assert_true(prom_drift_parse(scalar, strlen(scalar), NULL, NULL, &m, &e) < 0);
	assert_true(prom_drift_parse("[]", 2, NULL, NULL, &m, &e) < 0);
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_grouped_with_values_and_silences),
	    cmocka_unit_test(test_filter_rows),
	    cmocka_unit_test(test_heat_and_durations),
	    cmocka_unit_test(test_prom_drift_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
