"""Medians of varec-bench/peers/run.sh's raw runs as a Markdown table (stdout).
usage: table.py RUNS.tsv LOAD_BEFORE LOAD_AFTER REPEATS"""
import csv
import statistics
import sys
from collections import OrderedDict


def median(rows, key):
    vals = [float(r[key]) for r in rows if r[key] not in ("-", "")]
    return statistics.median(vals) if vals else None


def fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


runs, before, after, repeats = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
groups = OrderedDict()
with open(runs) as f:
    for row in csv.DictReader(f, delimiter="\t"):
        groups.setdefault(row["case"], OrderedDict()).setdefault(row["program"], []).append(row)

print(f"Medians of {repeats} alternating runs per program; load average before {before}, after {after}.")
print("Whole process: wall and CPU (user+sys) seconds and peak RSS from /usr/bin/time; fit: the seconds the")
print("program reports for training (libFM reports none); ratios: varec / peer, wall time and fit time (below 1:")
print("varec faster), against the case's first peer program.")
print()
print("| case | program | wall s | CPU s | peak RSS MB | fit s | test RMSE | ratio (wall) | ratio (fit) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for case, programs in groups.items():
    peer_wall = peer_fit = None
    peer_seen = False
    for program, rows in programs.items():
        wall = median(rows, "wall_s")
        fit = median(rows, "fit_s")
        if not program.startswith("varec") and not peer_seen:
            peer_wall, peer_fit, peer_seen = wall, fit, True
        mine = program.startswith("varec")
        ratio = fmt(wall / peer_wall) if mine and wall and peer_wall else ""
        ratio_fit = fmt(fit / peer_fit) if mine and fit and peer_fit else ""
        rss = median(rows, "peak_rss_kb")
        print(f"| {case} | {program} | {fmt(wall)} | {fmt(median(rows, 'cpu_s'))} | "
              f"{fmt(rss / 1024 if rss else None, 0)} | {fmt(median(rows, 'fit_s'))} | "
              f"{fmt(median(rows, 'rmse'), 4)} | {ratio} | {ratio_fit} |")
