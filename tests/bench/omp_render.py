"""Render real forum threads (One Million Posts, Der Standard) as page text, read them back, score.

    python -m tests.bench.omp_render [--split test|dev|all] [--gap 0.07] [--out DIR] [--detail]

Each article of ``../shared/data/omp_derstandard/omp_threads_dev.jsonl`` becomes a page laid out
like the reference page (:func:`tests.bench.synth.pagetext.render_pagetext`: count header, numbered
lists indented two columns per level, ordinals restarting in every nested list, continuation
lines one level deeper, the comment's own blank lines and lists kept), in three variants:

* ``plain``  – comments only, as on the reference page;
* ``meta``   – with "NAME sagt:" / date lines and an "Antworten" line under each comment;
* ``gaps``   – like ``meta`` with a share of the comments removed (``--gap``): their replies
  stay at their depth, so the page shows depth jumps and ordinal gaps (hidden comments).

The truth of a rendered page is the tree of the comments left on it: each comment's parent is
its nearest ancestor still on the page (the reader links to that and adds ghosts for the
depths between).  Matching is by the folded text key (:mod:`tests.bench.readerscore`).

Held out: articles are split by ``article_id % 2`` into ``dev`` (even, the ones looked at while
developing) and ``test`` (odd, reported in docs/readers.md).  Posts are real (CC BY-NC-SA 4.0,
Schabus et al. 2017); nothing rendered here is kept in the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analyzer.core.records import Article, RawComment
from analyzer.ingest import pagetext
from analyzer.ingest.base import ReadOptions, Source
from tests.bench.readerscore import Found, Score, Truth, fold, score
from tests.bench.synth.pagetext import render_pagetext

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "omp_derstandard" / "omp_threads_dev.jsonl"
VARIANTS = ("plain", "meta", "gaps")
KEY_LEN = 50


@dataclass(slots=True)
class Post:
    """One post in pre-order with its depth and its nearest kept ancestor."""

    post_id: str
    parent: str | None
    depth: int
    author: str
    created: datetime | None
    text: str


def load(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _text(post: dict[str, Any]) -> str:
    body = (post.get("body") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    headline = (post.get("headline") or "").strip()
    return f"{headline}\n{body}".strip() if headline else body


def flatten(article: dict[str, Any]) -> list[Post]:
    """Posts in pre-order (document order of a threaded page)."""
    out: list[Post] = []

    def walk(node: dict[str, Any], parent: str | None, depth: int) -> None:
        created = None
        if node.get("created"):
            created = datetime.fromisoformat(node["created"]).replace(tzinfo=UTC)
        out.append(Post(str(node["id"]), parent, depth, f"user{node.get('user')}", created, _text(node)))
        for child in node.get("children", []):
            walk(child, str(node["id"]), depth + 1)

    for root in article.get("roots", []):
        walk(root, None, 1)
    return out


def render(article: dict[str, Any], variant: str, gap: float,
           seed: int) -> tuple[str, list[Truth], frozenset[str]]:
    """The page text of one article, its truth, and the comments whose link the page hides."""
    posts = [p for p in flatten(article) if fold(p.text)]
    rng = random.Random(f"{seed}-{article['article_id']}")
    removed: set[str] = set()
    if variant == "gaps":
        removed = {p.post_id for p in posts if rng.random() < gap}
    parent_of = {p.post_id: p.parent for p in posts}
    kept = [p for p in posts if p.post_id not in removed]
    truth: list[Truth] = []
    unshown: set[str] = set()
    comments: list[RawComment] = []
    stack: list[Post] = []
    for p in kept:
        parent = p.parent
        while parent is not None and parent in removed:
            parent = parent_of.get(parent)
        truth.append(Truth(p.post_id, parent, fold(p.text)[:KEY_LEN]))
        # What the page shows: the nearest preceding kept comment with a smaller depth.
        while stack and stack[-1].depth >= p.depth:
            stack.pop()
        if (stack[-1].post_id if stack else None) != parent:
            unshown.add(p.post_id)
        stack.append(p)
        comments.append(RawComment(
            p.post_id, declared_depth=p.depth, text=p.text,
            author=p.author if variant != "plain" else None,
            created_at=p.created if variant != "plain" else None,
        ))
    page_article = Article(
        str(article["article_id"]), title=f"Artikel {article['article_id']}", category="Forum",
        lead="Diskussion zum Artikel.", body="Der Artikeltext ist nicht Teil des Korpus.",
        n_announced=len(posts), language="de",
    )
    return render_pagetext(page_article, comments, with_meta=variant != "plain"), truth, frozenset(unshown)


def evaluate(path: Path, split: str, gap: float, seed: int, detail: bool) -> dict[str, Score]:
    totals = {v: Score() for v in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "page.txt"
        for article in load(path):
            aid = int(article["article_id"])
            if (split == "dev" and aid % 2) or (split == "test" and not aid % 2):
                continue
            for variant in VARIANTS:
                text, truth, unshown = render(article, variant, gap, seed)
                if not truth:
                    continue
                page_path.write_text(text, encoding="utf-8")
                out = pagetext.read(Source(page_path), ReadOptions())
                found = [Found(c.comment_id, c.parent_id, c.text, c.edge_confidence)
                         for t in out.threads for c in t.comments]
                sc, _ = score(truth, found, nested=True, unshown=unshown)
                sc.notes.append(f"hidden links: {len(unshown)}")
                totals[variant].add(sc)
                if detail and (sc.invented or sc.links_right < sc.links or sc.missing):
                    print(f"article {aid} {variant}: truth={sc.truth} found={sc.found} invented={sc.invented} "
                          f"missing={sc.missing} links={sc.links_right}/{sc.links}")
                    for note in sc.notes[:5]:
                        print("    ", note)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--gap", type=float, default=0.07, help="share of comments removed in the 'gaps' variant")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--detail", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="also write the rendered pages and truth here")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"OMP threads {args.data} are absent", file=sys.stderr)
        return 2
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for article in load(args.data):
            for variant in VARIANTS:
                text, truth, unshown = render(article, variant, args.gap, args.seed)
                stem = f"{article['article_id']}_{variant}"
                (args.out / f"{stem}.txt").write_text(text, encoding="utf-8")
                (args.out / f"{stem}.truth.json").write_text(
                    json.dumps([{"id": t.comment_id, "parent": t.parent_id, "key": t.key,
                                "link_shown": t.comment_id not in unshown} for t in truth]),
                    encoding="utf-8")
    totals = evaluate(args.data, args.split, args.gap, args.seed, args.detail)
    print(f"split={args.split} gap={args.gap} seed={args.seed}")
    print("| variant | pages | comments | found | matched | missing | invented | links right |")
    print("|---|---|---|---|---|---|---|---|")
    for variant, sc in totals.items():
        print(f"| {variant} | {sc.pages} | {sc.truth} | {sc.found} | {sc.matched} | {sc.missing} "
              f"| {sc.invented} ({100 * sc.invented_rate:.2f} %) "
              f"| {sc.links_right}/{sc.links} ({100 * sc.link_rate:.2f} %) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
