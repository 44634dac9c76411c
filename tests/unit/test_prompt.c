/* The one-line editor behind / and : — editing, UTF-8 cursor moves, history, Tab completion. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/keys.h"
#include "tui/widgets/prompt.h"

static void type(struct prompt *p, const wchar_t *s)
{
	for (; *s; s++)
		prompt_key(p, (wint_t)*s, 0);
}

static void edits_and_moves(void **state)
{
	(void)state;
	struct prompt p = {0};
	prompt_open(&p, '/', NULL, NULL);
	type(&p, L"héllo wörld");
	assert_string_equal(p.buf, "héllo wörld");
	assert_int_equal(prompt_key(&p, 23, 0), PROMPT_CHANGED); /* Ctrl-W */
	assert_string_equal(p.buf, "héllo ");
	prompt_key(&p, KEY_LEFT, 1);
	prompt_key(&p, KEY_LEFT, 1);
	prompt_key(&p, KEY_LEFT, 1); /* between the two l */
	prompt_key(&p, KEY_BACKSPACE, 1);
	assert_string_equal(p.buf, "hélo ");
	prompt_key(&p, KEY_BACKSPACE, 1); /* é: two bytes, one code point */
	assert_string_equal(p.buf, "hlo ");
	prompt_key(&p, KEY_HOME, 1);
	type(&p, L"[");
	prompt_key(&p, KEY_END, 1);
	type(&p, L"]");
	assert_string_equal(p.buf, "[hlo ]");
	assert_int_equal(prompt_key(&p, 21, 0), PROMPT_CHANGED); /* Ctrl-U */
	assert_string_equal(p.buf, "");
	assert_int_equal(prompt_key(&p, KEY_BACKSPACE, 1), PROMPT_CANCEL);
}

static void accept_and_cancel(void **state)
{
	(void)state;
	struct prompt p = {0};
	prompt_open(&p, ':', "ctx prod", NULL);
	assert_string_equal(p.buf, "ctx prod");
	assert_int_equal(prompt_key(&p, '\r', 0), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, KEY_ENTER, 1), PROMPT_ACCEPT);
	assert_int_equal(prompt_key(&p, 27, 0), PROMPT_CANCEL);
	prompt_set_error(&p, "unknown command");
	type(&p, L"x");
	assert_string_equal(p.error, ""); /* the next edit clears the error */
}

static void history(void **state)
{
	(void)state;
	struct prompt_history h = {0};
	prompt_history_add(&h, "first");
	prompt_history_add(&h, "second");
	prompt_history_add(&h, "second"); /* no duplicate in a row */
	prompt_history_add(&h, "");
	assert_int_equal(h.n, 2);
	struct prompt p = {0};
	prompt_open(&p, '/', NULL, &h);
	prompt_key(&p, KEY_UP, 1);
	assert_string_equal(p.buf, "second");
	prompt_key(&p, KEY_UP, 1);
	assert_string_equal(p.buf, "first");
	prompt_key(&p, KEY_UP, 1);
	assert_string_equal(p.buf, "first");
	prompt_key(&p, KEY_DOWN, 1);
	prompt_key(&p, KEY_DOWN, 1);
	assert_string_equal(p.buf, "");
	for (int i = 0; i < PROMPT_HISTORY + 10; i++) {
		char line[16];
		snprintf(line, sizeof line, "l%d", i);
		prompt_history_add(&h, line);
	}
	assert_int_equal(h.n, PROMPT_HISTORY);
	assert_string_equal(h.line[h.n - 1], "l73");
	prompt_history_free(&h);
}

static int fake_complete(void *ud, const char *line, char **out, int max)
{
	(void)ud;
	static const char *const words[] = {"theme default", "theme high-contrast", "theme light"};
	int n = 0;
	for (int i = 0; i < 3 && n < max; i++)
		if (strncmp(words[i], line, strlen(line)) == 0)
			out[n++] = strdup(words[i]);
	return n;
}

static void completion(void **state)
{
	(void)state;
	struct prompt p = {.complete = fake_complete};
	prompt_open(&p, ':', "theme ", NULL);
	assert_int_equal(prompt_key(&p, '\t', 0), PROMPT_IDLE); /* several: listed */
	assert_non_null(strstr(p.hint, "high-contrast"));
	type(&p, L"l");
	assert_int_equal(prompt_key(&p, '\t', 0), PROMPT_CHANGED); /* one: completed */
	assert_string_equal(p.buf, "theme light ");
	prompt_open(&p, ':', "nothing", NULL);
	prompt_key(&p, '\t', 0);
	assert_string_equal(p.hint, "no completion");
}

static void key_table(void **state)
{
	(void)state;
	assert_int_equal(keys_action('q'), ACT_QUIT);
	assert_int_equal(keys_action(CTRL('c')), ACT_QUIT);
	assert_int_equal(keys_action('4'), ACT_TAB4);
	assert_int_equal(keys_action(CTRL('r')), ACT_REFRESH);
	assert_int_equal(keys_action('Z'), ACT_NONE);
	size_t n;
	const struct key_binding *k = keys_table(&n);
	int labelled = 0;
	for (size_t i = 0; i < n; i++)
		labelled += k[i].label != NULL && k[i].help != NULL;
	assert_true(labelled >= 12);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(edits_and_moves), cmocka_unit_test(accept_and_cancel),
	    cmocka_unit_test(history),         cmocka_unit_test(completion),
	    cmocka_unit_test(key_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
