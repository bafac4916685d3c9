#!/usr/bin/env bash
# Sums the inputs executed per target over a campaign's chunks (fuzz/target/campaign/*.log, Jazzer's "Done N runs in S
# second(s)" lines) and the total.
cd "${1:-fuzz/target/campaign}" || exit 1
# (several campaign directories: run once per directory, or pass fuzz/target and use the logs below it)
for log in *.log; do
  t=${log%-*}
  grep -hE '^Done [0-9]+ runs in [0-9]+ second' "$log" | awk -v t="$t" '{print t, $2, $5}'
done | awk '{runs[$1]+=$2; secs[$1]+=$3; total+=$2} END {for (t in runs) printf "%-30s %12d runs %6d s %8.0f/s\n", t, runs[t], secs[t], runs[t]/(secs[t]?secs[t]:1); printf "%-30s %12d runs\n", "TOTAL", total}'
