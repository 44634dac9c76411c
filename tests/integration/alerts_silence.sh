#!/bin/sh
# Silencing from the Alerts panel against a REAL Alertmanager fed by the real pipeline:
# mltop-sim -> Prometheus (the shipped rules) -> Alertmanager. A canary of the bad
# churn-classifier v5 makes ModelFeatureDrift fire; mltop, in tmux, pointed at that Alertmanager,
# selects the drift alert on tenure_days, `x`, types a duration and a comment, confirms: amtool
# then lists that silence with the alert's labels as matchers and the configured creator, and
# the row says who silenced it. `X` expires it (amtool lists it expired). Enter on the alert
# opens the Samples panel. Every server runs on a free 127.0.0.1 port in a temporary directory
# and is stopped on exit, whatever happens.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
sim=${MLTOP_SIM:-$root/mltop-sim}
mltop=$root/mltop
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mltop-amsil.XXXXXX")
pids=""
sock="mltop-amsil-$$"

cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

screen() { tmux -L "$sock" capture-pane -p -t t 2>/dev/null; }
keys() { tmux -L "$sock" send-keys -t t "$@"; }
shows() { screen | grep -qF -- "$1"; }
gone() { ! shows "$1"; }

fail() {
	echo "alerts_silence: FAIL: $*" >&2
	for log in sim.err prom.log am.log; do
		[ -s "$tmp/$log" ] && { echo "--- $log" >&2; tail -n 15 "$tmp/$log" >&2; }
	done
	echo "--- screen" >&2
	screen >&2
	exit 1
}

for tool in curl jq amtool tmux prometheus prometheus-alertmanager; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (make deps)"
done
if [ ! -x "$sim" ] || [ ! -x "$mltop" ]; then fail "build mltop and mltop-sim first (make)"; fi

# wait_for SECONDS CMD...: CMD every 0.2 s until it succeeds; 1 when the time is up.
wait_for() {
	end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# ---- the simulator, Alertmanager, Prometheus with the shipped rules firing at once ----
. "$root/tests/integration/lib.sh"
pipe_sim
pipe_alertmanager
pipe_prometheus

# A canary of churn-classifier v5 (the bad version) at 25 %.
src=$(curl -sf "$S/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=5" |
	jq -r '.model_version.source // empty')
[ -n "$src" ] || fail "no source for churn-classifier version 5"
curl -sf -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json' \
	-d "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":25,\"model\":{\"storageUri\":\"$src\"}}}}" \
	"$S/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-classifier" ||
	fail "the canary PATCH"
drift_in_am() {
	curl -sf -G "$A/api/v2/alerts" --data-urlencode 'filter=alertname="ModelFeatureDrift"' \
		--data-urlencode 'filter=feature="tenure_days"' | jq -e 'length > 0' >/dev/null
}
wait_for 90 drift_in_am || fail "ModelFeatureDrift on tenure_days never reached Alertmanager"
echo "alerts_silence: Prometheus fired ModelFeatureDrift on tenure_days into Alertmanager"

# ---- mltop on the real Alertmanager ----
mkdir -p "$tmp/config" "$tmp/cache"
printf '[general]\nuser = itest@ci-host\n' >"$tmp/mltop.ini"
tmux -L "$sock" -f /dev/null new-session -d -s t -x 140 -y 40 \
	"env XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $mltop -c $tmp/mltop.ini --alertmanager $A --prometheus $P --refresh 1; sleep 30"
wait_for 10 shows "alertmanager" || fail "mltop did not start"
keys 4
row_re='ModelFeatureDrift  *churn-classifier  *v5  *tenure_days'
has_row() { screen | grep -q "$row_re"; }
wait_for 30 has_row || fail "the drift alert is not shown"
drift_row_re='churn-classifier v5 .*0\.[0-9][0-9] '
has_drift_row() { screen | grep -q "$drift_row_re"; }
wait_for 20 shows "DRIFT PSI  " || fail "no drift table from Prometheus"
wait_for 20 has_drift_row || fail "no drift scores of churn-classifier v5 from Prometheus"
# The list starts on the sixth screen line: g, then down to the alert's line.
line=$(screen | grep -n "$row_re" | head -n 1 | cut -d: -f1)
keys g
i=6
while [ "$i" -lt "$line" ]; do
	keys j
	i=$((i + 1))
done
wait_for 5 shows "alert $((line - 5)) of " || fail "the cursor is not on the drift alert"

keys x
wait_for 5 shows "silence for" || fail "x did not ask for a duration"
keys 2h Enter
wait_for 5 shows "comment (required)" || fail "no comment prompt"
keys "retraining tonight" Enter
wait_for 5 shows 'feature="tenure_days"' || fail "the matchers are not shown"
wait_for 5 shows "for 2h by itest@ci-host: retraining tonight" || fail "the summary is not shown"
keys y
wait_for 20 shows "silenced by itest@ci-host until" || fail "the row does not say who silenced it"

amtool --alertmanager.url="$A" silence query -o json >"$tmp/sil.json" || fail "amtool silence query"
jq -e 'length == 1 and .[0].createdBy == "itest@ci-host" and .[0].comment == "retraining tonight"
	and ([.[0].matchers[] | select(.isRegex == false and .isEqual != false)
	      | "\(.name)=\(.value)"] as $m
	     | ["alertname=ModelFeatureDrift", "model=churn-classifier", "version=v5",
	        "feature=tenure_days", "severity=critical"] - $m == [])' "$tmp/sil.json" >/dev/null ||
	fail "amtool does not list the silence as made: $(cat "$tmp/sil.json")"
id=$(jq -r '.[0].id' "$tmp/sil.json")
echo "alerts_silence: amtool lists silence $id with the alert's labels, by itest@ci-host"

keys X
wait_for 5 shows "Expire silence $id" || fail "X did not ask to expire $id"
keys y
wait_for 20 gone "silenced by itest@ci-host" || fail "the row still says silenced"
[ -z "$(amtool --alertmanager.url="$A" silence query -q)" ] || fail "the silence is still active"
amtool --alertmanager.url="$A" silence query --expired -q | grep -qx "$id" || fail "$id is not listed expired"
echo "alerts_silence: X expired it"

keys Enter
wait_for 5 gone "Alerts · " || fail "Enter did not leave the Alerts panel"
gone "x silence" || fail "the Alerts keys are still offered after Enter"
echo "alerts_silence: ok"
