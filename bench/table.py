"""Joins JMH's JSON results into one Markdown table, each Java row next to its C floor.

Usage: table.py JMH_JSON...  The C floor rows (cFloorReadAll, cFloorWriteAll) come from the same
JMH run as the Java rows, on the same map; benchmarks without a size parameter are held against
the 8-byte floor.
"""
import json
import sys

# Which C floor each Java benchmark is held against.
C_OF = {"readAllIntoSnapshot": "cFloorReadAll", "readAllAndSumField": "cFloorReadAll",
        "readOneCpu": "cFloorReadAll", "naiveFieldRead": "cFloorReadAll", "writeAll": "cFloorWriteAll",
        "downcall": "cFloorReadAll", "downcallCapturingErrno": "cFloorReadAll",
        "downcallCritical": "cFloorReadAll", "runtimeLookup": "cFloorReadAll"}

rows = []
for path in sys.argv[1:]:
    for result in json.load(open(path)):
        rows.append({
            "name": result["benchmark"].rsplit(".", 1)[1],
            "size": result.get("params", {}).get("size", "8"),
            "score": result["primaryMetric"]["score"],
            "error": result["primaryMetric"]["scoreError"],
            "alloc": result["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan")),
        })
floor = {(r["name"], r["size"]): r for r in rows if r["name"].startswith("cFloor")}

print("| operation | size (B) | Java ns/op (± 99.9 %) | C ns/op (± 99.9 %) | ratio | alloc B/op |")
print("| --- | --- | --- | --- | --- | --- |")
for r in sorted(rows, key=lambda r: (r["name"] not in C_OF, int(r["size"]), r["name"])):
    if r["name"] in floor or r["name"].startswith("cFloor"):
        continue
    c = floor.get((C_OF.get(r["name"], ""), r["size"]))
    c_text = f"{c['score']:.1f} ± {c['error']:.1f}" if c else "-"
    ratio = f"{r['score'] / c['score']:.2f}" if c else "-"
    print(f"| {r['name']} | {r['size']} | {r['score']:.1f} ± {r['error']:.1f} | {c_text} | {ratio} | {r['alloc']:.0f} |")
