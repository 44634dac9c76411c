/* samples_follow: a JSON Lines file followed as it grows, like `tail -F`. Each poll reads only
 * what was appended since the last one (at most SAMPLES_FOLLOW_CHUNK bytes a poll, so a huge
 * append never stalls the event loop: the rest comes with the next polls), hands every complete
 * line to a struct samples, and keeps a partial last line until its newline comes. A rotation
 * (the path now names another file: rename and a new file) is noticed: the old file is read to
 * its end first, then the new one from its start. A truncation (the file got shorter than what
 * was read) restarts reading at the start. A missing file is waited for. A file that is already
 * big when first opened is read from its last SAMPLES_FOLLOW_BACKLOG bytes (from a line start).
 * Nothing here blocks: the file is opened non-blocking and must be a regular file. */
#ifndef MLTOP_SAMPLES_FOLLOW_H
#define MLTOP_SAMPLES_FOLLOW_H

#include <stddef.h>
#include <stdint.h>

#include "clients/err.h"
#include "clients/samples_parse.h"

#define SAMPLES_FOLLOW_CHUNK   (4 * 1024 * 1024)
#define SAMPLES_FOLLOW_BACKLOG (8 * 1024 * 1024)

struct samples_follow;

struct samples_follow *samples_follow_new(const char *path); /* NULL when out of memory */
void samples_follow_free(struct samples_follow **f);

/* Reads what is new into s. Returns the number of samples kept (>= 0), or a negative code with
 * e filled: ERR_IO when the file is missing ("waiting for …"), unreadable or not a regular file
 * (the next poll tries again), ERR_NOMEM. */
long samples_follow_poll(struct samples_follow *f, struct samples *s, struct err *e);

/* 1 when the last poll stopped at SAMPLES_FOLLOW_CHUNK with more to read (poll again soon). */
int samples_follow_more(const struct samples_follow *f);
uint64_t samples_follow_rotations(const struct samples_follow *f);
uint64_t samples_follow_truncations(const struct samples_follow *f);
/* 1 when, at the last poll, the path named no file while one was open (removed, or renamed
 * with no new file yet): what is left of the open one is still read. */
int samples_follow_gone(const struct samples_follow *f);
const char *samples_follow_path(const struct samples_follow *f);

#endif
