"""Popularity baseline for the held-out-users protocol: rank items by their number of training
clicks, leave each test user's fold-in items out, and measure Recall@K (hits / min(K, |test|)) and
NDCG@K as varec's RankingMetrics do (Liang et al. 2018's formulas).
usage: popularity.py SPLIT_DIR (with train.tsv, foldin.tsv, test.tsv from
'varec data split --implicit 4 --protocol users:0.1')"""
import math
import sys
from collections import Counter, defaultdict


def read(path):
    with open(path) as f:
        return [line.split("\t")[:2] for line in f if line.strip()]


d = sys.argv[1]
train, foldin, test = read(f"{d}/train.tsv"), read(f"{d}/foldin.tsv"), read(f"{d}/test.tsv")
popular = [i for i, _ in Counter(i for _, i in train).most_common()]
known, relevant = defaultdict(set), defaultdict(set)
for u, i in foldin:
    known[u].add(i)
for u, i in test:
    relevant[u].add(i)
for k in (20, 50, 100):
    rec = ndcg = 0.0
    for u, rel in relevant.items():
        ranked = [i for i in popular if i not in known[u]][:k]
        hits = [r for r, i in enumerate(ranked) if i in rel]
        rec += len(hits) / min(k, len(rel))
        ndcg += sum(1 / math.log2(r + 2) for r in hits) / sum(1 / math.log2(r + 2) for r in range(min(k, len(rel))))
    print(f"recall@{k} {rec / len(relevant):.4f}  ndcg@{k} {ndcg / len(relevant):.4f}")
