#include "panels/samples_focus.h"

#include <stdio.h>
#include <string.h>

/* Reads one value from *p (quoted or bare) into out; returns 0, or -1 on an unterminated quote
 * (then *p is at the end). The value is cut at cap - 1 bytes. */
static int samples_focus_value(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	char q = (*s == '"' || *s == '\'') ? *s++ : 0;
	while (*s && (q ? *s != q : (*s != ' ' && *s != '\t'))) {
		if (q == '"' && *s == '\\' && s[1])
			s++;
		if (n + 1 < cap)
			out[n++] = *s;
		s++;
	}
	out[n] = '\0';
	if (q && *s != q) {
		*p = s;
		return -1;
	}
	*p = s + (q ? 1 : 0);
	return 0;
}

static char *samples_focus_slot(struct samples_focus *f, const char *key, size_t len)
{
	static const char *const names[] = {"model", "version", "feature", "run"};
	char *slots[] = {f->model, f->version, f->feature, f->run};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == len && strncmp(names[i], key, len) == 0)
			return slots[i];
	return NULL;
}

int samples_focus_parse(const char *arg, struct samples_focus *f)
{
	memset(f, 0, sizeof *f);
	const char *p = arg ? arg : "";
	int set = 0;
	for (;;) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		size_t klen = strcspn(p, "= \t");
		char *slot = p[klen] == '=' ? samples_focus_slot(f, p, klen) : NULL;
		const char *word = p;
		p += klen + (p[klen] == '=');
		char val[SAMPLES_FOCUS_MAX];
		int rc = word[klen] == '=' ? samples_focus_value(&p, val, sizeof val) : -1;
		if (!slot || rc < 0 || !val[0]) {
			f->skipped++;
			p += strcspn(p, " \t");
			continue;
		}
		snprintf(slot, SAMPLES_FOCUS_MAX, "%s", val);
		set = 1;
	}
	return set;
}

int samples_focus_any(const struct samples_focus *f)
{
	return f->model[0] || f->version[0] || f->feature[0] || f->run[0];
}

void samples_focus_text(const struct samples_focus *f, char *buf, size_t n)
{
	static const char *const names[] = {"run", "model", "version", "feature"};
	const char *vals[] = {f->run, f->model, f->version, f->feature};
	size_t at = 0;
	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < 4 && at < n; i++) {
		if (!vals[i][0])
			continue;
		int w = snprintf(buf + at, n - at, "%s%s %s", at ? " · " : "", names[i], vals[i]);
		if (w < 0)
			break;
		at += (size_t)w;
	}
}
