# shellcheck shell=sh
# Shared by the integration scripts that start real servers on loopback: waiting with a deadline
# and a free port. Usage: . "$root/tests/integration/lib.sh"

# until_ok SECONDS CMD...: runs CMD every 0.2 s until it succeeds or SECONDS have passed.
until_ok() {
	limit=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -ge "$limit" ] && return 1
		sleep 0.2
	done
}

# A loopback port nobody answers on.
free_port() {
	while :; do
		p=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000))
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" 2>/dev/null
		[ $? -eq 7 ] && { echo "$p"; return; }
	done
}
