"""Dashboard pages; each module has PATH, NAME, TITLE, ORDER and ``layout(**query)``."""

from __future__ import annotations

from dashboards.pages import article, corpus, links, thread

PAGES = (corpus, article, thread, links)
