/* matcher.c: Alertmanager label matchers. */
#include "sim/matcher.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int matcher_valid_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

int matcher_valid_label_name(const char *s)
{
	return matcher_valid_name(s, strlen(s));
}

int matcher_set(struct matcher *m, const char *name, const char *value, int is_regex, int is_equal)
{
	memset(m, 0, sizeof(*m));
	if (!matcher_valid_name(name, strlen(name)))
		return -1;
	m->name = strdup(name);
	m->value = strdup(value);
	m->is_regex = is_regex;
	m->is_equal = is_equal;
	if (!m->name || !m->value)
		abort();
	if (is_regex) {
		size_t n = strlen(value) + 8;
		char *anchored = malloc(n);
		int rc;
		if (!anchored)
			abort();
		strcpy(anchored, "^(");
		strcat(anchored, value);
		strcat(anchored, ")$");
		rc = regcomp(&m->re, anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc != 0) {
			matcher_fini(m);
			return -1;
		}
		m->compiled = 1;
	}
	return 0;
}

/* Reads a double-quoted value with \" \\ \n escapes; the quote must close the string. */
static char *matcher_unquote(const char *s)
{
	size_t n = strlen(s);
	char *out, *o;

	if (n < 2 || s[n - 1] != '"')
		return NULL;
	out = o = calloc(1, n);
	if (!out)
		abort();
	for (size_t i = 1; i < n - 1; i++) {
		if (s[i] == '"') {
			free(out);
			return NULL;
		}
		if (s[i] == '\\' && i + 1 < n - 1) {
			i++;
			*o++ = s[i] == 'n' ? '\n' : s[i];
			continue;
		}
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

int matcher_parse(const char *s, struct matcher *m)
{
	const char *p = s, *name_end;
	char name[128], *value;
	int is_regex = 0, is_equal = 1, rc;

	while (isspace((unsigned char)*p))
		p++;
	name_end = p;
	while (isalnum((unsigned char)*name_end) || *name_end == '_')
		name_end++;
	if (name_end == p || (size_t)(name_end - p) >= sizeof(name))
		return -1;
	memcpy(name, p, (size_t)(name_end - p));
	name[name_end - p] = '\0';
	p = name_end;
	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '!' && (p[1] == '=' || p[1] == '~')) {
		is_equal = 0;
		is_regex = p[1] == '~';
		p += 2;
	} else if (p[0] == '=' && p[1] == '~') {
		is_regex = 1;
		p += 2;
	} else if (p[0] == '=') {
		p++;
	} else {
		return -1;
	}
	while (isspace((unsigned char)*p))
		p++;
	value = *p == '"' ? matcher_unquote(p) : strdup(p);
	if (!value)
		return -1;
	for (size_t n = strlen(value); n && *p != '"' && isspace((unsigned char)value[n - 1]); n--)
		value[n - 1] = '\0';
	rc = matcher_set(m, name, value, is_regex, is_equal);
	free(value);
	return rc;
}

int matcher_matches(const struct matcher *m, const char *value)
{
	int hit;

	if (!value)
		value = "";
	hit = m->is_regex ? regexec(&m->re, value, 0, NULL, 0) == 0 : strcmp(m->value, value) == 0;
	return m->is_equal ? hit : !hit;
}

int matcher_same(const struct matcher *a, const struct matcher *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->value, b->value) == 0 &&
	       a->is_regex == b->is_regex && a->is_equal == b->is_equal;
}

void matcher_fini(struct matcher *m)
{
	if (m->compiled)
		regfree(&m->re);
	free(m->name);
	free(m->value);
	memset(m, 0, sizeof(*m));
}

static void matcher_list_add(void *ud, const char *text)
{
	struct matcher_list *l = ud;

	if (l->bad[0])
		return;
	if (l->n == MATCHER_LIST_MAX || matcher_parse(text, &l->m[l->n]) < 0)
		snprintf(l->bad, sizeof(l->bad), "bad matcher format: %.250s", text);
	else
		l->n++;
}

int matcher_list_from_query(struct matcher_list *l, const struct sim_req *req)
{
	memset(l, 0, sizeof(*l));
	sim_query_all(req, "filter", matcher_list_add, l);
	return l->bad[0] ? -1 : 0;
}

void matcher_list_fini(struct matcher_list *l)
{
	for (int i = 0; i < l->n; i++)
		matcher_fini(&l->m[i]);
	l->n = 0;
}
