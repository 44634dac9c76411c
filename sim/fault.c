/* fault.c: injected faults and the simulator's control API.
 *
 * Control API (JSON in and out, always on the simulator's own port; faults never apply to it):
 *
 *   GET    /-/sim/faults     {"faults":[<fault>...]} (the longest prefix wins when several match;
 *                            at the same prefix, the one naming the request's method)
 *   POST   /-/sim/faults     body <fault>; adds it, or replaces the fault with the same prefix and
 *                            method. 200 {"faults":[...]}; 400 {"error":"..."} on a bad body.
 *   DELETE /-/sim/faults     clears every fault; ?prefix=P only those with that prefix (and
 *                            &method=M only that method's); 404 if none.
 *   POST   /-/sim/advance    body {"seconds":N} or {"ms":N} (N >= 0): moves the world clock
 *                            forward; the next request integrates the skipped time. {"now_ms":T}
 *   GET    /-/sim/time       {"now_ms":T}
 *   GET    /-/sim/state      what the servers hold (sim/state.c): InferenceServices, registry
 *
 *   <fault> = {"prefix":"/api/v2/alerts",            the request path must start with it
 *              "method":"PATCH",                    only requests of that method (absent: any)
 *              "times":1,                           the next N matching requests, then the
 *                                                   fault removes itself (absent: every one)
 *              "kind":"delay|status|truncate|reset|garbage|oversize|page_token",
 *              "delay_ms":2000,                     delay: wait, then answer normally
 *              "status":503, "body":"...",          status: answer with that status and body
 *              "content_type":"text/html",          status: the body's type (text/plain if absent)
 *              "mib":20,                            oversize: a body of that many MiB
 *              "token":"repeat|endless"}            page_token: see below
 *   truncate sends the real answer cut in the middle, reset drops the connection without an
 *   answer, garbage sends bytes that are no valid JSON nor UTF-8, page_token answers normally
 *   but with a next_page_token that leads back to the first page, forever: the same token each
 *   time (repeat, the default) or a new one each time (endless). server.c carries them out.
 *   A fault that answers on its own (status, reset, garbage, oversize) keeps the request from
 *   the server: {"prefix":"/api/2.0/mlflow/registered-models/alias","method":"POST","times":1,
 *   "kind":"status","status":503} fails exactly the next alias write, nothing else; truncate
 *   lets the request through, so a write happens and its answer is lost.
 */
#include "sim/fault.h"
#include "sim/mlflow_req.h"

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTROL_PREFIX "/-/sim/"

static struct sim_fault fault_tab[FAULT_MAX];
static int fault_n;

static const char *const fault_kind_names[] = {
    [FAULT_DELAY] = "delay",           [FAULT_STATUS] = "status",   [FAULT_TRUNCATE] = "truncate",
    [FAULT_RESET] = "reset",           [FAULT_GARBAGE] = "garbage", [FAULT_OVERSIZE] = "oversize",
    [FAULT_PAGE_TOKEN] = "page_token",
};

static atomic_ulong fault_tokens; /* endless page tokens handed out */

/* Better than best for a request: a longer prefix, or the same one naming the method. */
static int fault_better(const struct sim_fault *f, const struct sim_fault *best)
{
	size_t len = strlen(f->prefix), best_len = best ? strlen(best->prefix) : 0;

	return !best || len > best_len || (len == best_len && f->method[0] && !best->method[0]);
}

static void fault_remove(int i);

int fault_match(const char *method, const char *path, struct sim_fault *out)
{
	int best = -1;

	if (!path || strncmp(path, CONTROL_PREFIX, strlen(CONTROL_PREFIX)) == 0)
		return 0;
	for (int i = 0; i < fault_n; i++) {
		const struct sim_fault *f = &fault_tab[i];
		if (strncmp(path, f->prefix, strlen(f->prefix)) == 0 &&
		    (!f->method[0] || (method && strcmp(method, f->method) == 0)) &&
		    fault_better(f, best < 0 ? NULL : &fault_tab[best]))
			best = i;
	}
	if (best < 0)
		return 0;
	*out = fault_tab[best];
	if (fault_tab[best].times > 0 && --fault_tab[best].times == 0)
		fault_remove(best);
	return 1;
}

void fault_clear(void)
{
	memset(fault_tab, 0, sizeof(fault_tab));
	fault_n = 0;
}

/* The fault with that prefix and method ("": any), from index from; -1 when none. method NULL
 * matches every method. */
static int fault_find(const char *prefix, const char *method, int from)
{
	for (int i = from; i < fault_n; i++)
		if (strcmp(fault_tab[i].prefix, prefix) == 0 &&
		    (!method || strcmp(fault_tab[i].method, method) == 0))
			return i;
	return -1;
}

int fault_add(const struct sim_fault *f)
{
	int i = fault_find(f->prefix, f->method, 0);

	if (i < 0) {
		if (fault_n == FAULT_MAX)
			return -1;
		i = fault_n++;
	}
	fault_tab[i] = *f;
	return 0;
}

static void fault_remove(int i)
{
	memmove(&fault_tab[i], &fault_tab[i + 1], (size_t)(fault_n - i - 1) * sizeof(fault_tab[0]));
	fault_n--;
	memset(&fault_tab[fault_n], 0, sizeof(fault_tab[0]));
}

static cJSON *fault_to_json(const struct sim_fault *f)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "prefix", f->prefix);
	if (f->method[0])
		cJSON_AddStringToObject(o, "method", f->method);
	if (f->times > 0)
		cJSON_AddNumberToObject(o, "times", (double)f->times);
	cJSON_AddStringToObject(o, "kind", fault_kind_names[f->kind]);
	switch (f->kind) {
	case FAULT_DELAY:
		cJSON_AddNumberToObject(o, "delay_ms", (double)f->delay_ms);
		break;
	case FAULT_STATUS:
		cJSON_AddNumberToObject(o, "status", f->status);
		cJSON_AddStringToObject(o, "body", f->body);
		cJSON_AddStringToObject(o, "content_type", f->content_type);
		break;
	case FAULT_OVERSIZE:
		cJSON_AddNumberToObject(o, "mib", (double)f->mib);
		break;
	case FAULT_PAGE_TOKEN:
		cJSON_AddStringToObject(o, "token", f->endless ? "endless" : "repeat");
		break;
	default:
		break;
	}
	return o;
}

static void fault_list(struct sim_resp *resp)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(o, "faults");

	for (int i = 0; i < fault_n; i++)
		cJSON_AddItemToArray(arr, fault_to_json(&fault_tab[i]));
	sim_resp_json(resp, 200, o);
}

static void fault_error(struct sim_resp *resp, int status, const char *msg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error", msg);
	sim_resp_json(resp, status, o);
}

static int fault_kind_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(fault_kind_names) / sizeof(fault_kind_names[0]); i++)
		if (strcmp(s, fault_kind_names[i]) == 0)
			return (int)i;
	return -1;
}

static int fault_copy_str(char *dst, size_t cap, const cJSON *o, const char *key, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v) {
		snprintf(dst, cap, "%s", def);
		return 0;
	}
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
		return -1;
	snprintf(dst, cap, "%s", v->valuestring);
	return 0;
}

static double fault_num(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

/* Fills f from a JSON body; returns NULL or the reason it is refused. */
static const char *fault_parse(const cJSON *o, struct sim_fault *f)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	char mode[16];
	int k;

	memset(f, 0, sizeof(*f));
	if (!cJSON_IsObject(o))
		return "the body must be a JSON object";
	if (fault_copy_str(f->prefix, sizeof(f->prefix), o, "prefix", "") < 0 ||
	    f->prefix[0] != '/')
		return "prefix must be a path starting with /";
	if (!cJSON_IsString(kind) || (k = fault_kind_parse(kind->valuestring)) < 0)
		return "kind must be one of delay, status, truncate, reset, garbage, oversize, "
		       "page_token";
	f->kind = (enum sim_fault_kind)k;
	if (fault_copy_str(f->method, sizeof(f->method), o, "method", "") < 0 ||
	    strspn(f->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(f->method))
		return "method must be an HTTP method in capitals (GET, POST, PATCH, ...)";
	f->times = (long)fault_num(o, "times", 0);
	if (f->times < 0 || f->times > 1000000 ||
	    (cJSON_GetObjectItemCaseSensitive(o, "times") && f->times < 1))
		return "times must be within 1..1000000";
	f->delay_ms = (long)fault_num(o, "delay_ms", 1000);
	f->status = (int)fault_num(o, "status", 500);
	f->mib = (long)fault_num(o, "mib", 16);
	if (fault_copy_str(f->body, sizeof(f->body), o, "body", "") < 0)
		return "body must be a string under 1024 bytes";
	if (fault_copy_str(f->content_type, sizeof(f->content_type), o, "content_type",
	                   "text/plain") < 0)
		return "content_type must be a short string";
	if (fault_copy_str(mode, sizeof(mode), o, "token", "repeat") < 0 ||
	    (strcmp(mode, "repeat") != 0 && strcmp(mode, "endless") != 0))
		return "token must be repeat or endless";
	f->endless = strcmp(mode, "endless") == 0;
	if (f->delay_ms < 0 || f->delay_ms > 600000)
		return "delay_ms must be within 0..600000";
	if (f->status < 100 || f->status > 599)
		return "status must be within 100..599";
	if (f->mib < 1 || f->mib > 1024)
		return "mib must be within 1..1024";
	return NULL;
}

void fault_page_token(const struct sim_fault *f, struct sim_resp *resp)
{
	cJSON *o = resp->status == 200 && resp->body ? cJSON_Parse(resp->body) : NULL;
	char *tok;

	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return;
	}
	tok = f->endless ? mlflow_req_token_nonce(0, atomic_fetch_add(&fault_tokens, 1) + 1)
	                 : mlflow_req_token(0);
	cJSON_DeleteItemFromObjectCaseSensitive(o, "next_page_token");
	cJSON_AddStringToObject(o, "next_page_token", tok ? tok : "");
	free(tok);
	sim_resp_json(resp, 200, o);
}

static void fault_post(const struct sim_req *req, struct sim_resp *resp)
{
	cJSON *o = req->body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
	struct sim_fault f;
	const char *why = o ? fault_parse(o, &f) : "the body must be a JSON object";

	cJSON_Delete(o);
	if (why)
		fault_error(resp, 400, why);
	else if (fault_add(&f) < 0)
		fault_error(resp, 400, "too many faults");
	else
		fault_list(resp);
}

static void fault_delete(const struct sim_req *req, struct sim_resp *resp)
{
	const char *prefix = sim_query(req, "prefix"), *method = sim_query(req, "method");
	int i, n = 0;

	if (!prefix) {
		fault_clear();
		fault_list(resp);
		return;
	}
	while ((i = fault_find(prefix, method, 0)) >= 0) {
		fault_remove(i);
		n++;
	}
	if (n)
		fault_list(resp);
	else
		fault_error(resp, 404, "no fault with that prefix");
}

static void fault_now(struct sim_resp *resp)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "now_ms", (double)sim_now_ms());
	sim_resp_json(resp, 200, o);
}

static void fault_advance(const struct sim_req *req, struct sim_resp *resp)
{
	cJSON *o = req->body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
	double ms = -1;

	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "ms")))
		ms = fault_num(o, "ms", -1);
	else if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "seconds")))
		ms = fault_num(o, "seconds", -1) * 1000.0;
	cJSON_Delete(o);
	if (!(ms >= 0 && ms <= 366.0 * 86400 * 1000)) {
		fault_error(resp, 400,
		            "body must be {\"seconds\":N} or {\"ms\":N}, 0 <= N <= a year");
		return;
	}
	sim_clock_advance((int64_t)ms);
	fault_now(resp);
}

static int fault_method_not_allowed(struct sim_resp *resp)
{
	fault_error(resp, 405, "method not allowed");
	return 1;
}

int fault_route(const struct sim_req *req, struct sim_resp *resp)
{
	const char *p = req->path;
	const char *m = req->method;

	if (strncmp(p, CONTROL_PREFIX, strlen(CONTROL_PREFIX)) != 0)
		return 0;
	p += strlen(CONTROL_PREFIX);
	if (strcmp(p, "faults") == 0) {
		if (strcmp(m, "GET") == 0)
			fault_list(resp);
		else if (strcmp(m, "POST") == 0)
			fault_post(req, resp);
		else if (strcmp(m, "DELETE") == 0)
			fault_delete(req, resp);
		else
			return fault_method_not_allowed(resp);
		return 1;
	}
	if (strcmp(p, "advance") == 0) {
		if (strcmp(m, "POST") != 0)
			return fault_method_not_allowed(resp);
		fault_advance(req, resp);
		return 1;
	}
	if (strcmp(p, "time") == 0) {
		if (strcmp(m, "GET") != 0)
			return fault_method_not_allowed(resp);
		fault_now(resp);
		return 1;
	}
	return 0;
}
