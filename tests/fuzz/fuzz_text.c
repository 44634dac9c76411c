/* fuzz_text: the sanitizer every piece of remote text passes through (tui/widgets/text.h
 * text_sanitize) and the width and clipping functions after it, on arbitrary bytes. Checks the
 * promises of text.h: the sanitized text is well-formed UTF-8 with no C0/C1/ESC/bidi control
 * or line separator, text_sanitized_len is its length, a truncated copy is a prefix of the full
 * one that fits its buffer, text_ellipsize / text_fit stay within the width asked and text_pad
 * fills it exactly. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "tui/widgets/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		abort();
	return 0;
}

static void check_clip(const char *s, size_t n, int width, enum text_ellipsis mode)
{
	size_t outsz = n + 8;
	char *out = malloc(outsz + (size_t)width); /* room for text_pad's spaces */
	FUZZ_CHECK(out != NULL);
	int w = text_ellipsize(out, outsz, s, width, mode);
	FUZZ_CHECK(w >= 0 && w <= (width > 0 ? width : 0));
	FUZZ_CHECK(strlen(out) < outsz);
	FUZZ_CHECK(fuzz_safe_text(out, strlen(out)));
	FUZZ_CHECK(text_width(out) == w);
	int used = -1;
	size_t keep = text_fit(s, n, width, &used);
	FUZZ_CHECK(keep <= n && used >= 0 && used <= (width > 0 ? width : 0));
	FUZZ_CHECK(text_nwidth(s, keep) == used);
	for (int align = TEXT_LEFT; align <= TEXT_CENTER; align++) {
		size_t bytes =
		    text_pad(out, outsz + (size_t)width, s, width, (enum text_align)align, mode);
		FUZZ_CHECK(bytes == strlen(out));
		FUZZ_CHECK(text_width(out) == (width > 0 ? width : 0));
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *in = (const char *)data + 1;
	size_t len = size - 1;
	char *full = text_sanitize(in, len, NULL, 0);
	FUZZ_CHECK(full != NULL);
	size_t n = strlen(full);
	FUZZ_CHECK(n == text_sanitized_len(in, len));
	FUZZ_CHECK(fuzz_safe_text(full, n));

	size_t outsz = 1 + data[0];
	char *part = malloc(outsz);
	FUZZ_CHECK(part != NULL);
	FUZZ_CHECK(text_sanitize(in, len, part, outsz) == part);
	size_t m = strnlen(part, outsz);
	FUZZ_CHECK(m < outsz && m <= n && memcmp(part, full, m) == 0);
	FUZZ_CHECK(fuzz_safe_text(part, m));
	free(part);

	FUZZ_CHECK(text_width(full) >= 0);
	check_clip(full, n, data[0] % 64, (enum text_ellipsis)(data[0] % 3));
	free(full);
	return 0;
}
