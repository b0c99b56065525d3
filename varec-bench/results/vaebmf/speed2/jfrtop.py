import re,collections,sys
top=collections.Counter(); incl=collections.Counter()
txt=open(sys.argv[1]).read()
for ev in txt.split('jdk.ExecutionSample')[1:]:
    m=re.search(r'stackTrace = \[(.*?)\n\s*\]',ev,re.S)
    if not m: continue
    frames=[l.strip() for l in m.group(1).strip().split('\n') if l.strip() and not l.strip().startswith('...')]
    frames=[re.sub(r'\s+line:.*','',f) for f in frames]
    frames=[re.sub(r'\(.*','',f) for f in frames]
    if frames: top[frames[0]]+=1
    for f in set(frames): incl[f]+=1
n=sum(top.values()); print('samples',n)
for f,c in top.most_common(20): print('%5.1f%% %s'%(100*c/n,f))
print('--- inclusive')
for f,c in incl.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 30): print('%5.1f%% %s'%(100*c/n,f))
