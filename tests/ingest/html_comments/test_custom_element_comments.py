"""Comments printed as custom elements (web components) that nest their replies inside them.

A news site defines ``<x-reaction>`` for its comments: a card (header with name, date and a
rating button inside a link to the log-in page; the words; a "Reply" footer) followed by the
replies, each another ``<x-reaction>`` inside its parent.  The generic reader knew only HTML's
block tags, so it read the cards' header lines, flat, with the log-in link's address for their
text (held-out batch 10: 87 comments, none right).  Original markup.
"""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html


def _reaction(rid: int, name: str, when: str, words: str, replies: str = "") -> str:
    login = f"https://news.example.org/login/?back=/story/42%3Fr%3D{rid}"
    return (
        f'<x-reaction id="r_{rid}" class="reaction" data-reaction-id="{rid}">'
        f'<div class="reactionBody"><div class="reactionHead"><span class="meta">'
        f'<a href="https://news.example.org/user/{name.lower()}/" class="userLink">{name}</a><br>'
        f'<a href="https://news.example.org/story/42?r={rid}#r_{rid}" class="date">{when}</a></span>'
        f'<a rel="nofollow" href="{login}" title="Average score: +1"><button class="score"></button></a></div>'
        f'<div class="reactionContent">{words}</div>'
        f'<div class="reactionFooter"><a href="{login}" rel="nofollow">Reply</a></div></div>'
        f"{replies}</x-reaction>"
    )


def test_custom_element_comments_nest_their_replies(tmp_path: Path) -> None:
    inner = _reaction(13, "Dirk", "28 July 2023 12:05", "Only if the other side has the new version installed, I think.")
    reply = _reaction(12, "Carla", "28 July 2023 11:52", "Can the receiver play them without the latest update?", inner)
    first = _reaction(11, "Bert", "28 July 2023 11:27", "A fine feature, it can replace the voice messages for me.", reply)
    second = _reaction(14, "Erik", "28 July 2023 13:40", "Nobody asked for this, but it will be everywhere in a week.")
    html = (
        "<html><head><title>Short video messages</title></head><body>"
        "<article><h1>Short video messages</h1><p>The messenger now records round videos of up to"
        " sixty seconds, sent like voice messages.</p></article>"
        f'<div id="reactions"><h2>Reactions (4)</h2>{first}{second}</div></body></html>'
    )
    out = read_html(tmp_path, html)
    comments = out.threads[0].comments
    assert len(comments) == 4, [c.text for c in comments]
    assert not any("login" in c.text for c in comments)
    ids = {c.author: c.comment_id for c in comments}
    parents = {c.author: c.parent_id for c in comments}
    assert parents == {"Bert": None, "Carla": ids["Bert"], "Dirk": ids["Carla"], "Erik": None}
    assert all(c.text.strip() for c in comments)
