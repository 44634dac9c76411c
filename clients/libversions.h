/* libversions: the versions of the libraries the clients run with (libcurl and the TLS library
 * it was built on, SQLite, cJSON), as the libraries report them at run time, for
 * `mltop --version`. */
#ifndef MLTOP_LIBVERSIONS_H
#define MLTOP_LIBVERSIONS_H

#include <stdio.h>

/* One line per library, each "  NAME VERSION". */
void libversions_print(FILE *out);

#endif
