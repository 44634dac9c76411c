/* matcher.h: Alertmanager label matchers (name, value, regex or not, equal or not), as the filter
 * parameter writes them (name="v", name!="v", name=~"re", name!~"re", unquoted values allowed) and
 * as silences carry them. Regexes are fully anchored, like Alertmanager's. */
#ifndef MLTOP_SIM_MATCHER_H
#define MLTOP_SIM_MATCHER_H

#include <regex.h>

#include "sim/sim.h"

#define MATCHER_LIST_MAX 16

struct matcher {
	char *name, *value;
	int is_regex, is_equal;
	regex_t re;
	int compiled;
};

/* Whether s is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*). */
int matcher_valid_label_name(const char *s);
/* Fills m from the filter syntax; 0, or -1 when s is not one matcher. */
int matcher_parse(const char *s, struct matcher *m);
/* Fills m from its parts (copies them); 0, or -1 when the regex or the name is invalid. */
int matcher_set(struct matcher *m, const char *name, const char *value, int is_regex, int is_equal);
/* Whether the matcher accepts value (an absent label is the empty string). */
int matcher_matches(const struct matcher *m, const char *value);
/* Whether two matchers are the same (name, value, regex, equal). */
int matcher_same(const struct matcher *a, const struct matcher *b);
void matcher_fini(struct matcher *m);

/* The filter= parameters of a request, one matcher each (AND-ed). */
struct matcher_list {
	struct matcher m[MATCHER_LIST_MAX];
	int n;
	char bad[300]; /* "bad matcher format: ..." after a parse error */
};
/* Fills l from every filter= of req; 0, or -1 with l->bad set. */
int matcher_list_from_query(struct matcher_list *l, const struct sim_req *req);
void matcher_list_fini(struct matcher_list *l);

#endif
