/* textview: scrolling and a search as less has it, on lines fixed here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "tui/widgets/textview.h"

static void fill(struct textview *tv)
{
	textview_init(tv, 0);
	tv->h = 4;
	for (int i = 0; i < 20; i++)
		textview_add(tv, ROLE_NORMAL, "line %02d%s", i, i % 6 == 5 ? " auc 0.9" : "");
}

static void test_scroll(void **state)
{
	struct textview tv;
	char st[64];
	(void)state;
	fill(&tv);
	assert_true(textview_key(&tv, 'G'));
	assert_int_equal(tv.top, 16);
	assert_true(textview_key(&tv, 'j'));
	assert_int_equal(tv.top, 16); /* never past the last page */
	assert_true(textview_key(&tv, KEY_PPAGE));
	assert_int_equal(tv.top, 13);
	assert_true(textview_key(&tv, 'g'));
	assert_false(textview_key(&tv, 'n')); /* no search: n is not the view's */
	textview_status(&tv, st, sizeof st);
	assert_string_equal(st, "line 1 of 20");
	textview_fini(&tv);
}

static void test_search(void **state)
{
	struct textview tv;
	char msg[128], st[64];
	(void)state;
	fill(&tv);
	assert_int_equal(textview_search(&tv, "auc", msg, sizeof msg), 0);
	assert_int_equal(tv.top, 5); /* the first match from the top */
	assert_string_equal(textview_pattern(&tv), "auc");
	textview_status(&tv, st, sizeof st);
	assert_string_equal(st, "line 6 of 20 · 3 lines match");
	assert_true(textview_key(&tv, 'n'));
	assert_int_equal(tv.top, 11);
	assert_true(textview_key(&tv, 'n'));
	assert_int_equal(tv.top, 16); /* line 17 matches, but the last page starts at 16 */
	assert_true(textview_key(&tv, 'N'));
	assert_int_equal(tv.top, 11);
	assert_int_equal(textview_search(&tv, "a(", msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "missing closing parenthesis"));
	assert_string_equal(textview_pattern(&tv), "auc"); /* the old search stays */
	assert_int_equal(textview_search(&tv, "", msg, sizeof msg), 0);
	assert_string_equal(textview_pattern(&tv), "");
	textview_fini(&tv);
}

static void test_sanitized(void **state)
{
	struct textview tv;
	(void)state;
	textview_init(&tv, 0);
	textview_add(&tv, ROLE_NORMAL, "%s", "run \x1b]0;pwned\x07 name");
	assert_null(strchr(tv.lines[0].text, 0x1b));
	assert_null(strchr(tv.lines[0].text, 0x07));
	textview_fini(&tv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scroll),
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_sanitized),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
