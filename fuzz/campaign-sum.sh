#!/usr/bin/env bash
# Sums the inputs executed per target over a campaign's chunks: Jazzer's "Done N runs in S second(s)" line of every
# <target>-<round>.log under the directory given (default fuzz/target; campaign.sh writes to fuzz/target/campaign or
# $CAMPAIGN_OUT). A chunk stopped before its end has no such line and is not counted.
find "${1:-fuzz/target}" -name '*FuzzTest-*.log' | while read -r log; do
  t=$(basename "$log"); t=${t%-*}
  grep -hE '^Done [0-9]+ runs in [0-9]+ second' "$log" | awk -v t="$t" '{print t, $2, $5}'
done | awk '{runs[$1]+=$2; secs[$1]+=$3; n[$1]++; total+=$2; tsecs+=$3}
  END {for (t in runs) printf "%-30s %10d inputs %6d s %4d chunks %7.0f/s\n", t, runs[t], secs[t], n[t], runs[t]/(secs[t]?secs[t]:1);
       printf "%-30s %10d inputs %6d s\n", "TOTAL", total, tsecs}' | sort
