/* kserve_token: a bearer token read from a file and read again whenever the file changes.
 * In-cluster service-account tokens are short-lived and the kubelet rewrites the file (a new
 * inode behind the ..data symlink), so the token is never kept for good: before each request the
 * file's identity (device, inode, size, modification and change times) is compared with the one
 * last read, and a 401 marks the token stale so that the next request reads the file again.
 * The token lives in memory only and is wiped when replaced or freed. */
#ifndef MLTOP_KSERVE_TOKEN_H
#define MLTOP_KSERVE_TOKEN_H

#include "clients/err.h"

#define KSERVE_TOKEN_MAX (64 * 1024)

struct kserve_token;

struct kserve_token *kserve_token_new(const char *path); /* NULL when out of memory */
void kserve_token_free(struct kserve_token **t);

/* The current token (whitespace trimmed), valid until the next call. When the file cannot be
 * read now but was before, the last token is kept (a rewrite in progress); NULL with e filled
 * when there never was one (no file, empty, not a regular file, over KSERVE_TOKEN_MAX). */
const char *kserve_token_get(struct kserve_token *t, struct err *e);
/* The server refused the token: read the file again before the next request. */
void kserve_token_stale(struct kserve_token *t);
/* How many times the file was read (for tests). */
int kserve_token_reads(const struct kserve_token *t);

#endif
