import re,sys
# per compile thread: <task ... stamp=start> ... <task_done ... stamp=end>
lo,hi=float(sys.argv[2]),float(sys.argv[3])
thread=None; cur=None; rows=[]
for line in open(sys.argv[1], errors='replace'):
    if line.startswith('<compilation_log'):
        thread=re.search(r"thread='(\d+)'",line).group(1)
    elif line.startswith('<task ') and thread:
        m=re.search(r" method='([^']+)'",line).group(1)
        k=re.search(r"compile_kind='(\w+)'",line)
        lvl=re.search(r" level='(\d)'",line)
        cur=[thread,m,k.group(1) if k else '',lvl.group(1) if lvl else '4',float(re.search(r" stamp='([\d.]+)'",line).group(1)),None]
    elif line.startswith('<task_done') and cur:
        cur[5]=float(re.search(r" stamp='([\d.]+)'",line).group(1)); rows.append(cur); cur=None
c2=[r for r in rows if r[3]=='4']
def cat(m):
    if m.startswith('org.varec.data') or 'split' in m.lower() or 'ExperimentRunner' in m: return 'data/eval'
    if m.startswith('org.varec'): return 'varec-other' if not ('als' in m or 'linalg' in m) else 'als/linalg'
    return 'jdk'
tot={}
for t,m,k,l,s,e in c2:
    a,b=max(s,lo),min(e,hi)
    if b>a: tot[cat(m)]=tot.get(cat(m),0)+(b-a)
print({k:round(v*1000) for k,v in tot.items()}, 'window ms', round((hi-lo)*1000))
if len(sys.argv)>4:
    for t,m,k,l,s,e in sorted(c2,key=lambda r:r[4]):
        if e>lo and s<hi: print(f"{s:.3f}-{e:.3f} {1000*(e-s):5.1f} {k:3} {cat(m):10} {m[:90]}")
