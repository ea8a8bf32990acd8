"""Component ids, in one place so pages, callbacks and browser tests agree on them."""

from __future__ import annotations

# App shell
NAV = "nav"
NAV_CORPUS = "nav-corpus"
NAV_ARTICLE = "nav-article"
NAV_THREAD = "nav-thread"
NAV_LINKS = "nav-links"
NAV_COMMENTS = "nav-comments"
NAV_PEOPLE = "nav-people"
NAV_TIME = "nav-time"
NAV_COORD = "nav-coord"
NAV_LABELS = "nav-labels"
RUN_LABEL = "run-label"
NLP_BANNER = "nlp-banner"
# Page state ({"a": article id, "c": comment id, "color": ..., "d": domain}); mirrored into
# the URL's query string by a clientside callback so every view can be shared as a link.
STATE = "page-state"
GO = "go-location"  # a dcc.Location that callbacks point elsewhere to navigate

# Corpus page
CORPUS_GRID = "corpus-grid"
CORPUS_SCATTER = "corpus-scatter"
# The scatter is drawn after the grid shows its rows (plotly.js is 4.8 MB to parse): the box
# that receives it, and the flag the grid sets when it is ready.
CORPUS_SCATTER_BOX = "corpus-scatter-box"
CORPUS_READY = "corpus-ready"
CORPUS_X = "corpus-x"
CORPUS_FILTER = "corpus-filter"  # the grid's last filter model (drives the scatter)
CORPUS_Y = "corpus-y"
ISSUES_GRID = "issues-grid"

# Article vs readers page
ARTICLE_PICK = "article-pick"
ARTICLE_BODY = "article-body"
ARTICLE_HEAD = "article-head"
ARTICLE_HEADLINE = "article-headline"
ARTICLE_RESPONSE = "article-response"

# Thread page
THREAD_PICK = "thread-pick"
THREAD_COLOR = "thread-color"
THREAD_TREE = "thread-tree"
THREAD_NOTE = "thread-note"
THREAD_DETAIL = "thread-detail"
THREAD_DEPTH = "thread-depth"
THREAD_LATENCY = "thread-latency"

# Links page
LINKS_PICK = "links-pick"
LINKS_SUMMARY = "links-summary"
LINKS_DOMAINS = "links-domains"
LINKS_GRID = "links-grid"
LINKS_DEPTH = "links-depth"
LINKS_COMMENTS = "links-comments"

ALL_ARTICLES = "*"  # the links page's "every article" choice

# Thread page: the conversation (forum view) and the comment panel's links
CONV_LIST = "conv-list"
CONV_INFO = "conv-info"
CONV_SEARCH = "conv-search"
CONV_PREV = "conv-prev"
CONV_NEXT = "conv-next"
CONV_VIEW = "conv-view"  # {"a", "page", "collapsed", "q"}
CONV_TOGGLE = "conv-toggle"  # pattern type: {"type": CONV_TOGGLE, "id": comment id}
CONV_OPEN = "conv-open"  # pattern type: a comment's text in the list
DETAIL_OPEN = "detail-open"  # pattern type: the parent or a reply in the comment panel
THREAD_TO_TABLE = "thread-to-table"
THREAD_RESET = "thread-reset"  # back to the whole tree after a click zoomed into a branch

# Comments page (the comment table behind a number)
COMMENTS_SCOPE = "comments-scope"
COMMENTS_STANCE = "comments-stance"
COMMENTS_TARGET = "comments-target"
COMMENTS_DEPTH = "comments-depth"
COMMENTS_AUTHOR = "comments-author"
COMMENTS_FLAGS = "comments-flags"
COMMENTS_SEARCH = "comments-search"
COMMENTS_SORT = "comments-sort"
COMMENTS_GRID = "comments-grid"
COMMENTS_TITLE = "comments-title"
COMMENTS_DETAIL = "comments-detail"
COMMENTS_EXPORT = "comments-export"
COMMENTS_DOWNLOAD = "comments-download"
COMMENTS_PREV = "comments-prev"
COMMENTS_NEXT = "comments-next"
COMMENTS_PAGE_INFO = "comments-page-info"
COMMENTS_FIXED = "comments-fixed"  # filters that came with the URL and have no control (domain, term, frame)

# Participants page
PEOPLE_PICK = "people-pick"
PEOPLE_BODY = "people-body"

# Over time page
TIME_PICK = "time-pick"
TIME_BIN = "time-bin"
TIME_BODY = "time-body"

# Coordination page (across threads)
COORD_BODY = "coord-body"
COORD_MEMBERS = "coord-members"  # the chosen campaign's copies

# Labels and moderation page
LABELS_PICK = "labels-pick"
LABELS_BODY = "labels-body"
