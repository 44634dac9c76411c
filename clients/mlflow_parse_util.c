#include "clients/mlflow_parse_util.h"

#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"

const char *pctx_dup(struct pctx *p, const char *s)
{
	if (!s)
		return NULL;
	const char *c = arena_strdup(p->a, s);
	if (!c)
		p->oom = 1;
	return c;
}

const char *pctx_str(struct pctx *p, const cJSON *o, const char *key)
{
	return pctx_dup(p, json_str(o, key));
}

struct mlflow_tag *pctx_tags(struct pctx *p, const cJSON *arr, size_t *n)
{
	*n = 0;
	size_t count = json_count(arr);
	if (!count)
		return NULL;
	struct mlflow_tag *t = arena_calloc(p->a, count, sizeof *t);
	if (!t) {
		p->oom = 1;
		return NULL;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		const char *k = json_str(it, "key");
		if (!k)
			continue;
		const char *v = json_str(it, "value");
		t[*n].key = pctx_dup(p, k);
		t[*n].value = pctx_dup(p, v ? v : "");
		(*n)++;
	}
	return *n ? t : NULL;
}

/* A get body's single object, moved into a one-item array so that callers walk a list. */
static int single_as_list(struct page *pg, const char *key, struct err *e)
{
	cJSON *obj = cJSON_DetachItemFromObjectCaseSensitive(pg->root, key);
	cJSON *arr = cJSON_CreateArray();
	if (!arr) {
		cJSON_Delete(obj);
		return err_set(e, ERR_NOMEM, "%s: out of memory", pg->what);
	}
	cJSON_AddItemToArray(pg->root, arr);
	cJSON_AddItemToArray(arr, obj);
	pg->list = arr;
	return 0;
}

int page_open(struct page *pg, const char *body, size_t len, const char *what, const char *list_key,
              char **next_token, struct err *e)
{
	memset(pg, 0, sizeof *pg);
	pg->what = what;
	if (next_token)
		*next_token = NULL;
	pg->root = json_parse_object(body, len, what, e);
	if (!pg->root)
		return ERR_PARSE;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(pg->root, list_key);
	if (!m || cJSON_IsNull(m))
		return 0;
	if (next_token) {
		if (cJSON_IsArray(m)) {
			pg->list = m;
			return 0;
		}
		return page_close(
		    pg, err_set(e, ERR_PARSE, "%s: \"%s\" is not a list", what, list_key), NULL, e);
	}
	if (!cJSON_IsObject(m))
		return page_close(
		    pg, err_set(e, ERR_PARSE, "%s: \"%s\" is not an object", what, list_key), NULL,
		    e);
	int rc = single_as_list(pg, list_key, e);
	return rc ? page_close(pg, rc, NULL, e) : 0;
}

int page_close(struct page *pg, int rc, char **next_token, struct err *e)
{
	if (rc == 0 && next_token) {
		const char *t = json_str(pg->root, "next_page_token");
		if (t && *t) {
			*next_token = strdup(t);
			if (!*next_token)
				rc = err_set(e, ERR_NOMEM, "%s: out of memory", pg->what);
		}
	}
	cJSON_Delete(pg->root);
	pg->root = NULL;
	pg->list = NULL;
	return rc;
}

void page_push_each(struct page *pg, struct pctx *p, void **items, size_t *n, size_t *cap,
                    size_t size, void (*fill)(struct pctx *p, const cJSON *o, void *item))
{
	const cJSON *it;
	cJSON_ArrayForEach(it, pg->list)
	{
		if (!cJSON_IsObject(it))
			continue;
		void *item = mlflow_list_push(items, n, cap, size);
		if (!item) {
			p->oom = 1;
			return;
		}
		fill(p, it, item);
	}
}
