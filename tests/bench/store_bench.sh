#!/usr/bin/env bash
# Runs store_bench's ingest benchmarks at 100k stored entries, each in its own process
# (benchmarks sharing a process share its stores and page cache), and prints the ratios
# of issue 5: bare insert loop / Store ingest, per feed and per group commit.
#   usage: tests/bench/store_bench.sh BUILD_DIR [repetitions]
set -euo pipefail
build=${1:?build dir (configured with -DREELFEED_BUILD_BENCH=ON)}
reps=${2:-3}
bench="${STORE_BENCH:-$build/tests/bench/store_bench}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
names=(BareSqliteInsert StoreIngestPrepared BareSqliteInsertGroup StoreIngestGroup BareSchemaInsertGroup)
for name in "${names[@]}"; do
  "$bench" --benchmark_filter="^BM_${name}/stored:100000" --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true --benchmark_format=json >"$out/$name.json"
done
/usr/bin/python3 - "$out" "${names[@]}" <<'PY'
import json, os, sys
out, names = sys.argv[1], sys.argv[2:]
rate = {}
for n in names:
    doc = json.load(open(os.path.join(out, n + ".json")))
    med = [b for b in doc["benchmarks"] if b.get("aggregate_name") == "median"]
    rate[n] = med[0]["items_per_second"]
    print("%-24s %8.1fk entries/s" % (n, rate[n] / 1e3))
print("per feed  (50 rows/transaction):   bare / ingest = %.2f" % (rate["BareSqliteInsert"] / rate["StoreIngestPrepared"]))
print("per group (1000 rows/transaction): bare / ingest = %.2f" % (rate["BareSqliteInsertGroup"] / rate["StoreIngestGroup"]))
print("schema floor (informational):      bare / schema = %.2f" % (rate["BareSqliteInsertGroup"] / rate["BareSchemaInsertGroup"]))
PY
