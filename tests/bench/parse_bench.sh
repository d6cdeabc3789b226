#!/usr/bin/env bash
# Runs parse_bench with interleaved repetitions and prints the median MB/s, items/s and the
# ratio parse_feed / bare pugixml DOM parse.
#   usage: tests/bench/parse_bench.sh BUILD_DIR [repetitions]
set -euo pipefail
build=${1:?build dir (configured with -DREELFEED_BUILD_BENCH=ON)}
reps=${2:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${PARSE_BENCH:-$build/tests/bench/parse_bench}" --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true --benchmark_format=json >"$out"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
med = {b["run_name"].split("/")[0]: b for b in doc["benchmarks"] if b.get("aggregate_name") == "median"}
bare, ours = med["BM_PugixmlDom"], med["BM_ParseFeed"]
for name, b in (("pugixml DOM (bare)", bare), ("reelfeed parse_feed", ours)):
    print("%-22s %8.1f MB/s %10.0f items/s" % (name, b["bytes_per_second"] / 1e6, b["items/s"]))
print("ratio parse_feed / bare pugixml: %.2f" % (ours["bytes_per_second"] / bare["bytes_per_second"]))
if "BM_PugixmlExtractFloor" in med:
    floor = med["BM_PugixmlExtractFloor"]
    print("%-22s %8.1f MB/s  (copy, in-place parse, plain extract: no normalisation)" % ("pugixml extract floor", floor["bytes_per_second"] / 1e6))
    print("extract floor / bare pugixml: %.2f" % (floor["bytes_per_second"] / bare["bytes_per_second"]))
if "BM_PugixmlRequiredFloor" in med:
    req = med["BM_PugixmlRequiredFloor"]
    print("%-22s %8.1f MB/s  (floor + UTF-8/'&' validation + dates: what parse_feed requires)" % ("pugixml required floor", req["bytes_per_second"] / 1e6))
    print("required floor / bare pugixml: %.2f" % (req["bytes_per_second"] / bare["bytes_per_second"]))
    print("parse_feed / required floor: %.2f" % (ours["bytes_per_second"] / req["bytes_per_second"]))
if "BM_PugixmlDomInPlace" in med:
    inplace = med["BM_PugixmlDomInPlace"]
    print("%-22s %8.1f MB/s  (copy made outside the timed region)" % ("pugixml DOM in place", inplace["bytes_per_second"] / 1e6))
    print("in place / bare pugixml: %.3f" % (inplace["bytes_per_second"] / bare["bytes_per_second"]))
PY
