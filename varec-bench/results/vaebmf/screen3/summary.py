import json, glob, os, sys
# One line per split-1 screen run of this directory (or of the directory given, e.g. ../screen4): the --set values,
# best (restored) iteration / iterations run, lowest val RMSE, test RMSE, coverage_90, and the load at start/end
# from runs.txt.
d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
defaults = None
load = {}
for line in open(os.path.join(d, 'runs.txt')):
    f = line.split()
    if f[1] in ('start', 'end'):
        i = f.index('load')
        load.setdefault(f[2], {})[f[1]] = f[i + 1]
        if f[1] == 'start':
            load[f[2]]['set'] = ' '.join(x for x in f[3:i] if x != '--set')
print('| run | `--set` | best it. / run | lowest val RMSE | test RMSE | coverage_90 | load start-end |')
print('| --- | --- | --- | --- | --- | --- | --- |')
rows = []
for p in sorted(glob.glob(os.path.join(d, '*.json')), key=os.path.getmtime):
    name = os.path.basename(p)[:-5]
    j = json.load(open(p))
    r = j['runs'][0]
    val = [h['figures'].get('val_rmse') for h in r['history']]
    best = min(v for v in val if v is not None)
    l = load.get(name, {})
    print('| %s | `%s` | %d / %d | %.4f | %.4f | %.3f | %s-%s |' % (name, l.get('set', ''), r['model_epoch'], len(val), best,
          r['metrics']['rmse'], r['metrics']['coverage_90'], l.get('start', '?'), l.get('end', '?')))
