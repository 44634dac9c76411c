#include "clients/mlflow_write.h"

#include <stdlib.h>
#include <string.h>

#include "clients/json.h"
#include "clients/mlflow_op.h"
#include "clients/mlflow_parse_registry.h"
#include "clients/mlflow_req.h"

#define API "/api/2.0/mlflow/"

static int call_request(struct op *o, struct err *e)
{
	return op_send(o, o->method, o->path, o->query, o->body, e);
}

/* The answer is the model or model version the call returns, or {} (an empty body is taken as
 * {}); anything else that is not a JSON object is an error (a 200 that is not JSON is one too). */
static int call_answer(struct op *o, const struct http_resp *r, struct err *e)
{
	int rc = op_http_error(o, r, e);
	if (rc)
		return rc;
	struct err pe = {0};
	o->res.pages = 1;
	if (o->res.models)
		rc = mlflow_parse_model(r->body, r->len, o->res.models, &pe);
	else if (o->res.versions)
		rc = mlflow_parse_versions(r->body, r->len, o->res.versions, NULL, &pe);
	else if (r->len) {
		cJSON *root = json_parse_object(r->body, r->len, o->path + strlen(API), &pe);
		rc = root ? 0 : ERR_PARSE;
		cJSON_Delete(root);
	}
	if (rc)
		return op_parse_error(o, r, rc, &pe, e);
	o->res.count = o->res.models ? o->res.models->n : o->res.versions ? o->res.versions->n : 0;
	return OP_DONE;
}

static const struct op_class call_class = {
    MLFLOW_REGISTRY_CALL, "registry call", call_request, call_answer, NULL,
};

/* A JSON body from NULL-terminated name, value pairs (string values). */
static char *body_of(const char *const *pairs)
{
	cJSON *o = cJSON_CreateObject();
	int ok = o != NULL;
	for (int i = 0; ok && pairs[i]; i += 2)
		ok = pairs[i + 1] && cJSON_AddStringToObject(o, pairs[i], pairs[i + 1]);
	char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return s;
}

/* Sets up and starts one call; query and body are taken (freed here on failure). */
static long call(struct mlflow *m, const char *method, const char *path, char *query, char *body,
                 int result, mlflow_event_fn fn, void *ud, struct err *e)
{
	struct op *o = fn ? op_new(m, &call_class, fn, ud) : NULL;
	if (!o) {
		free(query);
		free(body);
		return fn ? err_set(e, ERR_NOMEM, "MLflow: out of memory")
		          : err_set(e, ERR_ARG, "MLflow: no callback");
	}
	o->method = method;
	o->path = path;
	o->query = query;
	o->body = body;
	if (result == MLFLOW_MODELS)
		o->res.models = mlflow_models_new();
	else if (result == MLFLOW_VERSIONS)
		o->res.versions = mlflow_versions_new();
	int ok = (query || body) && (result != MLFLOW_MODELS || o->res.models) &&
	         (result != MLFLOW_VERSIONS || o->res.versions);
	if (!ok) {
		op_destroy(o);
		return err_set(e, ERR_NOMEM, "MLflow: out of memory");
	}
	return op_start(o, e);
}

static int missing(const char *s)
{
	return !s || !*s;
}

#define NEED(cond, what)                                                                           \
	do {                                                                                       \
		if (cond)                                                                          \
			return err_set(e, ERR_ARG, "MLflow %s: a name is missing", what);          \
	} while (0)

long mlflow_get_model(struct mlflow *m, const char *name, mlflow_event_fn fn, void *ud,
                      struct err *e)
{
	NEED(missing(name), "registered-models/get");
	const char *q[] = {"name", name, NULL};
	return call(m, "GET", API "registered-models/get", mlflow_req_query(q), NULL, MLFLOW_MODELS,
	            fn, ud, e);
}

long mlflow_get_alias(struct mlflow *m, const char *name, const char *alias, mlflow_event_fn fn,
                      void *ud, struct err *e)
{
	NEED(missing(name) || missing(alias), "registered-models/alias");
	const char *q[] = {"name", name, "alias", alias, NULL};
	return call(m, "GET", API "registered-models/alias", mlflow_req_query(q), NULL,
	            MLFLOW_VERSIONS, fn, ud, e);
}

long mlflow_set_alias(struct mlflow *m, const char *name, const char *alias, const char *version,
                      mlflow_event_fn fn, void *ud, struct err *e)
{
	NEED(missing(name) || missing(alias) || missing(version), "registered-models/alias");
	const char *b[] = {"name", name, "alias", alias, "version", version, NULL};
	return call(m, "POST", API "registered-models/alias", NULL, body_of(b), 0, fn, ud, e);
}

long mlflow_delete_alias(struct mlflow *m, const char *name, const char *alias, mlflow_event_fn fn,
                         void *ud, struct err *e)
{
	NEED(missing(name) || missing(alias), "registered-models/alias");
	const char *b[] = {"name", name, "alias", alias, NULL};
	return call(m, "DELETE", API "registered-models/alias", NULL, body_of(b), 0, fn, ud, e);
}

long mlflow_transition_stage(struct mlflow *m, const char *name, const char *version,
                             const char *stage, int archive_existing, mlflow_event_fn fn, void *ud,
                             struct err *e)
{
	NEED(missing(name) || missing(version) || missing(stage), "transition-stage");
	const char *b[] = {"name", name, "version", version, "stage", stage, NULL};
	char *body = body_of(b);
	cJSON *o = body ? cJSON_Parse(body) : NULL;
	free(body);
	body = NULL;
	/* the proto marks archive_existing_versions required: always sent */
	if (o && cJSON_AddBoolToObject(o, "archive_existing_versions", archive_existing != 0))
		body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return call(m, "POST", API "model-versions/transition-stage", NULL, body, MLFLOW_VERSIONS,
	            fn, ud, e);
}

long mlflow_set_version_tag(struct mlflow *m, const char *name, const char *version,
                            const char *key, const char *value, mlflow_event_fn fn, void *ud,
                            struct err *e)
{
	NEED(missing(name) || missing(version) || missing(key), "model-versions/set-tag");
	const char *b[] = {"name", name,    "version",          version, "key",
	                   key,    "value", value ? value : "", NULL};
	return call(m, "POST", API "model-versions/set-tag", NULL, body_of(b), 0, fn, ud, e);
}

long mlflow_registry_send(struct mlflow *m, const char *method, const char *path, const char *body,
                          mlflow_event_fn fn, void *ud, struct err *e)
{
	static const char *const paths[] = {API "registered-models/alias",
	                                    API "model-versions/transition-stage"};
	static const char *const methods[] = {"POST", "DELETE"};
	size_t i = 0, k = 0;
	while (i < 2 && path && strcmp(path, paths[i]) != 0)
		i++;
	while (k < 2 && method && strcmp(method, methods[k]) != 0)
		k++;
	if (i == 2 || k == 2 || (i == 1 && k == 1) || !body)
		return err_set(e, ERR_ARG, "MLflow: not a registry write");
	char *b = strdup(body);
	return call(m, methods[k], paths[i], NULL, b, i == 1 ? MLFLOW_VERSIONS : 0, fn, ud, e);
}
