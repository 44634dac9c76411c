#!/bin/sh
# make bench: the figures of docs/figures.md, one line each
#   name value unit  [peer value unit, ratio]
# printed and written to bench/results.txt. Peers run in the same invocation, alternating with
# mltop, so that a noisy machine affects both alike. BENCH_SECONDS shortens the 30 s windows;
# BENCH_SIZES (default "1000 10000 100000") are the run counts of the filter, ingest, memory and
# first-frame figures; BENCH_ONLY runs one part (below). Benchmarks report; nothing here asserts
# a time.
set -u
BUILD=${1:-build}
SECS=${BENCH_SECONDS:-30}
SIZES=${BENCH_SIZES:-1000 10000 100000}
FIRST_REPEATS=5
CLOSED=http://127.0.0.1:1 # nothing listens there: MLflow is refused at once, only the cache serves
OUT=bench/results.txt
TMP=$(mktemp -d)
SOCK="mltop-bench-$$"
SIM_PID=""
stop_sim() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	SIM_PID=""
}
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	stop_sim
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export XDG_CONFIG_HOME="$TMP/config" XDG_CACHE_HOME="$TMP/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
: >"$OUT"

say() { echo "$*" | tee -a "$OUT"; }
ms() { echo $(($(date +%s%N) / 1000000)); }
us() { echo $(($(date +%s%N) / 1000)); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
per_s() { awk -v a="$1" -v s="$SECS" 'BEGIN{printf "%.1f", a/s}'; }
# The median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END{ if (NR == 0) print 0; else if (NR % 2) print a[(NR+1)/2];
	else print (a[NR/2] + a[NR/2+1]) / 2 }'; }

# start_sim ARGS: mltop-sim on a free loopback port; its URL in $url ("" when it did not start).
start_sim() {
	./mltop-sim --port 0 "$@" >"$TMP/sim.out" 2>/dev/null &
	SIM_PID=$!
	deadline=$(($(ms) + 10000))
	until grep -q listening "$TMP/sim.out" || [ "$(ms)" -gt "$deadline" ]; do sleep 0.05; done
	url=$(sed -n 's/^listening on //p' "$TMP/sim.out")
}

# cpu_ticks PID: utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

screen_sum() { tmux -L "$SOCK" capture-pane -p -t m 2>/dev/null | cksum; }

# measure CMD [KEY]: runs CMD in a 120x40 tmux pane and waits for its first frame; sends KEY (when
# given) and waits for the screen to change; then counts the bytes it writes to the terminal and
# the CPU it uses over SECS seconds. Prints "BYTES CPU_SECONDS".
measure() {
	tmux -L "$SOCK" -f /dev/null new-session -d -s m -x 120 -y 40 \
		"env LANG=C.UTF-8 TERM=screen-256color sh -c 'echo \$\$ > $TMP/pid; exec $1'"
	deadline=$(($(ms) + 10000))
	while [ ! -s "$TMP/pid" ] || [ -z "$(tmux -L "$SOCK" capture-pane -p -t m | tr -d ' \n')" ]; do
		[ "$(ms)" -gt "$deadline" ] && break
		sleep 0.1
	done
	if [ -n "${2:-}" ]; then
		before=$(screen_sum)
		tmux -L "$SOCK" send-keys -t m "$2"
		deadline=$(($(ms) + 5000))
		while [ "$(screen_sum)" = "$before" ] && [ "$(ms)" -le "$deadline" ]; do sleep 0.05; done
	fi
	pid=$(cat "$TMP/pid")
	: >"$TMP/bytes"
	tmux -L "$SOCK" pipe-pane -t m -o "cat >> $TMP/bytes"
	t0=$(cpu_ticks "$pid")
	sleep "$SECS"
	t1=$(cpu_ticks "$pid")
	tmux -L "$SOCK" pipe-pane -t m
	bytes=$(wc -c <"$TMP/bytes")
	tmux -L "$SOCK" kill-session -t m 2>/dev/null
	rm -f "$TMP/pid"
	hz=$(getconf CLK_TCK)
	echo "$bytes $(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN{printf "%.2f", (b-a)/hz}')"
}

# report_bytes NAME "mltop measurement" "htop measurement", report_cpu the same.
report_bytes() {
	# shellcheck disable=SC2086 # each measurement is a list of numbers
	set -- "$1" $2 $3
	mb=$(per_s "$2") hb=$(per_s "$4")
	say "$1_terminal_bytes_per_s $mb B/s  [htop $hb B/s, ratio $(ratio "$mb" "$hb")]"
}
report_cpu() {
	# shellcheck disable=SC2086 # each measurement is a list of numbers
	set -- "$1" $2 $3
	say "$1_cpu_seconds_${SECS}s $3 s  [htop $5 s, ratio $(ratio "$3" "$5")]"
}

# first_mltop N CACHE: ms from (re)spawning mltop in the 120x40 pane "f", MLflow refused so that
# only the cache (filled by bench_runs) serves, until capture-pane shows its first frame with runs
# (a simulator run name: the experiment last open is opened again at start) — the same method as
# htop's below. The last screen goes to $TMP/snap-N.txt.
first_mltop() {
	t0=$(us)
	tmux -L "$SOCK" respawn-pane -k -t f \
		"env LANG=C.UTF-8 TERM=screen-256color ./mltop --mlflow $CLOSED --cache $2"
	deadline=$(($(ms) + 10000))
	until tmux -L "$SOCK" capture-pane -p -t f >"$TMP/snap-$1.txt" &&
		grep -qE '(^| )[a-z]+-[a-z]+-[0-9]{1,2} ' "$TMP/snap-$1.txt"; do
		[ "$(ms)" -gt "$deadline" ] && break
	done
	t1=$(us)
	tmux -L "$SOCK" respawn-pane -k -t f "sleep 600"
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f\n", (b-a)/1000}'
}

# first_htop: ms from (re)spawning htop in the 120x40 pane "f" until capture-pane shows its
# header line, polled without a pause.
first_htop() {
	t0=$(us)
	tmux -L "$SOCK" respawn-pane -k -t f "env LANG=C.UTF-8 TERM=screen-256color htop -d 10"
	deadline=$(($(ms) + 10000))
	until tmux -L "$SOCK" capture-pane -p -t f | grep -q "PID USER"; do
		[ "$(ms)" -gt "$deadline" ] && break
	done
	t1=$(us)
	tmux -L "$SOCK" respawn-pane -k -t f "sleep 600"
	awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f\n", (b-a)/1000}'
}

# first_frame N CACHE: alternating, FIRST_REPEATS times each; medians.
first_frame() {
	tmux -L "$SOCK" -f /dev/null new-session -d -s f -x 120 -y 40 "sleep 600"
	: >"$TMP/ff.m"
	: >"$TMP/ff.h"
	i=0
	while [ "$i" -lt "$FIRST_REPEATS" ]; do
		first_mltop "$1" "$2" >>"$TMP/ff.m"
		first_htop >>"$TMP/ff.h"
		i=$((i + 1))
	done
	tmux -L "$SOCK" kill-session -t f 2>/dev/null
	m=$(median <"$TMP/ff.m") h=$(median <"$TMP/ff.h")
	say "first_frame_cache_$1 $m ms  [htop $h ms, ratio $(ratio "$m" "$h")]"
	# Whether the experiments panel drew runs from the cache (the simulator's run names).
	rows=$(grep -cE '(^| )[a-z]+-[a-z]+-[0-9]{1,2} ' "$TMP/snap-$1.txt")
	say "# first_frame_cache_$1: the first frame showed $rows run rows from the cache"
}

say "# mltop bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, windows of ${SECS}s"

# BENCH_ONLY=serving or samples: that part alone.
case "${BENCH_ONLY:-}" in
serving) . bench/serving.sh && exit 0 ;;
samples) sh bench/samples.sh "$BUILD" | tee -a "$OUT" && exit 0 ;;
esac

# 1. The idle shell: no sources, nothing to poll; then htop -d 10 in the same run.
m=$(measure "./mltop")
h=$(measure "htop -d 10")
report_bytes idle_shell "$m" "$h"
report_cpu idle_shell "$m" "$h"

# 2. The live dashboard on the serving panel (key 3 after the first frame), every source on the
# simulator: terminal bytes at 1 s refresh, CPU at 2 s refresh; htop -d 10 in between.
if [ -x ./mltop-sim ]; then
	start_sim
	src="--mlflow $url --alertmanager $url --kserve $url --namespace models --scrape $url/metrics --samples $url/samples"
	m1=$(measure "./mltop $src --refresh 1" 3)
	h=$(measure "htop -d 10")
	m2=$(measure "./mltop $src --refresh 2" 3)
	stop_sim
	report_bytes live_sim "$m1" "$h"
	report_cpu live_sim "$m2" "$h"
fi

# 2b. The Serving panel at 500 deployments, and Prometheus queries per refresh.
. bench/serving.sh

# 3. Filter keystroke over N run names, against pcre2grep.
# shellcheck disable=SC2086 # a list of sizes
"$BUILD/bench/bench_filter" $SIZES | tee -a "$OUT"

sh bench/samples.sh "$BUILD" | tee -a "$OUT"

# 4. Runs ingest and memory at N runs (experiment 1 of a simulator at --scale 3N holds N runs),
# then the first frame from the cache bench_runs left behind.
if [ -x ./mltop-sim ]; then
	for n in $SIZES; do
		start_sim --scale $((3 * n)) --time-scale 0
		cache="$TMP/first-frame-$n.db"
		"$BUILD/bench/bench_runs" "$url" "$n" "$cache" "$CLOSED" | tee -a "$OUT"
		stop_sim
		first_frame "$n" "$cache"
		rm -f "$cache" "$cache-wal" "$cache-shm"
	done
fi
sh bench/alerts.sh "$OUT" # 5. alerts at scale, against amtool
echo "written to $OUT"
