# The key sequence of the random-key test (tests/e2e/monkey.sh): the same seed gives the same
# sequence on every machine and every awk (the generator is its own Park-Miller LCG, exact in
# double arithmetic, not awk's rand()).
# Usage: awk -v seed=N -v count=M -f tests/e2e/monkey.awk
# One action a line:
#   k KEY...   tmux key names, sent with send-keys
#   t TEXT     literal text, sent with send-keys -l
#   r W H      resize the window to W x H
#   p          probe: a normal size, then the screen must still answer
# Nothing here ends mltop on purpose: no q, no Ctrl-C, Ctrl-Z or Ctrl-\, no :q; no text holds a q.
# Write keys (C P R A +) and commands open plans; y, the model's name, override and a reason
# answer them, so that a plan may be sent to the simulator.
BEGIN {
	state = seed % 2147483647
	if (state <= 0) state += 2147483646
	for (i = 0; i < 7; i++) next_rand() # the first draws of small seeds are alike

	nav = split("j k g G PgUp PgDn Up Down Left Right Home End h l n N", NAV, " ")
	act = split("Space Space c o d x m M b s S < > r C-r C-l BSpace", ACT, " ")
	tabs = split("1 2 3 4 5 6 Tab BTab [ ]", TABS, " ")
	nre = split("wren|^a|!ant|.*|ant$|x|e|(|[a-|*x|a{2,1}|(?<=a+)b|é|", RE, "|")
	ncmd = split("registry,experiments,serving,alerts,samples,audit,help,theme light," \
	             "theme default,theme high-contrast,theme mono,theme nosuch,ctx nosuch,nosuch,," \
	             "theme,ctx,exp,reg,canary churn-classifier 7 10,canary churn-classifier 7 x," \
	             "promote churn-classifier 7,rollback churn-classifier,rollback,promote", CMD, ",")
	nflt = split("metrics.auc > 0.8|attributes.status = 'FINISHED'|metrics.auc >>> x|" \
	             "params.model_type = 'xgboost'|tags.mlflow.user = 'esha'|params.x =|" \
	             "attributes.run_name LIKE '%ant%'|metrics.f1 < 0.6 AND metrics.auc > 0.8|" \
	             "((|\\'|", FLT, "|")
	# the writes: plans opened from Registry and Serving, and the answers of their dialog
	nwr = split("k C|k P|k R|k A|k +|k y|k u|k r|t churn-classifier|t override|t rolled back by the monkey", WR, "|")
	nend = split("Enter Enter Enter Escape Tab Up Down BSpace", END_, " ")
	sizes = split("1x1 2x2 10x3 12x5 20x8 30x10 40x12 60x20 80x24 100x30 140x45 200x60 " \
	              "300x20 15x50", SIZES, " ")

	for (n = 0; n < count; n++) {
		if (n % 150 == 149) { print "p"; continue }
		x = pick(100)
		if (x < 40) print "k " NAV[1 + pick(nav)]
		else if (x < 52) print "k " (pick(3) ? "Enter" : "Escape")
		else if (x < 62) print "k " TABS[1 + pick(tabs)]
		else if (x < 76) print "k " ACT[1 + pick(act)]
		else if (x < 78) print "k ?"
		else if (x < 81) write_key()
		else if (x < 84) { split(SIZES[1 + pick(sizes)], wh, "x"); print "r " wh[1] " " wh[2] }
		else prompt()
	}
}

# A write: a key that opens a plan, an answer of its dialog; half of the plans are sent with y
# (the others stay open for the keys that follow).
function write_key(   w) {
	w = WR[1 + pick(nwr)]
	print w
	if (w ~ /^k [CPRA+]$/ && pick(2)) print "k y"
}

# A prompt: its key, a text (good or bad), then how it ends.
function prompt(   y) {
	y = pick(3)
	if (y == 0) { print "k /"; text(RE[1 + pick(nre)]) }
	else if (y == 1) { print "k :"; text(CMD[1 + pick(ncmd)]) }
	else { print "k f"; text(FLT[1 + pick(nflt)]) }
	print "k " END_[1 + pick(nend)]
}

function text(s) {
	if (s != "") print "t " s
}

# Park-Miller: state * 16807 stays below 2^53, so every awk computes the same numbers.
function next_rand() {
	state = (state * 16807) % 2147483647
	return state
}

# An integer in [0, n).
function pick(n) {
	return int(next_rand() / 2147483647 * n)
}
