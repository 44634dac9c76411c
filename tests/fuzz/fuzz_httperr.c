/* fuzz_httperr: clients/httperr.h on arbitrary error bodies (JSON error shapes, HTML, plain
 * text). Input: two bytes of status, one byte choosing the content type and one the size of the
 * output buffer, then the body. The line must fit its buffer, be one line, and the page excerpt
 * must hold no control character. */
#include <string.h>

#include "clients/httperr.h"
#include "support.h"

static const char *const types[] = {NULL,        "",           "application/json",
                                    "text/html", "text/plain", "application/problem+json"};

static void check_line(const char *buf, size_t size, bool no_controls)
{
	size_t n = strnlen(buf, size);
	FUZZ_CHECK(n < size);
	FUZZ_CHECK(!memchr(buf, '\n', n) && !memchr(buf, '\r', n));
	for (size_t i = 0; no_controls && i < n; i++)
		FUZZ_CHECK((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	long status = (long)(data[0] << 8 | data[1]) % 1000;
	const char *type = types[data[2] % (sizeof types / sizeof types[0])];
	size_t bufsz = 1 + data[3] % 255;
	const char *body = size > 4 ? (const char *)data + 4 : NULL;
	size_t len = size - 4;
	char buf[256], big[1024];

	memset(buf, 'x', sizeof buf);
	httperr_format(buf, bufsz, "MLflow", status, type, body, len);
	check_line(buf, bufsz, false);
	httperr_format(big, sizeof big, "Prometheus", status, type, body, len);
	check_line(big, sizeof big, false);

	memset(buf, 'x', sizeof buf);
	httperr_excerpt(buf, bufsz, status, body, len);
	check_line(buf, bufsz, true);
	httperr_excerpt(big, sizeof big, status, body, len);
	check_line(big, sizeof big, true);
	FUZZ_CHECK(strlen(big) <= HTTPERR_EXCERPT_MAX);
	return 0;
}
