#!/bin/sh
# make soak: mltop with every panel live for SOAK_MINUTES (default 30) at 0.5 s refresh: MLflow,
# Alertmanager, KServe and /metrics of the simulator, and samples from a JSON Lines file that grows
# by 10 lines a second (after 12,000 at once); the operator's keys visit every panel every 20 s. After a warm-up of
# SOAK_WARMUP seconds (default 60: what the first visits load is not growth) it prints one line
# per SOAK_INTERVAL seconds (default 300):
#   soak_interval N FROM-TOs rss R KiB (+D KiB) cpu C s (P%) terminal B B/s
# then the figure of docs/figures.md (goal: RSS growth <= 1 MiB over 30 min) and the totals:
#   soak_rss_growth_Mmin G KiB  [start S KiB, end E KiB, goal <= 1024 KiB]
#   soak_cpu_Mmin C s (P%), terminal B B/s
# A report, not a test: nothing here asserts. Exit 1 when mltop died on the way.
set -u
MIN=${SOAK_MINUTES:-30}
SECS=${SOAK_SECONDS:-$((MIN * 60))}
WARM=${SOAK_WARMUP:-60}
EVERY=${SOAK_INTERVAL:-300}
. bench/lib.sh
bench_setup soak
# shellcheck disable=SC2119 # the simulator's defaults
start_sim

# The samples file: 10 failed predictions a second, appended as a model server would, after
# 12,000 written at once: the panel keeps the last 10,000, so its ring is full from the start and
# what it holds cannot pass for growth.
# lines FROM COUNT: COUNT failed predictions, numbered from FROM.
lines() {
	awk -v from="$1" -v n="$2" 'BEGIN{ for (i = from; i < from + n; i++)
		printf "{\"id\":\"soak-%08d\",\"time\":\"2026-11-29T10:00:00.000Z\",\"model\":\"churn-classifier\",\"version\":\"v%d\",\"input\":{\"tenure_days\":%d,\"region\":\"eu\"},\"prediction\":null,\"label\":\"stay\",\"score\":null,\"error\":\"500 Internal Server Error: model raised ValueError\"}\n", i, i % 2 + 3, i % 900 }'
}
F="$TMP/failed.jsonl"
lines 0 12000 >"$F"
(
	n=12000
	while :; do
		lines "$n" 10 >>"$F"
		n=$((n + 10))
		sleep 1
	done
) &
bench_pid $!

src="--mlflow $url --alertmanager $url --kserve $url --namespace models --scrape $url/metrics"
tmux -L "$SOCK" -f /dev/null new-session -d -s s -x 120 -y 40 \
	"env LANG=C.UTF-8 TERM=screen-256color sh -c 'echo \$\$ > $TMP/pid; exec ./mltop $src --samples $F --refresh 0.5'"
i=0
until [ -s "$TMP/pid" ] || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
pid=$(cat "$TMP/pid")
: >"$TMP/bytes"
tmux -L "$SOCK" pipe-pane -t s -o "cat >> $TMP/bytes"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null; }
bytes() { wc -c <"$TMP/bytes"; }
alive() { kill -0 "$pid" 2>/dev/null; }
HZ=$(getconf CLK_TCK)
keys="1 Enter 2 Enter Escape 3 4 5 6 1"
visit() { for k in $keys; do tmux -L "$SOCK" send-keys -t s "$k"; sleep 1; done; }

# The warm-up visits every view once, then waits.
visit
sleep "$WARM"
if ! alive; then
	echo "soak: mltop exited during the warm-up"
	exit 1
fi
start=$(rss) t_start=$(cpu_ticks "$pid") b_start=$(bytes)
rss0=$start t0=$t_start b0=$b_start
t=0 next=$EVERY n=1 from=0
while [ $t -lt "$SECS" ] && alive; do
	visit # about 10 s
	sleep 10
	t=$((t + 20))
	if [ $t -ge "$next" ] || [ $t -ge "$SECS" ]; then
		r=$(rss) c=$(cpu_ticks "$pid") b=$(bytes)
		[ -z "$r" ] && break
		awk -v n="$n" -v from="$from" -v to="$t" -v r="$r" -v r0="$rss0" -v c="$c" -v c0="$t0" \
			-v b="$b" -v b0="$b0" -v hz="$HZ" 'BEGIN{ s = to - from; cpu = (c - c0) / hz;
			printf "soak_interval %d %d-%ds rss %d KiB (%+d KiB) cpu %.2f s (%.1f%%) terminal %.0f B/s\n",
			n, from, to, r, r - r0, cpu, 100 * cpu / s, (b - b0) / s }'
		rss0=$r t0=$c b0=$b from=$t next=$((next + EVERY)) n=$((n + 1))
	fi
done
if ! alive; then
	echo "soak: mltop exited after ${t}s"
	exit 1
fi
end=$(rss) c=$(cpu_ticks "$pid") b=$(bytes)
echo "soak_rss_growth_$((SECS / 60))min $((end - start)) KiB  [start ${start} KiB, end ${end} KiB, goal <= 1024 KiB]"
awk -v m="$((SECS / 60))" -v s="$t" -v c="$c" -v c0="$t_start" -v b="$b" -v b0="$b_start" \
	-v hz="$HZ" 'BEGIN{ cpu = (c - c0) / hz;
	printf "soak_cpu_%dmin %.2f s (%.1f%%), terminal %.0f B/s\n", m, cpu, 100 * cpu / s, (b - b0) / s }'
