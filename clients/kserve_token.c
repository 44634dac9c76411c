#include "clients/kserve_token.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Reads the open file (at most KSERVE_TOKEN_MAX bytes) into a trimmed string. */
static char *read_trimmed(int fd, size_t size, struct err *e, const char *path)
{
	char *buf = malloc(size + 1);
	size_t len = 0;
	ssize_t n = 0;
	if (!buf) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	while (len < size && (n = read(fd, buf + len, size - len)) > 0)
		len += (size_t)n;
	size_t a = 0, b = len;
	while (a < b && isspace((unsigned char)buf[a]))
		a++;
	while (b > a && isspace((unsigned char)buf[b - 1]))
		b--;
	memmove(buf, buf + a, b - a);
	explicit_bzero(buf + (b - a), len - (b - a));
	buf[b - a] = '\0';
	if (n < 0 || !buf[0]) {
		err_set(e, ERR_CONFIG, "%s: %s", path, n < 0 ? strerror(errno) : "empty");
		free(buf);
		return NULL;
	}
	return buf;
}

/* Reads the file when it changed; 0 (t->value current) or a negative code. */
static int reload(struct kserve_token *t, struct err *e)
{
	int fd = open(t->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int rc = 0;
	if (fd < 0)
		return err_set(e, ERR_CONFIG, "%s: %s", t->path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > KSERVE_TOKEN_MAX) {
		rc = err_set(e, ERR_CONFIG, "%s: not a regular file of at most 64 KiB", t->path);
		goto out;
	}
	char *v = read_trimmed(fd, (size_t)st.st_size, e, t->path);
	if (!v) {
		rc = e ? e->code : ERR_CONFIG;
		goto out;
	}
	wipe(&t->value);
	t->value = v;
	t->seen = st;
	t->stale = 0;
	t->reads++;
out:
	close(fd);
	return rc;
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
	reload(t, e); /* on failure (a rewrite caught half-way) the last token, if any */
	return t->value;
}
