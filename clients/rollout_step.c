#include "clients/rollout_step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clients/cli.h"
#include "clients/kserve.h"

static cJSON *spec_of(const char *framework, int pct, const char *uri)
{
	cJSON *spec = cJSON_CreateObject();
	cJSON *pred = spec ? cJSON_AddObjectToObject(spec, "predictor") : NULL;
	int ok = pred != NULL;
	if (ok && pct == ROLLOUT_PCT_NULL)
		ok = cJSON_AddNullToObject(pred, "canaryTrafficPercent") != NULL;
	else if (ok && pct >= 0)
		ok = cJSON_AddNumberToObject(pred, "canaryTrafficPercent", pct) != NULL;
	if (ok && uri) {
		cJSON *m =
		    cJSON_AddObjectToObject(pred, framework && *framework ? framework : "model");
		ok = m && cJSON_AddStringToObject(m, "storageUri", uri);
	}
	if (!ok) {
		cJSON_Delete(spec);
		return NULL;
	}
	return spec;
}

/* {"metadata":{"resourceVersion":rv}} first, then spec (taken). */
static char *patch_print(const char *rv, cJSON *spec)
{
	cJSON *o = spec ? cJSON_CreateObject() : NULL;
	char *s = NULL;
	int ok = o != NULL;
	if (ok && rv) {
		cJSON *meta = cJSON_AddObjectToObject(o, "metadata");
		ok = meta && cJSON_AddStringToObject(meta, "resourceVersion", rv);
	}
	if (ok) {
		cJSON_AddItemToObject(o, "spec", spec);
		spec = NULL;
		s = cJSON_PrintUnformatted(o);
	}
	cJSON_Delete(spec);
	cJSON_Delete(o);
	return s;
}

char *rollout_step_kserve_body(const char *rv, const char *framework, int pct, const char *uri)
{
	return patch_print(rv, spec_of(framework, pct, uri));
}

int rollout_step_rebase(struct rollout_step *s, const char *rv)
{
	cJSON *o = s->body ? cJSON_Parse(s->body) : NULL;
	cJSON *spec = o ? cJSON_DetachItemFromObjectCaseSensitive(o, "spec") : NULL;
	cJSON_Delete(o);
	if (!spec)
		return ERR_PARSE;
	char *b = patch_print(rv, spec);
	if (!b)
		return ERR_NOMEM;
	free(s->body);
	s->body = b;
	return 0;
}

/* The next slot of the plan's steps, zeroed; NULL when out of memory. */
static struct rollout_step *push(struct rollout_plan *p)
{
	struct rollout_step *v = realloc(p->steps, (p->n + 1) * sizeof *v);
	if (!v)
		return NULL;
	p->steps = v;
	memset(&v[p->n], 0, sizeof v[p->n]);
	return &v[p->n++];
}

/* Fills the common strings (copied); the body is taken. On failure the step is dropped. */
static int fill(struct rollout_plan *p, struct rollout_step *s, const char *method, char *path,
                char *body, const char *ctype, char *summary, const char *expect)
{
	s->method = strdup(method);
	s->path = path;
	s->body = body;
	s->content_type = ctype ? strdup(ctype) : NULL;
	s->summary = summary;
	s->expect = strdup(expect ? expect : "");
	if (s->method && s->path && s->body && (!ctype || s->content_type) && s->summary &&
	    s->expect)
		return 0;
	rollout_step_fini(s);
	p->n--;
	return ERR_NOMEM;
}

int rollout_step_kserve(struct rollout_plan *p, const char *framework, int pct, const char *uri,
                        int rv_from, const char *summary, const char *expect)
{
	struct rollout_step *s = push(p);
	if (!s)
		return ERR_NOMEM;
	s->backend = ROLLOUT_KSERVE;
	s->rv_from = rv_from;
	const char *rv = rv_from == ROLLOUT_RV_PLAN ? p->resource_version : NULL;
	return fill(p, s, "PATCH", kserve_get_key(p->ns, p->isvc_name),
	            rollout_step_kserve_body(rv, framework, pct, uri),
	            "application/merge-patch+json", cli_fmt("KServe %s: %s", p->isvc_name, summary),
	            expect);
}

static char *json_pairs(const char *const *kv)
{
	cJSON *o = cJSON_CreateObject();
	int ok = o != NULL;
	for (int i = 0; ok && kv[i]; i += 2)
		ok = cJSON_AddStringToObject(o, kv[i], kv[i + 1]) != NULL;
	char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return s;
}

int rollout_step_alias(struct rollout_plan *p, const char *alias, const char *version,
                       const char *expect)
{
	struct rollout_step *s = push(p);
	if (!s)
		return ERR_NOMEM;
	s->backend = ROLLOUT_MLFLOW;
	const char *kv[] = {"name", p->model, "alias", alias, "version", version, NULL};
	if (!version)
		kv[4] = NULL;
	char *sum = version ? cli_fmt("MLflow %s: alias %s → v%s", p->model, alias, version)
	                    : cli_fmt("MLflow %s: alias %s removed", p->model, alias);
	return fill(p, s, version ? "POST" : "DELETE", strdup(ROLLOUT_ALIAS_PATH), json_pairs(kv),
	            "application/json", sum, expect);
}

int rollout_step_stage(struct rollout_plan *p, const char *version, const char *stage, int archive,
                       const char *expect)
{
	struct rollout_step *s = push(p);
	if (!s)
		return ERR_NOMEM;
	s->backend = ROLLOUT_MLFLOW;
	const char *kv[] = {"name", p->model, "version", version, "stage", stage, NULL};
	char *head = json_pairs(kv), *body = NULL;
	if (head) /* the proto marks archive_existing_versions required: always sent */
		body = cli_fmt("%.*s,\"archive_existing_versions\":%s}", (int)strlen(head) - 1,
		               head, archive ? "true" : "false");
	free(head);
	char *sum = cli_fmt("MLflow %s: v%s → stage %s%s", p->model, version, stage,
	                    archive ? " (archiving the others there)" : "");
	return fill(p, s, "POST", strdup(ROLLOUT_STAGE_PATH), body, "application/json", sum,
	            expect);
}

static char **strv_dup(const char *const *v, size_t extra)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	char **out = calloc(n + extra + 1, sizeof *out);
	for (size_t i = 0; out && i < n; i++)
		if (!(out[i] = strdup(v[i]))) {
			for (size_t j = 0; j < i; j++)
				free(out[j]);
			free(out);
			return NULL;
		}
	return out;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static char **hook_env(const char *action, const char *model, const char *version, int percent,
                       const char *context)
{
	char pct[16] = "";
	if (percent >= 0)
		snprintf(pct, sizeof pct, "%d", percent);
	char **env = calloc(6, sizeof *env);
	if (!env)
		return NULL;
	env[0] = cli_fmt("MLTOP_ACTION=%s", action);
	env[1] = cli_fmt("MLTOP_MODEL=%s", model);
	env[2] = cli_fmt("MLTOP_VERSION=%s", version ? version : "");
	env[3] = cli_fmt("MLTOP_PERCENT=%s", pct);
	env[4] = cli_fmt("MLTOP_CONTEXT=%s", context ? context : "");
	for (int i = 0; i < 5; i++)
		if (!env[i]) {
			strv_free(env);
			return NULL;
		}
	return env;
}

int rollout_step_hook(struct rollout_plan *p, const char *const *argv, const char *action,
                      const char *version, int percent, const char *context)
{
	struct rollout_step *s = push(p);
	if (!s)
		return ERR_NOMEM;
	s->backend = ROLLOUT_HOOK;
	s->argv = strv_dup(argv, 0);
	s->env = hook_env(action, p->model, version, percent, context);
	char pct[24] = "";
	if (percent >= 0)
		snprintf(pct, sizeof pct, ", %d %%", percent);
	s->summary = cli_fmt("hook %s: %s (%s v%s%s)", action, argv[0], p->model,
	                     version ? version : "?", pct);
	s->expect = strdup("");
	if (s->argv && s->env && s->summary && s->expect)
		return 0;
	rollout_step_fini(s);
	p->n--;
	return ERR_NOMEM;
}

void rollout_step_fini(struct rollout_step *s)
{
	free(s->summary);
	free(s->method);
	free(s->path);
	free(s->body);
	free(s->content_type);
	strv_free(s->argv);
	strv_free(s->env);
	free(s->expect);
	free(s->answer);
	memset(s, 0, sizeof *s);
}
