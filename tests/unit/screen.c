/* screen: headless curses screens and golden files for tests. */
#include "tests/unit/screen.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "panels/panel.h"

static SCREEN *scr;
static FILE *scr_out, *scr_in;

int screen_open(int cols, int rows)
{
	char buf[16];

	if (scr || !setlocale(LC_ALL, "C.UTF-8"))
		return -1;
	setenv("TERM", "xterm-256color", 1);
	snprintf(buf, sizeof(buf), "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof(buf), "%d", rows);
	setenv("LINES", buf, 1);
	scr_out = fopen("/dev/null", "w");
	scr_in = tmpfile(); /* no keys: an empty input */
	if (scr_out && scr_in)
		scr = newterm("xterm-256color", scr_out, scr_in);
	if (!scr) {
		screen_close();
		return -1;
	}
	set_term(scr);
	resize_term(rows, cols);
	werase(stdscr);
	return 0;
}

void screen_close(void)
{
	if (scr) {
		endwin();
		delscreen(scr);
		scr = NULL;
	}
	if (scr_out)
		fclose(scr_out);
	if (scr_in)
		fclose(scr_in);
	scr_out = scr_in = NULL;
}

/* Appends the UTF-8 of the cell's characters to line at *n; returns the cell's width. */
static int cell_utf8(const cchar_t *cc, char *line, size_t *n)
{
	wchar_t wch[CCHARW_MAX + 1] = {0};
	attr_t attrs;
	short pair;
	mbstate_t st;
	int w, i;

	if (getcchar(cc, wch, &attrs, &pair, NULL) == ERR || !wch[0])
		wch[0] = L' ';
	w = wcwidth(wch[0]);
	for (i = 0; i < CCHARW_MAX && wch[i]; i++) {
		memset(&st, 0, sizeof(st));
		size_t k = wcrtomb(line + *n, wch[i], &st);
		if (k != (size_t)-1)
			*n += k;
	}
	return w < 1 ? 1 : w;
}

char *screen_dump(WINDOW *win)
{
	int rows = getmaxy(win), cols = getmaxx(win), y, x;
	size_t linecap = (size_t)cols * CCHARW_MAX * MB_LEN_MAX + 2, cap, len = 0, n;
	char *out, *line;
	cchar_t cc;

	if (rows <= 0 || cols <= 0)
		return NULL;
	cap = (size_t)rows * linecap + 1;
	out = malloc(cap);
	line = malloc(linecap);
	if (!out || !line) {
		free(out);
		free(line);
		return NULL;
	}
	for (y = 0; y < rows; y++) {
		n = 0;
		for (x = 0; x < cols;) {
			if (mvwin_wch(win, y, x, &cc) == ERR)
				break;
			x += cell_utf8(&cc, line, &n);
		}
		while (n > 0 && line[n - 1] == ' ')
			n--;
		memcpy(out + len, line, n);
		len += n;
		out[len++] = '\n';
	}
	out[len] = '\0';
	free(line);
	return out;
}

char *screen_panel(struct panel *p)
{
	p->ops->recalc(p);
	werase(stdscr);
	p->ops->draw(p, stdscr, NULL);
	return screen_dump(stdscr);
}

attr_t screen_attr(WINDOW *win, int y, int x)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attrs = 0;
	short pair = 0;

	if (mvwin_wch(win, y, x, &cc) == ERR || getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
		return 0;
	return (attrs & ~A_COLOR) | (attr_t)COLOR_PAIR(pair);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)size + 1);
		if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[size] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/* Prints the lines that differ, numbered from 1, as "-want" / "+got". */
static void print_diff(const char *name, const char *want, const char *got)
{
	int line = 1, shown = 0;

	fprintf(stderr, "golden %s differs (UPDATE_GOLDEN=1 rewrites it):\n", name);
	while ((*want || *got) && shown < 40) {
		size_t lw = strcspn(want, "\n"), lg = strcspn(got, "\n");
		if (lw != lg || memcmp(want, got, lw) != 0) {
			fprintf(stderr, "line %d:\n-%.*s\n+%.*s\n", line, (int)lw, want, (int)lg,
			        got);
			shown++;
		}
		want += lw + (want[lw] == '\n');
		got += lg + (got[lg] == '\n');
		line++;
	}
}

int screen_golden(const char *name, const char *text)
{
	const char *dir = getenv("MLTOP_SRCDIR"), *upd = getenv("UPDATE_GOLDEN");
	char path[1024];
	char *want;
	int rc = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/golden/%s.txt", dir ? dir : ".", name);
	if (upd && strcmp(upd, "1") == 0) {
		f = fopen(path, "wb");
		if (!f || fputs(text, f) < 0) {
			fprintf(stderr, "golden %s: cannot write %s\n", name, path);
			if (f)
				fclose(f);
			return -1;
		}
		return fclose(f) == 0 ? 0 : -1;
	}
	want = read_file(path);
	if (!want) {
		fprintf(stderr, "golden %s: %s is missing (UPDATE_GOLDEN=1 writes it)\n", name,
		        path);
		return -1;
	}
	if (strcmp(want, text) == 0)
		rc = 0;
	else
		print_diff(name, want, text);
	free(want);
	return rc;
}
