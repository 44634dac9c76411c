#!/bin/sh
# Files and text mltop does not control: a config or token file that is a FIFO or a device is
# refused at once with its name (at start: exit 2; on :ctx: the message, and mltop goes on), and
# escape sequences, bidi overrides and control characters from the environment or the config
# file reach the terminal only as visible escapes (--info, error messages, warnings).
. tests/e2e/lib.sh

MLTOP="$PWD/mltop"
ESC=$(printf '\033')
RLO=$(printf '\342\200\256') # U+202E RIGHT-TO-LEFT OVERRIDE
T="$E2E_TMP"

# run_capped OUT CMD...: runs CMD with stdout and stderr into OUT, killed after 10 s (exit 124).
run_capped() {
	out=$1
	shift
	timeout 10 "$@" >"$out" 2>&1 </dev/null
}

# refused WHAT FILE WANT CMD...: CMD exits 2 (not killed) and its output says "FILE: WANT".
# (check's labels go through echo: they carry no backslash.)
refused() {
	what=$1 said="$2: $3"
	shift 3
	run_capped "$T/out" "$@"
	rc=$?
	check "$what: exit 2" [ "$rc" -eq 2 ]
	check "$what: the message names the file" grep -qF -- "$said" "$T/out"
}

# no_raw NAME FILE: FILE holds no ESC byte and no raw U+202E.
no_raw() {
	check "$1: no raw ESC" [ "$(grep -c "$ESC" "$2")" -eq 0 ]
	check "$1: no raw bidi override" [ "$(grep -c "$RLO" "$2")" -eq 0 ]
}

mkfifo "$T/fifo.ini" "$T/fifo.token"
refused "-c FIFO" "$T/fifo.ini" "not a regular file" "$MLTOP" -c "$T/fifo.ini" --info
refused "-c /dev/zero" "/dev/zero" "not a regular file" "$MLTOP" -c /dev/zero --info
mkdir -p "$XDG_CONFIG_HOME/mltop"
mkfifo "$XDG_CONFIG_HOME/mltop/config.ini"
refused "default config FIFO" "$XDG_CONFIG_HOME/mltop/config.ini" "not a regular file" \
	"$MLTOP" --info
rm -f "$XDG_CONFIG_HOME/mltop/config.ini"

cat >"$T/tokens.ini" <<EOF
[general]
context = good
[context.good]
prometheus = http://127.0.0.1:1
[context.bad]
prometheus = http://127.0.0.1:1
prometheus_token_file = $T/fifo.token
EOF
refused "token FIFO at start" "$T/fifo.token" "not a regular file" \
	"$MLTOP" -c "$T/tokens.ini" --context bad --snapshot
run_capped "$T/out" "$MLTOP" -c "$T/tokens.ini" --context bad --info
check "--info with a token FIFO: exit 1, not 2" [ $? -eq 1 ]
check "--info names the FIFO under its source" grep -qF "problem: $T/fifo.token: not a regular file" "$T/out"

# The environment and the config file carry escapes. A URL with a control character is refused
# without being repeated; other characters in its path are shown as escapes.
run_capped "$T/info" env MLFLOW_TRACKING_URI="http://x/${ESC}[31mred" "$MLTOP" --info
check "MLFLOW_TRACKING_URI with an escape: exit 2" [ $? -eq 2 ]
check "it says why" grep -qF 'MLFLOW_TRACKING_URI: URL has a space or a control character' "$T/info"
no_raw "the refusal of MLFLOW_TRACKING_URI" "$T/info"
run_capped "$T/info" env MLFLOW_TRACKING_URI="http://x/red${RLO}" "$MLTOP" --info
check "--info with a bidi override in MLFLOW_TRACKING_URI exits 0" [ $? -eq 0 ]
check "--info shows the escape" grep -qF 'http://x/red\u202e' "$T/info"
no_raw "--info of MLFLOW_TRACKING_URI" "$T/info"

printf '[model.m%s1]\nmetric = auc%s[0m\n' "$RLO" "$ESC" >"$T/model.ini"
run_capped "$T/info" "$MLTOP" -c "$T/model.ini" --info
check "--info with a model named with a bidi override exits 0" [ $? -eq 0 ]
check "--info shows the model's escapes" grep -qF 'model     m\u202e1' "$T/info"
no_raw "--info of the config" "$T/info"

printf '[general]\nre%sfresh = 5\n' "$ESC" >"$T/key.ini"
refused "a key with an escape" "$T/key.ini:2" "unknown key 're\\efresh'" "$MLTOP" -c "$T/key.ini"
no_raw "the unknown key's error" "$T/out"

printf '[general]\ntheme = x%s]2;owned\a\n' "$ESC" >"$T/theme.ini"
run_capped "$T/out" "$MLTOP" -c "$T/theme.ini" --info
check "a theme name with escapes: exit 2" [ $? -eq 2 ]
no_raw "the theme's error" "$T/out"
check "the theme's error shows the escape" grep -qF 'x\e]2;owned\x07' "$T/out"

# :ctx to a context whose token file is a FIFO: the message, and mltop still answers.
e2e_start 120 30 "$MLTOP" -c "$T/tokens.ini"
check "mltop starts in the good context" e2e_wait "ctx good"
e2e_keys : "ctx bad" Enter
check ":ctx bad names the FIFO" e2e_wait "fifo.token: not a regular file" 5
e2e_keys Escape
e2e_wait_gone ":ctx bad" 5
e2e_keys q
check "mltop still answers and quits" e2e_wait "EXITED 0" 5

e2e_done
