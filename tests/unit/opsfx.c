#include "tests/unit/opsfx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int opsfx_run(struct http *h, const int *count, int want, int limit_ms)
{
	int64_t deadline = mono() + limit_ms;
	while (*count < want && mono() < deadline) {
		http_perform(h);
		if (*count < want)
			http_wait(h, -1, 20, NULL);
	}
	return *count;
}

struct http_resp opsfx_resp(long status, const char *content_type, const char *body)
{
	struct http_resp r;
	memset(&r, 0, sizeof r);
	r.status = status;
	snprintf(r.content_type, sizeof r.content_type, "%s", content_type ? content_type : "");
	r.body = body ? body : "";
	r.len = strlen(r.body);
	return r;
}

static void put(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		abort();
	}
}

void opsfx_write(const char *path, const char *text)
{
	put(path, "w", text);
}

void opsfx_append(const char *path, const char *text)
{
	put(path, "a", text);
}
