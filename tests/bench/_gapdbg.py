import sys
from tests.bench import omp_render as o
from tests.bench.readerscore import Found, score
from analyzer.ingest import pagetext, capturelist
aid=int(sys.argv[1]); variant=sys.argv[2]
for a in o.load(o.DATA):
    if a['article_id']==aid:
        text,truth,_=o.render(a,variant,0.07,0)
        break
lines=pagetext._capture_lines(text)
r=capturelist.read_capture(lines,'x','a')
found=[Found(c.comment_id,c.parent_id,c.text) for c in r.comments]
sc,f2t=score(truth,found,nested=True)
print(sc.links_right, sc.links)
tp={t.comment_id:t.parent_id for t in truth}
t2f={v:k for k,v in f2t.items()}
bad=0
for c in r.comments:
    t=f2t.get(c.comment_id)
    if t and (tp[t] != (f2t.get(c.parent_id) if c.parent_id else None)):
        bad+=1
        if bad<5:
            ln=c.source_line-1
            print('---', c.comment_id, 'got', c.parent_id, 'want', t2f.get(tp[t]), 'depth', c.declared_depth)
            print('\n'.join(l[:70] for l in lines[ln-8:ln+2]))
