/* mltop's only object built with the release and the commit (-DMLTOP_VERSION, -DMLTOP_COMMIT from
 * the Makefile), so that a new commit rebuilds this file alone. */
#include "tui/version.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <curses.h>
#include <pcre2.h>

#include "clients/libversions.h"

void version_print(FILE *out)
{
	char pcre[64] = "unknown";
	if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) <= (int)sizeof pcre)
		pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	fprintf(out, "mltop %s (commit %s)\n", MLTOP_VERSION, MLTOP_COMMIT);
	fprintf(out, "  %s\n", curses_version());
	libversions_print(out);
	fprintf(out, "  PCRE2 %s\n", pcre);
}
