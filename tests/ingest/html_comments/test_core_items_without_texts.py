"""``li.comment`` items whose words sit where WordPress core's rules do not look.

A blog platform prints WordPress core's item classes, but each comment's words lie loose in
the item beside an avatar box, with a footer "Posted by NAME, DATE | Reply".  Core's rules
then find an author and a date but no text: every comment read empty (held-out batch 10, a
French blog platform: 50 comments, 49 read without a word).  A reading whose items are nearly
all empty is no reading of the page; the fallback readers read the words.  Original markup.
"""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html


def _item(cid: int, name: str, when: str, words: str, linked: bool = True) -> str:
    author = f'<a href="https://{name.lower()}.example.org" rel="nofollow">{name}</a>' if linked else name
    return (
        f'<li class="comment guest level-1"><div itemprop="comment" itemscope'
        f' itemtype="http://schema.org/UserComments" class="comment_item" id="comment_{cid}">'
        f'<a id="c{cid}"></a><p><div class="pp-container"><img class="gravatar" src="a.png" /></div>'
        f" {words}</p>"
        f'<div class="itemfooter">Posted by {author}, <abbr class="timeago" title="{when}">{when}</abbr>'
        f' | <span class="comment_reply"><a rel="nofollow" href="#">Reply</a></span></div></div></li>'
    )


def _page(items: str) -> str:
    return (
        "<html><head><title>Lemon cake in a lemon</title></head><body>"
        '<div class="blogbody"><h1>Lemon cake in a lemon</h1><p>Hollow out the lemons, fill them'
        " with the batter and bake them for twenty minutes.</p></div>"
        '<h2><a id="comments"></a>Comments on Lemon cake in a lemon</h2>'
        f'<ul id="comment_list" class="comment_thread level-1">{items}</ul></body></html>'
    )


WORDS = [
    "What a clever way to serve it, the guests will love the little lemon cups.",
    "I tried it yesterday and the batter rose over the rim, so use less of it.",
    "Does this work with oranges as well? They are larger and easier to hollow.",
]


def test_items_with_words_beside_an_avatar_are_read_with_their_words(tmp_path: Path) -> None:
    items = "".join(
        _item(100 + n, name, f"2009-02-{10 + n}T11:14:00", words)
        for n, (name, words) in enumerate(zip(["Anna", "Bert", "Cleo"], WORDS, strict=True))
    )
    out = read_html(tmp_path, _page(items))
    texts = [c.text for c in out.threads[0].comments]
    assert len(texts) == 3
    assert all(t.strip() for t in texts)
    assert [w[:20] in t for w, t in zip(WORDS, texts, strict=True)] == [True, True, True]
    assert any(i.code == "comment-markup" for i in out.issues)


def test_items_whose_author_is_plain_text_are_no_placeholders(tmp_path: Path) -> None:
    # Two items name their author without a link (core finds no author: placeholders by the
    # placeholder rule), one with a link (an empty comment): still the same misreading.
    items = "".join(
        _item(200 + n, name, f"2010-05-0{1 + n}T08:00:00", words, linked=(n == 0))
        for n, (name, words) in enumerate(zip(["Dora", "Emil", "Fritz"], WORDS, strict=True))
    )
    out = read_html(tmp_path, _page(items))
    assert len(out.threads[0].comments) == 3
    assert all(c.text.strip() for c in out.threads[0].comments)
    assert not any(i.code == "comment-placeholder" for i in out.issues)
