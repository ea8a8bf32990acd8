import sys
from pathlib import Path
from analyzer.ingest import pagetext
from analyzer.ingest.base import ReadOptions, Source
for case in sys.argv[1:]:
    out = pagetext.read(Source(Path(f"fixtures/{case}/input.txt")), ReadOptions())
    print("=====", case, "announced", out.threads[0].article.n_announced)
    for c in out.threads[0].comments:
        print(f"  {c.comment_id} p={c.parent_id} d={c.declared_depth} conf={c.edge_confidence} a={c.author!r} t={c.created_at} {c.text[:200]!r}")
    for i in out.issues:
        print("  ISSUE", i.code, i.severity, i.line, i.detail[:150])
