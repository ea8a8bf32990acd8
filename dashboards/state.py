"""What pages and callbacks read of the running app: the served run and the page-state ids.

Kept apart from :mod:`dashboards.app`, which imports the pages and callbacks to register them,
so that they never import the app back.
"""

from __future__ import annotations

import flask

from dashboards import ids
from dashboards.data import RunData

DATA_KEY = "ANALYZER_RUN_DATA"


def current_data() -> RunData:
    """The run served by the app handling the current request."""
    return flask.current_app.config[DATA_KEY]  # type: ignore[no-any-return]


def page_state(page: str) -> dict[str, str]:
    """The pattern-matching id of a page's state store."""
    return {"type": ids.STATE, "page": page}
