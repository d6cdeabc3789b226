#!/usr/bin/env bash
# Runs store_bench's ingest benchmarks at 100k stored entries, each in its own process
# (benchmarks sharing a process share its stores and page cache), and prints the ratios
# bare insert loop / Store ingest, per feed and per group commit.
#   usage: tests/bench/store_bench.sh BUILD_DIR [rounds]
#          tests/bench/store_bench.sh BUILD_DIR scale
#            start-up, explain, publish, ingest per new entry and retention at 10k, 100k and
#            1M stored entries, one process per size (each builds its own store first)
set -euo pipefail
build=${1:?build dir (configured with -DREELFEED_BUILD_BENCH=ON)}
reps=${2:-3}
bench="${STORE_BENCH:-$build/tests/bench/store_bench}"
if [ "$reps" = scale ]; then
  for n in 10000 100000 1000000; do
    "$bench" --benchmark_filter="^BM_(StoreOpen|Explain|PublishChanges|StoreIngestNew|StorePrune)/stored:$n/" \
      --benchmark_counters_tabular=true 2>&1 | grep -E "^(BM_|Benchmark|-)" | grep -v "^-"
  done
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
names=(BareSqliteInsert StoreIngestPrepared BareSqliteInsertGroup StoreIngestGroup BareSchemaInsertGroup)
# Rounds, each running every benchmark once: the disk's state (writeback of the previous
# run's files, the checkpoints' fsyncs) shifts a run by up to 30%, and interleaving spreads
# that over all of them instead of over whichever ran in a bad minute.
for round in $(seq "$reps"); do
  for name in "${names[@]}"; do
    "$bench" --benchmark_filter="^BM_${name}/stored:100000" --benchmark_format=json \
      >"$out/$name.$round.json"
  done
done
/usr/bin/python3 - "$out" "$reps" "${names[@]}" <<'PY'
import json, os, statistics, sys
out, reps, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
runs = {n: [json.load(open(os.path.join(out, "%s.%d.json" % (n, r))))["benchmarks"][0]["items_per_second"]
            for r in range(1, reps + 1)] for n in names}
rate = {n: statistics.median(v) for n, v in runs.items()}
for n in names:
    print("%-24s %8.1fk entries/s  (median of %d; %s)" % (n, rate[n] / 1e3, reps, " ".join("%.1f" % (x / 1e3) for x in runs[n])))
def ratio(bare, ours):
    per_round = sorted(b / o for b, o in zip(runs[bare], runs[ours]))
    return "%.2f  (rounds: %s)" % (rate[bare] / rate[ours], " ".join("%.2f" % x for x in per_round))
print("per feed  (50 rows/transaction):   bare / ingest = " + ratio("BareSqliteInsert", "StoreIngestPrepared"))
print("per group (1000 rows/transaction): bare / ingest = " + ratio("BareSqliteInsertGroup", "StoreIngestGroup"))
print("schema floor (informational):      bare / schema = " + ratio("BareSqliteInsertGroup", "BareSchemaInsertGroup"))
PY
