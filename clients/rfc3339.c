#include "clients/rfc3339.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The fraction after the seconds: its first three digits as ms; *p moves past every digit. */
static int fraction_ms(const char **p)
{
	int ms = 0, digits = 0;
	if (**p != '.')
		return 0;
	(*p)++;
	if (!isdigit((unsigned char)**p))
		return -1;
	for (; isdigit((unsigned char)**p); (*p)++, digits++)
		if (digits < 3)
			ms = ms * 10 + (**p - '0');
	for (; digits < 3; digits++)
		ms *= 10;
	return ms;
}

/* "Z" or "+hh:mm" / "-hh:mm": the offset east of UTC in seconds, or -1 on anything else. */
static int zone_offset(const char *p, long *off)
{
	if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') {
		*off = 0;
		return 0;
	}
	if ((p[0] != '+' && p[0] != '-') || strlen(p) != 6 || p[3] != ':')
		return -1;
	for (int i = 1; i < 6; i++)
		if (i != 3 && !isdigit((unsigned char)p[i]))
			return -1;
	int h = (p[1] - '0') * 10 + (p[2] - '0'), m = (p[4] - '0') * 10 + (p[5] - '0');
	if (h > 23 || m > 59)
		return -1;
	*off = (p[0] == '-' ? -1 : 1) * (long)(h * 3600 + m * 60);
	return 0;
}

int rfc3339_parse(const char *s, int64_t *ms)
{
	struct tm tm;
	char buf[RFC3339_MAX * 2];
	long off = 0;
	*ms = 0;
	if (!s || strlen(s) >= sizeof buf || strlen(s) < 20)
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	if (buf[10] == 't' || buf[10] == ' ')
		buf[10] = 'T';
	memset(&tm, 0, sizeof tm);
	/* strptime accepts one-digit fields: insist on the fixed layout first */
	static const char layout[] = "dddd-dd-ddTdd:dd:dd";
	for (int i = 0; i < 19; i++)
		if (layout[i] == 'd' ? !isdigit((unsigned char)buf[i]) : buf[i] != layout[i])
			return -1;
	const char *p = strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p || p != buf + 19)
		return -1;
	int frac = fraction_ms(&p);
	if (frac < 0 || zone_offset(p, &off) < 0 || tm.tm_sec > 60)
		return -1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mday == 31))
		return -1;
	*ms = ((int64_t)t - off) * 1000 + frac;
	return 0;
}

char *rfc3339_format(int64_t ms, char *buf, size_t size)
{
	struct tm tm;
	int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	time_t t = (time_t)secs;
	if (size)
		buf[0] = '\0';
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
		return buf;
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms - secs * 1000));
	return buf;
}
