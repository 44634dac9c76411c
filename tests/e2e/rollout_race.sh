#!/bin/sh
# The world changing between the plan and its confirmation. A critical alert for the target that
# starts firing while the plan waits: y no longer sends it, override is asked. A second writer: C plans the canary of churn-classifier v5,
# then, before y, someone else changes the InferenceService (a merge-patch of an annotation, as
# kubectl annotate sends). y is refused: the dialog says so, what changed and that nothing was
# written; the simulator holds the other writer's change and nothing more; the audit has one row
# for the canary, "refused", and nothing else. The same for the rollback of a running canary,
# changed by the other writer at 25 % while its plan is shown. And the state that cannot be read
# again before the write (KServe answering 503): refused, said as such, nothing written.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
DB="$E2E_TMP/cache.db"
ISVC="/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/churn-classifier"

e2e_write_sim race

# patch JSON: the other writer's merge-patch; prints its HTTP status.
patch() {
	curl -s -o "$E2E_TMP/patched" -w '%{http_code}' -X PATCH \
		-H 'Content-Type: application/merge-patch+json' -d "$1" "$SIM_URL$ISVC"
}
# same_state A B: the same specs (generation, storageUri, canaryTrafficPercent) and registered
# models in the simulator's states A and B (the controller's status may move on in between).
same_state() {
	python3 -c '
import json, sys
def spec(f):
    s = json.load(open(f))
    return ([(i["name"], i["generation"], i["storageUri"], i["canaryTrafficPercent"])
             for i in s["inferenceservices"]], s["registered_models"])
a, b = spec(sys.argv[1]), spec(sys.argv[2])
if a != b:
    print("before:", a); print("after: ", b)
    sys.exit(1)
' "$1" "$2"
}
# audit_only ACTION RESULT: the audit rows of ACTION are exactly one, with RESULT.
audit_only() {
	"$MLTOP" --cache "$DB" --audit --json | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["action"] == sys.argv[1]]
assert len(rows) == 1, rows
assert rows[0]["result"] == sys.argv[2] and rows[0]["request"] is None, rows
' "$1" "$2"
}

e2e_start 140 45 "$MLTOP $(e2e_sim_args) --refresh 1 --cache $DB"
e2e_keys 3
check "Serving lists churn-classifier" e2e_wait_re "churn-classifier +█+ 100 +v3" 10

# ---- a critical alert for the target starts firing while the plan waits for y ----
e2e_keys j
check "C plans a canary of fraud-detector" e2e_plan C "Canary fraud-detector v2 → v4 at 10 %" fraud-detector
check "y is asked for" e2e_wait "y sends it · n or Esc cancels"
curl -s -X POST -H 'Content-Type: application/json' "$SIM_URL/api/v2/alerts" -d '[
 {"labels":{"alertname":"ModelHighErrorRate","model":"fraud-detector","version":"v4",
  "namespace":"models","severity":"critical"}, "annotations":{"summary":"5xx on v4"}}]' >/dev/null
check "the dialog shows the alert" e2e_wait_re "critical +ModelHighErrorRate" 15
e2e_keys y
check "y does not send it now" e2e_wait "a critical alert fires for the target now"
check "override is asked" e2e_shows -F "type override to go on anyway"
e2e_sim_state "$E2E_TMP/after"
check "nothing was written" same_state "$E2E_TMP/state0" "$E2E_TMP/after"
e2e_keys Escape
check "Esc cancels" e2e_wait_gone "Canary fraud-detector"
e2e_keys k

# ---- someone annotates the InferenceService while the plan waits for y ----
check "C plans the canary" e2e_plan C "Canary churn-classifier v3 → v5 at 10 %" churn-classifier
check "the other writer's patch is taken" [ "$(patch '{"metadata":{"annotations":{"team.example.com/on-call":"alice"}}}')" = 200 ]
e2e_sim_state "$E2E_TMP/before"
e2e_keys y
check "y is refused" e2e_wait "the state changed since the plan: nothing was written"
check "the dialog says what changed" e2e_wait_re "InferenceService churn-classifier changed since the plan: annotations or labels"
check "nothing was written" e2e_wait "nothing was written · Esc closes"
e2e_sim_state "$E2E_TMP/after"
check "the simulator holds the other writer's change and nothing more" same_state "$E2E_TMP/before" "$E2E_TMP/after"
check "the annotation is there" grep -q '"team.example.com/on-call": *"alice"' "$E2E_TMP/patched"
check "and no spec nor alias changed since the start" same_state "$E2E_TMP/state0" "$E2E_TMP/after"
e2e_keys Escape
check "the dialog closes" e2e_wait_gone "nothing was written"
check "the audit: one row for the canary, refused" audit_only canary refused

# ---- the rollback of a canary (someone else's), changed to 25 % while its plan is shown ----
SRC=$(curl -s "$SIM_URL/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=5" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["model_version"]["source"])')
check "a canary of v5 at 10 % by someone else" [ "$(patch "{\"spec\":{\"predictor\":{\"canaryTrafficPercent\":10,\"model\":{\"storageUri\":\"$SRC\"}}}}")" = 200 ]
check "Serving shows it" e2e_wait "90|10" 15
check "R plans the rollback" e2e_plan R "Rollback churn-classifier v5 → v3 at 100 %" churn-classifier
check "the other writer moves the canary to 25 %" [ "$(patch '{"spec":{"predictor":{"canaryTrafficPercent":25}}}')" = 200 ]
e2e_sim_state "$E2E_TMP/before"
e2e_typed churn-classifier
e2e_keys Enter
check "the rollback is refused" e2e_wait "the state changed since the plan: nothing was written"
check "the dialog says what changed" e2e_wait_re "InferenceService churn-classifier changed since the plan: .*canaryTrafficPercent 10 → 25"
e2e_sim_state "$E2E_TMP/after"
check "the simulator holds 25 % and nothing more" same_state "$E2E_TMP/before" "$E2E_TMP/after"
check "the 25 % is the canary's" grep -q '"canaryTrafficPercent":25' "$E2E_TMP/after"
check "the audit: one row for the rollback, refused" audit_only rollback refused
e2e_keys Escape
check "the dialog closes" e2e_wait_gone "nothing was written"
check "Serving shows the other writer's 75|25" e2e_wait "75|25" 15

# ---- the state cannot be read again before the write: refused, and said so ----
check "R plans the rollback again" e2e_plan R "Rollback churn-classifier v5 → v3 at 100 %" churn-classifier
check "the next read of the InferenceService will fail" e2e_sim_post /-/sim/faults '{"prefix":"/apis/serving.kserve.io/","method":"GET","kind":"status","status":503,"times":1}'
e2e_sim_state "$E2E_TMP/before"
e2e_typed churn-classifier
e2e_keys Enter
check "refused: the state could not be read again" e2e_wait "the state could not be read again: nothing was written"
check "the dialog says why" e2e_wait "could not read the state again: reading the InferenceService: KServe 503"
e2e_sim_state "$E2E_TMP/after"
check "the simulator: nothing written" same_state "$E2E_TMP/before" "$E2E_TMP/after"
check "the audit: a refused row, no request sent" sh -c "'$MLTOP' --cache '$DB' --audit --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert all(r[\"request\"] is None for r in rows), rows
assert rows[-1][\"result\"] == \"refused\" and \"could not read\" in rows[-1][\"detail\"], rows[-1]
'"
e2e_keys Escape
e2e_keys q
check "mltop quits" e2e_wait_gone_shell "Serving"
e2e_stop
e2e_done
