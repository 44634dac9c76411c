#!/bin/sh
# The tests of `make check` under AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer,
# with a report of which test produced which sanitizer error. Runs in a private copy of the work
# tree (tracked and untracked files, not the build directories), because the ASan build also
# writes ./mltop and ./mltop-sim, which the integration and end-to-end scripts run: the shared
# tree's binaries stay as they are. Each test runs on its own (tests/run.sh with TESTS=^name$)
# with the sanitizers writing their reports to files, so that the reports of an mltop running in
# a tmux pane of an end-to-end test are kept too. Leaks inside third-party libraries that cannot
# be freed are suppressed by scripts/lsan.supp; nothing else is. Exits 1 when a test failed.
# Environment: JOBS (make -j, default 2), KEEP=1 keeps the copy, TESTS=REGEX (only those tests).
# Output: the summary here; the tests' output in $TMPDIR/mltop-asan.log and every sanitizer
# report in $TMPDIR/mltop-asan-reports/<test>/.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-asan.XXXXXX")
log="${TMPDIR:-/tmp}/mltop-asan.log"
reports="${TMPDIR:-/tmp}/mltop-asan-reports"

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
rm -rf "$reports"
mkdir -p "$reports"

# CFLAGS from the environment: the Makefile then still adds its own flags to it.
if ! CFLAGS="-O1 -g" make -j"${JOBS:-2}" BUILD=build-asan SAN=1 unit >"$log" 2>&1; then
	tail -n 30 "$log"
	echo "asan: the build failed (log: $log)" >&2
	exit 1
fi

# The tests, named as tests/run.sh names them.
names=$(
	for t in build-asan/tests/test_*; do [ -x "$t" ] && basename "$t"; done
	for t in tests/integration/*.sh tests/e2e/*.sh; do
		case "$(basename "$t")" in lib*) ;; *) [ -f "$t" ] && echo "$t" ;; esac
	done
)
failed=""
for name in $names; do
	if [ -n "${TESTS:-}" ] && ! echo "$name" | grep -Eq "$TESTS"; then continue; fi
	dir="$reports/$(echo "$name" | tr / _)"
	mkdir -p "$dir"
	ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:log_path=$dir/asan" \
		LSAN_OPTIONS="suppressions=$tmp/scripts/lsan.supp:print_suppressions=0" \
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$dir/ubsan" \
		TESTS="^$name\$" sh tests/run.sh build-asan >>"$log" 2>&1 || failed="$failed $name"
done

# Per test: each sanitizer report, and its first frame in mltop's own sources (or the tests').
for dir in "$reports"/*; do
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		awk -v test="$(basename "$dir")" '
			/ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|(Direct|Indirect) leak of/ {
				if ($0 ~ /ERROR: LeakSanitizer/) next
				msg = $0; sub(/^==[0-9]+==/, "", msg); printf "%s: %s\n", test, msg; want = 1
				next
			}
			want && / in [^ ]+ [^ ]*(clients|tui|panels|themes|sim|tests)\/[^ ]+:[0-9]+/ {
				sub(/^ +#[0-9]+ 0x[0-9a-f]+ in /, ""); printf "    at %s\n", $0; want = 0
			}' "$f"
	done
done
[ -z "$failed" ] || echo "asan: failed:$failed"
echo "asan: test output in $log, sanitizer reports in $reports"
[ -z "$failed" ]
