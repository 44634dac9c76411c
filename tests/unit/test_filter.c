/* Tests of tui/widgets/filter: smart case, inversion, errors, spans, UTF-8, empty patterns. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/widgets/filter.h"

static bool m(const char *pattern, const char *subject)
{
	struct filter_error e;
	struct filter *f = filter_new(pattern, &e);
	bool r;

	if (!f)
		fail_msg("pattern %s refused: %s", pattern, e.msg);
	r = filter_match(f, subject, strlen(subject));
	filter_free(&f);
	assert_null(f);
	return r;
}

static void test_smart_case(void **state)
{
	(void)state;
	assert_true(m("xgb", "model XGB-large"));
	assert_true(m("xgb", "model xgb-large"));
	assert_false(m("XGB", "model xgb-large"));
	assert_true(m("XGB", "model XGB-large"));
	/* escapes with capitals do not make the pattern case-sensitive */
	assert_true(m("\\Sgb", "XGB"));
	assert_true(m("\\p{Lu}gb", "XGB"));
	assert_true(m("a\\Wb", "A-B"));
	/* a non-ASCII capital does */
	assert_false(m("\xC3\x89t\xC3\xA9", "\xC3\xA9t\xC3\xA9"));
	assert_true(m("\xC3\xA9t\xC3\xA9", "\xC3\x89T\xC3\x89")); /* caseless beyond ASCII */
}

static void test_invert(void **state)
{
	(void)state;
	assert_false(m("!fail", "FAILED"));
	assert_true(m("!fail", "FINISHED"));
	assert_true(m("!^$", "x"));
}

static void test_empty_matches_all(void **state)
{
	struct filter *f = filter_new("", NULL);
	struct filter_span sp[4];

	(void)state;
	assert_non_null(f);
	assert_true(filter_all(f));
	assert_true(filter_match(f, "", 0));
	assert_true(filter_match(f, "anything", 8));
	assert_int_equal(filter_spans(f, "anything", 8, sp, 4), 0);
	filter_free(&f);
	f = filter_new("!", NULL); /* nothing typed after the bang yet */
	assert_non_null(f);
	assert_true(filter_all(f));
	assert_true(filter_match(f, "x", 1));
	filter_free(&f);
	assert_true(filter_match(NULL, "x", 1));
	filter_free(&f); /* NULL is fine */
}

static void test_error_message(void **state)
{
	struct filter_error e;

	(void)state;
	assert_null(filter_new("(abc|def", &e));
	assert_int_equal(e.offset, 8);
	assert_string_equal(e.msg, "missing closing parenthesis at 8");
	assert_null(filter_new("!(abc|def", &e));
	assert_int_equal(e.offset, 9); /* counted in the pattern as typed */
	assert_null(filter_new("a[b", &e));
	assert_non_null(strstr(e.msg, "missing terminating ] for character class at 3"));
	assert_null(filter_new("*x", &e));
	assert_non_null(strstr(e.msg, "quantifier does not follow a repeatable item at 0"));
	assert_null(filter_new("(", NULL)); /* no error struct is fine */
}

static void test_pattern_and_flags(void **state)
{
	struct filter *f = filter_new("!abc", NULL);

	(void)state;
	assert_string_equal(filter_pattern(f), "!abc");
	assert_true(filter_inverted(f));
	assert_false(filter_all(f));
	filter_free(&f);
}

static void test_spans(void **state)
{
	struct filter *f = filter_new("o+", NULL);
	struct filter_span sp[8];
	const char *s = "foo boo xoxo";
	int n;

	(void)state;
	n = filter_spans(f, s, strlen(s), sp, 8);
	assert_int_equal(n, 4);
	assert_int_equal(sp[0].start, 1);
	assert_int_equal(sp[0].end, 3);
	assert_int_equal(sp[1].start, 5);
	assert_int_equal(sp[1].end, 7);
	assert_int_equal(sp[2].start, 9);
	assert_int_equal(sp[3].start, 11);
	assert_int_equal(sp[3].end, 12);
	assert_int_equal(filter_spans(f, s, strlen(s), sp, 2), 2); /* capped */
	filter_free(&f);
	/* a pattern that can match empty makes no empty spans and terminates */
	f = filter_new("x*", NULL);
	n = filter_spans(f, "axxbx", 5, sp, 8);
	assert_int_equal(n, 2);
	assert_int_equal(sp[0].start, 1);
	assert_int_equal(sp[0].end, 3);
	assert_int_equal(sp[1].start, 4);
	filter_free(&f);
	/* inverted filters highlight nothing */
	f = filter_new("!o", NULL);
	assert_int_equal(filter_spans(f, s, strlen(s), sp, 8), 0);
	filter_free(&f);
}

static void test_utf8_subjects(void **state)
{
	struct filter *f = filter_new("\xE6\x96\x87.", NULL); /* 文 then any one character */
	struct filter_span sp[2];
	const char *s = "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97"; /* 中文字 */

	(void)state;
	assert_non_null(f);
	assert_int_equal(filter_spans(f, s, strlen(s), sp, 2), 1);
	assert_int_equal(sp[0].start, 3);
	assert_int_equal(sp[0].end, 9); /* '.' took the whole 字 */
	/* invalid UTF-8 in a subject neither crashes nor hides valid matches */
	assert_true(filter_match(f, "\xFF\xE6\x96\x87x\xC0", 6));
	assert_false(filter_match(f, "\xFF\xC0\x80", 3));
	filter_free(&f);
	assert_true(m("^.{3}$", "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97"));
}

static void test_many_subjects_reuse(void **state)
{
	struct filter *f = filter_new("run-9+$", NULL);
	char buf[32];
	int i, hits = 0;

	(void)state;
	for (i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof(buf), "run-%d", i);
		hits += filter_match(f, buf, (size_t)n);
	}
	assert_int_equal(hits, 5); /* 9, 99, 999, 9999, 99999 */
	filter_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_smart_case),        cmocka_unit_test(test_invert),
	    cmocka_unit_test(test_empty_matches_all), cmocka_unit_test(test_error_message),
	    cmocka_unit_test(test_pattern_and_flags), cmocka_unit_test(test_spans),
	    cmocka_unit_test(test_utf8_subjects),     cmocka_unit_test(test_many_subjects_reuse),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
