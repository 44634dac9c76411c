#!/bin/sh
# mltop --snapshot --json: one JSON object that jq reads, with the data each panel shows (numbers
# as numbers, times as RFC 3339), the sources' health, and the exit codes of the text snapshot.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
jqx() { jq -e "$@" >/dev/null; } # a jq condition as an exit status

e2e_sim sim --seed 3 || { echo "mltop-sim did not start"; exit 1; }
"$MLTOP" --snapshot --json --mlflow "$SIM_URL" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "a snapshot with every source answering exits 0" [ $? -eq 0 ]
check "its output is one JSON object" jqx 'type == "object"' "$E2E_TMP/out"
check "with the six panels" \
	jqx '.panels | keys == ["alerts","audit","experiments","registry","samples","serving"]' \
	"$E2E_TMP/out"
check "mlflow is ok, with the time of its data" \
	jqx '.sources.mlflow.health == "ok" and (.sources.mlflow.updated | test("^20[0-9-]+T[0-9:.]+Z$"))' \
	"$E2E_TMP/out"

# The experiments are the simulator's, as its API lists them.
curl -s -X POST -H 'Content-Type: application/json' -d '{"max_results":1000}' \
	"$SIM_URL/api/2.0/mlflow/experiments/search" >"$E2E_TMP/exps"
jq -r '[.experiments[].name] | sort | join(",")' "$E2E_TMP/exps" >"$E2E_TMP/want"
jq -r '[.panels.experiments.rows[].name] | sort | join(",")' "$E2E_TMP/out" >"$E2E_TMP/got"
check "every experiment of the server, by name" cmp -s "$E2E_TMP/want" "$E2E_TMP/got"
check "with times as RFC 3339 and ids as strings" \
	jqx '.panels.experiments.rows | all(.updated | test("Z$")) and all(.id | type == "string")' \
	"$E2E_TMP/out"
check "the registry's models, with version counts as numbers and aliases" \
	jqx '.panels.registry.rows | length > 0 and all(.versions | type == "number")
	       and any(.aliases.champion != null)' "$E2E_TMP/out"

# Scraping /metrics with no Prometheus: the snapshot waits for the second scrape, so that the
# rates exist (a refresh of 1 s keeps the test short).
"$MLTOP" --snapshot --json --refresh 1 --scrape "$SIM_URL/metrics" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "a snapshot of scraped metrics exits 0" [ $? -eq 0 ]
check "with a rate for every version it shows" \
	jqx '(.panels.serving.rows | length > 0) and all(.panels.serving.rows[].versions[]; .rps | type == "number")' \
	"$E2E_TMP/out"

"$MLTOP" --snapshot --json --mlflow http://127.0.0.1:1 >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "a dead source makes it exit 1" [ $? -eq 1 ]
check "and says why, on the source and on the panel" \
	jqx '(.sources.mlflow.health == "down") and (.sources.mlflow.error | test("refused"))
	       and (.panels.experiments.error | test("refused"))' "$E2E_TMP/out"

"$MLTOP" --json >"$E2E_TMP/out" 2>"$E2E_TMP/err"
check "--json without --snapshot is a usage error" [ $? -eq 2 ]
check "that says so" grep -q -- "--json goes with --snapshot" "$E2E_TMP/err"
e2e_done
