#!/bin/sh
# What mltop says when it is started wrong: a usage error is one line and a pointer to --help;
# a bad boolean or URL in the environment or on the command line is an error that names it; a
# tracking URI that is no HTTP server says what mltop needs; --info lists problems (a token file
# that is missing, a cache that cannot be used) instead of failing; a cache that cannot be used
# is said on stderr, in --info and in the header (no audit log is kept); theme errors carry the
# file and the line.
. tests/e2e/lib.sh

MLTOP="$PWD/mltop"
T="$E2E_TMP"

# run OUT CMD...: CMD with stdout and stderr into OUT, killed after 10 s; $rc is its status.
run() {
	out=$1
	shift
	timeout 10 "$@" >"$out" 2>&1 </dev/null
	rc=$?
}

# Usage errors: one line, the problem and "see mltop --help", exit 2.
for args in "--bogus" "--refresh" "--refresh abc" "extra" "--size 10x10"; do
	# shellcheck disable=SC2086 # the words of args are the arguments
	run "$T/out" "$MLTOP" $args
	check "mltop $args: exit 2" [ "$rc" -eq 2 ]
	check "mltop $args: one line" [ "$(wc -l <"$T/out")" -eq 1 ]
	check "mltop $args: points to --help" grep -q '^mltop: .* (see mltop --help)$' "$T/out"
done
run "$T/out" "$MLTOP" --bogus
check "the line names the option" grep -qF "unknown option '--bogus'" "$T/out"

# Booleans in the environment.
for v in yes no true false 1 0 on off YES Off; do
	run "$T/out" env MLFLOW_TRACKING_INSECURE_TLS=$v "$MLTOP" --info
	check "MLFLOW_TRACKING_INSECURE_TLS=$v is accepted" [ "$rc" -eq 0 ]
done
run "$T/out" env MLFLOW_TRACKING_URI=http://127.0.0.1:1 MLFLOW_TRACKING_INSECURE_TLS=yes \
	"$MLTOP" --info
check "MLFLOW_TRACKING_INSECURE_TLS=yes turns verification off" grep -qF "TLS NOT VERIFIED" "$T/out"
for v in ture maybe 2 enabled; do
	run "$T/out" env MLFLOW_TRACKING_INSECURE_TLS=$v "$MLTOP" --info
	check "MLFLOW_TRACKING_INSECURE_TLS=$v: exit 2" [ "$rc" -eq 2 ]
	check "MLFLOW_TRACKING_INSECURE_TLS=$v: the error names the variable" \
		grep -qF "MLFLOW_TRACKING_INSECURE_TLS='$v': not a boolean" "$T/out"
done

# Malformed URLs, on the command line, in the environment and in the file.
for u in 'http://[::1' 'http://[::1:5000' 'http://[nothex]' 'http://h:99999' 'http://h:x'; do
	run "$T/out" "$MLTOP" --mlflow "$u" --info
	check "--mlflow $u: exit 2" [ "$rc" -eq 2 ]
	run "$T/out" env MLFLOW_TRACKING_URI="$u" "$MLTOP" --info
	check "MLFLOW_TRACKING_URI=$u: exit 2" [ "$rc" -eq 2 ]
done
run "$T/out" "$MLTOP" --mlflow 'http://[::1' --info
check "an unclosed bracket is said" grep -qF "URL has an unclosed '['" "$T/out"
printf '[context.default]\nmlflow = http://[::1\n' >"$T/url.ini"
run "$T/out" "$MLTOP" -c "$T/url.ini" --info
check "in the file: exit 2" [ "$rc" -eq 2 ]
check "in the file: file, line and why" grep -qF "$T/url.ini:2:" "$T/out"
for u in 'http://[::1]:5000' 'https://[fe80::1%25eth0]/mlflow' 'http://127.0.0.1:5000'; do
	run "$T/out" "$MLTOP" --mlflow "$u" --info
	check "--mlflow $u is accepted" [ "$rc" -eq 0 ]
done

# Tracking URIs that are no HTTP server.
for u in file:///tmp/mlruns ./mlruns databricks databricks://prof sqlite:///m.db; do
	run "$T/out" env MLFLOW_TRACKING_URI="$u" "$MLTOP" --info
	check "MLFLOW_TRACKING_URI=$u: --info still works" [ "$rc" -eq 0 ]
	check "MLFLOW_TRACKING_URI=$u: mltop needs an HTTP server" \
		grep -qF "mltop needs an MLflow HTTP tracking server" "$T/out"
done
run "$T/out" env MLFLOW_TRACKING_URI=postgresql://u:hunter2@db/m "$MLTOP" --info
check "a database URI's password is not repeated (what is said, is said without it)" \
	sh -c "grep -qF 'mltop needs an MLflow HTTP tracking server' '$T/out' && ! grep -q hunter2 '$T/out'"

# --info diagnoses a missing or unreadable token file; a start with it fails clearly.
cat >"$T/tok.ini" <<EOF
[context.default]
mlflow = http://127.0.0.1:1
mlflow_token_file = $T/missing-token
prometheus = http://127.0.0.1:2
prometheus_token_file = $T
EOF
run "$T/out" "$MLTOP" -c "$T/tok.ini" --info
check "--info with a missing token file: exit 1" [ "$rc" -eq 1 ]
check "--info names the missing file under mlflow" \
	grep -qF "problem: $T/missing-token: No such file or directory" "$T/out"
check "--info names the unreadable one under prometheus" \
	grep -qF "problem: $T: not a regular file" "$T/out"
check "--info still shows the rest" grep -qF "alertmanager not configured" "$T/out"
run "$T/out" "$MLTOP" -c "$T/tok.ini" --snapshot
check "a start with the missing token file: exit 2" [ "$rc" -eq 2 ]
check "and says which file" grep -qF "mlflow auth: $T/missing-token: No such file" "$T/out"
printf 'tok\n' >"$T/good-token"
chmod 600 "$T/good-token"
printf '[context.default]\nmlflow = http://127.0.0.1:1\nmlflow_token_file = %s\n' \
	"$T/good-token" >"$T/good.ini"
run "$T/out" "$MLTOP" -c "$T/good.ini" --info
check "--info with everything in order: exit 0" [ "$rc" -eq 0 ]
check "and no problem line (in a report that is there)" \
	sh -c "grep -q '^context' '$T/out' && ! grep -q problem '$T/out'"

# A cache that cannot be used: a directory, a file under a file, a directory that cannot be made.
mkdir -p "$T/cachedir"
for c in "$T/cachedir" /etc/hostname/cache.db /proc/nope/cache.db; do
	run "$T/out" "$MLTOP" --cache "$c" --info
	check "--cache $c: --info exits 1" [ "$rc" -eq 1 ]
	check "--cache $c: --info lists it as a problem" grep -qF "problem: cache $c: " "$T/out"
	check "--cache $c: --info says no audit log is kept" grep -qF "no audit log is kept" "$T/out"
	run "$T/out" "$MLTOP" --cache "$c" --snapshot --size 100x10
	check "--cache $c: a start says so on stderr" \
		grep -qF "mltop: warning: cache $c: " "$T/out"
done
run "$T/out" "$MLTOP" --cache "$T/cachedir" --info
check "a directory is called one" grep -qF "cache $T/cachedir: is a directory" "$T/out"
run "$T/out" "$MLTOP" --cache "$T/ok.db" --info
check "a usable cache: no problem" [ "$rc" -eq 0 ]

e2e_start 140 20 "$MLTOP" --cache "$T/cachedir"
check "the header says no audit log is kept" e2e_wait "NO-AUDIT-LOG"
check "the footer says why" e2e_wait "is a directory: nothing is kept after exit"
e2e_keys q
check "q quits" e2e_wait "EXITED 0"
e2e_stop
e2e_start 140 20 "$MLTOP" --cache "$T/ok.db"
check "a usable cache: started" e2e_wait "Experiments needs"
check "a usable cache: no NO-AUDIT-LOG" e2e_wait_gone "NO-AUDIT-LOG" 1
e2e_stop

# Theme errors carry the file and the line, and where the theme was named.
mkdir -p "$XDG_CONFIG_HOME/mltop/themes/dir.ini"
printf '[theme]\n\nmono = maybe\n' >"$XDG_CONFIG_HOME/mltop/themes/bad.ini"
printf '[roles]\nok = chartreuse-ish\n' >"$XDG_CONFIG_HOME/mltop/themes/colour.ini"
printf '[general]\nrefresh = 5\ntheme = bad\n' >"$T/theme.ini"
run "$T/out" "$MLTOP" -c "$T/theme.ini" --info
check "a bad theme boolean: exit 2" [ "$rc" -eq 2 ]
check "with the config line and the theme's file and line" grep -qF \
	"$T/theme.ini:3: theme: $XDG_CONFIG_HOME/mltop/themes/bad.ini:3: mono = 'maybe'" "$T/out"
run "$T/out" "$MLTOP" --theme colour --info
check "a bad colour: the theme's file and line" \
	grep -qF "$XDG_CONFIG_HOME/mltop/themes/colour.ini:2: bad colour" "$T/out"
run "$T/out" "$MLTOP" --theme dir --info
check "a theme that is a directory is named" \
	grep -qF "$XDG_CONFIG_HOME/mltop/themes/dir.ini: not a regular file" "$T/out"
printf '[general]\ntheme = nosuch\n' >"$T/nosuch.ini"
run "$T/out" "$MLTOP" -c "$T/nosuch.ini" --info
check "an unknown theme: where it was named" grep -qF "$T/nosuch.ini:2: theme: no theme 'nosuch'" \
	"$T/out"

e2e_done
