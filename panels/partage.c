#include "panels/partage.h"

#include <stdio.h>

#include "tui/widgets/text.h"

int64_t partage_time(const struct registry_part_state *parts, int n, int *cached)
{
	int64_t t = 0;
	*cached = 0;
	for (int p = 0; p < n; p++) {
		const struct registry_part_state *ps = &parts[p];
		if (ps->fetched_ms && (!t || ps->fetched_ms < t))
			t = ps->fetched_ms;
		*cached |= ps->cached;
	}
	return t;
}

enum role partage_text(const struct registry_part_state *parts, int n, int failed, int64_t now_ms,
                       const char *waiting, char *buf, size_t size)
{
	int cached;
	int64_t t = partage_time(parts, n, &cached);
	char age[32];
	if (!t) {
		snprintf(buf, size, "%s", failed ? "no data" : waiting);
		return ROLE_MUTED;
	}
	text_age(age, sizeof age, now_ms - t);
	if (failed) {
		snprintf(buf, size, "stale: data from %s ago", age);
		return ROLE_WARN;
	}
	snprintf(buf, size, "%s %s ago", cached ? "cached" : "updated", age);
	return cached ? ROLE_WARN : ROLE_MUTED;
}
