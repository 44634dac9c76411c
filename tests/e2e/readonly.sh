#!/bin/sh
# A read-only mltop against a simulator of its own: the write keys (C + P R A, in Serving on a
# deployment and in Registry on a version) and the write commands (:canary, :promote, :rollback)
# answer that writes are off (the first of each kind is watched; test_panel_action_app checks
# each key), the footer and the ? help name no write key, and after all of them the simulator's
# InferenceService and registry model are, byte for byte, what they were before.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
NS=models
ISVC="/apis/serving.kserve.io/v1beta1/namespaces/$NS/inferenceservices/churn-classifier"

e2e_sim ro --seed 7 || {
	echo "FAIL the simulator did not start"
	exit 1
}
state() {
	curl -s "$SIM_URL$ISVC"
	curl -s "$SIM_URL/api/2.0/mlflow/registered-models/get?name=churn-classifier"
	curl -s "$SIM_URL/api/2.0/mlflow/model-versions/search?filter=name%3D%27churn-classifier%27"
}
state >"$E2E_TMP/before"
check "the simulator serves churn-classifier" grep -q resourceVersion "$E2E_TMP/before"

# said: the key(s) get the message on the footer, then it goes (so that the next one is seen anew).
said() {
	e2e_keys "$@"
	e2e_wait "read-only: writes are off" && e2e_wait_gone "read-only: writes are off" 15
}

# typed LINE: typed on the : line, without Enter.
typed() {
	e2e_keys :
	tmux -L "$E2E_SOCK" send-keys -t t -l -- "$1"
}

e2e_start 130 40 "$MLTOP --readonly --mlflow $SIM_URL --kserve $SIM_URL --namespace $NS --refresh 1"
e2e_keys 3
check "Serving lists the deployments" e2e_wait "churn-classifier"
check "the footer has Serving's keys" e2e_wait "canary view"
check "and no write key" e2e_lacks "roll back"
check "Serving: C answers that writes are off" said C
e2e_keys + P R A
e2e_keys 2
check "Registry lists the models" e2e_wait "churn-classifier"
e2e_keys /
tmux -L "$E2E_SOCK" send-keys -t t -l -- "churn"
e2e_keys Enter Enter
check "Enter opens the versions" e2e_wait "open run"
check "Registry: C answers that writes are off" said C
e2e_keys + P R A
typed "canary churn-classifier 5 10"
check ":canary answers that writes are off" said Enter
typed "promote churn-classifier 5"
e2e_keys Enter
typed "rollback churn-classifier"
e2e_keys Enter
e2e_keys "?"
check "? shows the keys of the versions" e2e_wait "Keys · Registry"
check "and no write key" e2e_lacks "roll back"
e2e_keys q
e2e_keys q
check "mltop quits" e2e_wait_gone_shell "Registry"
state >"$E2E_TMP/after"
check "nothing was written to the simulator" cmp -s "$E2E_TMP/before" "$E2E_TMP/after"
e2e_stop
e2e_done
