#include "clients/runstore.h"

#include <stdlib.h>
#include <string.h>

#include "clients/arena.h"

#define CHUNK_RUNS  1024
#define ARENA_BLOCK (256 * 1024)

struct key {
	const char *name;
	uint32_t hash;
	uint32_t len;
	uint8_t kinds;
};

struct idlist {
	uint32_t *ids; /* sorted by name */
	size_t n, cap;
};

struct runstore {
	struct arena *arena;
	struct key *keys;
	uint32_t nkeys, capkeys;
	uint32_t *keyslots; /* open addressing: key id + 1, 0 empty */
	uint32_t nkeyslots;
	struct idlist lists[3]; /* metric, param, tag */
	struct mlflow_run **chunks;
	size_t nchunks;
	size_t count;
	uint32_t *runslots; /* run index + 1, 0 empty */
	size_t nrunslots;
};

static const char *const wellknown[RUNSTORE_WELLKNOWN_COUNT] = {
    "mlflow.runName",           "mlflow.user",
    "mlflow.source.name",       "mlflow.source.type",
    "mlflow.source.git.commit", "mlflow.parentRunId",
    "mlflow.note.content",      "mlflow.loggedArtifacts",
};

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct runstore *runstore_new(void)
{
	struct runstore *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->arena = arena_new(ARENA_BLOCK);
	if (!s->arena)
		goto fail;
	for (int i = 0; i < RUNSTORE_WELLKNOWN_COUNT; i++)
		if (runstore_intern(s, wellknown[i], strlen(wellknown[i]), 0) != (uint32_t)i)
			goto fail;
	return s;
fail:
	runstore_free(&s);
	return NULL;
}

void runstore_free(struct runstore **ps)
{
	if (!ps || !*ps)
		return;
	struct runstore *s = *ps;
	arena_free(&s->arena);
	free(s->keys);
	free(s->keyslots);
	for (int i = 0; i < 3; i++)
		free(s->lists[i].ids);
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	free(s->runslots);
	free(s);
	*ps = NULL;
}

size_t runstore_count(const struct runstore *s)
{
	return s->count;
}

const struct mlflow_run *runstore_at(const struct runstore *s, size_t i)
{
	if (i >= s->count)
		return NULL;
	return &s->chunks[i / CHUNK_RUNS][i % CHUNK_RUNS];
}

struct arena *runstore_arena(struct runstore *s)
{
	return s->arena;
}

/* ---- the intern table ---- */

static uint32_t key_lookup(const struct runstore *s, const char *name, size_t len, uint32_t h)
{
	if (!s->nkeyslots)
		return RUNSTORE_NO_KEY;
	uint32_t mask = s->nkeyslots - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t slot = s->keyslots[i];
		if (!slot)
			return RUNSTORE_NO_KEY;
		const struct key *k = &s->keys[slot - 1];
		if (k->hash == h && k->len == len && memcmp(k->name, name, len) == 0)
			return slot - 1;
	}
}

static int keyslots_grow(struct runstore *s)
{
	uint32_t n = s->nkeyslots ? s->nkeyslots * 2 : 64;
	uint32_t *slots = calloc(n, sizeof *slots);
	if (!slots)
		return -1;
	for (uint32_t id = 0; id < s->nkeys; id++) {
		uint32_t i = s->keys[id].hash & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(s->keyslots);
	s->keyslots = slots;
	s->nkeyslots = n;
	return 0;
}

static uint32_t key_add(struct runstore *s, const char *name, size_t len, uint32_t h)
{
	if (len > UINT32_MAX || s->nkeys >= RUNSTORE_NO_KEY - 1)
		return RUNSTORE_NO_KEY;
	if ((s->nkeys + 1) * 2 > s->nkeyslots && keyslots_grow(s))
		return RUNSTORE_NO_KEY;
	if (s->nkeys == s->capkeys) {
		uint32_t cap = s->capkeys ? s->capkeys * 2 : 64;
		struct key *k = realloc(s->keys, cap * sizeof *k);
		if (!k)
			return RUNSTORE_NO_KEY;
		s->keys = k;
		s->capkeys = cap;
	}
	char *copy = arena_strndup(s->arena, name, len);
	if (!copy)
		return RUNSTORE_NO_KEY;
	uint32_t id = s->nkeys++;
	s->keys[id] = (struct key){.name = copy, .hash = h, .len = (uint32_t)len};
	uint32_t mask = s->nkeyslots - 1, i = h & mask;
	while (s->keyslots[i])
		i = (i + 1) & mask;
	s->keyslots[i] = id + 1;
	return id;
}

/* Inserts id into the list of its kind, keeping it sorted by name. */
static int list_add(struct runstore *s, struct idlist *l, uint32_t id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		uint32_t *ids = realloc(l->ids, cap * sizeof *ids);
		if (!ids)
			return -1;
		l->ids = ids;
		l->cap = cap;
	}
	const char *name = s->keys[id].name;
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(s->keys[l->ids[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(l->ids + lo + 1, l->ids + lo, (l->n - lo) * sizeof *l->ids);
	l->ids[lo] = id;
	l->n++;
	return 0;
}

static int kind_index(int kind)
{
	return kind == RUNSTORE_METRIC  ? 0
	       : kind == RUNSTORE_PARAM ? 1
	       : kind == RUNSTORE_TAG   ? 2
	                                : -1;
}

uint32_t runstore_intern(struct runstore *s, const char *name, size_t len, int kind)
{
	uint32_t h = hash_bytes(name, len);
	uint32_t id = key_lookup(s, name, len, h);
	if (id == RUNSTORE_NO_KEY)
		id = key_add(s, name, len, h);
	if (id == RUNSTORE_NO_KEY || !kind || (s->keys[id].kinds & kind))
		return id;
	int li = kind_index(kind);
	if (li >= 0 && list_add(s, &s->lists[li], id))
		return RUNSTORE_NO_KEY;
	s->keys[id].kinds |= (uint8_t)kind;
	return id;
}

const char *runstore_intern_str(struct runstore *s, const char *str)
{
	if (!str)
		return NULL;
	uint32_t id = runstore_intern(s, str, strlen(str), RUNSTORE_OTHER);
	return id == RUNSTORE_NO_KEY ? NULL : s->keys[id].name;
}

uint32_t runstore_key_id(const struct runstore *s, const char *name)
{
	size_t len = strlen(name);
	return key_lookup(s, name, len, hash_bytes(name, len));
}

const char *runstore_key_name(const struct runstore *s, uint32_t id)
{
	return id < s->nkeys ? s->keys[id].name : NULL;
}

size_t runstore_keys(const struct runstore *s, int kind, const uint32_t **ids)
{
	int li = kind_index(kind);
	if (li < 0) {
		*ids = NULL;
		return 0;
	}
	*ids = s->lists[li].ids;
	return s->lists[li].n;
}

/* ---- runs by id ---- */

static long run_lookup(const struct runstore *s, const char *id, uint32_t h)
{
	if (!s->nrunslots)
		return -1;
	size_t mask = s->nrunslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t slot = s->runslots[i];
		if (!slot)
			return -1;
		if (strcmp(runstore_at(s, slot - 1)->id, id) == 0)
			return (long)slot - 1;
	}
}

static void runslot_set(uint32_t *slots, size_t n, uint32_t h, uint32_t index)
{
	size_t i = h & (n - 1);
	while (slots[i])
		i = (i + 1) & (n - 1);
	slots[i] = index + 1;
}

static int runslots_grow(struct runstore *s)
{
	size_t n = s->nrunslots ? s->nrunslots * 2 : 1024;
	uint32_t *slots = calloc(n, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < s->count; i++) {
		const char *id = runstore_at(s, i)->id;
		runslot_set(slots, n, hash_bytes(id, strlen(id)), (uint32_t)i);
	}
	free(s->runslots);
	s->runslots = slots;
	s->nrunslots = n;
	return 0;
}

const struct mlflow_run *runstore_find(const struct runstore *s, const char *run_id)
{
	long i = run_lookup(s, run_id, hash_bytes(run_id, strlen(run_id)));
	return i < 0 ? NULL : runstore_at(s, (size_t)i);
}

/* Insertion sorts: the arrays are short and, keys being interned in the order a server sends
 * them, nearly always sorted already. */
static void sort_metrics(struct mlflow_metric *m, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct mlflow_metric x = m[i];
		size_t j = i;
		for (; j > 0 && m[j - 1].key > x.key; j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
}

static void sort_kv(struct mlflow_kv *kv, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct mlflow_kv x = kv[i];
		size_t j = i;
		for (; j > 0 && kv[j - 1].key > x.key; j--)
			kv[j] = kv[j - 1];
		kv[j] = x;
	}
}

static struct mlflow_run *slot_new(struct runstore *s)
{
	if (s->count >= UINT32_MAX - 1)
		return NULL;
	if (s->count % CHUNK_RUNS == 0 && s->count / CHUNK_RUNS == s->nchunks) {
		struct mlflow_run **chunks = realloc(s->chunks, (s->nchunks + 1) * sizeof *chunks);
		if (!chunks)
			return NULL;
		s->chunks = chunks;
		s->chunks[s->nchunks] = malloc(CHUNK_RUNS * sizeof **chunks);
		if (!s->chunks[s->nchunks])
			return NULL;
		s->nchunks++;
	}
	return &s->chunks[s->count / CHUNK_RUNS][s->count % CHUNK_RUNS];
}

int runstore_put(struct runstore *s, const struct mlflow_run *r, struct err *e)
{
	if (!r->id)
		return err_set(e, ERR_PARSE, "a run without run_id");
	uint32_t h = hash_bytes(r->id, strlen(r->id));
	long at = run_lookup(s, r->id, h);
	struct mlflow_run *dst;
	if (at >= 0) {
		dst = &s->chunks[(size_t)at / CHUNK_RUNS][(size_t)at % CHUNK_RUNS];
	} else {
		if ((s->count + 1) * 2 > s->nrunslots && runslots_grow(s))
			return err_set(e, ERR_NOMEM, "out of memory for %zu runs", s->count + 1);
		dst = slot_new(s);
		if (!dst)
			return err_set(e, ERR_NOMEM, "out of memory for %zu runs", s->count + 1);
		runslot_set(s->runslots, s->nrunslots, h, (uint32_t)s->count);
		s->count++;
	}
	*dst = *r;
	sort_metrics(dst->metrics, dst->nmetrics);
	sort_kv(dst->params, dst->nparams);
	sort_kv(dst->tags, dst->ntags);
	return 0;
}

/* ---- lookups in a run ---- */

const struct mlflow_metric *runstore_metric(const struct mlflow_run *r, uint32_t key)
{
	size_t lo = 0, hi = r->nmetrics;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->metrics[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nmetrics && r->metrics[lo].key == key ? &r->metrics[lo] : NULL;
}

static const char *kv_find(const struct mlflow_kv *kv, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (kv[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && kv[lo].key == key ? kv[lo].value : NULL;
}

const char *runstore_param(const struct mlflow_run *r, uint32_t key)
{
	return kv_find(r->params, r->nparams, key);
}

const char *runstore_tag(const struct mlflow_run *r, uint32_t key)
{
	return kv_find(r->tags, r->ntags, key);
}

const char *runstore_git_commit(const struct mlflow_run *r)
{
	return runstore_tag(r, RUNSTORE_TAG_GIT_COMMIT);
}

const char *runstore_source_name(const struct mlflow_run *r)
{
	return runstore_tag(r, RUNSTORE_TAG_SOURCE_NAME);
}

const char *runstore_parent_run(const struct mlflow_run *r)
{
	return runstore_tag(r, RUNSTORE_TAG_PARENT_RUN);
}

static const char *const status_names[] = {"UNKNOWN",  "RUNNING", "SCHEDULED",
                                           "FINISHED", "FAILED",  "KILLED"};

const char *runstore_status_name(int status)
{
	if (status < 0 || status > RUN_STATUS_KILLED)
		status = RUN_STATUS_UNKNOWN;
	return status_names[status];
}

int runstore_status_parse(const char *s)
{
	for (int i = RUN_STATUS_RUNNING; s && i <= RUN_STATUS_KILLED; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return RUN_STATUS_UNKNOWN;
}

size_t runstore_bytes(const struct runstore *s)
{
	size_t b = sizeof *s + arena_bytes(s->arena);
	b += s->capkeys * sizeof *s->keys + s->nkeyslots * sizeof *s->keyslots;
	for (int i = 0; i < 3; i++)
		b += s->lists[i].cap * sizeof *s->lists[i].ids;
	b += s->nchunks * (sizeof *s->chunks + CHUNK_RUNS * sizeof **s->chunks);
	return b + s->nrunslots * sizeof *s->runslots;
}
