#include "clients/cache_server.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct cache_server_out {
	char *p;
	size_t n, cap;
};

/* Appends len bytes of s, lower-cased when lower; 0, or -1 when out is full. */
static int cache_server_put(struct cache_server_out *o, const char *s, size_t len, int lower)
{
	if (o->n + len >= o->cap)
		return -1;
	for (size_t i = 0; i < len; i++)
		o->p[o->n++] = lower ? (char)tolower((unsigned char)s[i]) : s[i];
	o->p[o->n] = '\0';
	return 0;
}

/* The port of an authority after its host (":8080", ":", ":080" or ""): 0 when it is the
 * scheme's default or absent, else the number; -1 when it is not a port. */
static long cache_server_port(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (s[0] != ':')
		return -1;
	long port = 0;
	for (size_t i = 1; i < len; i++) {
		if (!isdigit((unsigned char)s[i]) || port > 65535)
			return -1;
		port = port * 10 + (s[i] - '0');
	}
	return port > 65535 ? -1 : port;
}

/* The host of an authority (userinfo already cut): its length, the port following it. */
static size_t cache_server_host_len(const char *a, size_t len)
{
	if (len && a[0] == '[') {
		const char *close = memchr(a, ']', len);
		return close ? (size_t)(close - a) + 1 : 0;
	}
	const char *colon = memchr(a, ':', len);
	return colon ? (size_t)(colon - a) : len;
}

static int cache_server_authority(struct cache_server_out *o, const char *a, size_t len,
                                  long default_port)
{
	const char *at = NULL;
	for (size_t i = 0; i < len; i++)
		if (a[i] == '@')
			at = a + i; /* the last one: a password may hold an '@' */
	if (at) {
		len -= (size_t)(at + 1 - a);
		a = at + 1;
	}
	size_t host = cache_server_host_len(a, len);
	long port = cache_server_port(a + host, len - host);
	if (host == 0 || port < 0)
		return -1;
	if (cache_server_put(o, a, host, 1) < 0)
		return -1;
	if (port == 0 || port == default_port)
		return 0;
	char num[16];
	int n = snprintf(num, sizeof num, ":%ld", port);
	if (n < 0 || (size_t)n >= sizeof num)
		return -1;
	return cache_server_put(o, num, (size_t)n, 0);
}

int cache_server_id(const char *url, char *out, size_t cap, struct err *e)
{
	static const struct {
		const char *scheme;
		long port;
	} schemes[] = {{"http://", 80}, {"https://", 443}};
	struct cache_server_out o = {out, 0, cap};
	if (cap)
		out[0] = '\0';
	for (size_t i = 0; url && cap && i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t slen = strlen(schemes[i].scheme);
		if (strncasecmp(url, schemes[i].scheme, slen) != 0)
			continue;
		const char *a = url + slen;
		size_t alen = strcspn(a, "/?#");
		size_t plen = strcspn(a + alen, "?#");
		while (plen > 0 && a[alen + plen - 1] == '/')
			plen--;
		if (cache_server_put(&o, schemes[i].scheme, slen, 1) < 0 ||
		    cache_server_authority(&o, a, alen, schemes[i].port) < 0 ||
		    cache_server_put(&o, a + alen, plen, 0) < 0)
			break;
		return 0;
	}
	if (cap)
		out[0] = '\0';
	return err_set(e, ERR_CONFIG, "not a server URL (http:// or https:// and a host)");
}
