#include "clients/kserve_token.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clients/cli.h"

struct kserve_token {
	char *path;
	char *value;
	struct stat seen; /* of the file last read */
	int stale;
	int reads;
};

struct kserve_token *kserve_token_new(const char *path)
{
	struct kserve_token *t = calloc(1, sizeof *t);
	if (t && !(t->path = strdup(path ? path : ""))) {
		free(t);
		t = NULL;
	}
	if (t)
		t->stale = 1;
	return t;
}

static void wipe(char **s)
{
	if (*s)
		explicit_bzero(*s, strlen(*s));
	free(*s);
	*s = NULL;
}

void kserve_token_free(struct kserve_token **t)
{
	if (!t || !*t)
		return;
	wipe(&(*t)->value);
	free((*t)->path);
	free(*t);
	*t = NULL;
}

void kserve_token_stale(struct kserve_token *t)
{
	if (t)
		t->stale = 1;
}

int kserve_token_reads(const struct kserve_token *t)
{
	return t ? t->reads : 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Reads the file again; 0 (t->value current) or a negative code. The identity recorded is the
 * one seen before reading: a rewrite in between is read again at the next request. */
static int reload(struct kserve_token *t, const struct stat *now, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	if (cli_read_file(t->path, KSERVE_TOKEN_MAX, &buf, &len, NULL, e) < 0)
		return e ? e->code : ERR_CONFIG;
	if (!cli_trim_wipe(buf, len)) {
		free(buf);
		return err_set(e, ERR_CONFIG, "%s: empty", t->path);
	}
	wipe(&t->value);
	t->value = buf;
	t->seen = *now;
	t->stale = 0;
	t->reads++;
	return 0;
}

const char *kserve_token_get(struct kserve_token *t, struct err *e)
{
	struct stat now;
	if (!t || !*t->path) {
		err_set(e, ERR_CONFIG, "no token file");
		return NULL;
	}
	if (stat(t->path, &now) != 0) {
		if (!t->value)
			err_set(e, ERR_CONFIG, "%s: %s", t->path, strerror(errno));
		return t->value;
	}
	if (t->value && !t->stale && same_file(&now, &t->seen))
		return t->value;
	reload(t, &now, e); /* on failure (a rewrite caught half-way) the last token, if any */
	return t->value;
}
