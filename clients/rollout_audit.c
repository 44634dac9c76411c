#include "clients/rollout_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/cache.h"
#include "clients/rollout_step.h"

/* One argv word as a shell would need it to read it back: 'quoted' when it holds a blank, a
 * quote or a backslash (a ' inside as '\''). */
static size_t word_put(char *out, const char *w)
{
	size_t n = 0;
	int quote = !*w || strpbrk(w, " \t\n'\"\\$`") != NULL;
	if (quote && out)
		out[n] = '\'';
	n += quote;
	for (const char *p = w; *p; p++) {
		if (*p == '\'' && quote) {
			if (out)
				memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			if (out)
				out[n] = *p;
			n++;
		}
	}
	if (quote && out)
		out[n] = '\'';
	return n + quote;
}

static char *argv_text(char *const *argv)
{
	size_t n = 1;
	for (size_t i = 0; argv && argv[i]; i++)
		n += word_put(NULL, argv[i]) + 1;
	char *s = malloc(n), *p = s;
	for (size_t i = 0; s && argv && argv[i]; i++) {
		if (i)
			*p++ = ' ';
		p += word_put(p, argv[i]);
	}
	if (s)
		*p = '\0';
	return s;
}

char *rollout_audit_request(const struct rollout_step *s)
{
	if (s->backend == ROLLOUT_HOOK)
		return argv_text(s->argv);
	return cli_fmt("%s %s%s%s", s->method ? s->method : "?", s->path ? s->path : "",
	               s->body ? " " : "", s->body ? s->body : "");
}

static void row_fill(struct audit_row *r, const struct rollout_who *w, const char *action,
                     const struct rollout_plan *p)
{
	*r = (struct audit_row){.user = w->user,
	                        .host = w->host,
	                        .context = w->context,
	                        .action = action,
	                        .model = p->model,
	                        .from_version = p->from_version,
	                        .to_version = p->to_version,
	                        .percent = p->percent,
	                        .reason = w->reason};
}

int rollout_audit_step(struct cache *c, const struct rollout_who *w, const char *action,
                       const struct rollout_plan *p, const struct rollout_step *s,
                       const char *phase, const char *result, struct err *e)
{
	if (!c)
		return 0;
	struct audit_row r;
	row_fill(&r, w, action, p);
	char *req = rollout_audit_request(s);
	r.phase = phase;
	r.result = result;
	r.request = req;
	r.http_status = result ? s->http_status : 0; /* a retry's "before": nothing answered yet */
	r.detail = result ? s->answer : s->summary;
	int64_t id = cache_audit_append(c, &r, e);
	free(req);
	return id < 0 ? (int)id : 0;
}

int rollout_audit_note(struct cache *c, const struct rollout_who *w, const char *action,
                       const struct rollout_plan *p, const char *result, const char *detail,
                       struct err *e)
{
	if (!c)
		return 0;
	struct audit_row r;
	row_fill(&r, w, action, p);
	r.phase = "after";
	r.result = result;
	r.detail = detail;
	int64_t id = cache_audit_append(c, &r, e);
	return id < 0 ? (int)id : 0;
}

struct prev_find {
	const char *model, *current;
	char *found;
};

static int prev_row(void *ud, const struct audit_row *r)
{
	struct prev_find *f = ud;
	int promoted = r->action && (strcmp(r->action, "promote") == 0 ||
	                             (strcmp(r->action, "step") == 0 && r->percent >= 100));
	if (!promoted || !r->model || strcmp(r->model, f->model) != 0 || !r->phase ||
	    strcmp(r->phase, "after") != 0 || !r->result || strcmp(r->result, "ok") != 0 ||
	    !r->from_version || !*r->from_version)
		return 0;
	if (f->current && (!r->to_version || strcmp(r->to_version, f->current) != 0))
		return 1; /* the last promotion is not of the current champion: the log cannot say
		           */
	f->found = strdup(r->from_version);
	return 1;
}

char *rollout_audit_prev_champion(struct cache *c, const char *context, const char *model,
                                  const char *current)
{
	struct prev_find f = {model, current, NULL};
	if (c && model)
		cache_audit_list(c, context, 0, prev_row, &f, NULL);
	return f.found;
}
