import statistics as st,re,sys
rows=[]
for l in open(sys.argv[1]):
    m=re.match(r'\[(.*?)\] (.*)',l.strip())
    if m: rows.append((m.group(1),m.group(2).split()))
for o in dict.fromkeys(r[0] for r in rows):
    R=[r[1] for r in rows if r[0]==o]
    print(repr(o)[:30], len(R), 'wall fit', *[round(st.median(float(x[i]) for x in R),3) for i in range(1,len(R[0]))])
