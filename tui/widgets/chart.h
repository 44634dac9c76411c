/* chart: a line chart of up to 8 series drawn over each other (metric curves by step, by wall
 * time or by time since each run's start, latency over the last minutes), with y ticks, x ticks,
 * a legend, and a sparkline. Three renderings: braille (2x4 dots a cell), block (eighth blocks
 * ▁▂▃▄▅▆▇█) and ASCII for terminals or locales without braille. Series are told apart without
 * colour: in ASCII each series is drawn with a glyph of its own (* + o x # @ % &), block curves
 * carry the series' letter (a b c …) at intervals, and braille curves too wherever the theme gives
 * all the series one look (NO_COLOR, a monochrome terminal or theme); the legend shows the same
 * mark.
 * chart_render computes the whole picture as a grid of code points and roles, without curses
 * (unit-testable); chart_draw copies a grid into a window. */
#ifndef MLTOP_CHART_H
#define MLTOP_CHART_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "themes/theme.h"

#define CHART_MAX_SERIES 8
#define CHART_CONT       0xFFFFFFFFu /* grid cell covered by the wide character on its left */

enum chart_mode {
	CHART_BRAILLE,
	CHART_BLOCK,
	CHART_ASCII,
};

/* One series: n points, x ascending (NULL: 0, 1, 2, ...). NaN points are skipped (the line
 * joins their neighbours), and so are y <= 0 on a log scale. Borrowed for the render only. */
struct chart_series {
	const char *name; /* legend text, sanitized UTF-8 */
	const double *x;
	const double *y;
	size_t n;
};

struct chart_opts {
	enum chart_mode mode;
	bool log_y;         /* y on a log10 scale */
	bool x_time;        /* x in seconds since the epoch: ticks in local clock time */
	bool x_elapsed;     /* x in seconds since a start: ticks as durations (0s, 30m, 1h30m) */
	const char *title;  /* top left; may be NULL */
	const char *x_unit; /* after the x tick labels ("step"); may be NULL */
};

/* The rendered chart: h rows of w cells, each a code point (0: blank, CHART_CONT: covered)
 * and an enum role (ROLE_SERIES1 + i % 8 for series i, ROLE_BORDER for axes), and the series
 * letters: mark is the letter a cell shows instead of its code point when colours cannot tell
 * the series apart (0: none). Owned by the caller's struct, which starts zeroed; chart_grid_fini
 * frees it. */
struct chart_grid {
	int w, h;
	int ns; /* series drawn */
	uint32_t *cp;
	uint32_t *mark;
	unsigned char *role;
	bool ascii; /* CHART_ASCII: the grid holds ASCII only (names: '?' for the rest) */
};

/* Renders ns series (the first CHART_MAX_SERIES) into a w x h grid, reusing g's memory. A chart
 * smaller than 12 x 4 is left blank. Returns 0, or -1 when out of memory. */
int chart_render(struct chart_grid *g, int w, int h, const struct chart_series *s, int ns,
                 const struct chart_opts *o);
void chart_grid_fini(struct chart_grid *g);

/* The grid as UTF-8 lines, trailing blanks trimmed, each ending in "\n" (malloc'd); with marks,
 * as drawn where colours cannot tell the series apart. */
char *chart_grid_text(const struct chart_grid *g, bool marks);

/* Whether theme draws the first ns series alike (theme NULL: monochrome, so yes when ns > 1). */
bool chart_series_alike(const struct theme *theme, int ns);

/* Draws the grid at (y, x) of win, each cell in its role's attribute, with the series letters
 * when chart_series_alike. theme may be NULL. */
void chart_draw(const struct chart_grid *g, WINDOW *win, int y, int x, const struct theme *theme);

/* The last min(n, width) values as ▁▂▃▄▅▆▇█ scaled between their min and max (ASCII: the ramp
 * " .:-=+*#"); NaN is a space, a flat series is all ▁ (▄ when above 0). Writes into out
 * (outsz bytes, NUL-terminated; 3 bytes a value in UTF-8) and returns the bytes written. */
size_t chart_sparkline(char *out, size_t outsz, const double *v, size_t n, int width, bool ascii);
/* The same between the bounds given: lo is ▁, hi is █ (values outside are clipped), a value
 * anywhere when lo >= hi is ▁ (▄ when above 0). */
size_t chart_sparkline_scaled(char *out, size_t outsz, const double *v, size_t n, int width,
                              double lo, double hi, bool ascii);

#endif
