/* mltop-sim: the search filter grammar. Messages follow mlflow/utils/search_utils.py. */
#include "sim/mlflow_filter.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct filter_lex {
	const char *s;
	const char *text; /* the whole filter, for messages */
	char *err;
	size_t errlen;
};

static void filter_ws(struct filter_lex *l)
{
	while (isspace((unsigned char)*l->s))
		l->s++;
}

static int filter_fail(struct filter_lex *l, const char *fmt, const char *arg)
{
	snprintf(l->err, l->errlen, fmt, arg);
	return -1;
}

/* A keyword (case-insensitive) followed by a non-identifier character. */
static int filter_keyword(struct filter_lex *l, const char *kw)
{
	size_t n = strlen(kw);

	filter_ws(l);
	if (strncasecmp(l->s, kw, n) != 0 || isalnum((unsigned char)l->s[n]) || l->s[n] == '_')
		return 0;
	l->s += n;
	return 1;
}

/* A quoted run of characters ('...', "..." or `...`), without the quotes. */
static int filter_quoted(struct filter_lex *l, char *out, size_t len)
{
	char q = *l->s;
	const char *end = strchr(l->s + 1, q);
	size_t n;

	if (!end)
		return filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	n = (size_t)(end - l->s - 1);
	if (n >= len)
		n = len - 1;
	memcpy(out, l->s + 1, n);
	out[n] = '\0';
	l->s = end + 1;
	return 0;
}

static int filter_word(struct filter_lex *l, char *out, size_t len, const char *extra)
{
	size_t n = 0;

	while (isalnum((unsigned char)*l->s) || *l->s == '_' || (*l->s && strchr(extra, *l->s))) {
		if (n + 1 < len)
			out[n++] = *l->s;
		l->s++;
	}
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

static const struct {
	const char *name;
	enum mlflow_entity e;
} filter_entities[] = {
    {"metrics", MLFLOW_METRIC},   {"metric", MLFLOW_METRIC},   {"params", MLFLOW_PARAM},
    {"param", MLFLOW_PARAM},      {"parameter", MLFLOW_PARAM}, {"parameters", MLFLOW_PARAM},
    {"tags", MLFLOW_TAG},         {"tag", MLFLOW_TAG},         {"attributes", MLFLOW_ATTR},
    {"attribute", MLFLOW_ATTR},   {"attr", MLFLOW_ATTR},       {"run", MLFLOW_ATTR},
    {"datasets", MLFLOW_DATASET}, {"dataset", MLFLOW_DATASET},
};

/* The left-hand side: entity.key, entity."quoted key", a bare key or a quoted bare key. */
static int filter_lhs(struct filter_lex *l, enum mlflow_entity *e, char *key, size_t len)
{
	char word[MLFLOW_FILTER_STR];
	size_t i;

	filter_ws(l);
	if (*l->s == '"' || *l->s == '`') {
		*e = MLFLOW_ATTR;
		return filter_quoted(l, key, len);
	}
	if (filter_word(l, word, sizeof(word), "") != 0)
		return filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	if (*l->s != '.') {
		*e = MLFLOW_ATTR;
		snprintf(key, len, "%s", word);
		return 0;
	}
	l->s++;
	for (i = 0; i < sizeof(filter_entities) / sizeof(filter_entities[0]); i++)
		if (strcasecmp(word, filter_entities[i].name) == 0)
			break;
	if (i == sizeof(filter_entities) / sizeof(filter_entities[0]))
		return filter_fail(l,
		                   "Invalid entity type '%s'. Valid values are ['metric', "
		                   "'parameter', 'tag', 'attribute', 'dataset']",
		                   word);
	*e = filter_entities[i].e;
	if (*l->s == '"' || *l->s == '`')
		return filter_quoted(l, key, len);
	if (filter_word(l, key, len, ".-:/@") != 0)
		return filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	return 0;
}

static int filter_op(struct filter_lex *l, enum mlflow_op *op)
{
	static const struct {
		const char *sym;
		enum mlflow_op op;
	} syms[] = {{"!=", MLFLOW_NE}, {">=", MLFLOW_GE}, {"<=", MLFLOW_LE},
	            {"=", MLFLOW_EQ},  {">", MLFLOW_GT},  {"<", MLFLOW_LT}};
	size_t i;

	filter_ws(l);
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if (strncmp(l->s, syms[i].sym, strlen(syms[i].sym)) == 0) {
			l->s += strlen(syms[i].sym);
			*op = syms[i].op;
			return 0;
		}
	}
	if (filter_keyword(l, "LIKE"))
		*op = MLFLOW_LIKE;
	else if (filter_keyword(l, "ILIKE"))
		*op = MLFLOW_ILIKE;
	else if (filter_keyword(l, "IN"))
		*op = MLFLOW_IN;
	else if (filter_keyword(l, "NOT") && filter_keyword(l, "IN"))
		*op = MLFLOW_NOT_IN;
	else
		return filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	return 0;
}

static int filter_list(struct filter_lex *l, struct mlflow_clause *c)
{
	l->s++;
	c->kind = MLFLOW_VLIST;
	for (;;) {
		filter_ws(l);
		if ((*l->s != '\'' && *l->s != '"') || c->nlist >= MLFLOW_FILTER_LIST)
			return filter_fail(l,
			                   "While parsing a list in the query, expected string "
			                   "value, punctuation, or whitespace, but got different "
			                   "type in list: '%s'",
			                   l->text);
		if (filter_quoted(l, c->list[c->nlist], sizeof(c->list[0])) != 0)
			return -1;
		c->nlist++;
		filter_ws(l);
		if (*l->s == ')') {
			l->s++;
			return 0;
		}
		if (*l->s++ != ',')
			return filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	}
}

static int filter_value(struct filter_lex *l, struct mlflow_clause *c)
{
	char *end;

	filter_ws(l);
	if (*l->s == '(')
		return filter_list(l, c);
	if (*l->s == '\'' || *l->s == '"') {
		c->kind = MLFLOW_VSTR;
		return filter_quoted(l, c->str, sizeof(c->str));
	}
	c->num = strtod(l->s, &end);
	if (end != l->s &&
	    (*l->s == '-' || *l->s == '+' || *l->s == '.' || isdigit((unsigned char)*l->s))) {
		snprintf(c->str, sizeof(c->str), "%.*s", (int)(end - l->s), l->s);
		c->kind = MLFLOW_VNUM;
		l->s = end;
		return 0;
	}
	c->kind = MLFLOW_VBARE;
	if (filter_word(l, c->str, sizeof(c->str), ".-") != 0)
		return filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	return 0;
}

static void filter_normalize(struct mlflow_clause *c)
{
	if (c->entity != MLFLOW_ATTR)
		return;
	if (strcmp(c->key, "run name") == 0 || strcmp(c->key, "Run Name") == 0)
		snprintf(c->key, sizeof(c->key), "run_name");
	else if (strcmp(c->key, "created") == 0 || strcmp(c->key, "Created") == 0)
		snprintf(c->key, sizeof(c->key), "start_time");
}

static const struct mlflow_filter_rule *filter_rule(const struct mlflow_filter_rule *rules, int n,
                                                    enum mlflow_entity e, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (rules[i].entity == e && (!rules[i].key || strcmp(rules[i].key, key) == 0))
			return &rules[i];
	return NULL;
}

static const char *const filter_op_names[] = {"=",  "!=",   ">",     ">=", "<",
                                              "<=", "LIKE", "ILIKE", "IN", "NOT IN"};

static int filter_check(struct filter_lex *l, const struct mlflow_clause *c,
                        const struct mlflow_filter_rule *rules, int n)
{
	static const char *const what[] = {"metric", "parameter", "tag", "attribute", "dataset"};
	const struct mlflow_filter_rule *r = filter_rule(rules, n, c->entity, c->key);
	char msg[MLFLOW_FILTER_STR + 64];

	if (!r && c->entity == MLFLOW_ATTR)
		return filter_fail(l, "Invalid attribute key '%s' specified.", c->key);
	if (!r) {
		snprintf(msg, sizeof(msg), "%s.%s", what[c->entity], c->key);
		return filter_fail(l, "Invalid clause(s) in filter string: '%s'", msg);
	}
	if (r->numeric && c->op > MLFLOW_LE)
		return filter_fail(l,
		                   "Invalid comparator '%s' not one of '['=', '!=', '>', '>=', "
		                   "'<', '<=']'",
		                   filter_op_names[c->op]);
	if (r->numeric && c->kind != MLFLOW_VNUM) {
		snprintf(msg, sizeof(msg), "Expected numeric value type for %s. Found %s",
		         what[c->entity], c->str);
		return filter_fail(l, "%s", msg);
	}
	if (r->numeric)
		return 0;
	if ((c->op == MLFLOW_IN || c->op == MLFLOW_NOT_IN) && r->list)
		return c->kind == MLFLOW_VLIST
		           ? 0
		           : filter_fail(l, "Invalid clause(s) in filter string: '%s'", l->text);
	if (c->op != MLFLOW_EQ && c->op != MLFLOW_NE && c->op != MLFLOW_LIKE &&
	    c->op != MLFLOW_ILIKE)
		return filter_fail(l,
		                   "Invalid comparator '%s' not one of '['=', '!=', 'LIKE', "
		                   "'ILIKE']'",
		                   filter_op_names[c->op]);
	if (c->kind != MLFLOW_VSTR)
		return filter_fail(l,
		                   "Value is either not quoted or unidentified quote types used "
		                   "for string value %s. Use either single or double quotes.",
		                   c->str);
	return 0;
}

int mlflow_filter_parse(const char *text, const struct mlflow_filter_rule *rules, int nrules,
                        struct mlflow_filter *f, char *err, size_t errlen)
{
	struct filter_lex l = {text, text, err, errlen};

	f->n = 0;
	if (!text)
		return 0;
	filter_ws(&l);
	if (!*l.s)
		return 0;
	for (;;) {
		struct mlflow_clause *c = &f->c[f->n];

		if (f->n >= MLFLOW_FILTER_MAX)
			return filter_fail(&l, "Too many clauses in filter string: '%s'", text);
		memset(c, 0, sizeof(*c));
		if (filter_lhs(&l, &c->entity, c->key, sizeof(c->key)) != 0 ||
		    filter_op(&l, &c->op) != 0 || filter_value(&l, c) != 0)
			return -1;
		filter_normalize(c);
		if (filter_check(&l, c, rules, nrules) != 0)
			return -1;
		f->n++;
		filter_ws(&l);
		if (!*l.s)
			return 0;
		if (!filter_keyword(&l, "AND"))
			return filter_fail(&l, "Invalid clause(s) in filter string: '%s'", text);
	}
}

int mlflow_filter_like(const char *p, const char *s, int icase)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		int eq =
		    icase ? tolower((unsigned char)*p) == tolower((unsigned char)*s) : *p == *s;

		if (*p == '%') {
			star_p = ++p;
			star_s = s;
		} else if (*p && (*p == '_' || eq)) {
			p++;
			s++;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return 0;
		}
	}
	while (*p == '%')
		p++;
	return *p == '\0';
}

int mlflow_filter_match_str(const struct mlflow_clause *c, const char *v)
{
	int i;

	if (!v)
		return 0;
	switch (c->op) {
	case MLFLOW_EQ:
		return strcmp(v, c->str) == 0;
	case MLFLOW_NE:
		return strcmp(v, c->str) != 0;
	case MLFLOW_LIKE:
		return mlflow_filter_like(c->str, v, 0);
	case MLFLOW_ILIKE:
		return mlflow_filter_like(c->str, v, 1);
	case MLFLOW_IN:
	case MLFLOW_NOT_IN:
		for (i = 0; i < c->nlist; i++)
			if (strcmp(v, c->list[i]) == 0)
				return c->op == MLFLOW_IN;
		return c->op == MLFLOW_NOT_IN;
	default:
		return 0;
	}
}

int mlflow_filter_match_num(const struct mlflow_clause *c, double v)
{
	switch (c->op) {
	case MLFLOW_EQ:
		return v == c->num;
	case MLFLOW_NE:
		return v != c->num;
	case MLFLOW_GT:
		return v > c->num;
	case MLFLOW_GE:
		return v >= c->num;
	case MLFLOW_LT:
		return v < c->num;
	case MLFLOW_LE:
		return v <= c->num;
	default:
		return 0;
	}
}

int mlflow_filter_order(const char *text, const struct mlflow_filter_rule *rules, int nrules,
                        struct mlflow_order *o, char *err, size_t errlen)
{
	struct filter_lex l = {text, text, err, errlen};
	struct mlflow_clause c;

	memset(o, 0, sizeof(*o));
	memset(&c, 0, sizeof(c));
	if (filter_lhs(&l, &c.entity, c.key, sizeof(c.key)) != 0)
		goto bad;
	filter_normalize(&c);
	if (!filter_rule(rules, nrules, c.entity, c.key))
		goto bad;
	if (filter_keyword(&l, "DESC"))
		o->desc = 1;
	else
		filter_keyword(&l, "ASC");
	filter_ws(&l);
	if (*l.s)
		goto bad;
	o->entity = c.entity;
	snprintf(o->key, sizeof(o->key), "%s", c.key);
	return 0;
bad:
	return filter_fail(&l, "Invalid order_by clause '%s'. Could not be parsed.", text);
}
