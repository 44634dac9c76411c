#!/bin/sh
# Runs every test of `make check`: the unit binaries (cmocka, golden screens), then the integration
# scripts (simulator, real Prometheus and Alertmanager), then the tmux end-to-end scripts.
# Each prints its own detail; the last line counts them. TESTS=REGEX runs only the matching ones.
build=${1:-build}
pass=0; fail=0; failed=""
run() {
	name=$1; shift
	if [ -n "${TESTS:-}" ] && ! echo "$name" | grep -Eq "$TESTS"; then return; fi
	echo "== $name"
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed="$failed $name"; fi
}
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" "$t"
done
for t in tests/integration/*.sh tests/e2e/*.sh; do
	case "$(basename "$t")" in lib*) continue ;; esac
	[ -f "$t" ] || continue
	run "$t" env MLTOP_BUILD="$build" sh "$t"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
