import sys
from analyzer.ingest import capturelist as c
from analyzer.ingest.pagetext import _capture_lines
tool=sys.argv[1]
for page in sys.argv[2:]:
  lines=_capture_lines(open('/work/shared/data/captures/'+page+'/captures/'+tool+'.txt').read())
  r=c.read_capture(lines,'x','a')
  if r is None: print(page,None); continue
  print(page, r.header, r.start,r.end,r.term, len(r.comments), r.flat, lines[r.header], '|', lines[r.end] if r.end<len(lines) else None)
