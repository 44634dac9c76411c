#!/bin/sh
# Alerts at scale (docs/figures.md): mltop-sim --alerts 10000 (clock frozen), then, alternating
# in the same run, `mltop --snapshot --alertmanager URL` (fetch + parse of the alerts and the
# silences, and the first frame of the Alerts panel, to stdout) against
# `amtool alert query -a -s -i` (fetching and printing the same alerts). Median wall ms of
# ALERTS_REPEATS runs each. Appends its line to the results file given (default
# bench/results.txt). Usage: bench/alerts.sh [RESULTS]
set -u
OUT=${1:-bench/results.txt}
N=${BENCH_ALERTS:-10000}
REPEATS=${ALERTS_REPEATS:-5}
. bench/lib.sh
bench_setup alerts

say() { echo "$*" | tee -a "$OUT"; }

if ! command -v amtool >/dev/null 2>&1 || [ ! -x ./mltop-sim ]; then
	say "# alerts_at_scale: skipped (needs amtool and ./mltop-sim)"
	exit 0
fi
start_sim --time-scale 0 --alerts "$N"
[ -n "$url" ] || { say "# alerts_at_scale: the simulator did not start"; exit 1; }

# timed FILE CMD...: appends CMD's wall ms to FILE, its stdout to $TMP/last.
timed() {
	f=$1
	shift
	t0=$(ms)
	"$@" >"$TMP/last" 2>/dev/null
	echo $(($(ms) - t0)) >>"$f"
}

: >"$TMP/m" && : >"$TMP/a"
i=0
while [ "$i" -lt "$REPEATS" ]; do
	rm -rf "$XDG_CACHE_HOME" && mkdir -p "$XDG_CACHE_HOME" # no cache: every run fetches
	timed "$TMP/m" ./mltop --snapshot --alertmanager "$url"
	grep -q "Alerts · " "$TMP/last" || { say "# alerts_at_scale: no Alerts panel in the snapshot"; exit 1; }
	timed "$TMP/a" amtool --alertmanager.url="$url" alert query -a -s -i
	i=$((i + 1))
done
rows=$(wc -l <"$TMP/last")
m=$(median <"$TMP/m")
a=$(median <"$TMP/a")
say "# alerts_at_scale: $N firing alerts; amtool printed $((rows - 1)) rows; median of $REPEATS"
say "alerts_at_scale_${N} $m ms  [amtool $a ms, ratio $(awk -v a="$m" -v b="$a" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }')]"
