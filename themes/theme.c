/* theme: roles -> curses attributes. A theme file names, for each role, a foreground, a background
 * and attributes; colours are names (red, bright-blue, default) or xterm-256 numbers. On a
 * 16-colour terminal 256-colour numbers are mapped to the nearest of the 16; on a monochrome one
 * (or NO_COLOR, or the mono theme) every role falls back to its built-in attribute. */
#include "themes/theme.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ini.h>

static const char *const role_names[ROLE_COUNT] = {
    "normal",  "header",  "tab",     "tab_active", "colhead", "selected", "marked",
    "match",   "ok",      "warn",    "crit",       "canary",  "muted",    "accent",
    "border",  "danger",  "footer",  "prompt",     "error",   "series1",  "series2",
    "series3", "series4", "series5", "series6",    "series7", "series8",
};

/* What each role looks like without colour: meaning must survive NO_COLOR. */
static attr_t mono_attr(enum role r)
{
	switch (r) {
	case ROLE_HEADER:
	case ROLE_TAB_ACTIVE:
	case ROLE_SELECTED:
	case ROLE_DANGER:
		return A_REVERSE;
	case ROLE_COLHEAD:
	case ROLE_ACCENT:
	case ROLE_CRIT:
	case ROLE_ERROR:
	case ROLE_MARKED:
		return A_BOLD;
	case ROLE_MATCH:
		return A_UNDERLINE | A_BOLD;
	case ROLE_WARN:
	case ROLE_CANARY:
		return A_UNDERLINE;
	case ROLE_MUTED:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

/* Role index by its file name ("crit"), or -1. */
static int theme_role_by_name(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

attr_t theme_attr(const struct theme *t, enum role r)
{
	if ((unsigned)r >= ROLE_COUNT)
		r = ROLE_NORMAL;
	if (!t)
		return mono_attr(r);
	return t->attr[r];
}

/* xterm-256 -> nearest of the 16 ANSI colours, for 16-colour terminals. */
static short to16(short c)
{
	if (c < 16)
		return c;
	int r, g, b;
	if (c >= 232) {
		int v = (c - 232) * 10 + 8;
		r = g = b = v;
	} else {
		int i = c - 16;
		static const int lv[6] = {0, 95, 135, 175, 215, 255};
		r = lv[i / 36], g = lv[(i / 6) % 6], b = lv[i % 6];
	}
	int bright = (r > 180 || g > 180 || b > 180);
	int th = bright ? 140 : 70;
	short base = (short)((r > th ? 1 : 0) | (g > th ? 2 : 0) | (b > th ? 4 : 0));
	if (base == 0 && (r + g + b) > 200)
		return 8; /* grey */
	if (base == 7 && !bright)
		return 7;
	return (short)(base + (bright && base != 0 ? 8 : 0));
}

static short fit_colour(short c, int colours)
{
	if (c < 0)
		return -1;
	if (colours >= 256)
		return c;
	c = to16(c);
	if (colours < 16 && c >= 8)
		c = (short)(c - 8);
	return c;
}

enum { N_STATUS = ROLE_ACCENT - ROLE_OK + 1 };

static int bar_index(enum role bar)
{
	return bar == ROLE_HEADER ? 0 : bar == ROLE_DANGER ? 1 : -1;
}

/* Pairs ROLE_COUNT + 1 … for the status roles on each bar (12 pairs: fits 8-colour terminals). */
static void apply_on_bars(struct theme *t, int colours, int use_colour)
{
	static const enum role bars[2] = {ROLE_HEADER, ROLE_DANGER};
	for (int b = 0; b < 2; b++)
		for (int k = 0; k < N_STATUS; k++) {
			const struct theme_role *s = &t->role[ROLE_OK + k],
			                        *bar = &t->role[bars[b]];
			t->on_bar[b][k] = t->attr[ROLE_OK + k];
			if (!use_colour || !s->set || !bar->set)
				continue;
			short pair = (short)(ROLE_COUNT + 1 + b * N_STATUS + k);
			if (pair >= COLOR_PAIRS)
				continue;
			init_pair(pair, fit_colour(s->fg, colours), fit_colour(bar->bg, colours));
			t->on_bar[b][k] = COLOR_PAIR(pair) | s->attrs | bar->attrs;
		}
}

attr_t theme_attr_on(const struct theme *t, enum role r, enum role bar)
{
	int b = bar_index(bar);
	if (!t || b < 0 || r < ROLE_OK || r > ROLE_ACCENT)
		return theme_attr(t, r);
	return t->on_bar[b][r - ROLE_OK];
}

void theme_apply(struct theme *t, int colours, int no_color)
{
	int use_colour = !no_color && !t->mono && colours >= 8 && has_colors();
	if (use_colour)
		use_default_colors();
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_role *s = &t->role[r];
		if (!use_colour || (!s->set && r != ROLE_NORMAL)) {
			t->attr[r] = use_colour ? A_NORMAL : mono_attr((enum role)r);
			if (use_colour && !s->set)
				t->attr[r] = mono_attr((enum role)r);
			continue;
		}
		short fg = fit_colour(s->fg, colours), bg = fit_colour(s->bg, colours);
		init_pair((short)(r + 1), fg, bg);
		t->attr[r] = COLOR_PAIR(r + 1) | s->attrs;
	}
	apply_on_bars(t, colours, use_colour);
}

/* The built-in themes, in the same format as the files, so that one parser serves both. */
static const char builtin_default[] =
    "[roles]\n"
    "normal = default on default\n"
    "header = 255 on 24 bold\n"
    "tab = 250 on default\n"
    "tab_active = 16 on 75 bold\n"
    "colhead = 75 bold\n"
    "selected = 255 on 238 bold\n"
    "marked = 214 bold\n"
    "match = 16 on 220\n"
    "ok = 78\n"
    "warn = 220\n"
    "crit = 203 bold\n"
    "canary = 177\n"
    "muted = 244\n"
    "accent = 117 bold\n"
    "border = 240\n"
    "danger = 255 on 124 bold\n"
    "footer = 250 on 236\n"
    "prompt = 255 on 236\n"
    "error = 203 bold\n"
    "series1 = 75\nseries2 = 214\nseries3 = 78\nseries4 = 177\n"
    "series5 = 203\nseries6 = 117\nseries7 = 229\nseries8 = 250\n";

static const struct {
	const char *name;
	short value;
} colour_names[] = {
    {"default", -1},      {"black", 0},          {"red", 1},          {"green", 2},
    {"yellow", 3},        {"blue", 4},           {"magenta", 5},      {"cyan", 6},
    {"white", 7},         {"grey", 8},           {"gray", 8},         {"bright-red", 9},
    {"bright-green", 10}, {"bright-yellow", 11}, {"bright-blue", 12}, {"bright-magenta", 13},
    {"bright-cyan", 14},  {"bright-white", 15},
};

static int parse_colour(const char *w, short *out)
{
	char *end;
	long v = strtol(w, &end, 10);
	if (*w && !*end) {
		if (v < 0 || v > 255)
			return -1;
		*out = (short)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++)
		if (strcasecmp(colour_names[i].name, w) == 0) {
			*out = colour_names[i].value;
			return 0;
		}
	return -1;
}

static int parse_attr_word(const char *w, attr_t *a)
{
	static const struct {
		const char *n;
		attr_t a;
	} words[] = {{"bold", A_BOLD},
	             {"dim", A_DIM},
	             {"reverse", A_REVERSE},
	             {"underline", A_UNDERLINE},
	             {"italic", A_ITALIC}};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(words[i].n, w) == 0) {
			*a |= words[i].a;
			return 0;
		}
	return -1;
}

/* "FG [on BG] [bold|dim|reverse|underline|italic]…" */
static int parse_role_value(const char *value, struct theme_role *r)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", value);
	struct theme_role out = {.fg = -1, .bg = -1, .attrs = A_NORMAL, .set = 1};
	int n = 0, want_bg = 0;
	for (char *save = NULL, *w = strtok_r(buf, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save), n++) {
		if (strcasecmp(w, "on") == 0) {
			want_bg = 1;
			continue;
		}
		short c;
		if (want_bg) {
			if (parse_colour(w, &c) < 0)
				return -1;
			out.bg = c;
			want_bg = 0;
		} else if (parse_attr_word(w, &out.attrs) == 0) {
			continue;
		} else if (n == 0 && parse_colour(w, &c) == 0) {
			out.fg = c;
		} else {
			return -1;
		}
	}
	if (want_bg)
		return -1;
	*r = out;
	return 0;
}

/* Debian's inih hands no line number to the handler: the reader counts the lines it gives out. */
struct load_ctx {
	struct theme *t;
	const char *file;
	struct err *e;
	int failed;
	int line;
	FILE *f;         /* read from a file, */
	const char *str; /* or from a string */
};

static char *read_line(char *buf, int size, void *ud)
{
	struct load_ctx *c = ud;
	if (c->f) {
		if (!fgets(buf, size, c->f))
			return NULL;
	} else {
		if (!c->str || !*c->str)
			return NULL;
		const char *nl = strchr(c->str, '\n');
		size_t n = nl ? (size_t)(nl - c->str + 1) : strlen(c->str);
		if (n >= (size_t)size)
			n = (size_t)size - 1;
		memcpy(buf, c->str, n);
		buf[n] = '\0';
		c->str += n;
	}
	c->line++;
	return buf;
}

static int on_ini(void *ud, const char *section, const char *name, const char *value)
{
	struct load_ctx *c = ud;
	int line = c->line;
	if (c->failed)
		return 0;
	if (strcmp(section, "theme") == 0) {
		if (strcmp(name, "mono") == 0) {
			int yes = strcmp(value, "true") == 0 || strcmp(value, "1") == 0;
			if (yes || strcmp(value, "false") == 0 || strcmp(value, "0") == 0) {
				c->t->mono = yes;
				return 1;
			}
			err_set(c->e, ERR_CONFIG, "%s:%d: mono = '%s': not true or false", c->file,
			        line, value);
			c->failed = 1;
			return 0;
		}
		if (strcmp(name, "description") == 0)
			return 1;
	} else if (strcmp(section, "roles") == 0) {
		int r = theme_role_by_name(name);
		if (r >= 0 && parse_role_value(value, &c->t->role[r]) == 0)
			return 1;
		if (r >= 0) {
			err_set(c->e, ERR_CONFIG, "%s:%d: bad colour '%s' for role %s", c->file,
			        line, value, name);
			c->failed = 1;
			return 0;
		}
	}
	err_set(c->e, ERR_CONFIG, "%s:%d: unknown key '%s' in [%s]", c->file, line, name, section);
	c->failed = 1;
	return 0;
}

static int load(struct load_ctx *c)
{
	int rc = ini_parse_stream(read_line, c, on_ini, c);
	if (c->failed)
		return ERR_CONFIG;
	if (c->f && ferror(c->f))
		return err_set(c->e, ERR_CONFIG, "%s:%d: %s", c->file, c->line + 1,
		               strerror(errno ? errno : EIO));
	if (rc != 0)
		return err_set(c->e, ERR_CONFIG, "%s:%d: not an INI line", c->file, rc);
	return 0;
}

/* Opens a theme file without blocking (a FIFO would wait for a writer): 1 with *f, 0 when
 * there is none (look further), or an error naming the file when one is there but unusable. */
static int theme_open(const char *path, FILE **f, struct err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR
		           ? 0
		           : err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_CONFIG, "%s: not a regular file", path);
	}
	*f = fdopen(fd, "r");
	if (!*f) {
		close(fd);
		return err_set(e, ERR_NOMEM, "%s: out of memory", path);
	}
	return 1;
}

int theme_load(struct theme *t, const char *name, const char *const *dirs, struct err *e)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	for (int r = 0; r < ROLE_COUNT; r++)
		t->role[r].fg = t->role[r].bg = -1;
	for (const char *const *d = dirs; d && *d; d++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s.ini", *d, name);
		FILE *f = NULL;
		int rc = theme_open(path, &f, e);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		struct load_ctx c = {.t = t, .file = path, .e = e, .f = f};
		rc = load(&c);
		fclose(f);
		return rc;
	}
	if (strcmp(name, "mono") == 0) {
		t->mono = 1;
		return 0;
	}
	if (strcmp(name, "default") == 0) {
		struct load_ctx c = {
		    .t = t, .file = "built-in default", .e = e, .str = builtin_default};
		return load(&c);
	}
	return err_set(e, ERR_CONFIG,
	               "no theme '%s' (try :theme default, light, high-contrast, mono)", name);
}

static int has_name(char **names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return 1;
	return 0;
}

int theme_list(const char *const *dirs, char **names, int max)
{
	int n = 0;
	const char *builtins[] = {"default", "mono"};
	for (int i = 0; i < 2 && n < max; i++)
		names[n++] = strdup(builtins[i]);
	for (const char *const *d = dirs; d && *d; d++) {
		DIR *dir = opendir(*d);
		if (!dir)
			continue;
		for (struct dirent *de; (de = readdir(dir)) && n < max;) {
			size_t len = strlen(de->d_name);
			if (len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0)
				continue;
			char base[256];
			snprintf(base, sizeof base, "%.*s", (int)(len - 4), de->d_name);
			if (!has_name(names, n, base))
				names[n++] = strdup(base);
		}
		closedir(dir);
	}
	return n;
}
