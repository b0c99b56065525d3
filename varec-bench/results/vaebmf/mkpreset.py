import json, re, sys
# preset_d/e histories = split 1 of abl_noatt / abl_full (same config, split and seed; checked equal on the
# epochs both ran). Writes a result JSON in the eval format with the preset's config, for 'varec plot history'.
def hist(log):
    h = []
    for line in open(log):
        if line.startswith('split 2/'):
            break
        m = re.match(r'\s+epoch (\d+)/\d+\s+([\d.]+)s\s+(.*)', line)
        if m:
            figs = {k: float(v) for k, v in (kv.split('=') for kv in m.group(3).split())}
            h.append({'epoch': int(m.group(1)), 'seconds': float(m.group(2)), 'figures': figs})
    return h
base = json.load(open('/tmp/vaebmf/preset_b.json'))
for p, log in (('d', 'abl_noatt.log'), ('e', 'abl_full.log')):
    d = json.loads(json.dumps(base))
    d['config']['preset'] = p
    d['config']['branch_hidden'] = '50'
    d['config']['attention'] = p == 'e'
    d['runs'] = [dict(d['runs'][0])]
    d['runs'][0]['history'] = hist('/tmp/vaebmf/' + log)
    d['runs'][0]['metrics'] = {}
    d['note'] = 'history copied from split 1 of ' + log + ' (same config, split and seed as preset=' + p + ')'
    json.dump(d, open('/tmp/vaebmf/preset_%s.json' % p, 'w'), indent=1)
    print(p, len(d['runs'][0]['history']))
