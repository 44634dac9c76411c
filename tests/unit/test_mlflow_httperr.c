/* httperr: one line per HTTP error answer, whatever the body (MLflow JSON, another backend's
 * JSON, a proxy's HTML page, plain text, nothing) or a transfer that got no answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/http.h"
#include "clients/httperr.h"
#include "mlflow_fixture.h"

static const char *fmt(long status, const char *ct, const char *body)
{
	static char buf[ERR_MSG_MAX];
	return httperr_format(buf, sizeof buf, "MLflow", status, ct, body, body ? strlen(body) : 0);
}

static void test_mlflow_json(void **state)
{
	(void)state;
	char *body = mlflow_fixture("error_400.json", NULL);
	assert_string_equal(fmt(400, "application/json", body),
	                    "MLflow 400 INVALID_PARAMETER_VALUE: Invalid value 0 for parameter "
	                    "'max_results' supplied. Hint: send max_results");
	free(body);
	body = mlflow_fixture("error_404.json", NULL);
	/* no Content-Type: recognised by its first character */
	assert_string_equal(fmt(404, NULL, body),
	                    "MLflow 404 RESOURCE_DOES_NOT_EXIST: Run with id=deadbeef not found");
	free(body);
}

/* The error code is the server's text as much as the message: it never breaks the line. */
static void test_hostile_error_code(void **state)
{
	(void)state;
	const char *line =
	    fmt(400, "application/json", "{\"error_code\":\"BAD\\n\\u001b[2J\",\"message\":\"x\"}");
	assert_null(strchr(line, '\n'));
	assert_null(strchr(line, '\x1b'));
	assert_non_null(strstr(line, "MLflow 400 BAD"));
	/* An HTML body cut right after "<sty" (no NUL promised past the length). */
	static char buf[ERR_MSG_MAX];
	const char body[4] = {'<', 's', 't', 'y'};
	assert_non_null(httperr_format(buf, sizeof buf, "MLflow", 502, "text/html", body, 4));
}

static void test_other_json_shapes(void **state)
{
	(void)state;
	char buf[256];
	const char *prom =
	    "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}";
	assert_string_equal(httperr_format(buf, sizeof buf, "Prometheus", 400, "application/json",
	                                   prom, strlen(prom)),
	                    "Prometheus 400 bad_data: parse error");
	const char *k8s =
	    "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"inferenceservices "
	    "\\\"x\\\" not found\",\"reason\":\"NotFound\",\"code\":404}";
	assert_string_equal(
	    httperr_format(buf, sizeof buf, "KServe", 404, "application/json", k8s, strlen(k8s)),
	    "KServe 404 NotFound: inferenceservices \"x\" not found");
	assert_string_equal(fmt(409, "application/json", "{\"message\":\"silence exists\"}"),
	                    "MLflow 409 Conflict: silence exists");
	/* JSON without a code or a message: its text, as for any other body */
	assert_string_equal(fmt(500, "application/json", "{\"foo\": 1}"),
	                    "MLflow 500 Internal Server Error: {\"foo\": 1}");
	/* said to be JSON, but is not */
	assert_string_equal(fmt(500, "application/json", "{oops"),
	                    "MLflow 500 Internal Server Error: {oops");
}

static void test_html_page(void **state)
{
	(void)state;
	char *body = mlflow_fixture("error_502.html", NULL);
	assert_string_equal(fmt(502, "text/html", body), "MLflow 502 Bad Gateway: nginx/1.25.3");
	free(body);
	assert_string_equal(fmt(504, "text/html",
	                        "<html><body><h1>Gateway Timeout</h1><p>upstream &amp; co&nbsp;"
	                        "timed &lt;out&gt;</p></body></html>"),
	                    "MLflow 504 Gateway Timeout: upstream & co timed <out>");
}

static void test_plain_text_is_cut(void **state)
{
	(void)state;
	char *body = mlflow_fixture("error_401.txt", NULL);
	const char *line = fmt(401, "text/plain; charset=utf-8", body);
	free(body);
	const char *prefix = "MLflow 401 Unauthorized: You are not authenticated. Please see";
	assert_memory_equal(line, prefix, strlen(prefix));
	const char *excerpt = line + strlen("MLflow 401 Unauthorized: ");
	assert_true(strlen(excerpt) <= HTTPERR_EXCERPT_MAX);
	assert_string_equal(excerpt + strlen(excerpt) - 3, "\xe2\x80\xa6");
	assert_string_equal(fmt(403, "text/plain", "Permission denied"),
	                    "MLflow 403 Forbidden: Permission denied");
}

static void test_empty_and_hostile_bodies(void **state)
{
	(void)state;
	assert_string_equal(fmt(404, "text/html", ""), "MLflow 404 Not Found");
	assert_string_equal(fmt(405, NULL, NULL), "MLflow 405 Method Not Allowed");
	assert_string_equal(fmt(599, NULL, "  "), "MLflow 599");
	/* control characters and escape sequences never reach the line */
	const char *line = fmt(503, "text/plain", "\x1b]0;pwned\x07\x1b[31mdown\r\nfor\tnow");
	assert_null(strchr(line, '\x1b'));
	assert_null(strchr(line, '\x07'));
	assert_null(strpbrk(line, "\r\n\t"));
	assert_string_equal(line, "MLflow 503 Service Unavailable: ]0;pwned [31mdown for now");
	/* a cut never splits a UTF-8 sequence */
	char big[400];
	size_t n = 0;
	while (n + 2 < sizeof big - 1) {
		big[n++] = '\xc3';
		big[n++] = '\xa9';
	}
	big[n] = '\0';
	line = fmt(500, "text/plain", big);
	const char *ex = line + strlen("MLflow 500 Internal Server Error: ");
	assert_int_equal(strlen(ex), 99 + 0); /* 48 two-byte characters and the ellipsis */
}

/* A binary or mis-encoded body: its bytes as escapes (the screen's sanitizer would make each a
 * U+FFFD), valid UTF-8 kept, the line as short as for any other body. */
static void test_binary_body_escapes(void **state)
{
	(void)state;
	static const char gz[] = "\x1f\x8b\x08\x00\xff\xfe"
	                         "ok \xc3\xa9 \xc3 \xed\xa0\x80 \xf4\x90\x80\x80";
	char buf[ERR_MSG_MAX];
	httperr_format(buf, sizeof buf, "MLflow", 502, "application/octet-stream", gz,
	               sizeof gz - 1);
	assert_string_equal(buf, "MLflow 502 Bad Gateway: \\x8b \\xff\\xfeok \xc3\xa9 \\xc3 "
	                         "\\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80");
	/* a long binary body is cut like text, never inside an escape */
	char bin[4096];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (char)(0x80 + i % 64);
	httperr_format(buf, sizeof buf, "MLflow", 500, NULL, bin, sizeof bin);
	const char *ex = buf + strlen("MLflow 500 Internal Server Error: ");
	assert_true(strlen(ex) <= 100);
	assert_non_null(strstr(ex, "\\x80\\x81"));
	assert_null(strstr(ex, "\xef\xbf\xbd"));
	const char *dots = strstr(ex, "\xe2\x80\xa6");
	assert_non_null(dots);
	assert_true((dots - ex) % 4 == 0); /* whole escapes before the ellipsis */
	/* in a JSON message too */
	static const char js[] = "{\"error_code\":\"X\",\"message\":\"bad \xff\xfe byte\"}";
	httperr_format(buf, sizeof buf, "MLflow", 400, "application/json", js, sizeof js - 1);
	assert_string_equal(buf, "MLflow 400 X: bad \\xff\\xfe byte");
}

static void test_from_transfer(void **state)
{
	(void)state;
	struct http_resp r;
	struct err e;
	memset(&r, 0, sizeof r);
	strcpy(r.error, "Connection refused");
	assert_int_equal(httperr_set(&e, "MLflow", &r), ERR_NET);
	assert_string_equal(e.msg, "MLflow: Connection refused");
	r.status = 200;
	r.too_big = 1;
	assert_int_equal(httperr_set(&e, "MLflow", &r), ERR_TOO_BIG);
	assert_string_equal(e.msg, "MLflow 200: response body over the size cap");
	r.too_big = 0;
	r.status = 502;
	strcpy(r.content_type, "text/html");
	r.body = "<h1>bad gateway</h1><p>try later</p>";
	r.len = strlen(r.body);
	assert_int_equal(httperr_set(&e, "MLflow", &r), ERR_HTTP);
	assert_string_equal(e.msg, "MLflow 502 Bad Gateway: try later");
	assert_int_equal(e.code, ERR_HTTP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mlflow_json),
	    cmocka_unit_test(test_other_json_shapes),
	    cmocka_unit_test(test_hostile_error_code),
	    cmocka_unit_test(test_html_page),
	    cmocka_unit_test(test_plain_text_is_cut),
	    cmocka_unit_test(test_empty_and_hostile_bodies),
	    cmocka_unit_test(test_binary_body_escapes),
	    cmocka_unit_test(test_from_transfer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
