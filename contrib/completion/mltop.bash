# bash completion for mltop and mltop-sim: the options (from the program's own --help, so that
# they stay true), the contexts of the configuration file (-c FILE on the line, else
# $XDG_CONFIG_HOME/mltop/config.ini) and the themes (built in, yours, installed).
# Installed as .../bash-completion/completions/mltop and .../mltop-sim.

# The options PROGRAM --help lists: each help line that starts with one.
_mltop_options() {
	"$1" --help 2>/dev/null | sed -n 's/^  *\(--*[a-z0-9][a-z0-9-]*\).*/\1/p'
}

# The configuration file this command line reads.
_mltop_config() {
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -c ]]; then
			printf '%s\n' "${COMP_WORDS[i + 1]/#\~/$HOME}"
			return
		fi
	done
	printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/mltop/config.ini"
}

# The NAMEs of the [context.NAME] sections of the configuration file.
_mltop_contexts() {
	local f
	f=$(_mltop_config)
	[[ -r $f ]] || return 0
	sed -n 's/^[[:space:]]*\[context\.\([A-Za-z0-9_.-]*\)\][[:space:]]*$/\1/p' "$f"
}

# The themes mltop finds: built in, then NAME.ini in its directories (as mltop looks them up:
# yours, next to the binary, in the prefix it is installed in, /usr's).
_mltop_themes() {
	local bin dir f
	bin=$(command -v "$1" 2>/dev/null)
	bin=${bin%/*}
	printf '%s\n' default mono
	for dir in "${XDG_CONFIG_HOME:-$HOME/.config}/mltop/themes" "$bin/themes" \
		"$bin/../share/mltop/themes" /usr/share/mltop/themes; do
		for f in "$dir"/*.ini; do
			[[ -f $f ]] || continue
			f=${f##*/}
			printf '%s\n' "${f%.ini}"
		done
	done
}

# COMPREPLY: the words of $1 (one a line) that start with the word being completed.
_mltop_reply() {
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "${COMP_WORDS[COMP_CWORD]}" | sort -u)
}

_mltop() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	case $prev in
	-c | --cache | --samples)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--context)
		_mltop_reply "$(_mltop_contexts)"
		return
		;;
	--theme)
		_mltop_reply "$(_mltop_themes "$1")"
		return
		;;
	--mlflow | --prometheus | --scrape | --alertmanager | --kserve | --namespace | --refresh | \
		--size)
		return
		;;
	esac
	[[ $cur == -* ]] && _mltop_reply "$(_mltop_options "$1")"
}

_mltop_sim() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# Every option but --version and --help takes a value.
	case $prev in
	--version | --help) ;;
	--*) return ;;
	esac
	[[ $cur == -* ]] && _mltop_reply "$(_mltop_options "$1")"
}

complete -F _mltop mltop
complete -F _mltop_sim mltop-sim
