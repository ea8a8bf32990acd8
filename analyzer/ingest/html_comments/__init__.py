"""Comment sections in HTML that do not follow WordPress core's ``li.comment`` markup.

Why a package: every comment system prints its own markup, and each needs its own rules for
ids, reply nesting, author, date and text.  One module per markup family keeps those rules
apart; :func:`extract` asks them in a fixed order, specific systems first (their ids and
nesting are exact), then schema.org data (microdata, JSON-LD), and last the generic finder
of repeated comment-like blocks (no ids, nesting inferred: lower ``edge_confidence``).

The WordPress reader (:mod:`analyzer.ingest.wp_html`) keeps core markup; it calls
:func:`extract` first and uses its result when a family recognised the page.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer.ingest.html_comments import (
    bbpress,
    blogger,
    deflist,
    disqus,
    drupal,
    epoch,
    forums,
    generic,
    headed_posts,
    json_island,
    qa,
    reddit_old,
    schema_org,
    spip,
    structure,
    wpdiscuz,
)
from analyzer.ingest.html_comments.common import Element, Extraction, Found

__all__ = ["Extraction", "Found", "extract", "extract_fallback"]

# Specific systems: each recognises its own markup and is exact (site ids, explicit nesting).
# Order: systems whose markup also carries generic "comment" classes come first, so WordPress
# core's li.comment rules never claim them (Blogger and SPIP print li.comment too).
_Extractor = Callable[[Element], Extraction | None]
_SPECIFIC: tuple[_Extractor, ...] = (
    wpdiscuz.extract,
    epoch.extract,
    blogger.extract,
    spip.extract,
    drupal.extract,
    disqus.extract,
    deflist.extract,
    forums.extract,
    bbpress.extract,
    reddit_old.extract,
    qa.extract,
)
# When neither a specific system nor WordPress core found comments.
# Then: comment items named so in a comment list, without author or date cues (id-less
# widgets, server-rendered Disqus lists).  Last: repeated blocks recognised by their evidence
# alone (reply buttons, permalinks, comment ids, avatars, "says" lines), anywhere on the page
# outside navigation and widgets; their edges are the least certain.  Then, when no markup
# shows comments: the comment data a script holds as JSON (exact ids and parents).
_FALLBACK: tuple[_Extractor, ...] = (
    schema_org.extract,
    generic.extract,
    generic.extract_items,
    structure.extract,
    json_island.extract,
    headed_posts.extract,
)


def extract(root: Element) -> Extraction | None:
    """Comments of a specific comment system, or None when none of them recognises the page."""
    for extractor in _SPECIFIC:
        found = extractor(root)
        if found is not None and found.comments:
            return found
    return None


def extract_fallback(root: Element) -> Extraction | None:
    """Comments from schema.org data or, failing that, from repeated comment-like blocks."""
    for extractor in _FALLBACK:
        found = extractor(root)
        if found is not None and found.comments:
            return found
    return None
