/* Tests of tui/widgets/chart: sparklines, scales, ticks (durations too), legend, series told apart
 * without colour, and golden charts. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/screen.h"
#include "tui/widgets/chart.h"

static void test_sparkline(void **state)
{
	const double up[] = {0, 1, 2, 3, 4, 5, 6, 7};
	const double gap[] = {1, NAN, 3};
	const double flat0[] = {0, 0, 0}, flat5[] = {5, 5};
	char out[64];

	(void)state;
	assert_int_equal(chart_sparkline(out, sizeof(out), up, 8, 20, false), 24);
	assert_string_equal(out, "▁▂▃▄▅▆▇█");
	chart_sparkline(out, sizeof(out), up, 8, 3, false); /* the last 3 values */
	assert_string_equal(out, "▁▅█");
	chart_sparkline(out, sizeof(out), gap, 3, 10, false);
	assert_string_equal(out, "▁ █");
	chart_sparkline(out, sizeof(out), flat0, 3, 10, false);
	assert_string_equal(out, "▁▁▁");
	chart_sparkline(out, sizeof(out), flat5, 2, 10, false);
	assert_string_equal(out, "▄▄");
	chart_sparkline(out, sizeof(out), up, 8, 20, true);
	assert_string_equal(out, " .:-=+*#");
	assert_int_equal(chart_sparkline(out, 7, up, 8, 20, false), 6); /* whole blocks only */
	assert_string_equal(out, "▁▂");
	assert_int_equal(chart_sparkline(out, sizeof(out), up, 0, 20, false), 0);
	assert_string_equal(out, "");
}

static char *render(int w, int h, const struct chart_series *s, int ns, const struct chart_opts *o,
                    struct chart_grid *g)
{
	char *text;

	assert_int_equal(chart_render(g, w, h, s, ns, o), 0);
	text = chart_grid_text(g, false);
	assert_non_null(text);
	return text;
}

static const char *line_of(const char *text, int n)
{
	static char buf[512];
	const char *p = text;

	while (n-- > 0 && (p = strchr(p, '\n')))
		p++;
	assert_non_null(p);
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

static void test_flat_one_point_and_nan(void **state)
{
	const double flat[] = {0.5, 0.5, NAN, 0.5}, one[] = {3.0}, nan2[] = {NAN, NAN};
	struct chart_series s = {"flat \xE4\xB8\xAD", NULL, flat, 4}; /* 中: not ASCII */
	struct chart_opts o = {.mode = CHART_ASCII};
	struct chart_grid g = {0};
	char *t;

	(void)state;
	t = render(30, 8, &s, 1, &o, &g);
	assert_non_null(strstr(t, "0.55")); /* the range opens around a flat series */
	assert_non_null(strstr(t, "0.45"));
	assert_non_null(strstr(t, "*"));           /* the points */
	assert_non_null(strstr(t, "* flat ??\n")); /* ASCII mode keeps to ASCII */
	free(t);
	s.y = one;
	s.n = 1;
	t = render(30, 8, &s, 1, &o, &g);
	assert_non_null(strstr(t, "*"));
	assert_non_null(strstr(t, "3.5 +")); /* 3 +- 10 %, widened to the ticks */
	assert_non_null(strstr(t, "2.5 +"));
	free(t);
	s.y = nan2;
	s.n = 2;
	t = render(30, 8, &s, 1, &o, &g);
	assert_non_null(strstr(t, "no data"));
	free(t);
	/* too small: blank, no crash */
	t = render(8, 3, &s, 1, &o, &g);
	assert_string_equal(t, "\n\n\n");
	free(t);
	chart_grid_fini(&g);
	assert_null(g.cp);
}

static void test_log_scale_ticks(void **state)
{
	const double y[] = {1, 10, 100, 1000, 0, -5};
	struct chart_series s = {"loss", NULL, y, 6};
	struct chart_opts o = {.mode = CHART_BRAILLE, .log_y = true};
	struct chart_grid g = {0};
	char *t;

	(void)state;
	t = render(40, 12, &s, 1, &o, &g);
	assert_non_null(strstr(t, "1k ┤"));
	assert_non_null(strstr(t, "100 ┤"));
	assert_non_null(strstr(t, " 10 ┤"));
	assert_non_null(strstr(t, "  1 ┤"));
	free(t);
	chart_grid_fini(&g);
}

static void test_time_axis(void **state)
{
	double x[4], y[4] = {1, 2, 3, 2};
	struct chart_series s = {"rps", x, y, 4};
	struct chart_opts o = {.mode = CHART_BRAILLE, .x_time = true};
	struct chart_grid g = {0};
	char *t;

	(void)state;
	for (int i = 0; i < 4; i++)
		x[i] = 1764417600.0 + i * 200; /* 2025-11-29 12:00 UTC, every 200 s */
	t = render(60, 10, &s, 1, &o, &g);
	assert_non_null(strstr(line_of(t, 9), "12:00"));
	assert_non_null(strstr(line_of(t, 9), "12:02"));
	assert_non_null(strstr(line_of(t, 9), "12:08"));
	free(t);
	chart_grid_fini(&g);
}

static void test_legend_and_roles(void **state)
{
	const double a[] = {1, 2, 3}, b[] = {3, 2, 1};
	struct chart_series s[2] = {{"dazzling-owl-12", NULL, a, 3}, {"brave-fox-7", NULL, b, 3}};
	struct chart_opts o = {.mode = CHART_BRAILLE, .title = "auc by step"};
	struct chart_grid g = {0};
	char *t;
	int k, seen[2] = {0, 0};

	(void)state;
	t = render(60, 10, s, 2, &o, &g);
	assert_string_equal(line_of(t, 0),
	                    "auc by step                 ━ dazzling-owl-12  ━ brave-fox-7");
	free(t);
	for (k = g.w; k < g.w * g.h; k++) {
		if (g.cp[k] >= 0x2801 && g.cp[k] <= 0x28FF) {
			assert_true(g.role[k] == ROLE_SERIES1 || g.role[k] == ROLE_SERIES2);
			seen[g.role[k] - ROLE_SERIES1] = 1;
		}
	}
	assert_true(seen[0] && seen[1]);
	/* narrow: names are shortened with an ellipsis */
	t = render(36, 10, s, 2, &o, &g);
	assert_string_equal(line_of(t, 0), "auc by step   ━ dazzlin…  ━ brave-f…");
	free(t);
	/* narrower: the marks alone, every series' */
	s[1].name = "";
	t = render(24, 10, (struct chart_series[]){s[0], s[1], s[0]}, 3, &o, &g);
	assert_string_equal(line_of(t, 0), "auc by step      ━  ━  ━");
	free(t);
	chart_grid_fini(&g);
}

/* x in seconds since a start: ticks on round durations, labelled as such. */
static void test_elapsed_axis(void **state)
{
	double x[4] = {0, 2400, 4800, 6000}, y[4] = {1, 2, 3, 2};
	struct chart_series s = {"loss", x, y, 4};
	struct chart_opts o = {.mode = CHART_ASCII, .x_elapsed = true, .x_unit = "since start"};
	struct chart_grid g = {0};
	char *t;

	(void)state;
	t = render(60, 10, &s, 1, &o, &g);
	assert_string_equal(line_of(t, 9),
	                    "   0s      15m      30m     45m      1h      1h15m    1h30m");
	free(t);
	x[1] = 45;
	x[2] = 90;
	x[3] = 135; /* seconds */
	t = render(60, 10, &s, 1, &o, &g);
	assert_string_equal(line_of(t, 9),
	                    "   0s          30s          1m          1m30s        2m");
	free(t);
	chart_grid_fini(&g);
}

/* Series told apart without colour: in ASCII by their glyphs, legend included; braille curves
 * carry their letters where the theme draws the series alike, and only there. */
static void test_series_without_colour(void **state)
{
	static const char *const dirs[] = {NULL};
	const double a[] = {1, 2, 3, 4}, b[] = {4, 3, 2, 1};
	struct chart_series s[2] = {{"up", NULL, a, 4}, {"down", NULL, b, 4}};
	struct chart_opts o = {.mode = CHART_ASCII};
	struct chart_grid g = {0};
	struct theme colour, none;
	char *t, *dump;

	(void)state;
	t = render(40, 8, s, 2, &o, &g);
	assert_string_equal(line_of(t, 0), "                            * up  + down");
	assert_non_null(strchr(line_of(t, 2), '*'));
	assert_non_null(strchr(line_of(t, 2), '+'));
	free(t);
	o.mode = CHART_BRAILLE;
	t = render(40, 8, s, 2, &o, &g);
	assert_string_equal(line_of(t, 0), "                            ━ up  ━ down");
	assert_null(strpbrk(t, "ab")); /* no letters in colour */
	free(t);
	t = chart_grid_text(&g, true);
	assert_string_equal(line_of(t, 0), "                            a up  b down");
	assert_non_null(strchr(line_of(t, 2), 'a')); /* both curves end at the right */
	assert_non_null(strchr(line_of(t, 2), 'b'));
	free(t);
	/* which themes draw the series alike */
	assert_int_equal(theme_load(&colour, "default", dirs, NULL), 0);
	none = colour;
	screen_close();
	assert_int_equal(screen_open(40, 8), 0);
	theme_apply(&colour, 256, 0);
	theme_apply(&none, 256, 1); /* NO_COLOR */
	assert_false(chart_series_alike(&colour, 2));
	assert_true(chart_series_alike(&none, 2));
	assert_true(chart_series_alike(NULL, 2));
	assert_false(chart_series_alike(NULL, 1)); /* one series needs no letter */
	chart_draw(&g, stdscr, 0, 0, &colour);
	dump = screen_dump(stdscr);
	assert_string_equal(line_of(dump, 0), "                            ━ up  ━ down");
	free(dump);
	chart_draw(&g, stdscr, 0, 0, &none);
	dump = screen_dump(stdscr);
	assert_string_equal(line_of(dump, 0), "                            a up  b down");
	free(dump);
	/* blocks carry the letters in colour too */
	o.mode = CHART_BLOCK;
	assert_int_equal(chart_render(&g, 40, 8, s, 2, &o), 0);
	werase(stdscr);
	chart_draw(&g, stdscr, 0, 0, &colour);
	dump = screen_dump(stdscr);
	assert_string_equal(line_of(dump, 0), "                            a up  b down");
	assert_non_null(strchr(line_of(dump, 2), 'a'));
	assert_non_null(strchr(line_of(dump, 2), 'b'));
	free(dump);
	screen_close();
	chart_grid_fini(&g);
}

/* Three training curves as in the compare screen. */
static void curves(double y[3][40])
{
	for (int i = 0; i < 40; i++) {
		y[0][i] = 0.93 - 0.33 * exp(-i / 6.0);
		y[1][i] = 0.95 - 0.40 * exp(-i / 10.0);
		y[2][i] = i == 17 ? NAN : 0.90 - 0.25 * exp(-i / 3.0);
	}
}

static void golden_chart(const char *name, enum chart_mode mode, int w, int h)
{
	double y[3][40], x[40];
	struct chart_series s[3] = {{"dazzling-owl-12", x, y[0], 40},
	                            {"brave-fox-7", x, y[1], 40},
	                            {"quiet-elk-3", x, y[2], 40}};
	struct chart_opts o = {.mode = mode, .title = "auc by step", .x_unit = "step"};
	struct chart_grid g = {0};
	char *dump;

	curves(y);
	for (int i = 0; i < 40; i++)
		x[i] = i * 5;
	assert_int_equal(chart_render(&g, w, h, s, 3, &o), 0);
	screen_close(); /* in case a failed test left one open */
	assert_int_equal(screen_open(w, h), 0);
	chart_draw(&g, stdscr, 0, 0, NULL);
	dump = screen_dump(stdscr);
	assert_int_equal(screen_golden(name, dump), 0);
	free(dump);
	screen_close();
	chart_grid_fini(&g);
}

static void test_golden_braille(void **state)
{
	(void)state;
	golden_chart("chart_braille_80x16", CHART_BRAILLE, 80, 16);
}

static void test_golden_ascii(void **state)
{
	(void)state;
	golden_chart("chart_ascii_80x16", CHART_ASCII, 80, 16);
}

static void test_golden_block(void **state)
{
	(void)state;
	golden_chart("chart_block_60x12", CHART_BLOCK, 60, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sparkline),        cmocka_unit_test(test_flat_one_point_and_nan),
	    cmocka_unit_test(test_log_scale_ticks),  cmocka_unit_test(test_time_axis),
	    cmocka_unit_test(test_legend_and_roles), cmocka_unit_test(test_golden_braille),
	    cmocka_unit_test(test_golden_ascii),     cmocka_unit_test(test_golden_block),
	    cmocka_unit_test(test_elapsed_axis),     cmocka_unit_test(test_series_without_colour),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
