"""Joins JMH's JSON results with the C floor into one table (Markdown)."""
import json
import sys

jmh, floor = sys.argv[1], sys.argv[2]
c = {}
for line in open(floor):
    op, size, ns = line.split()
    c[(op, size)] = float(ns)
# Which C measurement each Java benchmark is held against.
C_OF = {"readAllIntoSnapshot": "readAll", "readAllAndSumField": "readAll", "readOneCpu": "readAll",
        "naiveFieldRead": "readAll", "writeAll": "writeAll"}
print("| operation | size (B) | Java ns/op | C ns/op | ratio | alloc B/op |")
print("| --- | --- | --- | --- | --- | --- |")
for result in json.load(open(jmh)):
    name = result["benchmark"].rsplit(".", 1)[1]
    size = result.get("params", {}).get("size", "8")
    score = result["primaryMetric"]["score"]
    alloc = result["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    floor_ns = c.get((C_OF.get(name, ""), size))
    ratio = f"{score / floor_ns:.2f}" if floor_ns else "-"
    c_text = f"{floor_ns:.0f}" if floor_ns else "-"
    print(f"| {name} | {size} | {score:.1f} | {c_text} | {ratio} | {alloc:.0f} |")
