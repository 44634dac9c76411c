/* version: what `mltop --version` prints: mltop's version, the commit it was built from, and the
 * versions of the libraries it runs with (those loaded now, not those it was compiled against). */
#ifndef MLTOP_VERSION_H
#define MLTOP_VERSION_H

#include <stdio.h>

void version_print(FILE *out);

#endif
