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
sock="mltop-amsil-$$"
. "$root/tests/integration/lib.sh"
pipe_setup alerts_silence curl jq amtool tmux prometheus prometheus-alertmanager
trap 'tmux -L "$sock" kill-server 2>/dev/null; pipe_cleanup' EXIT

screen() { tmux -L "$sock" capture-pane -p -t t 2>/dev/null; }
keys() { tmux -L "$sock" send-keys -t t "$@"; }
shows() { screen | grep -qF -- "$1"; }
gone() { ! shows "$1"; }
fail_more() {
	echo "--- screen"
	screen
}

if [ ! -x "$sim" ] || [ ! -x "$mltop" ]; then fail "build mltop and mltop-sim first (make)"; fi

# ---- the simulator, Alertmanager, Prometheus with the shipped rules firing at once ----
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
until_ok 90 drift_in_am || fail "ModelFeatureDrift on tenure_days never reached Alertmanager"
echo "alerts_silence: Prometheus fired ModelFeatureDrift on tenure_days into Alertmanager"

# ---- mltop on the real Alertmanager ----
mkdir -p "$tmp/config" "$tmp/cache"
printf '[general]\nuser = itest@ci-host\n' >"$tmp/mltop.ini"
tmux -L "$sock" -f /dev/null new-session -d -s t -x 140 -y 40 \
	"env XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $mltop -c $tmp/mltop.ini --alertmanager $A --prometheus $P --refresh 1; sleep 30"
until_ok 10 shows "alertmanager" || fail "mltop did not start"
keys 4
row_re='ModelFeatureDrift  *churn-classifier  *v5  *tenure_days'
has_row() { screen | grep -q "$row_re"; }
until_ok 30 has_row || fail "the drift alert is not shown"
drift_row_re='churn-classifier v5 .*0\.[0-9][0-9] '
has_drift_row() { screen | grep -q "$drift_row_re"; }
until_ok 20 shows "DRIFT PSI  " || fail "no drift table from Prometheus"
until_ok 20 has_drift_row || fail "no drift scores of churn-classifier v5 from Prometheus"
# The list starts on the sixth screen line: g, then down to the alert's line.
line=$(screen | grep -n "$row_re" | head -n 1 | cut -d: -f1)
keys g
i=6
while [ "$i" -lt "$line" ]; do
	keys j
	i=$((i + 1))
done
until_ok 5 shows "alert $((line - 5)) of " || fail "the cursor is not on the drift alert"

keys x
until_ok 5 shows "silence for" || fail "x did not ask for a duration"
keys 2h Enter
until_ok 5 shows "comment (required)" || fail "no comment prompt"
keys "retraining tonight" Enter
until_ok 5 shows 'feature="tenure_days"' || fail "the matchers are not shown"
until_ok 5 shows "for 2h by itest@ci-host: retraining tonight" || fail "the summary is not shown"
keys y
until_ok 20 shows "silenced by itest@ci-host until" || fail "the row does not say who silenced it"

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
until_ok 5 shows "Expire silence $id" || fail "X did not ask to expire $id"
keys y
until_ok 20 gone "silenced by itest@ci-host" || fail "the row still says silenced"
[ -z "$(amtool --alertmanager.url="$A" silence query -q)" ] || fail "the silence is still active"
amtool --alertmanager.url="$A" silence query --expired -q | grep -qx "$id" || fail "$id is not listed expired"
echo "alerts_silence: X expired it"

keys Enter
until_ok 5 gone "Alerts · " || fail "Enter did not leave the Alerts panel"
gone "x silence" || fail "the Alerts keys are still offered after Enter"
echo "alerts_silence: ok"
