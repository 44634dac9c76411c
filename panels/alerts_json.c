#include "panels/alerts_json.h"

#include <string.h>

#include "clients/jsonw.h"

static void kv_object(struct jsonw *w, const char *key, const struct kvlist *l)
{
	jsonw_obj_begin(w, key);
	for (size_t i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i].name, l->v[i].value);
	jsonw_obj_end(w);
}

static void strings(struct jsonw *w, const char *key, const struct strlist *l)
{
	jsonw_arr_begin(w, key);
	for (size_t i = 0; i < l->n; i++)
		jsonw_str(w, NULL, l->v[i]);
	jsonw_arr_end(w);
}

static void row(struct jsonw *w, const struct alerts_row *r)
{
	jsonw_obj_begin(w, NULL);
	jsonw_str(w, "severity", r->severity);
	jsonw_str(w, "alertname", r->name);
	jsonw_str(w, "model", r->model);
	jsonw_str(w, "version", r->version);
	jsonw_str(w, "feature", r->feature[0] ? r->feature : NULL);
	jsonw_str(w, "value", r->value[0] ? r->value : NULL);
	jsonw_str(w, "state", r->a->state_text);
	jsonw_bool(w, "silenced", r->silenced);
	jsonw_bool(w, "inhibited", r->inhibited);
	strings(w, "silenced_by", &r->a->silenced_by);
	jsonw_str(w, "silenced_by_user", r->sil ? r->sil->created_by : NULL);
	jsonw_time(w, "silenced_until", r->sil ? r->sil->ends_ms : 0);
	jsonw_str(w, "silence_comment", r->sil ? r->sil->comment : NULL);
	strings(w, "inhibited_by", &r->a->inhibited_by);
	jsonw_time(w, "starts", r->a->starts_ms);
	jsonw_time(w, "ends", r->a->ends_ms);
	jsonw_time(w, "updated", r->a->updated_ms);
	jsonw_str(w, "fingerprint", r->a->fingerprint);
	kv_object(w, "labels", &r->a->labels);
	kv_object(w, "annotations", &r->a->annotations);
	jsonw_obj_end(w);
}

void alerts_json_rows(const struct alerts_view *v, struct jsonw *w)
{
	jsonw_arr_begin(w, "rows");
	for (size_t i = 0; i < v->n; i++)
		row(w, &v->rows[i]);
	jsonw_arr_end(w);
}

void alerts_json_drift(const struct alerts_drift *d, struct jsonw *w)
{
	jsonw_obj_begin(w, "drift");
	jsonw_str(w, "metric", d->metric[0] ? d->metric : NULL);
	jsonw_arr_begin(w, "cells");
	for (size_t r = 0; r < d->nr; r++)
		for (size_t f = 0; f < d->nf; f++) {
			double v = d->score[r * d->nf + f];
			if (v != v)
				continue;
			const char *tab = strchr(d->rkey[r], '\t');
			char model[256];
			size_t ml = tab ? (size_t)(tab - d->rkey[r]) : strlen(d->rkey[r]);
			if (ml >= sizeof model)
				ml = sizeof model - 1;
			memcpy(model, d->rkey[r], ml);
			model[ml] = '\0';
			jsonw_obj_begin(w, NULL);
			jsonw_str(w, "model", model);
			jsonw_str(w, "version", tab ? tab + 1 : "");
			jsonw_str(w, "feature", d->feat[f]);
			jsonw_num(w, "score", v);
			jsonw_int(w, "heat", alerts_drift_heat(d->metric, v));
			jsonw_obj_end(w);
		}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}
