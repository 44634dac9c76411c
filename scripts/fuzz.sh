#!/bin/sh
# make fuzz: one libFuzzer target per parser. Builds every tests/fuzz/fuzz_*.c with clang
# -fsanitize=fuzzer,address,undefined, linked with the library sources of clients/, themes/ and
# tui/widgets/ (built with the same sanitizers; no main.c) and tests/fuzz's support code. Then,
# for each target: replays its saved reproducers (tests/fuzz/crashes/<target>-*, which must no
# longer crash) and fuzzes it for FUZZ_SECONDS from its seed corpus (tests/fuzz/corpus/<target>,
# new inputs kept in $FUZZ_BUILD/corpus/<target>). Fails when any target crashes, leaks, hits
# undefined behaviour or a timeout; the failing input is in $FUZZ_BUILD/crashes/.
# Environment (the Makefile passes it): FUZZ_CC, FUZZ_SECONDS, FUZZ_BUILD, FUZZ_CFLAGS,
# FUZZ_LIBS; FUZZ_TARGETS=REGEX runs only the matching targets; FUZZ_SECONDS=0 only replays the
# reproducers and runs every seed once.
set -u
cc=${FUZZ_CC:-clang}
seconds=${FUZZ_SECONDS:-30}
out=${FUZZ_BUILD:-build-fuzz}
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="-O1 -g $san ${FUZZ_CFLAGS:--std=c11 -I.} -Wno-unknown-warning-option"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

die() {
	echo "fuzz: $*" >&2
	exit 1
}
command -v "$cc" >/dev/null || die "$cc not found (Debian: apt-get install clang libclang-rt-14-dev)"

# Compiles $1 into $2 unless $2 is newer than $1 and every header it could include.
compile() {
	src=$1 obj=$2 extra=$3
	if [ -f "$obj" ] && [ -z "$(find "$src" -newer "$obj")" ] &&
		[ -z "$(find clients tui/widgets themes tests/fuzz -name '*.h' -newer "$obj" | head -n 1)" ]; then
		return 0
	fi
	mkdir -p "$(dirname "$obj")"
	echo "  CC $src"
	# shellcheck disable=SC2086
	$cc $cflags $extra -c "$src" -o "$obj"
}

build() {
	lib_objs=""
	for src in clients/*.c tui/widgets/*.c themes/*.c; do
		obj="$out/obj/${src%.c}.o"
		compile "$src" "$obj" "-fsanitize=fuzzer-no-link" || return 1
		lib_objs="$lib_objs $obj"
	done
	rm -f "$out/libmltop-fuzz.a"
	# shellcheck disable=SC2086
	ar rcs "$out/libmltop-fuzz.a" $lib_objs || return 1
	sup_objs=""
	for src in tests/fuzz/*.c; do
		case "$(basename "$src")" in fuzz_*) continue ;; esac
		obj="$out/obj/${src%.c}.o"
		compile "$src" "$obj" "-fsanitize=fuzzer-no-link -Werror" || return 1
		sup_objs="$sup_objs $obj"
	done
	for src in tests/fuzz/fuzz_*.c; do
		t=$(basename "$src" .c)
		obj="$out/obj/${src%.c}.o"
		compile "$src" "$obj" "-fsanitize=fuzzer -Werror" || return 1
		# shellcheck disable=SC2086
		$cc $san -fsanitize=fuzzer -o "$out/$t" "$obj" $sup_objs "$out/libmltop-fuzz.a" \
			${FUZZ_LIBS:-} || return 1
	done
}

# The dictionary of a target: tests/fuzz/<target>.dict, else json.dict for the JSON decoders.
dict_of() {
	if [ -f "tests/fuzz/$1.dict" ]; then
		echo "-dict=tests/fuzz/$1.dict"
	else
		case "$1" in fuzz_mlflow* | fuzz_httperr | fuzz_alerts | fuzz_silences | fuzz_isvc | fuzz_samples)
			echo "-dict=tests/fuzz/json.dict" ;;
		esac
	fi
}

# Replays the saved reproducers of target $1, then fuzzes it.
run_target() {
	t=$1 bin="$out/$1" log="$out/logs/$1.log"
	repro=$(find tests/fuzz/crashes -type f -name "$t-*" 2>/dev/null | sort)
	status=0
	for r in $repro; do
		if ! "$bin" -timeout=10 "$r" </dev/null >"$log" 2>&1; then
			echo "$t: the saved reproducer $r still fails:"
			grep -E 'ERROR|runtime error|check failed' "$log" | head -n 3
			status=1
		fi
	done
	mkdir -p "$out/corpus/$t" "$out/crashes"
	limit="-max_total_time=$seconds"
	[ "$seconds" -eq 0 ] && limit="-runs=0" # every seed once, no fuzzing
	# shellcheck disable=SC2046
	"$bin" "$limit" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$out/crashes/$t-" $(dict_of "$t") \
		"$out/corpus/$t" "tests/fuzz/corpus/$t" </dev/null >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		echo "$t: FAILED (exit $rc) after ${runs:-?} runs, input saved as:"
		sed -n 's/.*Test unit written to /  /p' "$log"
		grep -E 'ERROR|runtime error|check failed|SUMMARY' "$log" | head -n 5
		echo "  full report: $log"
		return 1
	fi
	echo "$t: ok, ${runs:-?} runs in ${seconds}s, $cov"
	return $status
}

mkdir -p "$out/logs"
build || die "build failed"
failed=""
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	if [ -n "${FUZZ_TARGETS:-}" ] && ! echo "$t" | grep -Eq "$FUZZ_TARGETS"; then
		continue
	fi
	run_target "$t" || failed="$failed $t"
done
[ -z "$failed" ] || die "failed:$failed"
echo "fuzz: every target ran ${seconds}s without a crash"
