/* alerts.c: Alertmanager v2 alerts: the store, the GET/POST endpoints, groups, status. */
#include "sim/alerts.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "sim/matcher.h"
#include "sim/ops.h"
#include "sim/silences.h"

#define ALERTS_BASE     1024 /* room for the world's and the posted alerts */
#define ALERTS_RECEIVER "null"

struct alert {
	int used;
	int world; /* raised by the world (alerts_world.c), not POSTed */
	cJSON *labels, *annotations;
	char *generator_url;
	int64_t starts, ends, updated;
	uint64_t fp;
};

static struct alert *alerts_tab;
static int alerts_cap;
/* The firing critical alerts while a GET is answered: the only ones that can inhibit. */
static const struct alert **alerts_crit;
static size_t alerts_ncrit;
static int64_t alerts_boot_ms;

static void alert_clear(struct alert *a)
{
	cJSON_Delete(a->labels);
	cJSON_Delete(a->annotations);
	free(a->generator_url);
	memset(a, 0, sizeof(*a));
}

void alerts_init(long extra)
{
	for (int i = 0; i < alerts_cap; i++)
		alert_clear(&alerts_tab[i]);
	free(alerts_tab);
	free(alerts_crit);
	alerts_cap = ALERTS_BASE + (int)extra;
	alerts_tab = calloc((size_t)alerts_cap, sizeof(*alerts_tab));
	alerts_crit = calloc((size_t)alerts_cap, sizeof(*alerts_crit));
	if (!alerts_tab || !alerts_crit)
		abort();
	alerts_boot_ms = sim_now_ms();
	silences_init();
}

static int alerts_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* prometheus/common model.LabelSet.Fingerprint: FNV-1a 64 over the sorted name, 0xff, value,
 * 0xff of each label. */
static uint64_t alerts_fingerprint(const cJSON *labels)
{
	const char *names[64];
	const cJSON *l;
	size_t n = 0;
	uint64_t h = 14695981039346656037ULL;

	cJSON_ArrayForEach(l, labels)
	{
		if (n < sizeof(names) / sizeof(names[0]))
			names[n++] = l->string;
	}
	qsort(names, n, sizeof(names[0]), alerts_strcmp);
	for (size_t i = 0; i < n; i++) {
		const char *parts[2] = {
		    names[i], cJSON_GetObjectItemCaseSensitive(labels, names[i])->valuestring};
		for (int k = 0; k < 2; k++) {
			for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
				h ^= *p;
				h *= 1099511628211ULL;
			}
			h ^= 0xff;
			h *= 1099511628211ULL;
		}
	}
	return h;
}

static struct alert *alerts_find(uint64_t fp)
{
	for (int i = 0; i < alerts_cap; i++)
		if (alerts_tab[i].used && alerts_tab[i].fp == fp)
			return &alerts_tab[i];
	return NULL;
}

/* A free slot, reusing the longest-resolved alert when the table is full. */
static struct alert *alerts_slot(int64_t now)
{
	struct alert *oldest = NULL;

	for (int i = 0; i < alerts_cap; i++) {
		struct alert *a = &alerts_tab[i];
		if (!a->used)
			return a;
		if (a->ends <= now && (!oldest || a->ends < oldest->ends))
			oldest = a;
	}
	if (oldest)
		alert_clear(oldest);
	return oldest;
}

int alerts_put(const void *labels, const void *annotations, const char *generator_url,
               int64_t starts, int64_t ends, int world, int64_t now)
{
	uint64_t fp = alerts_fingerprint(labels);
	struct alert *a = alerts_find(fp);

	if (a && a->ends > now && ends > a->starts) {
		/* the same alert still firing: keep its start, take the rest */
		if (starts < a->starts)
			a->starts = starts;
	} else {
		if (!a && !(a = alerts_slot(now)))
			return -1;
		cJSON_Delete(a->labels);
		a->labels = cJSON_Duplicate(labels, 1);
		a->starts = starts;
	}
	cJSON_Delete(a->annotations);
	a->annotations = annotations ? cJSON_Duplicate(annotations, 1) : cJSON_CreateObject();
	free(a->generator_url);
	a->generator_url = generator_url && *generator_url ? strdup(generator_url) : NULL;
	a->ends = ends;
	a->updated = now;
	a->world = world;
	a->fp = fp;
	a->used = 1;
	return 0;
}

void alerts_resolve_world(int64_t now, int (*keep)(const void *labels, void *ud), void *ud)
{
	for (int i = 0; i < alerts_cap; i++) {
		struct alert *a = &alerts_tab[i];
		if (a->used && a->world && a->ends > now && !keep(a->labels, ud)) {
			a->ends = now;
			a->updated = now;
		}
	}
}

/* ---- status: silenced and inhibited ---- */

struct alerts_status {
	cJSON *silenced_by, *inhibited_by;
};

static void alerts_add_silence(void *ud, const char *id)
{
	cJSON_AddItemToArray(ud, cJSON_CreateString(id));
}

static const char *alerts_label(const cJSON *labels, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(labels, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* The usual inhibit rule: a firing critical mutes the warning with equal alertname and model. */
static int alerts_inhibits(const struct alert *src, const struct alert *dst)
{
	static const char *const equal[] = {"alertname", "model"};

	if (src == dst || strcmp(alerts_label(src->labels, "severity"), "critical") != 0 ||
	    strcmp(alerts_label(dst->labels, "severity"), "warning") != 0)
		return 0;
	for (size_t k = 0; k < sizeof(equal) / sizeof(equal[0]); k++)
		if (strcmp(alerts_label(src->labels, equal[k]),
		           alerts_label(dst->labels, equal[k])))
			return 0;
	return 1;
}

/* The order of the inhibit rule's equal labels (alertname, model). */
static int alerts_key_cmp(const struct alert *x, const struct alert *y)
{
	int c = strcmp(alerts_label(x->labels, "alertname"), alerts_label(y->labels, "alertname"));

	return c ? c : strcmp(alerts_label(x->labels, "model"), alerts_label(y->labels, "model"));
}

/* alerts_crit by equal labels, then by place in the table (the order inhibitedBy lists). */
static int alerts_crit_cmp(const void *a, const void *b)
{
	const struct alert *x = *(const struct alert *const *)a,
	                   *y = *(const struct alert *const *)b;
	int c = alerts_key_cmp(x, y);

	return c ? c : (x > y) - (x < y);
}

/* The first critical alert with the equal labels of a (binary search). */
static size_t alerts_crit_first(const struct alert *a)
{
	size_t lo = 0, hi = alerts_ncrit;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (alerts_key_cmp(alerts_crit[mid], a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void alerts_status_of(const struct alert *a, int64_t now, struct alerts_status *st)
{
	char fp[17];

	st->silenced_by = cJSON_CreateArray();
	st->inhibited_by = cJSON_CreateArray();
	silences_matching(a->labels, now, alerts_add_silence, st->silenced_by);
	if (strcmp(alerts_label(a->labels, "severity"), "warning") != 0)
		return;
	for (size_t i = alerts_crit_first(a); i < alerts_ncrit; i++) {
		const struct alert *src = alerts_crit[i];
		if (alerts_key_cmp(src, a) != 0)
			break;
		if (src->ends > now && alerts_inhibits(src, a)) {
			snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)src->fp);
			cJSON_AddItemToArray(st->inhibited_by, cJSON_CreateString(fp));
		}
	}
}

/* The gettableAlert, taking ownership of st's arrays. */
static cJSON *alert_json(const struct alert *a, struct alerts_status *st)
{
	cJSON *o = cJSON_CreateObject(), *rs, *r, *s;
	char fp[17];
	int suppressed =
	    cJSON_GetArraySize(st->silenced_by) || cJSON_GetArraySize(st->inhibited_by);

	snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)a->fp);
	cJSON_AddItemToObject(o, "annotations", cJSON_Duplicate(a->annotations, 1));
	ops_json_time(o, "endsAt", a->ends);
	cJSON_AddStringToObject(o, "fingerprint", fp);
	rs = cJSON_AddArrayToObject(o, "receivers");
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", ALERTS_RECEIVER);
	cJSON_AddItemToArray(rs, r);
	ops_json_time(o, "startsAt", a->starts);
	s = cJSON_AddObjectToObject(o, "status");
	cJSON_AddItemToObject(s, "inhibitedBy", st->inhibited_by);
	cJSON_AddItemToObject(s, "silencedBy", st->silenced_by);
	cJSON_AddStringToObject(s, "state", suppressed ? "suppressed" : "active");
	ops_json_time(o, "updatedAt", a->updated);
	if (a->generator_url)
		cJSON_AddStringToObject(o, "generatorURL", a->generator_url);
	cJSON_AddItemToObject(o, "labels", cJSON_Duplicate(a->labels, 1));
	return o;
}

/* ---- GET /api/v2/alerts and /api/v2/alerts/groups ---- */

struct alerts_query {
	struct matcher_list f;
	char bad[300];
	int active, silenced, inhibited, unprocessed;
	struct matcher receiver;
	int has_receiver;
};

static int alerts_bool(const char *s)
{
	static const char *const yes[] = {"true", "1",        "yes",     "ok", "y",
	                                  "on",   "selected", "checked", "t",  "enabled"};

	if (!s)
		return 1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	return 0;
}

static int alerts_query_parse(const struct sim_req *req, struct alerts_query *q)
{
	const char *receiver = sim_query(req, "receiver");

	memset(q, 0, sizeof(*q));
	if (matcher_list_from_query(&q->f, req) < 0)
		snprintf(q->bad, sizeof(q->bad), "%s", q->f.bad);
	q->active = alerts_bool(sim_query(req, "active"));
	q->silenced = alerts_bool(sim_query(req, "silenced"));
	q->inhibited = alerts_bool(sim_query(req, "inhibited"));
	q->unprocessed = alerts_bool(sim_query(req, "unprocessed"));
	if (!q->bad[0] && receiver) {
		if (matcher_set(&q->receiver, "receiver", receiver, 1, 1) < 0)
			snprintf(q->bad, sizeof(q->bad), "error parsing regexp: %.250s", receiver);
		else
			q->has_receiver = 1;
	}
	return q->bad[0] ? -1 : 0;
}

static void alerts_query_fini(struct alerts_query *q)
{
	matcher_list_fini(&q->f);
	if (q->has_receiver)
		matcher_fini(&q->receiver);
}

static int alerts_query_keeps(const struct alerts_query *q, const struct alert *a,
                              const struct alerts_status *st)
{
	int silenced = cJSON_GetArraySize(st->silenced_by) > 0;
	int inhibited = cJSON_GetArraySize(st->inhibited_by) > 0;

	if (q->has_receiver && !matcher_matches(&q->receiver, ALERTS_RECEIVER))
		return 0;
	for (int i = 0; i < q->f.n; i++)
		if (!matcher_matches(&q->f.m[i], alerts_label(a->labels, q->f.m[i].name)))
			return 0;
	if (!q->active && !silenced && !inhibited)
		return 0;
	return (q->silenced || !silenced) && (q->inhibited || !inhibited);
}

static int alerts_fp_cmp(const void *a, const void *b)
{
	uint64_t x = (*(const struct alert *const *)a)->fp,
	         y = (*(const struct alert *const *)b)->fp;

	return x < y ? -1 : x > y;
}

/* The gettableAlerts the query keeps, sorted by fingerprint; *who gets the alert of each. */
static cJSON *alerts_select(const struct alerts_query *q, int64_t now, const struct alert **who)
{
	const struct alert **sorted = calloc((size_t)alerts_cap, sizeof(*sorted));
	cJSON *arr = cJSON_CreateArray();
	size_t n = 0, kept = 0;

	if (!sorted)
		abort();
	alerts_ncrit = 0;
	for (int i = 0; i < alerts_cap; i++)
		if (alerts_tab[i].used && alerts_tab[i].ends > now) {
			sorted[n++] = &alerts_tab[i];
			if (!strcmp(alerts_label(alerts_tab[i].labels, "severity"), "critical"))
				alerts_crit[alerts_ncrit++] = &alerts_tab[i];
		}
	qsort(alerts_crit, alerts_ncrit, sizeof(*alerts_crit), alerts_crit_cmp);
	qsort(sorted, n, sizeof(sorted[0]), alerts_fp_cmp);
	for (size_t i = 0; i < n; i++) {
		struct alerts_status st;
		alerts_status_of(sorted[i], now, &st);
		if (!alerts_query_keeps(q, sorted[i], &st)) {
			cJSON_Delete(st.silenced_by);
			cJSON_Delete(st.inhibited_by);
			continue;
		}
		cJSON_AddItemToArray(arr, alert_json(sorted[i], &st));
		if (who)
			who[kept] = sorted[i];
		kept++;
	}
	free(sorted);
	return arr;
}

static int alerts_group_cmp(const struct alert *a, const struct alert *b)
{
	int c = strcmp(alerts_label(a->labels, "alertname"), alerts_label(b->labels, "alertname"));

	return c ? c : strcmp(alerts_label(a->labels, "model"), alerts_label(b->labels, "model"));
}

static const struct alert **alerts_group_who; /* for alerts_first_cmp, under the world lock */

static int alerts_first_cmp(const void *a, const void *b)
{
	return alerts_group_cmp(alerts_group_who[*(const int *)a],
	                        alerts_group_who[*(const int *)b]);
}

/* Groups by (alertname, model) as the usual route does; groups ordered by those labels. */
static cJSON *alerts_groups(cJSON *items, const struct alert **who)
{
	static const char *const by[] = {"alertname", "model"};
	int n = cJSON_GetArraySize(items), *first = calloc((size_t)n + 1, sizeof(int)), ng = 0;
	cJSON *out = cJSON_CreateArray();

	if (!first)
		abort();
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int j = 0; j < i && !seen; j++)
			seen = alerts_group_cmp(who[i], who[j]) == 0;
		if (!seen)
			first[ng++] = i;
	}
	alerts_group_who = who;
	qsort(first, (size_t)ng, sizeof(int), alerts_first_cmp);
	for (int g = 0; g < ng; g++) {
		const cJSON *lead = who[first[g]]->labels;
		cJSON *o = cJSON_CreateObject(), *alerts = cJSON_AddArrayToObject(o, "alerts"), *l,
		      *r;

		for (int i = 0; i < n; i++)
			if (alerts_group_cmp(who[i], who[first[g]]) == 0)
				cJSON_AddItemToArray(
				    alerts, cJSON_Duplicate(cJSON_GetArrayItem(items, i), 1));
		l = cJSON_AddObjectToObject(o, "labels");
		for (size_t k = 0; k < sizeof(by) / sizeof(by[0]); k++)
			if (*alerts_label(lead, by[k]))
				cJSON_AddStringToObject(l, by[k], alerts_label(lead, by[k]));
		r = cJSON_AddObjectToObject(o, "receiver");
		cJSON_AddStringToObject(r, "name", ALERTS_RECEIVER);
		cJSON_AddItemToArray(out, o);
	}
	free(first);
	cJSON_Delete(items);
	return out;
}

static void alerts_get(const struct sim_req *req, struct sim_resp *resp, int grouped, int64_t now)
{
	struct alerts_query q;
	const struct alert **who = NULL;
	cJSON *items;

	if (alerts_query_parse(req, &q) < 0) {
		sim_resp_json(resp, 400, cJSON_CreateString(q.bad));
		goto out;
	}
	if (grouped && !(who = calloc(alerts_cap, sizeof(*who))))
		abort();
	items = alerts_select(&q, now, who);
	sim_resp_json(resp, 200, grouped ? alerts_groups(items, who) : items);
out:
	free(who);
	alerts_query_fini(&q);
}

/* ---- POST /api/v2/alerts ---- */

static int alerts_strings_only(const cJSON *o)
{
	const cJSON *v;

	if (!o)
		return 1;
	if (!cJSON_IsObject(o))
		return 0;
	cJSON_ArrayForEach(v, o) if (!cJSON_IsString(v)) return 0;
	return 1;
}

/* Decoding and schema checks of the whole batch: 0, or the status of the error written. */
static int alerts_post_schema(const cJSON *arr, struct sim_resp *resp)
{
	static const char *const times[] = {"startsAt", "endsAt"};
	const cJSON *a;
	char msg[300];
	int i = 0;
	int64_t ms;

	if (!cJSON_IsArray(arr)) {
		ops_resp_am_error(
		    resp, 400, 400,
		    arr ? "parsing alerts body from \"\" failed, because json: cannot "
		          "unmarshal object into Go value of type models.PostableAlerts"
		        : "parsing alerts body from \"\" failed, because unexpected end "
		          "of JSON input");
		return 400;
	}
	cJSON_ArrayForEach(a, arr)
	{
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(a, "generatorURL");
		if (!cJSON_IsObject(a) ||
		    !alerts_strings_only(cJSON_GetObjectItemCaseSensitive(a, "labels")) ||
		    !alerts_strings_only(cJSON_GetObjectItemCaseSensitive(a, "annotations")) ||
		    (g && !cJSON_IsString(g))) {
			ops_resp_am_error(
			    resp, 400, 400,
			    "parsing alerts body from \"\" failed, because json: cannot "
			    "unmarshal value into Go struct field of models.PostableAlert");
			return 400;
		}
		if (!cJSON_GetObjectItemCaseSensitive(a, "labels")) {
			snprintf(msg, sizeof(msg), "%d.labels in body is required", i);
			ops_resp_am_error(resp, 422, 602, msg);
			return 422;
		}
		for (int k = 0; k < 2; k++) {
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, times[k]);
			if (t && (!cJSON_IsString(t) || ops_time_parse(t->valuestring, &ms) < 0)) {
				snprintf(msg, sizeof(msg),
				         "%d.%s in body must be of type date-time", i, times[k]);
				ops_resp_am_error(resp, 422, 601, msg);
				return 422;
			}
		}
		i++;
	}
	return 0;
}

static int64_t alerts_time_or(const cJSON *a, const char *key, int64_t def)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(a, key);
	int64_t ms;

	return cJSON_IsString(t) && ops_time_parse(t->valuestring, &ms) == 0 ? ms : def;
}

/* Stores one alert; NULL or the validation error. */
static const char *alerts_post_one(const cJSON *a, int64_t now)
{
	cJSON *labels = cJSON_CreateObject();
	const cJSON *l, *g = cJSON_GetObjectItemCaseSensitive(a, "generatorURL");
	int64_t ends = alerts_time_or(a, "endsAt", 0);
	int64_t starts = alerts_time_or(a, "startsAt", ends ? ends : now);
	const char *why = NULL;

	if (!ends)
		ends = now + ALERTS_RESOLVE_TIMEOUT_MS;
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(a, "labels"))
	{
		if (!*l->valuestring)
			continue;
		if (!matcher_valid_label_name(l->string)) {
			why = "invalid label set: invalid name";
			goto out;
		}
		cJSON_AddStringToObject(labels, l->string, l->valuestring);
	}
	if (!labels->child)
		why = "at least one label pair required";
	else if (ends < starts)
		why = "start time must be before end time";
	else if (alerts_put(labels, cJSON_GetObjectItemCaseSensitive(a, "annotations"),
	                    cJSON_IsString(g) ? g->valuestring : NULL, starts, ends, 0, now) < 0)
		why = "too many alerts";
out:
	cJSON_Delete(labels);
	return why;
}

static void alerts_post(const struct sim_req *req, struct sim_resp *resp, int64_t now)
{
	cJSON *arr = req->body ? cJSON_ParseWithLength(req->body, req->body_len) : NULL;
	struct ops_buf errs = {0};
	const cJSON *a;

	if (alerts_post_schema(arr, resp) != 0)
		goto out;
	cJSON_ArrayForEach(a, arr)
	{
		const char *why = alerts_post_one(a, now);
		if (why)
			ops_buf_printf(&errs, "%s%s", errs.len ? "; " : "", why);
	}
	if (errs.len)
		sim_resp_json(resp, 400, cJSON_CreateString(errs.s));
	else
		ops_resp_empty(resp, 200);
out:
	free(errs.s);
	cJSON_Delete(arr);
}

/* ---- status, receivers, route ---- */

static const char alerts_config_yaml[] =
    "global:\n  resolve_timeout: 5m\nroute:\n  receiver: \"null\"\n  group_by:\n  - alertname\n"
    "  - model\n  group_wait: 1s\n  group_interval: 5m\n  repeat_interval: 4h\n"
    "inhibit_rules:\n- source_matchers:\n  - severity=\"critical\"\n  target_matchers:\n"
    "  - severity=\"warning\"\n  equal:\n  - alertname\n  - model\nreceivers:\n- name: \"null\"\n"
    "templates: []\n";

static void alerts_status_get(struct sim_resp *resp)
{
	cJSON *o = cJSON_CreateObject(), *c, *v, *cfg;

	c = cJSON_AddObjectToObject(o, "cluster");
	cJSON_AddStringToObject(c, "status", "disabled");
	cJSON_AddArrayToObject(c, "peers");
	v = cJSON_AddObjectToObject(o, "versionInfo");
	cJSON_AddStringToObject(v, "branch", "debian/sid");
	cJSON_AddStringToObject(v, "buildDate", "20230301-00:00:00");
	cJSON_AddStringToObject(v, "buildUser", "mltop-sim");
	cJSON_AddStringToObject(v, "goVersion", "go1.19.8");
	cJSON_AddStringToObject(v, "revision", "0.25.0-1+b4");
	cJSON_AddStringToObject(v, "version", "0.25.0");
	cfg = cJSON_AddObjectToObject(o, "config");
	cJSON_AddStringToObject(cfg, "original", alerts_config_yaml);
	ops_json_time(o, "uptime", alerts_boot_ms);
	sim_resp_json(resp, 200, o);
}

static void alerts_receivers(struct sim_resp *resp)
{
	cJSON *arr = cJSON_CreateArray(), *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "name", ALERTS_RECEIVER);
	cJSON_AddItemToArray(arr, r);
	sim_resp_json(resp, 200, arr);
}

static int alerts_dispatch(const struct sim_req *req, struct sim_resp *resp)
{
	int64_t now = sim_now_ms();
	int get = strcmp(req->method, "GET") == 0;

	if (strcmp(req->path, "/api/v2/alerts") == 0) {
		if (get)
			alerts_get(req, resp, 0, now);
		else if (strcmp(req->method, "POST") == 0)
			alerts_post(req, resp, now);
		else
			ops_resp_empty(resp, 405);
	} else if (strcmp(req->path, "/api/v2/alerts/groups") == 0) {
		if (get)
			alerts_get(req, resp, 1, now);
		else
			ops_resp_empty(resp, 405);
	} else if (strcmp(req->path, "/api/v2/status") == 0 && get) {
		alerts_status_get(resp);
	} else if (strcmp(req->path, "/api/v2/receivers") == 0 && get) {
		alerts_receivers(resp);
	} else {
		return silences_route(req, resp);
	}
	return 1;
}

/* Alertmanager writes its JSON with Go's encoder, which ends every body with a newline. */
int alerts_route(const struct sim_req *req, struct sim_resp *resp)
{
	char *grown;

	if (!alerts_dispatch(req, resp))
		return 0;
	if (resp->content_type && strcmp(resp->content_type, "application/json") == 0 &&
	    resp->body && resp->len && (grown = realloc(resp->body, resp->len + 2))) {
		grown[resp->len++] = '\n';
		grown[resp->len] = '\0';
		resp->body = grown;
	}
	return 1;
}
