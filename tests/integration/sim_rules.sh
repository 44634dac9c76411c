#!/bin/sh
# The shipped Prometheus alerting rules: `promtool check rules` validates them and
# `promtool test rules` runs their unit tests (contrib/prometheus/mltop-rules.test.yml).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
rules=$root/contrib/prometheus/mltop-rules.yml
tests=$root/contrib/prometheus/mltop-rules.test.yml

if ! command -v promtool >/dev/null 2>&1; then
	echo "sim_rules: promtool not found (apt-get install prometheus, or make deps)" >&2
	exit 1
fi
promtool check rules "$rules" || { echo "sim_rules: check rules failed" >&2; exit 1; }
promtool test rules "$tests" || { echo "sim_rules: rule unit tests failed" >&2; exit 1; }
# The rules mltop expects, by name.
for name in ModelFeatureDrift ModelHighErrorRate ModelHighLatency CanaryDegraded; do
	grep -q "alert: $name\$" "$rules" || { echo "sim_rules: no rule $name" >&2; exit 1; }
done
echo "sim_rules: ok"
