#!/bin/sh
# Runs every test of `make check`: the static checks (the layering rule, clang-format and
# cppcheck, shellcheck), the unit binaries (cmocka, golden screens), the integration scripts
# (simulator, real Prometheus and Alertmanager) and the tmux end-to-end scripts (the flow and
# random-key tests run the ASan+UBSan build). Only tests whose source exists run: a unit test is
# tests/unit/test_*.c, and its binary must have been built ($1/tests/NAME), else it fails.
#
# CHECK_JOBS tests at a time (default: the number of processors): each test has its own
# temporary directory, servers on free ports and tmux socket, so none waits on another. The
# longest start first, by the times of the last run ($1/check-times; without it the end-to-end
# and integration scripts, then the rest). Each test's output is printed whole when it ends, with
# how long it took; the last line counts them. TESTS=REGEX runs only the matching ones.
build=${1:-build}
jobs=${CHECK_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
times="$build/check-times"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Every test, a line each: its name.
all_tests() {
	printf '%s\n' check-deps lint shellcheck check-citations
	for src in tests/unit/test_*.c; do
		[ -f "$src" ] && basename "$src" .c
	done
	for t in tests/integration/*.sh tests/e2e/*.sh; do
		case "$(basename "$t")" in lib*) continue ;; esac
		[ -f "$t" ] && echo "$t"
	done
}

# The tests TESTS selects, the longest first: "SECONDS NAME" of the last run, else a guess by
# kind (a script ~20 s, a static check ~10 s, a unit binary ~1 s).
queue() {
	all_tests | while IFS= read -r name; do
		if [ -z "${TESTS:-}" ] || echo "$name" | grep -Eq "$TESTS"; then echo "$name"; fi
	done | awk -v f="$times" 'BEGIN { while ((getline l < f) > 0) { split(l, a, " "); t[a[2]] = a[1] } }
		{ s = ($0 in t) ? t[$0] : ($0 ~ /\.sh$/ ? 20 : ($0 ~ /^test_/ ? 1 : 10));
		  printf "%d %06d %s\n", s, NR, $0 }' |
		sort -k1,1nr -k2,2n | cut -d' ' -f3-
}

# run_one NAME: the test, its output on stdout; its status.
run_one() {
	case $1 in
	check-deps) sh scripts/check-deps.sh ;;
	lint) sh scripts/lint.sh ;;
	shellcheck) sh scripts/shellcheck.sh ;;
	check-citations) sh scripts/check-citations.sh ;;
	test_*)
		if [ -x "$build/tests/$1" ]; then "$build/tests/$1"; else
			echo "$build/tests/$1 is not built (make check builds it)"
			return 1
		fi
		;;
	*) env MLTOP_BUILD="$build" sh "$1" ;;
	esac
}

# take: the next name of the queue, or status 1 when it is empty (workers share it under a lock).
take() {
	(
		flock 9
		n=$(cat "$work/next")
		line=$(sed -n "${n}p" "$work/queue")
		[ -n "$line" ] || exit 1
		echo $((n + 1)) >"$work/next"
		printf '%s\n' "$line"
	) 9>"$work/lock"
}

# worker N: tests from the queue until it is empty; each one's output printed whole, under a lock.
worker() {
	while name=$(take); do
		t0=$(date +%s)
		log="$work/log.$1"
		if run_one "$name" >"$log" 2>&1; then r=ok; else r=FAIL; fi
		s=$(($(date +%s) - t0))
		(
			flock 9
			printf '== %s\n' "$name"
			cat "$log"
			printf -- '-- %s: %s s\n' "$name" "$s"
		) 9>"$work/lock.out"
		echo "$r $name" >>"$work/results.$1"
		echo "$s $name" >>"$work/times.$1"
	done
}

queue >"$work/queue"
echo 1 >"$work/next"
: >"$work/results.0"
i=1
while [ "$i" -le "$jobs" ]; do
	worker "$i" &
	i=$((i + 1))
done
wait
cat "$work"/times.* 2>/dev/null | awk -v f="$times" '
	BEGIN { while ((getline l < f) > 0) { split(l, a, " "); t[a[2]] = a[1] } }
	{ t[$2] = $1 } END { for (n in t) print t[n], n }' >"$work/times" &&
	mkdir -p "$build" && cp "$work/times" "$times"
pass=$(cat "$work"/results.* | grep -c '^ok ')
fail=$(cat "$work"/results.* | grep -c '^FAIL ')
failed=$(cat "$work"/results.* | sed -n 's/^FAIL //p' | tr '\n' ' ')
[ -n "$failed" ] && echo "failed: $failed"
echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
