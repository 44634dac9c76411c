/* audit_detail: the lines of one audit row in full. */
#include "panels/audit_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/widgets/text.h"

#define AUDIT_DETAIL_INDENT 2

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* text, one of its lines after the other, each cut into pieces of width columns, indented. */
static void audit_detail_text(struct textview *tv, const char *text, int width)
{
	char *clean = NULL;
	while (text && *text) {
		size_t len = strcspn(text, "\n");
		free(clean);
		clean = text_sanitize(text, len, NULL, 0);
		const char *s = clean ? clean : "";
		size_t left = strlen(s);
		do {
			size_t take = text_fit(s, left, width, NULL);
			take = take ? take : left;
			textview_add(tv, ROLE_NORMAL, "%*s%.*s", AUDIT_DETAIL_INDENT, "", (int)take,
			             s);
			s += take;
			left -= take;
		} while (left > 0);
		text += len + (text[len] == '\n');
	}
	free(clean);
}

static void audit_detail_field(struct textview *tv, enum role role, const char *name,
                               const char *value)
{
	char label[64];
	text_pad(label, sizeof label, name, 12, TEXT_LEFT, TEXT_ELLIPSIS_DOTS);
	textview_add(tv, role, "%s %s", label, or_dash(value));
}

static enum role audit_detail_result_role(const char *r)
{
	if (r && (strcmp(r, "failed") == 0 || strcmp(r, "partial") == 0))
		return ROLE_CRIT;
	return r && strcmp(r, "refused") == 0 ? ROLE_WARN : ROLE_NORMAL;
}

static void audit_detail_fields(struct textview *tv, const struct audit_row *r)
{
	char buf[512];
	time_t t = (time_t)(r->ts_ms / 1000);
	struct tm tm;
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", localtime_r(&t, &tm));
	audit_detail_field(tv, ROLE_NORMAL, "time", buf);
	snprintf(buf, sizeof buf, "%s%s%s", or_dash(r->user), r->host ? "@" : "",
	         r->host ? r->host : "");
	audit_detail_field(tv, ROLE_NORMAL, "user@host", buf);
	audit_detail_field(tv, ROLE_NORMAL, "context", r->context);
	audit_detail_field(tv, ROLE_NORMAL, "action", r->action);
	audit_detail_field(tv, ROLE_NORMAL, "model", r->model);
	snprintf(buf, sizeof buf, "%s → %s", or_dash(r->from_version), or_dash(r->to_version));
	audit_detail_field(tv, ROLE_NORMAL, "from → to", buf);
	snprintf(buf, sizeof buf, "%d %%", r->percent);
	audit_detail_field(tv, ROLE_NORMAL, "percent", r->percent >= 0 ? buf : NULL);
	audit_detail_field(tv, ROLE_NORMAL, "phase", r->phase);
	audit_detail_field(tv, audit_detail_result_role(r->result), "result", r->result);
	snprintf(buf, sizeof buf, "%ld", r->http_status);
	audit_detail_field(tv, ROLE_NORMAL, "HTTP status", r->http_status ? buf : NULL);
	audit_detail_field(tv, r->reason ? ROLE_WARN : ROLE_NORMAL, "reason", r->reason);
}

void audit_detail_build(struct textview *tv, const struct audit_row *r, int width, int broken)
{
	width = width > 24 ? width - AUDIT_DETAIL_INDENT - 2 : 20; /* the window's margins */
	textview_clear(tv);
	tv->top = 0;
	textview_add(tv, ROLE_ACCENT, "audit row #%lld in full (Esc back)", (long long)r->id);
	audit_detail_fields(tv, r);
	audit_detail_field(tv, broken ? ROLE_CRIT : ROLE_MUTED, "prev hash", r->prev_hash);
	audit_detail_field(tv, broken ? ROLE_CRIT : ROLE_MUTED, "hash", r->hash);
	if (broken)
		textview_add(tv, ROLE_CRIT, "the chain's verification breaks at this row");
	textview_add(tv, ROLE_NORMAL, "%s", "");
	textview_add(tv, ROLE_ACCENT, "REQUEST");
	audit_detail_text(tv, r->request ? r->request : "-", width);
	textview_add(tv, ROLE_NORMAL, "%s", "");
	textview_add(tv, ROLE_ACCENT, "ANSWER");
	audit_detail_text(tv, r->detail ? r->detail : "-", width);
}
