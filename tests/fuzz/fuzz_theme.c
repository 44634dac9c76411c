/* fuzz_theme: the colour theme loader (themes/theme.h theme_load) on arbitrary theme files: the
 * input is written as NAME.ini into a temporary directory and loaded by name, then resolved for
 * 256, 16 and 8 colours and monochrome (curses is not started, so colours resolve as on a
 * terminal without any) and every role's attribute read. */
#include <stdio.h>
#include <stdlib.h>

#include "support.h"
#include "themes/theme.h"

static char path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "%s/fuzz.ini", fuzz_tmpdir());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size);
	FUZZ_CHECK(fclose(f) == 0);

	const char *dirs[] = {fuzz_tmpdir(), NULL};
	struct theme t;
	struct err e;
	if (theme_load(&t, "fuzz", dirs, &e) < 0) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return 0;
	}
	static const int colours[] = {256, 16, 8, 0};
	for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++) {
		theme_apply(&t, colours[i], i == 3);
		for (int r = 0; r < ROLE_COUNT; r++) {
			theme_attr(&t, (enum role)r);
			FUZZ_CHECK(t.role[r].fg >= -1 && t.role[r].bg >= -1);
			FUZZ_CHECK(t.role[r].fg < 256 && t.role[r].bg < 256);
		}
	}
	return 0;
}
