/* test_json: a NUL escaped in a JSON string (\u0000) neither ends the string nor disappears:
 * it comes out as the visible "\0", in json_parse_object and through the MLflow run parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/json.h"
#include "clients/mlflow_parse_runs.h"
#include "clients/runstore.h"
#include "mlflow_fixture.h"
#include "tui/widgets/text.h"

#define RUN1 "5f2c0e6e3b9a4d1f9a7c2b8e1d4f6a90"

static cJSON *parse(const char *text)
{
	struct err e = {0};
	cJSON *root = json_parse_object(text, strlen(text), "test body", &e);
	assert_non_null(root);
	return root;
}

static void test_nul_escape_visible(void **state)
{
	(void)state;
	cJSON *root = parse("{\"a\":\"x\\u0000y\",\"b\":\"\\\\u0000\",\"c\\u0000d\":\"k\","
	                    "\"e\":\"\\u0000\\u0000\",\"f\":\"\\\\\\u0000z\"}");
	assert_string_equal(json_str(root, "a"), "x\\0y");
	assert_string_equal(json_str(root, "b"), "\\u0000"); /* an escaped backslash: text */
	assert_string_equal(json_str(root, "c\\0d"), "k");
	assert_string_equal(json_str(root, "e"), "\\0\\0");
	assert_string_equal(json_str(root, "f"), "\\\\0z");
	cJSON_Delete(root);
	/* a body that is not JSON still fails, with or without the escape */
	struct err e = {0};
	assert_null(json_parse_object("{\"a\":\"\\u0000", 12, "test body", &e));
	assert_int_equal(e.code, ERR_PARSE);
	/* a lone \u0000 escape is only rewritten inside the body's length */
	root = json_parse_object("{\"a\":\"\\u0000\"}trailing", 14, "test body", &e);
	assert_non_null(root);
	assert_string_equal(json_str(root, "a"), "\\0");
	cJSON_Delete(root);
}

/* A run named "bold\u0000owl-37" shows both halves, and the sanitizer leaves the "\0" as it is. */
static void test_mlflow_run_with_nul(void **state)
{
	(void)state;
	size_t len = 0, nruns = 0;
	char *body = mlflow_fixture("run_get_nul.json", &len);
	struct runstore *rs = runstore_new();
	int rc = mlflow_parse_runs(body, len, rs, &nruns, NULL, NULL);
	const struct mlflow_run *r = runstore_find(rs, RUN1);
	assert_true(rc == 0 && nruns == 1 && r != NULL);
	assert_string_equal(r->name, "bold\\0owl-37");
	assert_string_equal(r->user, "a\\u0000b");
	assert_string_equal(runstore_param(r, runstore_key_id(rs, "lr\\0x")), "0.1\\0\\0tail");
	char shown[64];
	text_sanitize(r->name, strlen(r->name), shown, sizeof shown);
	assert_string_equal(shown, "bold\\0owl-37");
	free(body);
	runstore_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nul_escape_visible),
	    cmocka_unit_test(test_mlflow_run_with_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
