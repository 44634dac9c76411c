#!/bin/sh
# make bench: the figures of docs/figures.md, one line each
#   name value unit  [peer value unit, ratio]
# printed and written to bench/results.txt. Peers run in the same invocation, alternating with
# mltop, so that a noisy machine affects both alike. BENCH_SECONDS shortens the 30 s windows;
# BENCH_SIZES (default "1000 10000 100000") are the run counts of the filter, ingest, memory and
# first-frame figures; BENCH_PARTS (default all: "idle live serving filter samples runs alerts")
# runs only the parts it names. Benchmarks report; nothing here asserts a time.
set -u
BUILD=${1:-build}
SECS=${BENCH_SECONDS:-30}
SIZES=${BENCH_SIZES:-1000 10000 100000}
FIRST_REPEATS=${BENCH_FIRST_REPEATS:-9}
CLOSED=http://127.0.0.1:1 # nothing listens there: MLflow is refused at once, only the cache serves
OUT=bench/results.txt
. bench/lib.sh
bench_setup run
: >"$OUT"

say() { echo "$*" | tee -a "$OUT"; }
part() { case " ${BENCH_PARTS:-idle live serving filter samples runs alerts} " in *" $1 "*) return 0 ;; esac; return 1; }
us() { echo $(($(date +%s%N) / 1000)); }
per_s() { awk -v a="$1" -v s="$SECS" 'BEGIN{printf "%.1f", a/s}'; }

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

# The first frame: bench_first starts the program in a 120x40 pseudo-terminal of its own and reads
# what it writes until the frame's marker shows (mltop: a simulator run name, from the cache, the
# experiment last open being opened again at start; htop: its header "PID USER"). No multiplexer
# or poller runs beside it: a poller forking capture-pane in a loop took one of the two cores from
# the very start it timed, and its cost depended on the machine. Both get the same TERM and LANG.
FIRST_RE='[a-z]+-[a-z]+-[0-9]{1,2}[^0-9]'
first_run() { env TERM=xterm-256color LANG=C.UTF-8 "$BUILD/bench/bench_first" 10000 "$@"; }

# stats FILE: "median min max" of the first column (the numbers only).
stats() { grep -E '^[0-9.]+ ' "$1" | awk '{print $1}' | sort -n |
	awk '{a[NR]=$1} END{ if (!NR) { print "0 0 0"; exit }
	m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; print m, a[1], a[NR] }'; }
cpu_median() { grep -E '^[0-9.]+ ' "$1" | awk '{print $2}' | median; }

# first_frame N CACHE: mltop (MLflow refused, so only the cache serves) and htop -d 10, alternating,
# FIRST_REPEATS times each after one untimed start of each (the first open of a file bench_runs
# just wrote checkpoints its WAL; htop's first start reads its binary from disk); medians, with
# the min-max and the CPU time each used until its frame in a comment line.
first_frame() {
	ff_cache=$2
	: >"$TMP/ff.m"
	: >"$TMP/ff.h"
	first_run "$FIRST_RE" ./mltop --mlflow "$CLOSED" --cache "$2" >/dev/null
	first_run 'PID *USER' htop -d 10 >/dev/null
	i=0
	while [ "$i" -lt "$FIRST_REPEATS" ]; do
		first_run "$FIRST_RE" ./mltop --mlflow "$CLOSED" --cache "$2" >>"$TMP/ff.m"
		first_run 'PID *USER' htop -d 10 >>"$TMP/ff.h"
		i=$((i + 1))
	done
	# shellcheck disable=SC2046 # three numbers
	set -- "$1" $(stats "$TMP/ff.m") $(stats "$TMP/ff.h")
	say "first_frame_cache_$1 $2 ms  [htop $5 ms, ratio $(ratio "$2" "$5")]"
	say "# first_frame_cache_$1: $FIRST_REPEATS repeats each, alternating; mltop median $2 ms" \
		"(min $3, max $4; CPU $(cpu_median "$TMP/ff.m") ms), htop median $5 ms (min $6, max $7;" \
		"CPU $(cpu_median "$TMP/ff.h") ms); timeouts: $(grep -c timeout "$TMP/ff.m")" \
		"mltop, $(grep -c timeout "$TMP/ff.h") htop"
	# Whether the first frame had runs from the cache (the simulator's run names).
	env BENCH_FIRST_SCREEN=1 TERM=xterm-256color LANG=C.UTF-8 "$BUILD/bench/bench_first" 10000 \
		"$FIRST_RE" ./mltop --mlflow "$CLOSED" --cache "$ff_cache" 2>"$TMP/snap-$1.txt" >/dev/null
	rows=$(grep -aoE "$FIRST_RE" "$TMP/snap-$1.txt" | wc -l)
	say "# first_frame_cache_$1: the first frame showed $rows run names from the cache"
}

say "# mltop bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, load average" \
	"$(cut -d' ' -f1-3 /proc/loadavg) at the start, windows of ${SECS}s, sizes $SIZES;" \
	"a figure against a peer is the median of its repeats (the comment line under it gives" \
	"their number and spread)"

# 1. The idle shell: no sources, nothing to poll; then htop -d 10 in the same run.
if part idle; then
	m=$(measure "./mltop")
	h=$(measure "htop -d 10")
	report_bytes idle_shell "$m" "$h"
	report_cpu idle_shell "$m" "$h"
fi

# 2. The live dashboard on the serving panel (key 3 after the first frame), every source on the
# simulator: terminal bytes at 1 s refresh, CPU at 2 s refresh; htop -d 10 in between.
if [ -x ./mltop-sim ] && part live; then
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
if part serving; then . bench/serving.sh; fi

# 3. Filter keystroke over N run names, against pcre2grep.
# shellcheck disable=SC2086 # a list of sizes
if part filter; then "$BUILD/bench/bench_filter" $SIZES | tee -a "$OUT"; fi

if part samples; then sh bench/samples.sh "$BUILD" | tee -a "$OUT"; fi

# 4. Runs ingest and memory at N runs (experiment 1 of a simulator at --scale 3N holds N runs),
# then the first frame from the cache bench_runs left behind.
if [ -x ./mltop-sim ] && part runs; then
	for n in $SIZES; do
		start_sim --scale $((3 * n)) --time-scale 0
		cache="$TMP/first-frame-$n.db"
		"$BUILD/bench/bench_runs" "$url" "$n" "$cache" "$CLOSED" | tee -a "$OUT"
		stop_sim
		first_frame "$n" "$cache"
		rm -f "$cache" "$cache-wal" "$cache-shm"
	done
fi
if part alerts; then sh bench/alerts.sh "$OUT"; fi # 5. alerts at scale, against amtool
say "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "written to $OUT"
