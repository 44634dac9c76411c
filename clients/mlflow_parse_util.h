/* mlflow_parse_util: what every MLflow body parser shares: opening a page (parse, check the
 * list member's type, take next_page_token), closing it, and copying strings and tag lists
 * into an arena while remembering an out-of-memory. */
#ifndef MLTOP_MLFLOW_PARSE_UTIL_H
#define MLTOP_MLFLOW_PARSE_UTIL_H

#include <stddef.h>

#include "clients/err.h"
#include "clients/json.h"
#include "clients/mlflow_types.h"

struct pctx {
	struct arena *a;
	int oom; /* set when a copy failed */
};

/* A copy of the string member key in p->a, or NULL when absent or not a string. */
const char *pctx_str(struct pctx *p, const cJSON *o, const char *key);
const char *pctx_dup(struct pctx *p, const char *s);
/* [{key, value}] into an arena array; NULL with *n 0 when absent or empty. Items without a key
 * are dropped; a missing value is "". */
struct mlflow_tag *pctx_tags(struct pctx *p, const cJSON *arr, size_t *n);

struct page {
	cJSON *root;
	const cJSON *list; /* the list member, or NULL when absent */
	const char *what;
};

/* Parses the body and finds list_key. With next_token NULL (a "get" body) list_key names a single
 * object, which is presented as a one-item list. Fails (ERR_PARSE) on bad JSON or a list_key of
 * the wrong type. *next_token, when given, is set to NULL. */
int page_open(struct page *pg, const char *body, size_t len, const char *what, const char *list_key,
              char **next_token, struct err *e);
/* Pushes one item of size bytes onto (*items, *n, *cap) for each object of the page's list and
 * fills it with fill (which sets p->oom when a copy fails). Stops with p->oom set when memory
 * runs out. */
void page_push_each(struct page *pg, struct pctx *p, void **items, size_t *n, size_t *cap,
                    size_t size, void (*fill)(struct pctx *p, const cJSON *o, void *item));
/* Takes the token (when rc is 0 and next_token is not NULL), frees the tree, returns rc. */
int page_close(struct page *pg, int rc, char **next_token, struct err *e);

#endif
