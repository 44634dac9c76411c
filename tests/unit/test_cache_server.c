/* Tests of clients/cache_server: the identity of a server in the cache, with every expected value
 * written out here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "clients/cache_server.h"

static const char *id_of(const char *url)
{
	static char out[CACHE_SERVER_MAX];
	struct err e = {0};
	if (cache_server_id(url, out, sizeof out, &e) < 0)
		return e.msg[0] ? "ERR" : "ERR without a message";
	return out;
}

static void test_same_server_same_id(void **state)
{
	(void)state;
	assert_string_equal(id_of("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
	assert_string_equal(id_of("http://127.0.0.1:5000/"), "http://127.0.0.1:5000");
	assert_string_equal(id_of("http://127.0.0.1:5000///"), "http://127.0.0.1:5000");
	assert_string_equal(id_of("HTTP://MLflow.Example.COM"), "http://mlflow.example.com");
	assert_string_equal(id_of("http://mlflow.example.com:80"), "http://mlflow.example.com");
	assert_string_equal(id_of("http://mlflow.example.com:080/"), "http://mlflow.example.com");
	assert_string_equal(id_of("https://mlflow.example.com:443/"), "https://mlflow.example.com");
	assert_string_equal(id_of("Https://mlflow.example.com:"), "https://mlflow.example.com");
	assert_string_equal(id_of("http://[::1]:80/"), "http://[::1]");
	assert_string_equal(id_of("http://[FE80::1]:5000"), "http://[fe80::1]:5000");
}

static void test_path_kept(void **state)
{
	(void)state;
	/* a static prefix or a reverse-proxy path is part of the server: its case too */
	assert_string_equal(id_of("https://Gate.example.com/MLflow/"),
	                    "https://gate.example.com/MLflow");
	assert_string_equal(id_of("https://gate.example.com/teams/a//"),
	                    "https://gate.example.com/teams/a");
	assert_string_equal(id_of("https://gate.example.com/a//b"),
	                    "https://gate.example.com/a//b");
}

static void test_other_servers_differ(void **state)
{
	(void)state;
	/* another port, scheme or path is another server */
	assert_string_equal(id_of("http://mlflow.example.com:443"),
	                    "http://mlflow.example.com:443");
	assert_string_equal(id_of("https://mlflow.example.com:80"),
	                    "https://mlflow.example.com:80");
	assert_string_equal(id_of("http://127.0.0.1:5001"), "http://127.0.0.1:5001");
	assert_string_equal(id_of("https://gate.example.com/teams/b"),
	                    "https://gate.example.com/teams/b");
}

static void test_no_secret_query_or_fragment(void **state)
{
	(void)state;
	assert_string_equal(id_of("https://alice:s3cr%40t@mlflow.example.com/"),
	                    "https://mlflow.example.com");
	assert_string_equal(id_of("https://alice:p@ss@Mlflow.example.com:8443/x"),
	                    "https://mlflow.example.com:8443/x");
	assert_string_equal(id_of("https://token@mlflow.example.com"),
	                    "https://mlflow.example.com");
	assert_string_equal(id_of("https://mlflow.example.com/api/?token=abc#top"),
	                    "https://mlflow.example.com/api");
	assert_string_equal(id_of("https://mlflow.example.com?x=1"), "https://mlflow.example.com");
	/* an '@' in the path is the path's */
	assert_string_equal(id_of("https://mlflow.example.com/a@b"),
	                    "https://mlflow.example.com/a@b");
}

static void test_not_a_server(void **state)
{
	char small[16];
	(void)state;
	assert_string_equal(id_of(NULL), "ERR");
	assert_string_equal(id_of(""), "ERR");
	assert_string_equal(id_of("/var/lib/samples.jsonl"), "ERR");
	assert_string_equal(id_of("ftp://mlflow.example.com"), "ERR");
	assert_string_equal(id_of("http://"), "ERR");
	assert_string_equal(id_of("http:///path"), "ERR");
	assert_string_equal(id_of("http://user@/x"), "ERR");
	assert_string_equal(id_of("http://host:99999"), "ERR");
	assert_string_equal(id_of("http://host:12ab"), "ERR");
	assert_string_equal(id_of("http://[::1"), "ERR");
	/* too long for the room given: nothing half-written */
	assert_int_equal(cache_server_id("http://mlflow.example.com", small, sizeof small, NULL),
	                 ERR_CONFIG);
	assert_string_equal(small, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_server_same_id),
	    cmocka_unit_test(test_path_kept),
	    cmocka_unit_test(test_other_servers_differ),
	    cmocka_unit_test(test_no_secret_query_or_fragment),
	    cmocka_unit_test(test_not_a_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
