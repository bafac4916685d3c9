#!/usr/bin/env bash
# A long fuzz campaign in chunks, outside Maven, at low priority: every target in turn for one chunk (its @FuzzTest
# maxDuration, 5 minutes), round after round, while the time given lasts (a chunk started runs to its end). Each chunk's Jazzer output goes to fuzz/target/campaign/<target>-<n>.log;
# its "Done N runs" line is the count of inputs it executed (summed by fuzz/campaign-sum.sh).
#   fuzz/campaign.sh [total-minutes] [targets...]       (from the repository root)
# Findings are written to fuzz/src/test/resources/.../<Target>Inputs/<method>/ and stop that target's chunk.
set -u
TOTAL_MIN=${1:-60}
shift 1 2>/dev/null || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(LineFramingFuzzTest ContentLengthFramingFuzzTest CodecFuzzTest RouterFuzzTest HttpBodyFuzzTest
           StrictPeerFuzzTest CiviPipePeerFuzzTest)
fi
ROOT=$(pwd)
OUT=${CAMPAIGN_OUT:-$ROOT/fuzz/target/campaign}
SNAP=$OUT/classes
mkdir -p "$OUT"
if [ -z "${CAMPAIGN_REUSE:-}" ]; then   # CAMPAIGN_REUSE=1: fuzz the snapshot already in $OUT (classes/, deps.txt)
  ./mvnw -B -q -pl fuzz -am test-compile -Dsurefire.failIfNoSpecifiedTests=false || exit 2
  (cd fuzz && ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$OUT/deps.txt" -Dmdep.includeScope=test) || exit 2
  rm -rf "$SNAP" && mkdir -p "$SNAP"
  for m in rpc-core rpc-pipe rpc-web; do cp -r "$m/target/classes" "$SNAP/$m"; done
  cp -r fuzz/target/test-classes "$SNAP/fuzz"
fi
DEPS=$(tr ':' '\n' < "$OUT/deps.txt" | grep -v '/dev/plumb/' | paste -sd:)
CP="$SNAP/fuzz:$SNAP/rpc-core:$SNAP/rpc-pipe:$SNAP/rpc-web:$DEPS"
END=$(( $(date +%s) + TOTAL_MIN * 60 ))
round=0
while [ "$(date +%s)" -lt "$END" ]; do
  round=$((round + 1))
  for t in "${TARGETS[@]}"; do
    left=$(( END - $(date +%s) ))
    [ "$left" -le 20 ] && break 2
    log="$OUT/$t-$round.log"
    (cd fuzz && JAZZER_FUZZ=1 nice -n 10 java -Xmx512m -cp "$CP" dev.plumb.rpc.fuzz.FuzzCampaign "dev.plumb.rpc.fuzz.$t" > "$log" 2>&1)
    rc=$?
    echo "$(date -u +%H:%M:%S) $t round $round rc=$rc $(grep -E '^Done [0-9]+ runs' "$log" | tail -1)" >> "$OUT/summary.txt"
  done
done
