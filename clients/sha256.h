/* sha256: SHA-256 (OpenSSL's libcrypto) as lowercase hex. Its own file: OpenSSL's headers and
 * clients/err.h both name an ERR_STATE. */
#ifndef MLTOP_SHA256_H
#define MLTOP_SHA256_H

#include <stddef.h>

/* hex = the 64 hex digits of SHA-256(p[0..n)) and a NUL. 0, or -1 when libcrypto failed. */
int sha256_hex(const void *p, size_t n, char hex[65]);

#endif
