#include "clients/mlflow_parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"
#include "clients/json.h"
#include "clients/mlflow_parse_util.h"

/* ---- experiments ---- */

static void experiment_fill(struct pctx *p, const cJSON *o, void *item)
{
	struct mlflow_experiment *x = item;
	x->id = pctx_str(p, o, "experiment_id");
	x->name = pctx_str(p, o, "name");
	x->artifact_location = pctx_str(p, o, "artifact_location");
	x->lifecycle_stage = pctx_str(p, o, "lifecycle_stage");
	x->creation_time = json_i64(o, "creation_time", 0);
	x->last_update_time = json_i64(o, "last_update_time", 0);
	x->tags = pctx_tags(p, json_arr(o, "tags"), &x->ntags);
	for (size_t i = 0; i < x->ntags; i++)
		if (x->tags[i].key && strcmp(x->tags[i].key, "mlflow.note.content") == 0)
			x->description = x->tags[i].value;
}

int mlflow_parse_experiments(const char *body, size_t len, struct mlflow_experiments *l,
                             char **next_token, struct err *e)
{
	struct page pg;
	int rc = page_open(&pg, body, len, "experiments", next_token ? "experiments" : "experiment",
	                   next_token, e);
	if (rc)
		return rc;
	struct pctx p = {.a = l->arena};
	page_push_each(&pg, &p, (void **)&l->items, &l->n, &l->cap, sizeof *l->items,
	               experiment_fill);
	if (p.oom)
		rc = err_set(e, ERR_NOMEM, "experiments: out of memory");
	return page_close(&pg, rc, next_token, e);
}

/* ---- metric history ---- */

static struct mlflow_series *series_for(struct mlflow_history *h, const char *run_id, size_t *hint)
{
	if (*hint < h->n && strcmp(h->series[*hint].run_id, run_id) == 0)
		return &h->series[*hint];
	for (size_t i = 0; i < h->n; i++) {
		if (strcmp(h->series[i].run_id, run_id) == 0) {
			*hint = i;
			return &h->series[i];
		}
	}
	const char *id = arena_strdup(h->arena, run_id);
	struct mlflow_series *s =
	    id ? mlflow_list_push((void **)&h->series, &h->n, &h->cap, sizeof *s) : NULL;
	if (s) {
		s->run_id = id;
		*hint = h->n - 1;
	}
	return s;
}

static int series_add(struct mlflow_series *s, const struct mlflow_point *pt)
{
	return mlflow_list_push((void **)&s->points, &s->n, &s->cap, sizeof *pt)
	           ? (s->points[s->n - 1] = *pt, 0)
	           : -1;
}

static int history_point(struct mlflow_history *h, const cJSON *it, const char *run_id,
                         size_t *hint)
{
	const char *rid = run_id ? run_id : json_str(it, "run_id");
	struct mlflow_point pt = {0};
	if (!rid)
		return 0; /* a bulk point without its run cannot be placed */
	if (json_double(it, "value", &pt.value) && cJSON_GetObjectItemCaseSensitive(it, "value"))
		pt.value = NAN;
	pt.step = json_i64(it, "step", 0);
	pt.timestamp = json_i64(it, "timestamp", 0);
	struct mlflow_series *s = series_for(h, rid, hint);
	return s ? series_add(s, &pt) : -1;
}

int mlflow_parse_history(const char *body, size_t len, struct mlflow_history *h, const char *run_id,
                         char **next_token, struct err *e)
{
	struct page pg;
	int rc = page_open(&pg, body, len, "metric history", "metrics", next_token, e);
	if (rc)
		return rc;
	size_t hint = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, pg.list)
	{
		if (cJSON_IsObject(it) && history_point(h, it, run_id, &hint)) {
			rc = err_set(e, ERR_NOMEM, "metric history: out of memory");
			break;
		}
	}
	return page_close(&pg, rc, next_token, e);
}

static int point_cmp(const void *a, const void *b)
{
	const struct mlflow_point *x = a, *y = b;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	if (x->timestamp != y->timestamp)
		return x->timestamp < y->timestamp ? -1 : 1;
	return 0;
}

void mlflow_history_sort(struct mlflow_history *h)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->series[i].n > 1)
			qsort(h->series[i].points, h->series[i].n, sizeof(struct mlflow_point),
			      point_cmp);
}

/* ---- artifacts ---- */

int mlflow_parse_artifacts(const char *body, size_t len, struct mlflow_artifacts *l,
                           char **next_token, struct err *e)
{
	struct page pg;
	int rc = page_open(&pg, body, len, "artifacts", "files", next_token, e);
	if (rc)
		return rc;
	struct pctx p = {.a = l->arena};
	if (!l->root_uri)
		l->root_uri = pctx_str(&p, pg.root, "root_uri");
	const cJSON *it;
	cJSON_ArrayForEach(it, pg.list)
	{
		if (!cJSON_IsObject(it))
			continue;
		struct mlflow_artifact *f =
		    mlflow_list_push((void **)&l->items, &l->n, &l->cap, sizeof *f);
		if (!f) {
			p.oom = 1;
			break;
		}
		f->path = pctx_str(&p, it, "path");
		f->is_dir = json_bool(it, "is_dir", 0);
		f->file_size = json_i64(it, "file_size", -1);
	}
	if (p.oom)
		rc = err_set(e, ERR_NOMEM, "artifacts: out of memory");
	return page_close(&pg, rc, next_token, e);
}

/* ---- /version ---- */

int mlflow_parse_server_version(const char *body, size_t len, struct mlflow_server_version *v,
                                struct err *e)
{
	memset(v, 0, sizeof *v);
	size_t i = 0, n = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '"'))
		i++;
	while (i < len && n + 1 < sizeof v->text && body[i] > ' ' && body[i] != '"' &&
	       (unsigned char)body[i] < 0x7f)
		v->text[n++] = body[i++];
	v->text[n] = '\0';
	if (sscanf(v->text, "%d.%d.%d", &v->major, &v->minor, &v->patch) < 2 || v->major < 0 ||
	    v->minor < 0) {
		memset(v, 0, sizeof *v);
		return err_set(e, ERR_PARSE, "version: not a version number");
	}
	return 0;
}
