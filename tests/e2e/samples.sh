#!/bin/sh
# The Samples panel as an operator uses it, in tmux: with --demo, the failed samples newest first,
# / with its matches highlighted and the status, Enter for one in full, g to group by a field, e to
# export the filtered samples (the file holds the lines as received), a focus from the command
# line and from the run detail's F (the failing rows of the run's eval table). Then the samples
# source misbehaving (docs/reliability.md): over HTTP through the simulator's fault control (an HTML
# 500, a plain-text 401, garbage, a reset, a truncated body, a body over the cap, a stalled
# reply), and as a file that is removed, truncated, and holds invalid UTF-8 and escape sequences.
. tests/e2e/lib.sh
MLTOP="$PWD/mltop"
screen_has() { e2e_screen | grep -qF -- "$1"; }
count_lines() { [ "$(wc -l <"$1")" -eq "$2" ]; }

# ---- the demo ----
e2e_start 120 40 "$MLTOP --demo"
check "demo: the experiments come first" e2e_wait "churn-weekly" 20
e2e_keys 5
check "the samples list with its columns" e2e_wait "TIME▼" 15
check "failed samples of the simulator's deployments" e2e_wait "churn-classifier" 15
e2e_keys / churn Enter
check "/ says how many match" e2e_wait " match · row 1 of "
hl=$(tmux -L "$E2E_SOCK" capture-pane -e -p -t t | grep -c "$(printf '\033')\[[0-9;]*m*churn")
check "/ highlights the matches" [ "$hl" -gt 0 ]
e2e_keys Enter
check "Enter: one sample in full" e2e_wait "one failed sample in full"
check "its nested input indented" e2e_wait '   "input": {'
e2e_keys Escape
check "Esc: back to the list" e2e_wait_gone "one failed sample in full"
check "with the filter kept" e2e_wait " match · row 1 of "
e2e_keys g
check "g: the fields to group by" e2e_wait "group the filtered samples by"
e2e_keys Enter
check "g Enter: counts and shares by the field" e2e_wait "failed samples by "
check "with bars" e2e_wait "█"
e2e_keys Escape
check "Esc: back to the list" e2e_wait_gone "failed samples by "
check "with the filter kept" e2e_wait " match · row 1 of "
e2e_keys e
check "e: the export prompt with a default name" e2e_wait "./samples-20"
e2e_keys C-u "$E2E_TMP/out.jsonl" Enter
check "the message says how many and where" e2e_wait "samples to $E2E_TMP/out.jsonl"
n=$(e2e_screen | sed -n 's/.*exported \([0-9,]*\) samples to .*/\1/p' | head -n 1 | tr -d ,)
check "the file holds them all" count_lines "$E2E_TMP/out.jsonl" "${n:-0}"
check "and only the matching ones" sh -c "! grep -v churn '$E2E_TMP/out.jsonl'"
check "as JSON Lines of the simulator" grep -q '^{"id":"churn-classifier-' "$E2E_TMP/out.jsonl"
e2e_keys e C-u "$E2E_TMP/out.jsonl" Enter
check "a second export asks before overwriting" e2e_wait "exists: overwrite it? y/n"
e2e_keys n
check "n keeps the file" e2e_wait "export cancelled"
e2e_keys Escape
check "Esc clears the filter" e2e_wait_gone " match · "
e2e_keys : "samples model=fraud-detector" Enter
check ":samples model=…: the focus in the title" e2e_wait "focus: model fraud-detector"
check "and only that model" e2e_wait_gone "churn-classifier"
e2e_keys Escape
check "Esc clears the focus" e2e_wait_gone "focus: model"
e2e_keys 1
check "back to the experiments" e2e_wait "churn-weekly"
e2e_keys Enter
check "the runs" e2e_wait "STATUS" 15
e2e_keys Enter
check "a run's detail with its eval table" e2e_wait "rows fail" 15
e2e_keys F
check "F: the failing eval rows in Samples" e2e_wait "focus: run " 15
check "from the eval table" e2e_wait "MLflow eval table"
e2e_keys q
check "quits" e2e_wait "EXITED 0"
e2e_stop

# ---- HTTP faults ----
e2e_sim sim --seed 5 || { echo "FAIL mltop-sim did not start"; exit 1; }
fault() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$SIM_URL/-/sim/faults" >/dev/null; }
clear_faults() { curl -s -X DELETE "$SIM_URL/-/sim/faults" >/dev/null; }
e2e_start 120 30 "$MLTOP --samples $SIM_URL/samples --refresh 1"
e2e_keys 5
check "the samples of the simulator" e2e_wait "churn-classifier" 15
first=$(e2e_screen | awk '$2 ~ /-/ {print $1; exit}') # the newest sample's time

fault '{"prefix":"/samples","kind":"status","status":500,"content_type":"text/html","body":"<html><body><h1>500 Internal Server Error</h1></body></html>"}'
e2e_keys r
check "HTML 500: the header says samples is down" e2e_wait "samples ● down" 15
check "HTML 500: one line with the status" e2e_wait "samples 500"
check "HTML 500: no HTML on the screen" e2e_wait_gone "<html>"
check "HTML 500: the samples shown stay, marked stale" e2e_wait "stale: data from"
check "HTML 500: the rows stay" e2e_wait "$first"
e2e_keys 6
check "HTML 500: keys still answer" e2e_wait "Audit"
e2e_keys 5
fault '{"prefix":"/samples","kind":"status","status":401,"content_type":"text/plain","body":"Unauthorized: token expired"}'
e2e_keys r
check "plain-text 401: status and text" e2e_wait "samples 401" 15
fault '{"prefix":"/samples","kind":"reset"}'
e2e_keys r
check "reset: still down, said in one line" e2e_wait_gone "samples 401" 15
fault '{"prefix":"/samples","kind":"truncate"}'
e2e_keys r
check "truncated body: the rows stay" e2e_wait "$first" 15
fault '{"prefix":"/samples","kind":"oversize","mib":80}'
e2e_keys r
check "a body over the cap: said" e2e_wait "samples ● down" 15
fault '{"prefix":"/samples","kind":"garbage"}'
e2e_keys r
check "garbage: not JSON lines, kept as bad lines and counted" e2e_wait "bad line" 15
fault '{"prefix":"/samples","kind":"delay","delay_ms":8000}'
e2e_keys r
e2e_keys 6
check "a stalled reply does not block the keys" e2e_wait "No action has been taken" 5
e2e_keys 5
clear_faults
e2e_keys r
check "cleared: the source comes back" e2e_wait_gone "samples ● down" 20
e2e_keys q
check "quits" e2e_wait "EXITED 0"
e2e_stop

# ---- mltop-sim --samples N: that many more, served as the others ----
e2e_sim big --seed 5 --samples 5000 || { echo "FAIL mltop-sim --samples did not start"; exit 1; }
curl -s "$SIM_URL/samples?limit=1000&since=0" >"$E2E_TMP/big"
check "--samples 5000: a page of 1,000" count_lines "$E2E_TMP/big" 1000
curl -s "$SIM_URL/samples?limit=1000&model=fraud-detector&since=0" >"$E2E_TMP/big"
check "--samples 5000: of every deployment" grep -q '"model":"fraud-detector"' "$E2E_TMP/big"
kill "$SIM_PID"

# ---- a file ----
F="$E2E_TMP/failed.jsonl"
printf '{"time":"2026-11-29T04:00:01Z","model":"m1","version":"v1","input":{"x":1}}\n' >"$F"
e2e_start 120 30 "$MLTOP --samples $F"
e2e_keys 5
check "a file: its sample" e2e_wait " m1 "
printf '{"time":"2026-11-29T04:00:02Z","model":"hostile","version":"v1","error":"\\u001b]0;pwned\\u0007 \\u001b[2J"}\n' >>"$F"
printf '\033[31mraw escape \377\376 bad utf8\n' >>"$F"
check "appended lines come" e2e_wait "hostile" 10
check "escape sequences are shown escaped" e2e_wait '\e]0;pwned\x07'
check "a raw line with escapes and bad UTF-8: marked, escaped" e2e_wait '\e[31mraw escape'
check "and counted" e2e_wait "1 bad line"
: >"$F"
printf '{"time":"2026-11-29T04:00:03Z","model":"after-truncation","version":"v1"}\n' >>"$F"
check "truncated: read again from the start" e2e_wait "after-truncation" 10
rm -f "$F"
check "removed: said, the samples stay" e2e_wait "removed: waiting for the file" 10
check "the samples stay" screen_has "after-truncation"
printf '{"time":"2026-11-29T04:00:04Z","model":"came-back","version":"v1"}\n' >"$F"
check "back: read again" e2e_wait "came-back" 10
e2e_keys q
check "quits" e2e_wait "EXITED 0"
e2e_done
