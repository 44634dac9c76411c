#include "clients/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
		e->retry_after_ms = 0;
		char *nl = strpbrk(e->msg, "\r\n");
		if (nl)
			*nl = '\0';
	}
	return code;
}

void err_clear(struct err *e)
{
	if (e) {
		e->code = 0;
		e->retry_after_ms = 0;
		e->msg[0] = '\0';
	}
}
