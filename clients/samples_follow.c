#include "clients/samples_follow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct samples_follow {
	char *path;
	int fd;    /* -1: not open */
	dev_t dev; /* of the open file */
	ino_t ino;
	off_t off;  /* bytes of the open file consumed */
	char *part; /* a line without its newline yet */
	size_t plen, pcap;
	int skip; /* 1: drop bytes up to the next newline (a backlog cut mid-line) */
	int more;
	int gone; /* the path named no file at the last poll (the open one is still read) */
	uint64_t rotations, truncations;
};

struct samples_follow *samples_follow_new(const char *path)
{
	struct samples_follow *f = calloc(1, sizeof *f);
	if (f && !(f->path = strdup(path ? path : ""))) {
		free(f);
		return NULL;
	}
	if (f)
		f->fd = -1;
	return f;
}

static void follow_close(struct samples_follow *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->off = 0;
	f->plen = 0;
	f->skip = 0;
}

void samples_follow_free(struct samples_follow **f)
{
	if (!f || !*f)
		return;
	follow_close(*f);
	free((*f)->part);
	free((*f)->path);
	free(*f);
	*f = NULL;
}

int samples_follow_more(const struct samples_follow *f)
{
	return f->more;
}

uint64_t samples_follow_rotations(const struct samples_follow *f)
{
	return f->rotations;
}

uint64_t samples_follow_truncations(const struct samples_follow *f)
{
	return f->truncations;
}

int samples_follow_gone(const struct samples_follow *f)
{
	return f->gone;
}

const char *samples_follow_path(const struct samples_follow *f)
{
	return f->path;
}

/* Keeps bytes of a line that has no newline yet (at most SAMPLES_LINE_MAX: the rest of a longer
 * line is dropped, and the cut line is kept as a bad one). */
static int part_add(struct samples_follow *f, const char *p, size_t n)
{
	if (f->plen + n > SAMPLES_LINE_MAX)
		n = f->plen < SAMPLES_LINE_MAX ? SAMPLES_LINE_MAX - f->plen : 0;
	if (f->plen + n > f->pcap) {
		size_t cap = f->pcap ? f->pcap : 4096;
		while (cap < f->plen + n)
			cap *= 2;
		char *grown = realloc(f->part, cap);
		if (!grown)
			return -1;
		f->part = grown;
		f->pcap = cap;
	}
	memcpy(f->part + f->plen, p, n);
	f->plen += n;
	return 0;
}

/* Splits a chunk into lines; complete ones go to s. Returns samples kept or -1. */
static long feed(struct samples_follow *f, struct samples *s, const char *buf, size_t n)
{
	long kept = 0;
	size_t at = 0;
	while (at < n) {
		const char *nl = memchr(buf + at, '\n', n - at);
		size_t k = nl ? (size_t)(nl - (buf + at)) : n - at;
		if (f->skip) {
			f->skip = !nl;
		} else if (part_add(f, buf + at, k) < 0) {
			return -1;
		} else if (nl) {
			int rc = samples_add_line(s, f->part, f->plen);
			f->plen = 0;
			if (rc < 0)
				return -1;
			kept += rc;
		}
		at += k + (nl ? 1 : 0);
	}
	return kept;
}

/* Reads from the open file up to its end or the chunk limit. */
static long drain(struct samples_follow *f, struct samples *s, size_t *budget, struct err *e)
{
	static char buf[64 * 1024];
	long kept = 0;
	while (*budget) {
		size_t want = *budget < sizeof buf ? *budget : sizeof buf;
		ssize_t got = pread(f->fd, buf, want, f->off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return err_set(e, ERR_IO, "%s: %s", f->path, strerror(errno));
		if (got == 0)
			break;
		f->off += got;
		*budget -= (size_t)got;
		long rc = feed(f, s, buf, (size_t)got);
		if (rc < 0)
			return err_set(e, ERR_NOMEM, "samples: out of memory");
		kept += rc;
	}
	return kept;
}

static long open_new(struct samples_follow *f, struct err *e)
{
	struct stat st;
	int fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_IO, "%s: %s", f->path,
		               errno == ENOENT ? "waiting for the file" : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_IO, "%s: not a regular file", f->path);
	}
	follow_close(f);
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	return 0;
}

/* The first open of a big file starts near its end, at a line start. */
static void skip_backlog(struct samples_follow *f)
{
	struct stat st;
	if (fstat(f->fd, &st) == 0 && st.st_size > SAMPLES_FOLLOW_BACKLOG) {
		f->off = st.st_size - SAMPLES_FOLLOW_BACKLOG;
		f->skip = 1;
	}
}

/* Rotation: the path names another file now (or none). Reads the rest of the old one first. */
static long check_rotation(struct samples_follow *f, struct samples *s, size_t *budget,
                           struct err *e)
{
	struct stat now;
	f->gone = stat(f->path, &now) != 0;
	if (f->gone || (now.st_dev == f->dev && now.st_ino == f->ino))
		return 0;
	long kept = drain(f, s, budget, e);
	if (kept < 0 || !*budget)
		return kept; /* the old file is not done yet */
	f->rotations++;
	if (f->plen && !f->skip) { /* the old file's last line never got its newline */
		int added = samples_add_line(s, f->part, f->plen);
		if (added < 0)
			return err_set(e, ERR_NOMEM, "samples: out of memory");
		kept += added;
	}
	long rc = open_new(f, e);
	return rc < 0 ? rc : kept;
}

long samples_follow_poll(struct samples_follow *f, struct samples *s, struct err *e)
{
	size_t budget = SAMPLES_FOLLOW_CHUNK;
	long kept = 0, rc;
	struct stat st;
	f->more = 0;
	if (f->fd < 0) {
		if ((rc = open_new(f, e)) < 0)
			return rc;
		skip_backlog(f);
	} else if ((kept = check_rotation(f, s, &budget, e)) < 0) {
		return kept;
	}
	if (fstat(f->fd, &st) == 0 && st.st_size < f->off) {
		f->truncations++;
		f->off = 0;
		f->plen = 0;
		f->skip = 0;
	}
	if ((rc = drain(f, s, &budget, e)) < 0)
		return rc;
	f->more = budget == 0;
	return kept + rc;
}
