#!/bin/sh
# The Serving panel while KServe reconciles, as mltop --snapshot prints it (text and --json): a
# canary of churn-classifier v5 not ready yet (a revision takes 600 s of world time here), a
# canary of search-ranking on a model no registry version has (its revision fails once those
# 600 s are past), and fraud-detector in raw deployment mode; then 600 s later, v5 serving 10 %.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
jqx() { jq -e "$@" >/dev/null; } # a jq condition as an exit status

e2e_sim sim --seed 7 --time-scale 1 --kserve-ready-s 600 --kserve-raw fraud-detector ||
	{ echo "mltop-sim did not start"; exit 1; }
ISVC="$SIM_URL/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices"
SRC=$(curl -s "$SIM_URL/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=5" |
	jq -r .model_version.source)
patch() {
	curl -s -X PATCH -H 'Content-Type: application/merge-patch+json' -d "$2" "$ISVC/$1" >/dev/null
}
patch churn-classifier \
	"{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":10,\"model\":{\"storageUri\":\"$SRC\"}}}}"
patch search-ranking \
	'{"spec":{"predictor":{"canaryTrafficPercent":20,"model":{"storageUri":"s3://models/search/none"}}}}'

# snap FILE [--json]: a snapshot of the simulator's sources, scraped twice a second apart.
snap() {
	out=$1
	shift
	"$MLTOP" --snapshot "$@" --size 200x40 --refresh 1 --mlflow "$SIM_URL" --kserve "$SIM_URL" \
		--namespace models --scrape "$SIM_URL/metrics" >"$out" 2>"$E2E_TMP/err"
}
has() { grep -qF -- "$1" "$E2E_TMP/text"; }
dep() { printf '.panels.serving.rows[] | select(.deployment == "%s")' "$1"; }

snap "$E2E_TMP/text"
check "starting: the old revision keeps 100 %" has "churn-classifier-predictor-00001 100 %"
check "starting: v5 at 0 % under its own revision" \
	grep -qE "v5 .*churn-classifier-predictor-00002 0 % starting \(not ready yet\)" "$E2E_TMP/text"
check "starting: Ready Unknown explained" has "new revision not ready yet"
check "starting: not 'Ready is not True'" sh -c "! grep -qF 'Ready is not True' '$E2E_TMP/text'"
check "starting: no split yet" sh -c "! grep -qF '90|10' '$E2E_TMP/text'"
check "raw: v2 at 100 %" grep -qE "fraud-detector .* v2 .*raw deployment 100 %" "$E2E_TMP/text"
check "raw: canaries not supported" has "canaries not supported"
snap "$E2E_TMP/json" --json
check "json starting: v3 100 % on the old revision, v5 starting at 0 % on the new one" \
	jqx "$(dep churn-classifier) | .versions |
	     any(.version == \"v3\" and .percent == 100 and .revision == \"churn-classifier-predictor-00001\") and
	     any(.version == \"v5\" and .percent == 0 and .state == \"starting\" and .canary == false and
	         .revision == \"churn-classifier-predictor-00002\")" "$E2E_TMP/json"
check "json starting: why" \
	jqx "$(dep churn-classifier) | .ready == null and .not_ready == \"new revision not ready yet\"" \
	"$E2E_TMP/json"
check "json raw: v2 at 100 % with its rates" \
	jqx "$(dep fraud-detector) | .raw_deployment and (.versions[0] | .version == \"v2\" and
	     .percent == 100 and .registry_version == \"2\" and (.rps | type == \"number\"))" \
	"$E2E_TMP/json"

curl -s -X POST -H 'Content-Type: application/json' -d '{"seconds": 600}' \
	"$SIM_URL/-/sim/advance" >/dev/null
snap "$E2E_TMP/text"
check "ready: the split 90|10" has "90|10"
check "ready: v5 is the canary on its revision" has "churn-classifier-predictor-00002 10 % canary"
check "failed: the old revision keeps 100 %" has "search-ranking-predictor-00001 100 %"
check "failed: the canary never got traffic" \
	has "search-ranking-predictor-00002 0 % failed: never got traffic"
check "failed: not Ready, RevisionFailed" has "RevisionFailed: Revision"
snap "$E2E_TMP/json" --json
check "json failed: the condition's message, the failed line at 0 %" \
	jqx "$(dep search-ranking) | .ready == false and
	     (.not_ready | test(\"could not download the model from s3://models/search/none\")) and
	     (.versions | any(.state == \"failed\" and .percent == 0) and any(.percent == 100))" \
	"$E2E_TMP/json"
e2e_done
