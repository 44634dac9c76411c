#!/bin/sh
# Every view of every panel, forward and back, as an operator walks them, under ASan+UBSan:
# the experiments list, an experiment's runs, a run's detail, a second experiment, marks and
# compare (diff, x axis, metric, baseline, log y), the column picker, the server filter (good and
# refused), the regex filter (good and invalid), the registry's models and versions, a version's
# run opened in Experiments and back, tabs 1-6, Tab, [ ], the command line (panels, :theme, :ctx,
# unknown commands, :help) and the help. Twice: the second round starts from the cache the first
# one left (the restore paths), then a third start checks what the second left.
# Each step sends its keys, then waits with a deadline for text that was not on the screen before
# them (a step whose text is already there is a fault of this test and fails), and checks that
# mltop still runs and no sanitizer has reported. On a crash: the report and the keys of the round.
. tests/e2e/lib.sh

DEAD=0
KEYS=""

# dead: mltop is gone or a sanitizer reported: say so once, with the keys that led there.
dead() {
	DEAD=1
	e2e_until 5000 e2e_pid_gone "$(cat "$E2E_TMP/pid")" # the sanitizer ends its report first
	E2E_FAILS=$((E2E_FAILS + 1))
	echo "FAIL mltop died or a sanitizer reported, after the keys:$KEYS"
	e2e_san_report
	echo "---- screen ----"
	e2e_screen
	echo "----------------"
}

# step NAME TEXT KEYS...: sends KEYS; TEXT, absent before, must appear; mltop must still run.
step() { run_step appears "$@"; }

# step_gone NAME TEXT KEYS...: sends KEYS; TEXT, on the screen before, must go.
step_gone() { run_step goes "$@"; }

# step_resize NAME TEXT COLS ROWS: as step, for a resize of the window.
step_resize() {
	STEP_SEND=e2e_resize
	run_step appears "$@"
	STEP_SEND=e2e_keys
}

# run_step appears|goes NAME TEXT KEYS...: one step. A step whose text is already where the keys
# should bring it cannot fail: that is a fault of this test, and fails too.
run_step() {
	[ "$DEAD" = 1 ] && return 0
	s_how=$1 s_name=$2 s_text=$3
	shift 3
	s_before=goes s_was="gone"
	e2e_shows -F "$s_text" && s_before=appears s_was="on the screen"
	[ "$s_before" = "$s_how" ] && check "$s_name: '$s_text' was $s_was before the keys" false
	if [ "${STEP_SEND:-e2e_keys}" = e2e_resize ]; then
		e2e_resize "$1" "$2"
		KEYS="$KEYS [resize $1x$2]"
	else
		e2e_keys "$@"
		KEYS="$KEYS $*"
	fi
	s_wait=e2e_wait
	[ "$s_how" = goes ] && s_wait=e2e_wait_gone
	if ! "$s_wait" "$s_text" 15; then
		e2e_alive || { dead; return 0; }
		check "$s_name" false
		return 0
	fi
	e2e_alive || { dead; return 0; }
	echo "ok   $s_name"
}

# loaded NAME: the runs of the experiment just opened are there (its title comes first), so that
# the next key meets rows.
loaded() { [ "$DEAD" = 1 ] || check "$1: its runs are loaded" e2e_wait "FINISHED" 15; }

# header FIRST: the table's header row, the screen line that starts with the column FIRST.
header() { e2e_screen | grep -m 1 "^ $1"; }
header_is_not() { [ "$(header "$1")" != "$2" ]; }

# sort_step NAME FIRST KEYS...: KEYS sort the table whose first column is FIRST anew: its header
# row (which marks the sort column) changes; or, with SORT_MENU=1, a menu of sort columns opens.
sort_step() {
	[ "$DEAD" = 1 ] && return 0
	s_name=$1 s_first=$2
	shift 2
	s_row=$(header "$s_first")
	e2e_keys "$@"
	KEYS="$KEYS $*"
	if e2e_until 15000 sorted_or_menu "$s_first" "$s_row"; then
		e2e_alive && echo "ok   $s_name" && return 0
	fi
	if e2e_alive; then check "$s_name" false; else dead; fi
}
sorted_or_menu() {
	header_is_not "$1" "$2" || { [ "${SORT_MENU:-0}" = 1 ] && e2e_shows -F "─ sort by"; }
}

# sort_steps WHAT FIRST: sorting WHAT by key: s (sorts, or opens a menu of the columns: Esc closes
# it, then s Enter sorts by the column under the menu's cursor), S (the other order), > and < (the
# next and the previous column).
sort_steps() {
	SORT_MENU=1 sort_step "$1: s sorts" "$2" s
	if [ "$DEAD" = 0 ] && e2e_shows -F "─ sort by"; then
		step_gone "$1: Esc closes the menu of sort columns" "─ sort by" Escape
		sort_step "$1: s Enter sorts by the column picked" "$2" s Enter
	fi
	sort_step "$1: S turns the order round" "$2" S
	sort_step "$1: > sorts by the next column" "$2" '>'
	sort_step "$1: < by the previous one" "$2" '<'
}

# The experiments panel: list, runs, detail, a second experiment, compare, picker, filters.
walk_experiments() {
	step "? shows the help of the experiments list" "Keys · Experiments" '?'
	step "Esc closes the help" "LIFECYCLE" Escape
	step "Enter opens the runs of the first experiment" "Experiments › churn-weekly" g Enter
	loaded "Enter opens the runs of the first experiment"
	step "Enter opens the detail of a run" "REPRODUCE" Enter
	step "j k G g scroll the detail, Esc goes back to the runs" "STATUS" j j k G g Escape
	step "Esc goes back to the list" "LIFECYCLE" Escape
	step "j Enter opens the runs of the second experiment" "Experiments › search-ranking" g j Enter
	loaded "j Enter opens the runs of the second experiment"
	step "Enter opens a run of the second experiment" "REPRODUCE" Enter
	step "Esc back to the second experiment's runs" "STATUS" Escape
	step "Esc back to the list" "LIFECYCLE" Escape
	step "k Enter opens the first experiment again" "Experiments › churn-weekly" g Enter
	loaded "k Enter opens the first experiment again"
	sort_steps "the runs" "NAME"
	step "marks and c compare two runs" "compare 2 runs" Space Space c
	step "d: diff only" "diff only [d] ON" d
	step "x: wall time on the x axis" " by time" x
	step "m, M, l, Right, b, Enter, j, k, G, g answer" "diff only [d] OFF" m M l Right b Enter j k G g d
	step "Esc goes back from compare to the runs" "STATUS" Escape
	step "c with nothing marked anew compares the marked runs again" "compare 2 runs" c
	step "Esc back to the runs again" "STATUS" Escape
	step "o opens the column picker" "Columns ·" o
	step "Space Enter applies a column" "STATUS" j Space Enter
	step "o again" "Columns ·" o
	step "Esc cancels the picker" "STATUS" Escape
	step "f opens the server filter prompt" "load the runs with this filter" f
	step "a good filter loads the matching runs" "runs · filter metrics.auc > 0.85" "metrics.auc > 0.85" Enter
	step "a bad filter is refused by the server, in one line" "filter refused" f C-u "metrics.auc >>> x" Enter
	step_gone "an empty filter loads every run again" "runs · filter metrics.auc > 0.85" f C-u Enter
	step "/ filters the runs by regex" "match" / wren Enter
	step "an invalid regex shows PCRE2's message" "missing closing parenthesis" / C-u '('
	step_gone "Esc closes the prompt" "missing closing parenthesis" Escape
	step "Enter on a filtered run, then Esc" "REPRODUCE" Enter
	step "Esc from the filtered run's detail" "STATUS" Escape
	step "Esc clears the regex filter first" "filter cleared" Escape
	step "Esc back to the list" "LIFECYCLE" Escape
}

# The registry: models, versions, a version's run opened in Experiments, back.
walk_registry() {
	step "2 opens the registry" "registered models" 2
	step "? shows the registry's help" "Keys · Registry" '?'
	step "Esc closes it" "registered models" Escape
	sort_steps "the models" "MODEL"
	step "Enter lists the versions of a model" "STAGE" g Enter
	step "Enter on a version opens its run in Experiments" "REPRODUCE" Enter
	step "Esc goes back to the runs of that experiment" "STATUS" Escape
	step "2 shows the versions again" "STAGE" 2
	step "Esc back to the models" "registered models" Escape
	step "j Enter opens the versions of another model" "STAGE" j Enter
	step "G Enter opens the oldest version's run" "REPRODUCE" G Enter
	step "Esc goes back to that experiment's runs" "STATUS" Escape
	step "Esc goes back to the registry, where the jump came from" "registered models" Escape
	step "1 and Esc: the experiments list" "LIFECYCLE" 1 Escape
}

# The live half: Serving (the canary view, a plan and the rollback planner opened and cancelled,
# a jump to the Registry and to the failed samples),
# Samples (in full, searched, grouped, the focus cleared) and Alerts.
walk_live() {
	step "3 opens Serving, its deployments" "DEPLOYMENT" 3
	step "Enter opens the canary view of the first" "no canary" g Enter
	step "Esc back to the deployments" "DEPLOYMENT" Escape
	step "C plans a canary of the first deployment" "Canary churn-classifier v3 → v5" g C
	step_gone "Esc cancels the plan, nothing sent" "Canary churn-classifier v3 → v5" Escape
	step "R without a canary: the rollback planner" "Roll back churn-classifier: the previous" R
	step_gone "Esc closes the planner" "Roll back churn-classifier: the previous" Escape
	step "? shows Serving's help" "Keys · Serving" '?'
	step "Esc closes it" "DEPLOYMENT" Escape
	step "m opens the model in the Registry" "champion v3 · challenger v5" g m
	step "Esc back to the models" "registered models" Escape
	step "3, then f: the failed samples of that model" "focus: model churn-classifier" 3 g f
	step "Enter shows a sample in full" "one failed sample in full" Enter
	step "/ searches the sample" "1 line matches" / '"time":' Enter
	step_gone "Esc clears the search" "1 line matches" Escape
	step "Esc back to the list" "TIME" Escape
	step "g offers the fields to group by" "group the filtered samples by" g
	step "Enter groups the samples by the first" "failed samples by" Enter
	step "Esc back to the list" "TIME" Escape
	step_gone "Esc clears the focus" "focus: model" Escape
	step "4 opens Alerts" "Alerts · " 4
	step "? shows the alerts' help" "Keys · Alerts" '?'
	step "Esc closes it" "Alerts · " Escape
}

# Tabs, the command line and the help of each panel.
walk_tabs() {
	step "3 opens Serving" "Serving › " 3
	step "4 opens Alerts" "Alerts · " 4
	step "5 opens Samples" "Samples · " 5
	step "6 opens the audit log" "No action has been taken" 6
	step "? shows the audit log's help" "Keys · Audit" '?'
	step "Esc closes it" "No action has been taken" Escape
	step "Tab wraps to Experiments" "LIFECYCLE" Tab
	step "Shift-Tab back to the audit log" "No action has been taken" BTab
	step "] wraps to Experiments" "LIFECYCLE" ']'
	step "[ back to the audit log" "No action has been taken" '['
	step ":registry switches panels" "registered models" : registry Enter
	step ":experiments switches back" "LIFECYCLE" : experiments Enter
	step ":help shows the help" "Keys · Experiments" : help Enter
	step "Esc closes it" "LIFECYCLE" Escape
	step "an unknown command is named" "unknown command :nosuch" : nosuch Enter
	step_gone "Esc closes the command line" "unknown command :nosuch" Escape
	step ":theme with a bad name is refused" "no theme 'nosuch-theme'" : theme ' ' nosuch-theme Enter
	step_gone "Esc closes the command line" "no theme" Escape
	step ":theme light typed in the command line" ":theme light" : theme ' ' light
	step_gone "Enter switches the theme live and closes the command line" ":theme light" Enter
	step ":ctx with an unknown name is refused" "unknown context 'nosuch-ctx'" : ctx ' ' nosuch-ctx Enter
	step_gone "Esc closes the command line" "unknown context" Escape
	step "Enter opens an experiment after :ctx" "Experiments › churn-weekly" g Enter
	loaded "Enter opens an experiment after :ctx"
	step "Esc back" "LIFECYCLE" Escape
	step "r refreshes every source and says so" "refreshing every source" r
	step_resize "a small window: short tabs" " 1 Exp   2 Reg" 60 20
	step_resize "a tiny window still draws the tabs" "1 2 3 4 5 6" 20 8
	step_resize "back to a large window: long tabs" " 1 Experiments" 140 45
	step "Ctrl-L redraws, Enter opens an experiment" "Experiments › churn-weekly" C-l g Enter
	loaded "Ctrl-L redraws"
	step "Esc back once more" "LIFECYCLE" Escape
}

# start: mltop --demo, at the experiments list. A start may open the runs of the experiment the
# last one left open (from the cache): Esc then goes to the list.
start() {
	DEAD=0
	KEYS=""
	e2e_start_san 140 45 --demo
	if ! e2e_wait "Experiments" 15 || ! e2e_alive; then
		dead
		return
	fi
	if e2e_wait "Experiments ›" 3; then
		step "Esc from the restored runs to the list" "LIFECYCLE" Escape
	fi
}

# section WALK: runs WALK; after a crash in an earlier one, first starts mltop again, so that
# one crash does not hide the next.
section() {
	if [ "$DEAD" = 1 ]; then
		e2e_stop
		echo "-- mltop started again for $1"
		start
	fi
	"$1"
}

# round NAME: one start, the whole walk, and a clean quit.
round() {
	echo "-- $1"
	start
	section walk_experiments
	section walk_registry
	section walk_live
	section walk_tabs
	# Left open for the next start: the second experiment's runs, with a filter.
	step "the second experiment's runs, to be restored" "Experiments › search-ranking" g j Enter
	loaded "the second experiment's runs"
	step "with a server filter" "runs · filter attributes.status" f C-u "attributes.status = 'FINISHED'" Enter
	if [ "$DEAD" = 0 ]; then
		e2e_keys q
		check "$1: q quits with status 0" e2e_wait "EXITED 0" 15
		if e2e_san_report; then
			echo "FAIL $1: a sanitizer reported (above)"
			E2E_FAILS=$((E2E_FAILS + 1))
		fi
	fi
	e2e_stop
}

round "round 1: a fresh cache"
round "round 2: from the cache round 1 left"
# A third start: what the second round left (a filtered second experiment) restores too.
e2e_start_san 140 45 --demo
check "a third start restores the second experiment's filtered runs" e2e_wait "Experiments › search-ranking" 15
check "and mltop still runs" e2e_alive
e2e_keys q
check "q quits with status 0" e2e_wait "EXITED 0" 15
e2e_done
