#!/bin/sh
# The tests of `make check` under AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer,
# with a report of which test produced which sanitizer error. Runs in a private copy of the work
# tree (tracked and untracked files, not the build directories), because the ASan build also
# writes ./mltop and ./mltop-sim, which the integration and end-to-end scripts run: the shared
# tree's binaries stay as they are. Leaks inside third-party libraries that cannot be freed are
# suppressed by scripts/lsan.supp; nothing else is. Exits 1 when a test failed.
# Environment: JOBS (make -j, default 2), KEEP=1 keeps the copy, TESTS=REGEX (as tests/run.sh).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-asan.XXXXXX")
log="${TMPDIR:-/tmp}/mltop-asan.log"

# shellcheck disable=SC2317 # run by the trap
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "asan: copy kept in $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cd "$root" || exit 1
git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null | tar -xf - -C "$tmp" ||
	{ echo "asan: cannot copy the work tree" >&2; exit 1; }
cd "$tmp" || exit 1

export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$tmp/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# CFLAGS from the environment: the Makefile then still adds its own flags to it.
CFLAGS="-O1 -g" make -j"${JOBS:-2}" BUILD=build-asan SAN=1 check >"$log" 2>&1
rc=$?

# Per test (the "== name" lines of tests/run.sh): each sanitizer report and its first frame in
# mltop's own sources.
awk '
	/^== / { test = $2; next }
	/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|Direct leak of|Indirect leak of/ {
		msg = $0; sub(/^==[0-9]+==/, "", msg); want = 1
		if (msg ~ /ERROR: LeakSanitizer/) next
		printf "%s:%s\n", test, msg; next
	}
	want && / in [^ ]+ \/?[^ ]*(clients|tui|panels|themes|sim|tests)\/[^ ]+:[0-9]+/ {
		sub(/^ +#[0-9]+ 0x[0-9a-f]+ /, ""); printf "    at %s\n", $0; want = 0
	}
' "$log"
tail -n 2 "$log"
echo "asan: full log in $log"
exit "$rc"
