#!/bin/sh
# Runs every test of `make check`: the static checks (the layering rule, clang-format and
# cppcheck, shellcheck), the unit binaries (cmocka, golden screens), then the integration scripts
# (simulator, real Prometheus and Alertmanager), then the tmux end-to-end scripts (the flow and
# random-key tests run the ASan+UBSan build). Only tests whose source exists run: a unit test is
# tests/unit/test_*.c, and its binary must have been built ($1/tests/NAME), else it fails.
# Each prints its own detail and how long it took; the last line counts them. TESTS=REGEX runs only the matching ones.
build=${1:-build}
pass=0
fail=0
failed=""
run() {
	name=$1
	shift
	if [ -n "${TESTS:-}" ] && ! echo "$name" | grep -Eq "$TESTS"; then return; fi
	echo "== $name"
	t0=$(date +%s)
	if "$@"; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
	echo "-- $name: $(($(date +%s) - t0)) s"
}
not_built() {
	echo "$1 is not built (make check builds it)"
	return 1
}
run check-deps sh scripts/check-deps.sh
run lint sh scripts/lint.sh
run shellcheck sh scripts/shellcheck.sh
run check-citations sh scripts/check-citations.sh
for src in tests/unit/test_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -x "$build/tests/$name" ]; then
		run "$name" "$build/tests/$name"
	else
		run "$name" not_built "$build/tests/$name"
	fi
done
for t in tests/integration/*.sh tests/e2e/*.sh; do
	case "$(basename "$t")" in lib*) continue ;; esac
	[ -f "$t" ] || continue
	run "$t" env MLTOP_BUILD="$build" sh "$t"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
