/* jsonw: what --snapshot --json writes, against texts fixed here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "clients/jsonw.h"

static void test_nesting_and_values(void **state)
{
	(void)state;
	struct jsonw *w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	jsonw_str(w, "name", "churn");
	jsonw_arr_begin(w, "rows");
	jsonw_obj_begin(w, NULL);
	jsonw_int(w, "n", 3);
	jsonw_num(w, "auc", 0.934);
	jsonw_num(w, "loss", NAN);
	jsonw_num(w, "big", INFINITY);
	jsonw_bool(w, "ok", 1);
	jsonw_str(w, "none", NULL);
	jsonw_obj_end(w);
	jsonw_arr_end(w);
	jsonw_arr_begin(w, "empty");
	jsonw_arr_end(w);
	jsonw_obj_end(w);
	assert_string_equal(jsonw_text(w, NULL),
	                    "{\"name\":\"churn\",\"rows\":[{\"n\":3,\"auc\":0.934,\"loss\":null,"
	                    "\"big\":null,\"ok\":true,\"none\":null}],\"empty\":[]}");
	jsonw_free(&w);
	assert_null(w);
}

static void test_strings_escaped(void **state)
{
	(void)state;
	struct jsonw *w = jsonw_new();
	jsonw_arr_begin(w, NULL);
	jsonw_str(w, NULL, "a\"b\\c\n\x1b[31m\x7f");
	jsonw_str(w, NULL, "ok \xC3\xA9 bad \xC3 \xED\xA0\x80 end");
	jsonw_arr_end(w);
	assert_string_equal(jsonw_text(w, NULL),
	                    "[\"a\\\"b\\\\c\\u000a\\u001b[31m\\u007f\","
	                    "\"ok \xC3\xA9 bad \\ufffd \\ufffd\\ufffd\\ufffd end\"]");
	jsonw_free(&w);
}

static void test_times(void **state)
{
	(void)state;
	struct jsonw *w = jsonw_new();
	jsonw_obj_begin(w, NULL);
	jsonw_time(w, "t", 1764645255123LL);
	jsonw_time(w, "none", 0);
	jsonw_num(w, "third", 1.0 / 3.0);
	jsonw_num(w, "int", 42.0);
	jsonw_obj_end(w);
	assert_string_equal(jsonw_text(w, NULL),
	                    "{\"t\":\"2025-12-02T03:14:15.123Z\",\"none\":null,"
	                    "\"third\":0.3333333333333333,\"int\":42}");
	jsonw_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nesting_and_values),
	    cmocka_unit_test(test_strings_escaped),
	    cmocka_unit_test(test_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
