"""Reader quality on the shared real captures: every page, every capture tool, and the saved HTML.

    python -m tests.bench.capture_eval [--data DIR] [--split FILE --part NAME] [--pages a,b]
                                       [--tools a,b] [--detail] [--json OUT]

Reads ``<DIR>/<page>/captures/<tool>.txt`` and ``<DIR>/<page>/source.html`` through the general
reader (:func:`analyzer.ingest.read`, format sniffed as a user would get it), matches the comments
found to ``truth.json`` by the folded text key (:mod:`tests.bench.readerscore`) and prints one row
per tool/format: comments in truth (visible in that capture), found, matched, missing, invented,
parent links right among the matched comments and among all comments the capture shows (a
missed comment's link is not right), comments whose text keeps meta before the body, and silent zeros (no comment and no warning).  Data: ``../shared/data/captures`` (README there), or
any folder laid out the same way (``--data``; the saved page may be ``page.html``), such as the
held-out pages with captures made by :mod:`tests.bench.make_captures`.  Whether a capture shows
the nesting is the shared README's measurement for the shared set, else measured per capture
(:func:`measured_nesting`, which gives the same answer on all 78 shared captures).
"""

from __future__ import annotations

import argparse
import bisect
import html
import json
import re
import sys
from pathlib import Path
from typing import Any

from analyzer.core.errors import AnalyzerError
from analyzer.ingest import read, threadlinks
from tests.bench.readerscore import MIN_KEY, Found, Score, Truth, fold, score

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "captures"
TOOLS = ("w3m", "lynx", "elinks", "links2", "html2text", "chromium")
# Pages whose replies are nested <div>s: no capture tool shows the nesting (captures README).
FLAT_PAGES = frozenset({"drupal_hpd_de", "wpdiscuz_backenmachtgluecklich_de"})
FLAT_TOOLS = frozenset({"chromium"})  # innerText has no indentation and no markers


def shows_nesting(page: str, tool: str) -> bool:
    """Whether a capture of the shared set shows the reply nesting at all (else every comment
    should be top level): the captures README's measurement, per page and tool."""
    return tool == "html" or (page not in FLAT_PAGES and tool not in FLAT_TOOLS)


_MARKER_LINE = re.compile(r"^([ \t]*(?:[-*+•□◦▪■‣·●○☆★◇◆∙⁃]|\d{1,4}[.)]|[a-zA-Z][.)])(?=[ \t]|$))")
# Lines above a comment's first text line searched for its list marker (markdown converters
# indent the bullet with author and date, not the text under it).
_MARKER_LOOKBACK = 8
# Mean indentation (columns) by which each depth must exceed the one above it.
_NESTING_STEP = 1.0


def measured_nesting(capture: str, truth: dict[str, Any]) -> bool:
    """Whether a capture shows who replied to whom, measured against the truth tree.

    For pages without a hand-made rule (held-out pages): each truth comment is located in
    the capture by its key; its indentation is that of its first text line, or of the list
    marker line just above it when that is deeper (html2text indents the bullet, not the
    text).  The capture shows nesting when the mean indentation grows by at least a column
    with every depth present (pages whose replies are nested ``div``s come out flat in text
    browsers: the same indentation at every depth).  A page without replies counts as
    nested (the right parent is "none" either way).

    A capture whose comments carry links naming their parent's anchor ("[Parent](…#t555)",
    kept by markdown converters; analyzer/ingest/threadlinks.py) shows the nesting whatever its
    indentation: the tree can be read from it exactly (session 10).
    """
    links = threadlinks.tree(capture)
    if links is not None and any(parent for _, parent in links) and len(links) >= 0.8 * len(truth["comments"]):
        return True
    lines = capture.split("\n")
    folded = [fold(line) for line in lines]
    starts: list[int] = []
    pos = 0
    for f in folded:
        starts.append(pos)
        pos += len(f)
    stream = "".join(folded)
    by_depth: dict[int, list[int]] = {}
    cursor = 0
    for comment in truth["comments"]:
        key = fold(comment["key"])
        if len(key) < 12:
            continue
        at = stream.find(key, cursor)
        if at < 0:
            continue
        cursor = at + len(key)
        line = bisect.bisect_right(starts, at) - 1
        while line > 0 and not folded[line]:
            line -= 1
        raw = lines[line].expandtabs(8)
        indent = len(raw) - len(raw.lstrip(" "))
        for above in range(line - 1, max(-1, line - 1 - _MARKER_LOOKBACK), -1):
            mark = _MARKER_LINE.match(lines[above].expandtabs(8))
            if mark is not None:
                indent = max(indent, len(mark.group(1)))
                break
        by_depth.setdefault(int(comment["depth"]), []).append(indent)
    depths = sorted(by_depth)
    if len(depths) < 2:
        return True
    means = [sum(by_depth[d]) / len(by_depth[d]) for d in depths]
    return all(b - a >= _NESTING_STEP for a, b in zip(means, means[1:], strict=False))


def pages(data: Path) -> list[Path]:
    return sorted(p.parent for p in data.glob("*/truth.json"))


def source_html(page_dir: Path) -> Path:
    """The saved page: ``source.html`` (shared captures) or ``page.html`` (held-out folders)."""
    return page_dir / "source.html" if (page_dir / "source.html").exists() else page_dir / "page.html"


# Characters before the author's name that a key may start with (a reply button printed first).
_META_LEAD = 12
# Shortest text left after the meta for the key to be cut (else the whole key is kept).  The
# truth keys are 50 characters long, so a long name and date leave 10-11 ("webbaermiri",
# "ingoherzke": seven comments of wp_spektrum_de); the scorer's own shortest key, MIN_KEY (8), is
# the bound: such a rest is matched like any other key of that length.  Was 12 (round 5), which
# kept the meta in those seven keys and counted their correct readings as invented.
_MIN_BODY_KEY = MIN_KEY


_LINK_TARGET = re.compile(r"\]\([^()]{0,2000}\)")
_RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,20}(?:\s[^<>]{0,500})?/?>")


# WordPress.com's like button inside the comment's text element, at the end of a short comment's
# key ("…idea!" + "LikeLiked by 17 people", "…LikenLiken"): a reader that drops the button line, as
# it should, could never match such a key (round 6; wp_wpcomdiverse_en, wp_gnadlib_wpcom_de).
_LIKE_TAIL = re.compile(r"(?:like|liken|gefälltmir)(?:likedby\d{1,6}(?:people|person)|liked|liken|gefälltmir"
                        r"|gefällt\d{1,6}personen?)$")
_LIKE_BUTTONS = ("likelikedby", "likenliken", "gefälltmirgefällt")
_LIKE_PART_MIN = 5  # "likel", "liken"
_LIKE_SHORT_KEY = 40


# Words of a comment's widgets that the truth's text element takes in after a short comment
# (WordPress.com's likes "Loading…", "Like", "Liken"; a theme's "Reply" button): the truth key of
# "Hope that dream comes true soon!" is "hopethatdreamcomestruesoonloading" (wp_shootingstar_en,
# aside5).  Cut from the key's end, also where the key's 50 characters end inside the word ("…loa");
# the rest is matched only by a found comment's whole text, so a comment that merely ends with
# the word ("I would like") is never cut.
_WIDGET_WORDS = ("loading", "likelikedby", "likenliken", "liken", "like", "reply", "antworten")
_WIDGET_MIN_REST = 3


def widget_free(key: str) -> tuple[str, ...]:
    """The key without a widget's word at its end, for whole-text matching; () when none."""
    folded = fold(key)
    out = []
    for word in _WIDGET_WORDS:
        for n in range(len(word), 2, -1):
            if folded.endswith(word[:n]) and len(folded) - n >= _WIDGET_MIN_REST:
                rest = folded[:-n]
                out.append(rest)
                # "likenliken", "likelike…": a button printed twice ("Like" + "Liked by")
                for again in _WIDGET_WORDS:
                    if rest.endswith(again) and len(rest) - len(again) >= _WIDGET_MIN_REST:
                        out.append(rest[:-len(again)])
                break
    return tuple(dict.fromkeys(out))


def body_key(comment: dict[str, Any]) -> str:
    """The folded key of a truth comment, without the meta some themes put inside the text
    element (``wp_spektrum_de``: "Antworten" / author / date / text, so its keys start with
    "antwortendietmarhilsebein8april20191138"): a reader that strips the meta, as it should,
    could never match such a key.  The cut is made only when the key starts (within a few
    characters) with the truth's own author immediately followed by its own date, or, where the
    truth has no author, with its own date (``wp_lapresse_fr``, aside3: "18/02/2020 à 16:42" at
    the start of the text element).  A WordPress.com like button at the end of the key goes too
    (``_LIKE_TAIL``)."""
    key = fold(comment["key"])
    like = _LIKE_TAIL.search(key)
    if like is not None and like.start() >= _MIN_BODY_KEY:
        key = key[:like.start()]
    else:  # the key's 50 characters may end inside the button text ("…sharingthislikelik")
        # The longest end of any button's text; a short end ("l", "like") is cut only from a long
        # key: it may be the comment's own words, and a 40-character key still finds its comment.
        cut = max((n for button in _LIKE_BUTTONS for n in range(len(button), 0, -1) if key.endswith(button[:n])),
                  default=0)
        if cut and len(key) - cut >= (_MIN_BODY_KEY if cut >= _LIKE_PART_MIN else _LIKE_SHORT_KEY):
            key = key[:-cut]
    author = fold(comment.get("author") or "")
    date = fold(comment.get("date") or "")
    if not author and date:
        at = key.find(date, 0, _META_LEAD + len(date))
        rest = key[at + len(date):] if at >= 0 else ""
        return rest if len(rest) >= _MIN_BODY_KEY else key
    if not author or not date:
        return key
    at = key.find(author, 0, _META_LEAD + len(author))
    if at < 0 or not key.startswith(date, at + len(author)):
        return key
    rest = key[at + len(author) + len(date):]
    return rest if len(rest) >= _MIN_BODY_KEY else key


def evaluate_file(path: Path, truth: dict[str, Any], nested: bool) -> tuple[Score, list[str]]:
    """Read one capture and score it; returns the score and the issue codes raised.

    Comments without a key (emoji only) cannot be matched by text: they are left out of the
    truth, and as many found comments without letters or digits are left out of the found.
    """
    try:
        ingested = read([path])
    except AnalyzerError as exc:
        sc = Score(truth=0, pages=1)
        sc.notes.append(f"{path}: refused: {exc}")
        found: list[Found] = []
        codes = ["refused"]
        issues_warn = True
    else:
        rows = ingested.comments.filter(ingested.comments["kind"] == "comment").iter_rows(named=True)
        found = [Found(r["comment_id"], r["parent_id"], r["text"] or "", r["edge_confidence"]) for r in rows]
        codes = sorted({i.code for i in ingested.issues})
        issues_warn = any(i.severity in ("warning", "error") for i in ingested.issues)
    # A capture may lose a comment (html2text splits some); those are not the reader's to find.
    # Saved HTML holds every comment (entities and markup hide keys from a plain text search).
    raw = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".txt" else None
    if raw is not None and "&#" in raw:
        # Debian html2text leaves numeric character references ("don&#x27;t"): the comment is
        # shown all the same (a reader that decodes them matched nothing before this).
        raw = html.unescape(raw)
    stream = fold(raw) if raw is not None else None
    # Markdown keeps link targets in the text ("[Nossi](https://…#comment-58568) :" / "> ist für
    # …"): a key that runs across a link is visible when the targets are left out (a reply-to
    # link before the quoted text; wpdiscuz_spontis_de in markdownify: 5 comments).
    # The same for raw HTML tags a converter kept (pandoc: "> </div>" inside a quoted post).
    linkless = fold(_RAW_TAG.sub(" ", _LINK_TARGET.sub("]", raw))) if raw is not None else None
    keyless = sum(1 for c in truth["comments"] if not fold(c["key"]))
    keys = {c["id"]: body_key(c) for c in truth["comments"]}
    visible = [
        Truth(c["id"], c["parent"], keys[c["id"]], widget_free(keys[c["id"]]))
        for c in truth["comments"]
        if keys[c["id"]] and (stream is None or keys[c["id"]] in stream
                              or (linkless is not None and keys[c["id"]] in linkless))
    ]
    if keyless:
        blank = [f for f in found if not fold(f.text)][:keyless]
        blank_ids = {f.comment_id for f in blank}
        found = [f for f in found if f.comment_id not in blank_ids]
    pingbacks = [p["key"] for p in truth.get("pingbacks", [])]
    sc, _ = score(visible, found, nested=nested, extra_keys=pingbacks)
    if not found and visible and not issues_warn:
        sc.silent_zero = 1
    if not nested and found and "nesting-lost" not in codes and truth.get("max_depth", 1) > 1:
        sc.notes.append("flat capture read without a nesting-lost issue")
    return sc, codes


def page_tools(data: Path) -> tuple[str, ...]:
    """Capture tools present in a folder (file names under ``<page>/captures/``), shared ones first."""
    names = {p.stem for p in data.glob("*/captures/*.txt")}
    return tuple([t for t in TOOLS if t in names] + sorted(names - set(TOOLS)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA,
                        help="a folder of <page>/truth.json + <page>/captures/<tool>.txt (default: the shared captures)")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--split", type=Path, default=None,
                        help="a JSON object of part name -> page names (held-out split.json)")
    parser.add_argument("--part", default="", help="the part of --split to evaluate")
    parser.add_argument("--tools", default="",
                        help="comma-separated tools, 'html' for the saved page (default: every tool found, and html)")
    parser.add_argument("--detail", action="store_true", help="one line per page and tool")
    parser.add_argument("--json", type=Path, default=None, help="write the per-page rows here")
    parser.add_argument("--opening-post", choices=("comment", "article"), default="comment",
                        help="a forum thread's opening post (truth 'opening_post'): expected as a comment "
                             "(default, as before), or as the article: left out of the truth, and a reader that "
                             "lists it as a comment is neither matched nor counted as invented")
    args = parser.parse_args(argv)
    data: Path = args.data.resolve()
    if not data.is_dir():
        print(f"capture folder {data} is absent", file=sys.stderr)
        return 2
    wanted = set(filter(None, args.pages.split(",")))
    if args.split is not None:
        parts = json.loads(args.split.read_text(encoding="utf-8"))
        if args.part not in parts:
            print(f"--part must be one of {sorted(parts)}", file=sys.stderr)
            return 2
        wanted |= set(parts[args.part])
    tools = tuple(filter(None, args.tools.split(","))) or (*page_tools(data), "html")
    shared = data == DATA.resolve()
    totals: dict[str, Score] = {tool: Score() for tool in tools}
    rows: list[dict[str, Any]] = []
    for page_dir in pages(data):
        page = page_dir.name
        if wanted and page not in wanted:
            continue
        truth = json.loads((page_dir / "truth.json").read_text(encoding="utf-8"))
        if args.opening_post == "article":
            truth = _opening_as_article(truth)
        for tool in tools:
            path = source_html(page_dir) if tool == "html" else page_dir / "captures" / f"{tool}.txt"
            if not path.exists():
                continue
            if tool == "html":
                nested = True
            elif shared:
                nested = shows_nesting(page, tool)
            else:
                nested = measured_nesting(path.read_text(encoding="utf-8", errors="replace"), truth)
            sc, codes = evaluate_file(path, truth, nested)
            totals[tool].add(sc)
            rows.append({"page": page, "tool": tool, "nested": nested, "truth": sc.truth, "found": sc.found,
                         "matched": sc.matched, "invented": sc.invented, "links": sc.links,
                         "links_right": sc.links_right, "meta_prefix": sc.meta_prefix,
                         "silent_zero": sc.silent_zero, "issues": codes, "notes": sc.notes})
            if args.detail:
                print(
                    f"{page:34s} {tool:13s} {'nested' if nested else 'flat  '} truth={sc.truth:3d} "
                    f"found={sc.found:3d} matched={sc.matched:3d} "
                    f"invented={sc.invented:3d} links={sc.links_right:3d}/{sc.links:3d} "
                    f"prefix={sc.meta_prefix:3d} {'SILENT-ZERO ' if sc.silent_zero else ''}"
                    f"issues={','.join(codes)}"
                )
                for note in sc.notes:
                    print("    ", note)
    print(table(totals))
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def _opening_as_article(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth with a forum thread's opening post moved out of the comments (it is the
    thread's article; replies to it become top level); its key joins the pingback keys, which
    the scorer neither matches nor counts as invented."""
    opening = [c for c in truth["comments"] if c.get("opening_post")]
    if not opening:
        return truth
    out = dict(truth)
    # A reply to the opening post answers the article: top level (the readers' rule; a Q&A
    # page's comments on the question, session 11).
    opening_ids = {c["id"] for c in opening}
    out["comments"] = [
        {**c, "parent": None} if c.get("parent") in opening_ids else c for c in truth["comments"] if not c.get("opening_post")
    ]
    out["pingbacks"] = list(truth.get("pingbacks", [])) + [{"key": c["key"]} for c in opening]
    return out


def table(totals: dict[str, Score]) -> str:
    """Markdown table of the totals per tool/format."""
    head = ("| tool/format | pages | in truth | found | matched | missing | invented | links right "
            "| links right of all shown | meta left in text | silent zeros |\n|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [head]
    overall = Score()
    for tool, sc in totals.items():
        overall.add(sc)
        rows.append(_row(tool, sc))
    rows.append(_row("**all**", overall))
    return "\n".join(rows)


def _row(name: str, sc: Score) -> str:
    links = f"{sc.links_right}/{sc.links} ({100 * sc.link_rate:.1f} %)" if sc.links else "–"
    invented = f"{sc.invented} ({100 * sc.invented_rate:.1f} %)"
    shown = f"{sc.links_right}/{sc.truth} ({100 * sc.links_right / sc.truth:.1f} %)" if sc.truth else "–"
    return (f"| {name} | {sc.pages} | {sc.truth} | {sc.found} | {sc.matched} | {sc.missing} | {invented} "
            f"| {links} | {shown} | {sc.meta_prefix} | {sc.silent_zero} |")


if __name__ == "__main__":
    sys.exit(main())
