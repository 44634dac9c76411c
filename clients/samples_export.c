#include "clients/samples_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void samples_export_default_path(int64_t now_ms, char *buf, size_t n)
{
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;
	char stamp[32] = "";
	if (localtime_r(&t, &tm))
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, n, "./samples-%s.jsonl", stamp);
}

int samples_export_exists(const char *path)
{
	struct stat st;
	return path && *path && lstat(path, &st) == 0;
}

/* The reason in words, for the directory part of path when it is the problem. */
static int samples_export_fail(struct err *e, const char *path, int code)
{
	char dir[1024];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (!dir[0])
		snprintf(dir, sizeof dir, "/");
	if (code == ENOENT)
		return err_set(e, ERR_IO, "export: %s: the directory %s does not exist", path, dir);
	if (code == EACCES || code == EPERM)
		return err_set(e, ERR_IO, "export: %s: permission denied (cannot write in %s)",
		               path, dir);
	return err_set(e, ERR_IO, "export: %s: %s", path, strerror(code));
}

static int samples_export_write(FILE *f, const struct sample *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fwrite(v[i]->raw, 1, v[i]->raw_len, f) != v[i]->raw_len ||
		    fputc('\n', f) == EOF)
			return -1;
	return 0;
}

long samples_export(const char *path, const struct sample *const *v, size_t n, struct err *e)
{
	if (!path || !*path)
		return err_set(e, ERR_CONFIG, "export: no file name");
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	if (!tmp)
		return err_set(e, ERR_NOMEM, "export: out of memory");
	snprintf(tmp, len + 16, "%s.tmp%ld", path, (long)getpid() % 100000);
	long rc = n;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		rc = samples_export_fail(e, path, errno);
		if (fd >= 0)
			close(fd);
		goto out;
	}
	int bad = samples_export_write(f, v, n);
	int code = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		code = errno;
	}
	if (!bad && rename(tmp, path) != 0) {
		bad = 1;
		code = errno;
	}
	if (bad) {
		unlink(tmp);
		rc = samples_export_fail(e, path, code);
	}
out:
	free(tmp);
	return rc;
}
