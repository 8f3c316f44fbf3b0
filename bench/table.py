"""Joins JMH's JSON results with the C floor into one Markdown table.

Usage: table.py C_FLOOR_FILE JMH_JSON...  The C file has "operation size ns" lines, several rounds
per key (before and after each JMH run); the median round is the floor.
"""
import json
import statistics
import sys

floor_file, jmh_files = sys.argv[1], sys.argv[2:]
rounds = {}
for line in open(floor_file):
    op, size, ns = line.split()
    rounds.setdefault((op, size), []).append(float(ns))
c = {key: statistics.median(values) for key, values in rounds.items()}
# Which C measurement each Java benchmark is held against.
C_OF = {"readAllIntoSnapshot": "readAll", "readAllAndSumField": "readAll", "readOneCpu": "readAll",
        "naiveFieldRead": "readAll", "writeAll": "writeAll", "downcall": "readAll",
        "downcallCapturingErrno": "readAll", "downcallCritical": "readAll", "runtimeLookupRaw": "readAll"}
print("| operation | size (B) | Java ns/op (± 99.9 %%) | C ns/op (median of %s rounds) | ratio | alloc B/op |"
      % (min((len(v) for v in rounds.values()), default=0)))
print("| --- | --- | --- | --- | --- | --- |")
for path in jmh_files:
    for result in json.load(open(path)):
        name = result["benchmark"].rsplit(".", 1)[1]
        size = result.get("params", {}).get("size", "8")
        metric = result["primaryMetric"]
        score, error = metric["score"], metric["scoreError"]
        alloc = result["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        floor_ns = c.get((C_OF.get(name, ""), size))
        ratio = f"{score / floor_ns:.2f}" if floor_ns else "-"
        c_text = f"{floor_ns:.0f}" if floor_ns else "-"
        print(f"| {name} | {size} | {score:.1f} ± {error:.1f} | {c_text} | {ratio} | {alloc:.0f} |")
