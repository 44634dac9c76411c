/* cache_server: the identity of a server in the cache. Every answer the cache keeps is filed
 * under the server it came from, so that the data of one server is never shown as another's
 * (a context whose URL changed, a flag pointing elsewhere for one run, the demo).
 *
 * The identity is the base URL normalised: scheme and host lower-cased, the default port (80
 * for http, 443 for https) and trailing slashes removed, the path kept as it is (a static
 * prefix, a reverse-proxy path); credentials (user:password@), the query and the fragment are
 * left out, so no secret ever lands in the cache. */
#ifndef MLTOP_CACHE_SERVER_H
#define MLTOP_CACHE_SERVER_H

#include <stddef.h>

#include "clients/err.h"

/* Room for an identity: a longer URL has none (it is not cached). */
#define CACHE_SERVER_MAX 1024

/* Writes the identity of url ("HTTPS://Prod.example.com:443/mlflow/" ->
 * "https://prod.example.com/mlflow") into out. Returns 0, or ERR_CONFIG when url is not an
 * http:// or https:// URL with a host, or does not fit in cap. */
int cache_server_id(const char *url, char *out, size_t cap, struct err *e);

#endif
