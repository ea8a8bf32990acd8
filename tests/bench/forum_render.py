"""Real forum threads rendered in five board layouts, captured with the nine tools, read back.

    python -m tests.bench.forum_render [--split test|dev|all] [--max-threads N] [--out DIR]
                                       [--html2text BIN] [--markdownify-python PY] [--detail]

Each article of ``../shared/data/omp_derstandard/omp_threads_dev.jsonl`` with 5-60 posts becomes a
forum thread: its posts in time order (a board shows no nesting), every other reply quoting the
first paragraph of the post it answers, as forum users do.  Thread *n* gets layout *n* mod 5 of
:mod:`tests.bench.synth.forum_html` and label language German, English or French in turn (the
posts stay German).  The pages and captures go to ``--out`` (a temporary folder by default; never
the repository: the posts are CC BY-NC-SA 4.0).  Scored like ``capture_eval --opening-post
article``: the first post is the thread's article; replies must be found, top level.

Held out: ``test`` = odd article ids (as ``omp_render``); ``dev`` = even ids were used while
developing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench import capture_eval, make_captures
from tests.bench.readerscore import Score
from tests.bench.synth.forum_html import LAYOUTS, Post, render_thread, truth

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "omp_derstandard" / "omp_threads_dev.jsonl"
TOOLS = ("w3m", "lynx", "elinks", "links2", "html2text", "html2text_deb", "markdownify", "pandoc", "chromium")
LANGS = ("de", "en", "fr")
RANKS = ("Mitglied", "Stammgast", "Neuling", "Erfahrener Benutzer", "Forenprofi")
MIN_POSTS, MAX_POSTS = 5, 60


def _flatten(post: dict[str, Any], out: list[dict[str, Any]]) -> None:
    out.append(post)
    for child in post.get("children") or []:
        _flatten(child, out)


def threads(split: str, limit: int) -> list[tuple[int, list[dict[str, Any]]]]:
    """(article id, posts in time order) of the articles of a split with 5-60 posts."""
    out: list[tuple[int, list[dict[str, Any]]]] = []
    with DATA.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            aid = int(row["article_id"])
            if (split == "test" and aid % 2 == 0) or (split == "dev" and aid % 2 == 1):
                continue
            posts: list[dict[str, Any]] = []
            for root in row["roots"]:
                _flatten(root, posts)
            posts = [p for p in posts if (p.get("body") or p.get("headline") or "").strip()]
            if MIN_POSTS <= len(posts) <= MAX_POSTS:
                posts.sort(key=lambda p: p["created"])
                out.append((aid, posts))
            if len(out) >= limit:
                break
    return out


def as_posts(rows: list[dict[str, Any]]) -> list[Post]:
    by_id = {r["id"]: r for r in rows}
    posts: list[Post] = []
    replies = 0
    for row in rows:
        text = (row.get("body") or row.get("headline") or "").strip()
        post = Post(author=f"Leser{row['user']}", created=datetime.fromisoformat(row["created"][:19]), text=text,
                    rank=RANKS[row["user"] % len(RANKS)], n_posts=row["user"] % 3000 + 1,
                    joined=datetime(2008 + row["user"] % 7, 1 + row["user"] % 12, 1 + row["user"] % 28))
        parent = by_id.get(row.get("parent"))
        if parent is not None:
            replies += 1
            said = (parent.get("body") or parent.get("headline") or "").strip().split("\n\n")[0][:300]
            if replies % 2 and said:
                post.quote = (f"Leser{parent['user']}", said)
        posts.append(post)
    return posts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--max-threads", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--html2text", default="html2text")
    parser.add_argument("--markdownify-python", default=sys.executable)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--no-capture", action="store_true", help="score captures already in --out")
    parser.add_argument("--detail", action="store_true")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"{DATA} is absent", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="forum_render_"))
    tools = tuple(t for t in args.tools.split(",") if t)
    layout_of: dict[str, str] = {}
    if not args.no_capture:
        for n, (aid, rows) in enumerate(threads(args.split, args.max_threads)):
            layout, lang = LAYOUTS[n % len(LAYOUTS)], LANGS[(n // len(LAYOUTS)) % len(LANGS)]
            posts = as_posts(rows)
            folder = out / f"omp{aid}_{layout}_{lang}"
            folder.mkdir(parents=True, exist_ok=True)
            title = f"Diskussion {aid}"
            (folder / "page.html").write_text(render_thread(title, posts, layout, lang), encoding="utf-8")
            (folder / "truth.json").write_text(json.dumps(truth(title, posts, layout), ensure_ascii=False),
                                               encoding="utf-8")
        make_captures.main([str(out), "--tools", ",".join(tools), "--html2text", args.html2text,
                            "--markdownify-python", args.markdownify_python])
    totals: dict[str, Score] = {t: Score() for t in tools}
    by_layout: dict[str, Score] = defaultdict(Score)
    for folder in sorted(p for p in out.iterdir() if (p / "truth.json").exists()):
        layout_of[folder.name] = folder.name.split("_")[1]
        page_truth = capture_eval._opening_as_article(json.loads((folder / "truth.json").read_text(encoding="utf-8")))
        for tool in tools:
            path = folder / "captures" / f"{tool}.txt"
            if not path.exists():
                continue
            sc, codes = capture_eval.evaluate_file(path, page_truth, nested=False)
            totals[tool].add(sc)
            by_layout[layout_of[folder.name]].add(sc)
            if args.detail:
                print(f"{folder.name:28s} {tool:13s} truth={sc.truth:3d} found={sc.found:3d} matched={sc.matched:3d} "
                      f"invented={sc.invented:3d} right={sc.links_right:3d} {','.join(codes)}")
                for note in sc.notes[:4]:
                    print("    ", note[:160])
    print(capture_eval.table(totals))
    print()
    print(capture_eval.table(dict(sorted(by_layout.items()))))
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
