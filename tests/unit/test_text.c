/* Tests of tui/widgets/text: decoding, widths, clipping, formatting and the sanitizer. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "tui/widgets/text.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_decode_valid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(text_decode(S("A"), &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_decode(S("\xC3\xA9"), &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(text_decode(S("\xE4\xB8\xAD"), &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(text_decode(S("\xF0\x9F\x98\x80"), &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(text_decode(S("\xF4\x8F\xBF\xBF"), &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
}

static void test_decode_invalid(void **state)
{
	uint32_t cp;

	(void)state;
	/* overlong encodings of '/' and NUL */
	assert_int_equal(text_decode(S("\xC0\xAF"), &cp), 1);
	assert_int_equal(cp, TEXT_INVALID);
	assert_int_equal(text_decode(S("\xE0\x80\xAF"), &cp), 1);
	assert_int_equal(cp, TEXT_INVALID);
	assert_int_equal(text_decode(S("\xF0\x80\x80\xAF"), &cp), 1);
	assert_int_equal(cp, TEXT_INVALID);
	/* surrogate U+D800 */
	assert_int_equal(text_decode(S("\xED\xA0\x80"), &cp), 1);
	assert_int_equal(cp, TEXT_INVALID);
	/* past U+10FFFF */
	assert_int_equal(text_decode(S("\xF4\x90\x80\x80"), &cp), 1);
	assert_int_equal(cp, TEXT_INVALID);
	assert_int_equal(text_decode(S("\xF5\x80\x80\x80"), &cp), 1);
	/* a lone continuation byte */
	assert_int_equal(text_decode(S("\x80"), &cp), 1);
	assert_int_equal(cp, TEXT_INVALID);
	/* truncated: the maximal subpart is consumed as one */
	assert_int_equal(text_decode(S("\xE4\xB8"), &cp), 2);
	assert_int_equal(cp, TEXT_INVALID);
	assert_int_equal(text_decode(S("\xE4\xB8x"), &cp), 2);
	assert_int_equal(cp, TEXT_INVALID);
	assert_int_equal(text_decode(S("\xF0\x9F\x98"), &cp), 3);
	assert_int_equal(cp, TEXT_INVALID);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("auc"), 3);
	assert_int_equal(text_width("caf\xC3\xA9"), 4);
	assert_int_equal(text_width("e\xCC\x81"), 1);                /* e + combining acute */
	assert_int_equal(text_width("\xE4\xB8\xAD\xE6\x96\x87"), 4); /* 中文 */
	assert_int_equal(text_width("\xF0\x9F\x98\x80"), 2);         /* 😀 */
	assert_int_equal(text_width("a\xE2\x80\x8B"
	                            "b"),
	                 2);                         /* zero width space */
	assert_int_equal(text_width("\xFF\xFE"), 2); /* invalid bytes: 1 each */
	assert_int_equal(text_nwidth("abcdef", 3), 3);
}

static void test_fit_never_splits(void **state)
{
	const char *cjk = "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97"; /* 中文字, width 6 */
	int used;

	(void)state;
	assert_int_equal(text_fit(cjk, strlen(cjk), 3, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit(cjk, strlen(cjk), 4, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit(cjk, strlen(cjk), 1, &used), 0);
	assert_int_equal(used, 0);
	/* the combining mark stays with its base */
	assert_int_equal(text_fit(S("e\xCC\x81x"), 1, &used), 3);
	assert_int_equal(used, 1);
}

static void test_ellipsize(void **state)
{
	char out[64];

	(void)state;
	/* exact fit: no ellipsis */
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 6, TEXT_ELLIPSIS_UTF8), 6);
	assert_string_equal(out, "abcdef");
	/* one column short */
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 5, TEXT_ELLIPSIS_UTF8), 5);
	assert_string_equal(out, "abcd\xE2\x80\xA6");
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 5, TEXT_ELLIPSIS_TILDE), 5);
	assert_string_equal(out, "abcd~");
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 5, TEXT_ELLIPSIS_DOTS), 5);
	assert_string_equal(out, "ab...");
	/* too narrow for the dots: plain clip */
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 2, TEXT_ELLIPSIS_DOTS), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 1, TEXT_ELLIPSIS_UTF8), 1);
	assert_string_equal(out, "\xE2\x80\xA6");
	assert_int_equal(text_ellipsize(out, sizeof(out), "abcdef", 0, TEXT_ELLIPSIS_UTF8), 0);
	assert_string_equal(out, "");
	/* a wide char at the boundary is not split: 中文字 in 4 columns -> 中… (3 columns) */
	assert_int_equal(text_ellipsize(out, sizeof(out), "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", 4,
	                                TEXT_ELLIPSIS_UTF8),
	                 3);
	assert_string_equal(out, "\xE4\xB8\xAD\xE2\x80\xA6");
	/* emoji exactly filling the width */
	assert_int_equal(
	    text_ellipsize(out, sizeof(out), "a\xF0\x9F\x98\x80", 3, TEXT_ELLIPSIS_UTF8), 3);
	assert_string_equal(out, "a\xF0\x9F\x98\x80");
	/* a small buffer truncates at a character, never inside one */
	text_ellipsize(out, 5, "\xE4\xB8\xAD\xE6\x96\x87", 10, TEXT_ELLIPSIS_UTF8);
	assert_string_equal(out, "\xE4\xB8\xAD");
}

static void test_pad(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_pad(out, sizeof(out), "12", 5, TEXT_RIGHT, TEXT_ELLIPSIS_UTF8), 5);
	assert_string_equal(out, "   12");
	text_pad(out, sizeof(out), "12", 5, TEXT_LEFT, TEXT_ELLIPSIS_UTF8);
	assert_string_equal(out, "12   ");
	text_pad(out, sizeof(out), "ab", 6, TEXT_CENTER, TEXT_ELLIPSIS_UTF8);
	assert_string_equal(out, "  ab  ");
	text_pad(out, sizeof(out), "abcdefgh", 5, TEXT_RIGHT, TEXT_ELLIPSIS_TILDE);
	assert_string_equal(out, "abcd~");
	/* 中文字 in 4 columns: 中… and one space to make 4 */
	text_pad(out, sizeof(out), "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", 4, TEXT_LEFT,
	         TEXT_ELLIPSIS_UTF8);
	assert_string_equal(out, "\xE4\xB8\xAD\xE2\x80\xA6 ");
	assert_int_equal(text_width(out), 4);
}

static void test_thousands(void **state)
{
	char out[32];

	(void)state;
	assert_string_equal(text_thousands(out, sizeof(out), 0), "0");
	assert_string_equal(text_thousands(out, sizeof(out), 999), "999");
	assert_string_equal(text_thousands(out, sizeof(out), 1000), "1,000");
	assert_string_equal(text_thousands(out, sizeof(out), 12418), "12,418");
	assert_string_equal(text_thousands(out, sizeof(out), -1234567), "-1,234,567");
	assert_string_equal(text_thousands(out, sizeof(out), INT64_MIN),
	                    "-9,223,372,036,854,775,808");
}

static void test_duration_and_age(void **state)
{
	char out[32];

	(void)state;
	assert_string_equal(text_duration(out, sizeof(out), 850), "850ms");
	assert_string_equal(text_duration(out, sizeof(out), 45000), "45s");
	assert_string_equal(text_duration(out, sizeof(out), 372000), "6m12s");
	assert_string_equal(text_duration(out, sizeof(out), 360000), "6m");
	assert_string_equal(text_duration(out, sizeof(out), 7200000), "2h");
	assert_string_equal(text_duration(out, sizeof(out), 7500000), "2h5m");
	assert_string_equal(text_duration(out, sizeof(out), 3LL * 86400000), "3d");
	assert_string_equal(text_duration(out, sizeof(out), 3LL * 86400000 + 4 * 3600000), "3d4h");
	assert_string_equal(text_duration(out, sizeof(out), 400LL * 86400000), "400d");
	assert_string_equal(text_duration(out, sizeof(out), -90000), "-1m30s");
	assert_string_equal(text_age(out, sizeof(out), 12000), "12s");
	assert_string_equal(text_age(out, sizeof(out), 4 * 60000 + 59000), "4m");
	assert_string_equal(text_age(out, sizeof(out), 2 * 3600000), "2h");
	assert_string_equal(text_age(out, sizeof(out), 12LL * 86400000), "12d");
	assert_string_equal(text_age(out, sizeof(out), 800LL * 86400000), "2y");
	assert_string_equal(text_age(out, sizeof(out), -5000), "0s");
}

static void check_sanitize(const char *in, size_t len, const char *want)
{
	char buf[256];
	char *m = text_sanitize(in, len, NULL, 0);

	assert_non_null(m);
	assert_string_equal(m, want);
	assert_int_equal(text_sanitized_len(in, len), strlen(want));
	free(m);
	assert_string_equal(text_sanitize(in, len, buf, sizeof(buf)), want);
}

#define CHECK(lit, want) check_sanitize(lit, sizeof(lit) - 1, want)

static void test_sanitize_c0_del(void **state)
{
	(void)state;
	CHECK("plain run-12", "plain run-12");
	CHECK("\x1b[31mred\x1b[0m", "\\e[31mred\\e[0m");
	CHECK("a\nb\rc\td", "a\\nb\\rc\\td");
	CHECK("bell\x07", "bell\\x07");
	CHECK("nul\0x", "nul\\0x");
	CHECK("del\x7f", "del\\x7f");
	CHECK("\x1b]52;c;AAAA\x07", "\\e]52;c;AAAA\\x07");
}

static void test_sanitize_c1_bidi(void **state)
{
	(void)state;
	CHECK("\xC2\x9B"
	      "31m",
	      "\\u009b31m"); /* C1 CSI */
	CHECK("\xC2\x85", "\\u0085");
	CHECK("\xC2\xA0ok", "\xC2\xA0ok"); /* U+00A0 is printable */
	CHECK("abc\xE2\x80\xAE"
	      "cba",
	      "abc\\u202ecba");
	CHECK("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", "\\u202a\\u202b\\u202c\\u202d");
	CHECK("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", "\\u2066\\u2067\\u2068\\u2069");
	CHECK("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", "\\u200e\\u200f\\u061c");
	CHECK("line\xE2\x80\xA8sep", "line\\u2028sep");
}

static void test_sanitize_invalid(void **state)
{
	(void)state;
	CHECK("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");                 /* overlong */
	CHECK("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
	CHECK("ab\xE4\xB8", "ab\xEF\xBF\xBD");                         /* truncated at end */
	CHECK("\xE4\xB8x", "\xEF\xBF\xBDx");                           /* truncated in the middle */
	CHECK("\xFF", "\xEF\xBF\xBD");
	CHECK("\xE4\xB8\xAD\xF0\x9F\x98\x80", "\xE4\xB8\xAD\xF0\x9F\x98\x80"); /* valid wide */
}

static void test_sanitize_output_is_safe(void **state)
{
	unsigned char in[512];
	char *out;
	size_t i, n;
	uint32_t cp;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	out = text_sanitize((const char *)in, sizeof(in), NULL, 0);
	assert_non_null(out);
	for (i = 0; out[i]; i += n) {
		n = text_decode(out + i, strlen(out + i), &cp);
		assert_int_not_equal(cp, TEXT_INVALID);
		assert_false(cp < 0x20 || (cp >= 0x7F && cp <= 0x9F));
		assert_false(cp >= 0x202A && cp <= 0x202E);
	}
	free(out);
}

static void test_sanitize_truncates_whole(void **state)
{
	char buf[6];

	(void)state;
	/* "ab\e..." in 6 bytes: "ab\e" fits (4 + NUL), the next escape does not */
	assert_string_equal(text_sanitize(S("ab\x1b\x1b"), buf, sizeof(buf)), "ab\\e");
	assert_string_equal(text_sanitize(S("ab\x07"), buf, sizeof(buf)), "ab");
	assert_string_equal(text_sanitize(S("a\xE4\xB8\xAD\xE4\xB8\xAD"), buf, sizeof(buf)),
	                    "a\xE4\xB8\xAD");
	assert_string_equal(text_sanitize(S("abcdefgh"), buf, sizeof(buf)), "abcde");
}

/* A number that is not one is written one way everywhere. */
static void test_number(void **state)
{
	char buf[32];
	(void)state;
	assert_string_equal(text_number(buf, sizeof buf, NAN, 4), "NaN");
	assert_string_equal(text_number(buf, sizeof buf, -NAN, 4), "NaN");
	assert_string_equal(text_number(buf, sizeof buf, INFINITY, 4), "Inf");
	assert_string_equal(text_number(buf, sizeof buf, -INFINITY, 4), "-Inf");
	assert_string_equal(text_number(buf, sizeof buf, 0.74051, 4), "0.7405");
	assert_string_equal(text_number(buf, sizeof buf, 123456.0, 4), "1.235e+05");
	assert_null(text_nonfinite(0.5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number),
	    cmocka_unit_test(test_decode_valid),
	    cmocka_unit_test(test_decode_invalid),
	    cmocka_unit_test(test_width),
	    cmocka_unit_test(test_fit_never_splits),
	    cmocka_unit_test(test_ellipsize),
	    cmocka_unit_test(test_pad),
	    cmocka_unit_test(test_thousands),
	    cmocka_unit_test(test_duration_and_age),
	    cmocka_unit_test(test_sanitize_c0_del),
	    cmocka_unit_test(test_sanitize_c1_bidi),
	    cmocka_unit_test(test_sanitize_invalid),
	    cmocka_unit_test(test_sanitize_output_is_safe),
	    cmocka_unit_test(test_sanitize_truncates_whole),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
