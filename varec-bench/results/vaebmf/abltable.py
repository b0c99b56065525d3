import json, os, re, sys
# The ablation table from the result JSON files (or, for a run not finished, the per-split lines of its log).
# usage: abltable.py [DIR [PREFIX]]: files DIR/PREFIXabl_full.json etc. (default /tmp/vaebmf/, no prefix)
d = sys.argv[1].rstrip('/') + '/' if len(sys.argv) > 1 else '/tmp/vaebmf/'
prefix = sys.argv[2] if len(sys.argv) > 2 else ''
rows = [('Full model', 'abl_full', 0.842), ('No data input (data_input=false)', 'abl_nodata', 0.917),
        ('No cross feedback (cross_feedback=false)', 'abl_nocross', 0.864), ('No attention (attention=false)', 'abl_noatt', 0.852)]
rows = [(name, prefix + f, paper) for name, f, paper in rows]
keys = ['rmse', 'coverage_90', 'ndcg@20', 'ndcg@50', 'recall@20', 'recall@50']
print('| model | paper RMSE | splits | ' + ' | '.join(keys) + ' |')
print('| --- | --- | --- | ' + ' | '.join('---' for _ in keys) + ' |')
for name, f, paper in rows:
    vals = {k: [] for k in keys}
    if os.path.exists(d + f + '.json'):
        j = json.load(open(d + f + '.json'))
        for r in j['runs']:
            for k in keys:
                vals[k].append(r['metrics'][k])
    else:
        for line in open(d + f + '.log'):
            if line.startswith('  rmse='):
                m = dict(kv.split('=') for kv in line.split() if '=' in kv)
                for k in keys:
                    vals[k].append(float(m[k]))
    n = len(vals['rmse'])
    def ms(v):
        if not v:
            return '-'
        mean = sum(v) / len(v)
        sd = (sum((x - mean) ** 2 for x in v) / (len(v) - 1)) ** 0.5 if len(v) > 1 else 0
        return '%.4f ± %.4f' % (mean, sd)
    print('| %s | %.3f | %d | %s |' % (name, paper, n, ' | '.join(ms(vals[k]) for k in keys)))
print()
print('per split test RMSE: ' + '; '.join('%s %s' % (f, ', '.join('%.4f' % x for x in (
    [r['metrics']['rmse'] for r in json.load(open(d + f + '.json'))['runs']] if os.path.exists(d + f + '.json')
    else [float(l.split()[0].split('=')[1]) for l in open(d + f + '.log') if l.startswith('  rmse=')]))) for _, f, _ in rows))
print('best iterations: ' + '; '.join('%s %s' % (f, ', '.join(str(r['model_epoch']) for r in json.load(open(d + f + '.json'))['runs']))
                                       for _, f, _ in rows if os.path.exists(d + f + '.json')))
