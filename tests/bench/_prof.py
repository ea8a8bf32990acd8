import time, sys
from pathlib import Path
from analyzer import bench
from analyzer.ingest import pagetext
from analyzer.ingest.base import ReadOptions, Source
p = Path("/tmp/pt_prof.txt")
if not p.exists():
    bench._render_page(p, 0, 4_000_000, realistic=False)
src = Source(p)
t = time.perf_counter(); page = pagetext._PageParser(src.text.split("\n"), str(p), "a"); th, n = page.parse(); t1 = time.perf_counter()
print("A", t1 - t, len(th.comments), sorted({i.code for i in page.issues}), "doubtful", pagetext._doubtful(th, page.issues))
t = time.perf_counter(); out = pagetext.read(Source(p), ReadOptions()); print("read", time.perf_counter() - t, p.stat().st_size / 1e6)
