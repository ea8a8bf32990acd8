"""Plain records that readers produce and the tree builder consumes.

Readers of document formats (page text, HTML, JSON exports) emit :class:`ParsedThread`
objects: one article with its comments in source order.  Readers of tables emit polars
frames directly (see :mod:`analyzer.ingest.tables`) so a million rows never become Python
objects.  Both end up as frames with the schemas in :mod:`analyzer.core.schemas`.

Comment ``kind`` values:

* ``comment``  an ordinary visible comment
* ``deleted``  a placeholder for a deleted comment ("[deleted]"); keeps its place, may have replies
* ``removed``  a placeholder for a comment removed by moderation ("[removed]")
* ``more``     a platform stub standing for hidden replies (Reddit "load more comments");
               ``n_hidden`` says how many it stands for
* ``ghost``    inserted by the tree builder where a depth gap proves comments are missing
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
COMMENT_KINDS = ("comment", "deleted", "removed", "more", "ghost")

# Article block kinds, in the order they usually appear on a page.
BLOCK_KINDS = (
    "category",  # category / kicker line above the title
    "title",
    "lead",  # teaser paragraph under the title
    "body",  # the article's own text
    "embedded",  # embedded material that is part of the article (translations, long quotes)
    "promotion",  # book or product promotion by the site
    "advertising",  # "Werbung" / "Anzeige" / "Advertisement"
    "author_box",  # the author's bio: kept, but not body
    "navigation",  # share buttons, related links and other page furniture
)


@dataclass(slots=True)
class ParseIssue:
    """A recoverable anomaly found while reading or building trees.

    ``code`` is a short kebab-case identifier (``count-mismatch``, ``unknown-parent``,
    ``invalid-utf8`` ...), documented in the README.
    """

    code: str
    detail: str
    severity: Severity = "warning"
    path: str | None = None
    line: int | None = None
    article_id: str | None = None
    comment_id: str | None = None


@dataclass(slots=True)
class RawComment:
    """One comment as a reader found it.

    Layout formats (page text) give ``declared_depth`` (1 = top level) and the parent they
    infer from the layout; id formats give ``parent_id`` (``None`` = reply to the article).
    """

    comment_id: str
    parent_id: str | None = None
    declared_depth: int | None = None
    author: str | None = None
    created_at: datetime | None = None
    text: str = ""
    source_line: int | None = None
    kind: str = "comment"
    n_hidden: int | None = None
    url: str | None = None
    # Confidence of the edge to the parent when inferred from layout (1.0 = from ids).
    edge_confidence: float = 1.0
    votes_up: int | None = None  # up-votes / likes / net score as the source gives them
    votes_down: int | None = None  # down-votes, where the source gives them apart


@dataclass(slots=True)
class Block:
    """A piece of the article page with its role."""

    kind: str
    text: str
    source_line: int | None = None


@dataclass(slots=True)
class Article:
    """The article a thread hangs under, as far as the input tells."""

    article_id: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    category: str | None = None
    lead: str | None = None
    body: str | None = None
    n_announced: int | None = None
    comments_closed: bool | None = None
    language: str | None = None
    source_path: str | None = None
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class ParsedThread:
    """An article with its comments in source order, as one reader found them."""

    article: Article
    comments: list[RawComment] = field(default_factory=list)
