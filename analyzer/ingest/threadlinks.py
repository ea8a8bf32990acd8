"""Who replied to whom from a comment's own links, where the capture lost the indentation.

Threaded blogs (LiveJournal, Dreamwidth and their kin) print under each comment a row of links
that walk the tree: "Reply", "Parent", "Thread", "Link".  A browser's copied text or a text
browser keeps only the words, but markdown converters keep the targets:

    * [Parent](https://blog.example/123.html?thread=555#t555)
    * [Thread](https://blog.example/123.html?thread=777#t777)
    * [Link](https://blog.example/123.html?thread=777#t777)

The "Link" (or "Permalink") target's anchor names the comment itself, the "Parent" target's
anchor the comment it answers.  The converters print the list flat, so the page-text reader
reads every comment as top level; these links give the tree back exactly.

The links are read from the raw capture (the reader's lines have the targets stripped), in page
order, one own anchor per comment; they are used only when there are exactly as many own anchors
as comments read and every parent anchor names an earlier comment, so a page whose links do not
line up with the comments read keeps its flat reading.  Nothing here knows a site.
"""

from __future__ import annotations

import re

from analyzer.core.records import ParseIssue, RawComment

__all__ = ["EDGE_CONFIDENCE", "apply", "tree"]

# Edge confidence of a parent named by the comment's own "Parent" link.
EDGE_CONFIDENCE = 0.9

# A markdown link with one of the tree's labels; html2text wraps a long target over lines.
_TREE_LINK = re.compile(
    r"\[\s{0,3}(?P<label>Parent|Link|Permalink)\s{0,3}\]\(\s{0,3}(?P<target>[^)\s]{1,800}(?:\n[^)\s]{0,800}){0,4})\)",
    re.IGNORECASE,
)
_ANCHOR = re.compile(r"#([\w-]{1,80})$")


def _anchor(target: str) -> str | None:
    match = _ANCHOR.search(target.replace("\n", ""))
    return match.group(1) if match is not None else None


def tree(raw: str) -> list[tuple[str, str | None]] | None:
    """(own anchor, parent anchor or None) per comment in page order, or None without links."""
    if "](" not in raw:
        return None
    out: list[tuple[str, str | None]] = []
    parent: str | None = None
    for match in _TREE_LINK.finditer(raw):
        anchor = _anchor(match.group("target"))
        if anchor is None:
            continue  # a share menu's "Link" to the page, no comment's anchor
        if match.group("label").lower() == "parent":
            parent = anchor
        else:
            out.append((anchor, parent))
            parent = None
    return out or None


def apply(comments: list[RawComment], raw: str, issues: list[ParseIssue], path: str,
          article_id: str) -> bool:
    """Set the parents of a flat reading from the comments' "Parent" links; True when done.

    ``comments`` must be the flat reading in page order (all top level)."""
    if len(comments) < 2 or any(c.parent_id is not None for c in comments):
        return False
    links = tree(raw)
    if links is None or len(links) != len(comments) or not any(p for _, p in links):
        return False
    index = {}
    for n, (own, _) in enumerate(links):
        if own in index:
            return False  # one anchor for two comments: the links do not name comments
        index[own] = n
    parents: list[int | None] = []
    for n, (_, parent) in enumerate(links):
        if parent is None:
            parents.append(None)
            continue
        at = index.get(parent)
        if at is None or at >= n:
            return False  # a parent not among the comments read before it: not this list
        parents.append(at)
    depth: list[int] = []
    for n, comment in enumerate(comments):
        at = parents[n]
        depth.append(1 if at is None else depth[at] + 1)
        comment.parent_id = None if at is None else comments[at].comment_id
        comment.declared_depth = depth[n]
        comment.edge_confidence = 1.0 if at is None else EDGE_CONFIDENCE
    issues[:] = [i for i in issues if i.code != "nesting-lost"]
    replies = sum(1 for p in parents if p is not None)
    issues.append(ParseIssue(
        "nesting-from-links",
        f"{replies} replies placed under the comment their own 'Parent' link names (the capture shows no "
        "indentation)", "info", path, comments[0].source_line, article_id))
    return True
