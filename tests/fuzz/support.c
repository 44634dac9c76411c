/* support: shared helpers of the libFuzzer targets (see support.h). The UTF-8 check is written
 * here from the Unicode tables, independently of tui/widgets/text.c, so that it can judge it. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_check(bool cond, const char *what, const char *file, int line)
{
	if (cond)
		return;
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

size_t fuzz_split(const uint8_t *data, size_t size, const char **piece, size_t *len, size_t max)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i < size && n + 1 < max; i++) {
		if (data[i] != '\0')
			continue;
		piece[n] = (const char *)data + start;
		len[n++] = i - start;
		start = i + 1;
	}
	piece[n] = (const char *)data + start;
	len[n++] = size - start;
	return n;
}

/* Decodes one well-formed sequence: its length, or 0 when ill-formed. */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n = s[0] < 0x80                    ? 1
	           : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
	           : (s[0] & 0xF0) == 0xE0        ? 3
	           : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
	                                          : 0;
	if (n == 0 || n > len)
		return 0;
	uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

static bool unsafe_cp(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
	       c == 0x2029;
}

bool fuzz_safe_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = utf8_next(p + i, len - i, &cp);
		if (n == 0 || unsafe_cp(cp))
			return false;
		i += n;
	}
	return true;
}

static char tmpdir[64];

static void tmpdir_remove(void)
{
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", tmpdir);
}

const char *fuzz_tmpdir(void)
{
	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/mltop-fuzz.XXXXXX");
	if (!mkdtemp(tmpdir))
		abort();
	atexit(tmpdir_remove);
	return tmpdir;
}
