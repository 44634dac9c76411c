#!/bin/sh
# valgrind finds no memory error and no definite leak in `mltop --snapshot --size 80x24`, run
# with an empty configuration (no source at all), then against mltop-sim on a free loopback port
# with every source pointed at it as `mltop --demo` does, so that every client, parser, cache
# write and panel draw of a first poll runs, and once more with the cache that run filed (the
# restores, then fresh answers replacing them). mltop must exit 0 every time (against the
# simulator: every source answered). Still-reachable memory (ncurses and terminfo keep some on
# purpose) is no error; tests/integration/valgrind.supp, when present, may only suppress that.
# An ASan build of mltop (make asan) cannot run under valgrind: the test says so and passes.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
mltop=${MLTOP:-$root/mltop}
sim=${MLTOP_SIM:-$root/mltop-sim}
supp="$root/tests/integration/valgrind.supp"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-valgrind.XXXXXX")
sim_pid=""

cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
	echo "valgrind_snapshot: FAIL: $*" >&2
	exit 1
}

command -v valgrind >/dev/null 2>&1 || fail "valgrind not found (make deps)"
[ -x "$mltop" ] || fail "no mltop at $mltop (make, or set MLTOP)"
[ -x "$sim" ] || fail "no simulator at $sim (make mltop-sim, or set MLTOP_SIM)"
if grep -q __asan_init "$mltop"; then
	echo "valgrind_snapshot: skipped, $mltop is built with AddressSanitizer"
	exit 0
fi

export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" LANG=C.UTF-8 LC_ALL=C.UTF-8
unset MLFLOW_TRACKING_URI MLFLOW_TRACKING_TOKEN MLFLOW_TRACKING_USERNAME MLFLOW_TRACKING_PASSWORD
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
vg_supp=""
[ -f "$supp" ] && vg_supp="--suppressions=$supp"

# snapshot NAME ARGS...: mltop --snapshot under valgrind; fails on a memory error, a definite
# leak or an exit code other than 0, printing valgrind's report.
snapshot() {
	name=$1
	shift
	# shellcheck disable=SC2086
	valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
		--num-callers=30 --log-file="$tmp/$name.vg" $vg_supp \
		"$mltop" --snapshot --size 80x24 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
	rc=$?
	if [ "$rc" -eq 99 ]; then
		grep -E 'definitely lost|Invalid|uninitialised|ERROR SUMMARY' "$tmp/$name.vg" | head -n 20
		sed -n '/^==[0-9]*== [A-Z]/,/^==[0-9]*== $/p' "$tmp/$name.vg" | head -n 80
		fail "$name: valgrind found memory errors or definite leaks"
	fi
	[ "$rc" -eq 0 ] || { cat "$tmp/$name.err" "$tmp/$name.out"; fail "$name: mltop exited $rc"; }
	grep -q '^=== ' "$tmp/$name.out" || fail "$name: no screen printed"
	echo "ok   $name: no memory error, no definite leak"
}

snapshot empty-config

"$sim" --port 0 >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
limit=$(($(date +%s) + 10))
while ! grep -q '^listening on ' "$tmp/sim.out"; do
	kill -0 "$sim_pid" 2>/dev/null || { cat "$tmp/sim.err"; fail "mltop-sim died"; }
	[ "$(date +%s)" -ge "$limit" ] && fail "mltop-sim did not say where it listens"
	sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$tmp/sim.out")

sources="--mlflow $url --alertmanager $url --kserve $url --namespace models"
sources="$sources --scrape $url/metrics --samples $url/samples"
# shellcheck disable=SC2086 # the URLs hold no space
snapshot simulator $sources
# Again with the cache the first run filed: panels draw from it, then the answers replace it.
# shellcheck disable=SC2086
snapshot simulator-warm-cache $sources
