/* Themes: every shipped file loads, roles parse, errors name file and line, built-ins work
 * without files, 256 colours map down to 16 and 8, and NO_COLOR keeps meaning as attributes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "themes/theme.h"
#include "tests/unit/screen.h"

static const char *const src_dirs[] = {"themes", NULL};

static void shipped_themes_load(void **state)
{
	(void)state;
	const char *names[] = {"default", "light", "high-contrast", "mono"};
	for (size_t i = 0; i < 4; i++) {
		struct theme t;
		struct err e = {0};
		assert_int_equal(theme_load(&t, names[i], src_dirs, &e), 0);
		if (strcmp(names[i], "mono") == 0) {
			assert_true(t.mono);
			continue;
		}
		for (int r = 0; r < ROLE_COUNT; r++)
			assert_true(t.role[r].set);
	}
	struct theme t;
	assert_int_equal(theme_load(&t, "high-contrast", src_dirs, NULL), 0);
	assert_int_equal(t.role[ROLE_CRIT].fg, 9);
	assert_true(t.role[ROLE_CRIT].attrs & A_BOLD);
	assert_true(t.role[ROLE_CRIT].attrs & A_REVERSE);
}

static void builtins_without_files(void **state)
{
	(void)state;
	struct theme t;
	const char *const none[] = {"/nonexistent", NULL};
	assert_int_equal(theme_load(&t, "default", none, NULL), 0);
	assert_int_equal(t.role[ROLE_HEADER].bg, 24);
	assert_int_equal(theme_load(&t, "mono", none, NULL), 0);
	assert_true(t.mono);
	struct err e = {0};
	assert_true(theme_load(&t, "nosuch", none, &e) < 0);
	assert_non_null(strstr(e.msg, "no theme 'nosuch'"));
}

static char *write_theme(const char *dir, const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s.ini", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void errors_name_file_and_line(void **state)
{
	(void)state;
	char dir[] = "/tmp/mltop-theme-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *const dirs[] = {dir, NULL};
	struct theme t;
	struct err e = {0};
	write_theme(dir, "bad1", "[roles]\nok = green\ncrit = purple-ish bold\n");
	assert_true(theme_load(&t, "bad1", dirs, &e) < 0);
	assert_non_null(strstr(e.msg, "bad1.ini:3: bad colour 'purple-ish bold' for role crit"));
	write_theme(dir, "bad2", "[roles]\n# a comment\nnot_a_role = red\n");
	assert_true(theme_load(&t, "bad2", dirs, &e) < 0);
	assert_non_null(strstr(e.msg, "bad2.ini:3: unknown key 'not_a_role' in [roles]"));
	write_theme(dir, "bad3", "[roles]\nok = 300\n");
	assert_true(theme_load(&t, "bad3", dirs, &e) < 0);
	write_theme(dir, "bad4", "[roles]\nok = red on\n");
	assert_true(theme_load(&t, "bad4", dirs, &e) < 0);
	write_theme(dir, "good",
	            "[theme]\ndescription = mine\n[roles]\nok = bright-green on 17 underline\n");
	assert_int_equal(theme_load(&t, "good", dirs, &e), 0);
	assert_int_equal(t.role[ROLE_OK].fg, 10);
	assert_int_equal(t.role[ROLE_OK].bg, 17);
	assert_true(t.role[ROLE_OK].attrs & A_UNDERLINE);
	char *names[16];
	int n = theme_list(dirs, names, 16);
	int found = 0;
	for (int i = 0; i < n; i++) {
		found += strcmp(names[i], "good") == 0;
		free(names[i]);
	}
	assert_int_equal(found, 1);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void colours_fit_the_terminal(void **state)
{
	(void)state;
	assert_int_equal(screen_open(40, 5), 0);
	start_color();
	struct theme t;
	assert_int_equal(theme_load(&t, "default", src_dirs, NULL), 0);
	theme_apply(&t, 256, 0);
	short fg, bg;
	pair_content(PAIR_NUMBER(theme_attr(&t, ROLE_HEADER)), &fg, &bg);
	assert_int_equal(bg, 24);
	theme_apply(&t, 16, 0);
	pair_content(PAIR_NUMBER(theme_attr(&t, ROLE_HEADER)), &fg, &bg);
	assert_true(bg >= 0 && bg < 16);
	theme_apply(&t, 8, 0);
	pair_content(PAIR_NUMBER(theme_attr(&t, ROLE_CRIT)), &fg, &bg);
	assert_true(fg >= 0 && fg < 8);
	theme_apply(&t, 256, 1); /* NO_COLOR: attributes carry the meaning */
	assert_int_equal(PAIR_NUMBER(theme_attr(&t, ROLE_CRIT)), 0);
	assert_true(theme_attr(&t, ROLE_CRIT) & A_BOLD);
	assert_true(theme_attr(&t, ROLE_SELECTED) & A_REVERSE);
	assert_true(theme_attr(&t, ROLE_MUTED) & A_DIM);
	assert_true(theme_attr(NULL, ROLE_MATCH) & A_UNDERLINE);
	screen_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shipped_themes_load),
	    cmocka_unit_test(builtins_without_files),
	    cmocka_unit_test(errors_name_file_and_line),
	    cmocka_unit_test(colours_fit_the_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
