/* samples_group: the filtered samples grouped by one field (`g` in the Samples panel), to show
 * where failures concentrate. A field whose values are all numbers (with more than a few
 * distinct ones) is cut into a few ranges of a round width; any other field is grouped by value
 * (the most frequent first, the rest in one "other" row). Each row has its count and its share
 * of the samples, with a bar; when the samples hold two or more versions of the model, the two
 * with the most samples are shown side by side (when the samples are all of one model), each with
 * its own shares, so that a value that is common among one version's failures and rare among the
 * other's stands out. The field picker lists the input fields the samples carry (in the order they
 * come), then version, model, prediction, label, error and score.
 */
#ifndef MLTOP_SAMPLES_GROUP_H
#define MLTOP_SAMPLES_GROUP_H

#include <stddef.h>

#include "clients/samples_parse.h"
#include "panels/panel.h"

#define SAMPLES_GROUP_ROWS   12 /* values shown; the rest are "other" */
#define SAMPLES_GROUP_LABEL  64
#define SAMPLES_GROUP_FIELDS 64

struct samples_group_row {
	char label[SAMPLES_GROUP_LABEL]; /* sanitized */
	size_t count[2];
};

struct samples_group {
	char field[SAMPLES_GROUP_LABEL];      /* sanitized */
	char version[2][SAMPLES_GROUP_LABEL]; /* sanitized; version[0] "" when not split */
	size_t total[2];
	int split;   /* 1: two versions side by side */
	int numeric; /* 1: ranges */
	struct samples_group_row rows[SAMPLES_GROUP_ROWS + 2];
	int nrows;
};

struct samples_group_pick {
	int active;
	char names[SAMPLES_GROUP_FIELDS][SAMPLES_GROUP_LABEL]; /* raw field names */
	int n, cur;
};

/* Groups the n samples of v by field. 0, or -1 out of memory. */
int samples_group_build(struct samples_group *g, const struct sample *const *v, size_t n,
                        const char *field);
void samples_group_draw(const struct samples_group *g, WINDOW *w, int utf8, const struct theme *t);

/* Fills the picker with the fields of the n samples of v and opens it. 0 when there is none. */
int samples_group_pick_open(struct samples_group_pick *p, const struct sample *const *v, size_t n);
/* A key while the picker is open: 1 when a field was chosen (*field set), -1 when closed
 * without a choice, 0 otherwise. */
int samples_group_pick_key(struct samples_group_pick *p, int key, const char **field);
void samples_group_pick_draw(const struct samples_group_pick *p, WINDOW *w, const struct theme *t);

#endif
