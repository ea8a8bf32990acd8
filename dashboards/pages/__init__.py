"""Dashboard pages; each module has PATH, NAME, TITLE, ORDER and ``layout(**query)``."""

from __future__ import annotations

from dashboards.pages import (
    article,
    comments,
    coordination,
    corpus,
    labels,
    links,
    participants,
    thread,
    timeline,
)

PAGES = (corpus, article, thread, links, comments, participants, timeline, labels, coordination)
