"""Render a comment tree as a standard WordPress page (core html5 comment markup).

Used by the round-trip property test of :mod:`analyzer.ingest.wp_html` and for synthetic
benchmark inputs.  All text is HTML-escaped; paragraphs ("\\n\\n") become ``<p>``, single line
breaks ``<br>``.

Example:
    >>> from analyzer.core.records import Article, RawComment
    >>> page = render_wp_html(Article("7", title="T"), [RawComment("1", text="Hallo & so")])
    >>> 'id="comment-1"' in page and "Hallo &amp; so" in page
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from html import escape

from analyzer.core.records import Article, RawComment

__all__ = ["render_wp_html"]


def _paragraphs(text: str, indent: str) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n\n"):
        if not paragraph.strip():
            continue
        lines = [escape(line, quote=False) for line in paragraph.split("\n")]
        out.append(f"{indent}<p>{'<br>'.join(lines)}</p>")
    return out


def _comment_open(comment: RawComment, depth: int, index: int, indent: str) -> list[str]:
    parity = "even" if index % 2 == 0 else "odd alt"
    cid = escape(comment.comment_id)
    time_html = ""
    if comment.created_at is not None:
        stamp = comment.created_at.astimezone(UTC).isoformat()
        time_html = f'<a href="#comment-{cid}"><time datetime="{stamp}">{escape(stamp)}</time></a>'
    author = escape(comment.author or "", quote=False)
    return [
        f'{indent}<li id="comment-{cid}" class="comment {parity} depth-{depth}">',
        f'{indent}  <article id="div-comment-{cid}" class="comment-body">',
        f'{indent}    <footer class="comment-meta">',
        f'{indent}      <div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">says:</span></div>',
        f'{indent}      <div class="comment-metadata">{time_html}</div>',
        f"{indent}    </footer>",
        f'{indent}    <div class="comment-content">',
        *_paragraphs(comment.text, indent + "      "),
        f"{indent}    </div>",
        f"{indent}  </article>",
    ]


def render_wp_html(article: Article, comments: Sequence[RawComment]) -> str:
    """Render ``comments`` (pre-order, with ``parent_id``) under ``article`` as a WordPress page.

    ``depth-N`` classes come from ``declared_depth`` when set, else from the nesting.

    Raises:
        ValueError: a comment's parent is not an earlier comment on the path (not pre-order).
    """
    lang = article.language or "en"
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(article.title or '', quote=False)}</title>",
        '<link rel="stylesheet" href="/wp-content/themes/twentytwentyone/style.css">',
        "</head>",
        f'<body class="single single-post postid-{escape(article.article_id)}">',
        f'<article id="post-{escape(article.article_id)}" class="post type-post hentry">',
        f'  <h1 class="entry-title">{escape(article.title or "", quote=False)}</h1>',
        '  <div class="entry-content">',
        *_paragraphs(article.body or "", "    "),
        "  </div>",
        "</article>",
        '<div id="comments" class="comments-area">',
    ]
    announced = article.n_announced if article.n_announced is not None else len(comments)
    noun = "Antworten" if lang.startswith("de") else "Comments"
    lines.append(f'  <h2 class="comments-title">{announced} {noun}</h2>')
    lines.append('  <ol class="comment-list">')
    # Stack of open comment ids; each open comment also has an open children list once it
    # gets a reply.  Iterative, so deep chains cannot hit the recursion limit.
    stack: list[tuple[str, bool]] = []  # (comment_id, has_open_children_list)
    for index, comment in enumerate(comments):
        while stack and stack[-1][0] != comment.parent_id:
            lines.extend(_close(stack))
        if comment.parent_id is not None and not stack:
            raise ValueError(f"comment {comment.comment_id}: parent {comment.parent_id} is not an open ancestor")
        indent = "    " * (len(stack) + 1)
        if stack and not stack[-1][1]:
            lines.append(f'{indent}<ol class="children">')
            stack[-1] = (stack[-1][0], True)
        depth = comment.declared_depth if comment.declared_depth is not None else len(stack) + 1
        lines.extend(_comment_open(comment, depth, index, indent))
        stack.append((comment.comment_id, False))
    while stack:
        lines.extend(_close(stack))
    lines += [
        "  </ol>",
        '  <div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3></div>',
        "</div>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def _close(stack: list[tuple[str, bool]]) -> list[str]:
    _, has_children = stack.pop()
    indent = "    " * (len(stack) + 1)
    out = [f"{indent}</ol>"] if has_children else []
    out.append(f"{indent}</li>")
    return out
