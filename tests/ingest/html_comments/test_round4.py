"""Issue 12, HTML reader round 4: phenomena met on a batch of real pages, each reproduced by a
small page written for the test (no text or markup of those pages).

- a comment list below markup left unclosed in a sidebar widget (the list is the widget's
  descendant in the parsed tree);
- top comments of one markup holding their replies, of another markup, and a hidden reply
  form; the ids only on the comments' own buttons (``data-comment-id``);
- pages that say they have no comment, or show an empty comment list: a valid zero with an
  info line, not a ``comments-not-recognised`` warning.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source


def read(tmp_path: Path, html: str) -> ReaderOutput:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return wp_html.read(Source(path), ReadOptions())


def tree(out: ReaderOutput) -> list[tuple[str, str | None]]:
    return [(c.comment_id, c.parent_id) for c in out.threads[0].comments]


def codes(out: ReaderOutput) -> dict[str, str]:
    return {i.code: i.severity for i in out.issues}


def detail(out: ReaderOutput, code: str) -> str:
    return " | ".join(i.detail for i in out.issues if i.code == code)


HEAD = '<html lang="en"><head><title>Pickling notes</title><meta property="og:type" content="article"></head>'


def old_theme_item(cid: int, who: str, text: str) -> str:
    return (
        f'<li id="comment-{cid}"><p class="num"><a href="#comment-{cid}">{cid % 10}</a></p>'
        f'<img class="gravatar" src="/g/{cid}.png" alt=""> Comment by <cite>{who}</cite><br>'
        f'<small class="commentmetadata">3 March 2021 at 10:{cid % 60:02d}</small><p>{text}</p></li>'
    )


def test_comment_list_below_an_unclosed_sidebar_widget(tmp_path: Path) -> None:
    # The widget's <div> is never closed, so the parser puts the whole article, and the
    # comment list, inside the sidebar.
    items = "".join([
        old_theme_item(501, "Hedda", "Brine at two percent worked for my cucumbers, thank you."),
        old_theme_item(502, "Olaf", "Does the same ratio hold for cabbage, or should it be stronger?"),
        old_theme_item(503, "Pia", "I add a vine leaf to every jar so the pickles stay crunchy."),
    ])
    html = (
        f'{HEAD}<body><div id="sidebar"><ul><li class="widget widget_text"><div class="textwidget">'
        '<p>About me'
        '<div id="content"><h1>Pickling notes</h1><p>' + "Salt, water, time. " * 20 + '</p>'
        f'<div id="comments"><h2>3 comments</h2><ol class="commentlist">{items}</ol></div></div>'
        '</body></html>'
    )
    out = read(tmp_path, html)
    assert tree(out) == [("501", None), ("502", None), ("503", None)]
    assert [c.author for c in out.threads[0].comments] == ["Hedda", "Olaf", "Pia"]
    assert "comments-not-recognised" not in codes(out)
    assert "count-mismatch" not in codes(out)


def top(cid: int, who: str, text: str, replies: str) -> str:
    return (
        f'<div class="comment box"><div class="comment-meta"><div class="comment-author">{who}</div>'
        f'<small class="comment-time">May 04, 2022</small><small class="comment-time">9:1{cid % 10} am</small></div>'
        f'<div class="comment-content"><p>{text}</p>'
        f'<div class="comment-tools"><a href="#" data-comment-id="{cid}" class="tag">Flag</a></div>'
        '<div class="toggle"><a href="#" class="button-alt">Reply to this post</a>'
        '<div class="hidden"><form method="post"><label>Your reply</label><textarea name="c"></textarea>'
        f'<input type="hidden" name="parent" value="{cid}"><button>Send</button></form></div></div>'
        f'{replies}</div></div>'
    )


def reply(cid: int, who: str, text: str) -> str:
    return (
        f'<div class="comment-reply box"><div class="comment-meta"><div class="comment-author">{who}</div>'
        f'<small class="comment-time">May 05, 2022</small><small class="comment-time">8:0{cid % 10} pm</small></div>'
        f'<div class="comment-content"><p>{text}</p>'
        f'<div class="comment-tools"><a href="#" data-comment-id="{cid}" class="tag">Flag</a></div></div></div>'
    )


def test_top_comments_holding_replies_of_another_markup(tmp_path: Path) -> None:
    # Replies outnumber the top comments: before, the replies alone were read (flat, ids made up).
    thread = "".join([
        top(71, "Ruth", "The second table contradicts the first one on the tariff rates.", "".join([
            reply(72, "Author", "Good catch: the second table uses the revised schedule."),
            reply(73, "Ruth", "Then the caption should say so, the figures confused me."),
            reply(74, "Milo", "Agreed with Ruth, a footnote would settle it for readers."),
        ])),
        top(75, "Ines", "Would the same mechanism work for a currency union as well?", "".join([
            reply(76, "Author", "Only partly, because there is no exchange rate to adjust."),
            reply(77, "Ines", "Thanks, that distinction is what I was missing here."),
        ])),
        top(78, "Bo", "A very clear piece, I shared it with my economics class today.", ""),
    ])
    html = (
        f'{HEAD}<body><article><h1>Tariffs</h1><p>' + "Trade balances move slowly. " * 20 + '</p></article>'
        f'<section id="comment-section"><h2>Comments(8)</h2><div class="comments">{thread}</div></section>'
        '</body></html>'
    )
    out = read(tmp_path, html)
    assert tree(out) == [
        ("71", None), ("72", "71"), ("73", "71"), ("74", "71"),
        ("75", None), ("76", "75"), ("77", "75"), ("78", None),
    ]
    first = out.threads[0].comments[0]
    assert first.author == "Ruth"
    assert first.text.startswith("The second table contradicts")
    assert "Your reply" not in first.text and "good catch" not in first.text.lower()
    assert "count-mismatch" not in codes(out)


def test_page_saying_it_has_no_comments_is_a_valid_zero(tmp_path: Path) -> None:
    html = (
        f'{HEAD}<body><main><h1>Pickling notes</h1>' + "<p>Salt, water and patience make a pickle.</p>" * 6
        + '</main><div class="comments" id="comments"><h4>No comments yet:</h4>'
        '<div class="comment-form"><form><textarea></textarea></form></div></div></body></html>'
    )
    out = read(tmp_path, html)
    assert out.threads[0].comments == []
    assert codes(out).get("no-comments") == "info"
    assert "comments-not-recognised" not in codes(out)
    assert "says it has none ('No comments yet:'" in detail(out, "no-comments")


def test_counter_beside_comments_closed_is_not_a_comment(tmp_path: Path) -> None:
    html = (
        f'{HEAD}<body><main><h1>Pickling notes</h1>' + "<p>Salt, water and patience make a pickle.</p>" * 6
        + '</main><div id="comment-wrapper"><h3 id="comments"><span class="comment-number">Keine Kommentare</span>'
        '<span class="comment-message"><em>Kommentare sind geschlossen</em>.</span></h3></div></body></html>'
    )
    out = read(tmp_path, html)
    assert codes(out).get("no-comments") == "info"
    assert "comments-not-recognised" not in codes(out)


def test_empty_comment_list_and_state_classes_on_teasers(tmp_path: Path) -> None:
    # "has-comments" on teaser cards names their state, not a comment; the list is empty.
    teasers = "".join(
        f'<article class="teaser has-comments post-{n}"><h3>Another story number {n} about pickles</h3></article>'
        for n in range(3)
    )
    html = (
        f'{HEAD}<body><main><h1>Pickling notes</h1>' + "<p>Salt, water and patience make a pickle.</p>" * 6
        + f'<div id="disqus_thread"><ul id="dsq-comments"></ul></div></main><div class="more">{teasers}</div>'
        '</body></html>'
    )
    out = read(tmp_path, html)
    assert "comments-not-recognised" not in codes(out)
    assert "empty comment list" in detail(out, "no-comments")


def test_heading_over_a_list_with_unread_comments_still_warns(tmp_path: Path) -> None:
    # The negative side: a comment heading over a list that holds text nobody read stays a warning.
    html = (
        f'{HEAD}<body><main><h1>Pickling notes</h1>' + "<p>Salt, water and patience make a pickle.</p>" * 6
        + '</main><div class="comment-list"><h3>Comments</h3>'
        '<p>Hedda: brine at two percent worked.</p><p>Olaf: and for cabbage?</p></div></body></html>'
    )
    out = read(tmp_path, html)
    assert codes(out).get("comments-not-recognised") == "warning"


def board_post(cid: int, who: str, since: str, when: str, text: str) -> str:
    return (
        f'<li class="c-commentitem"><div class="c-wrap"><div class="c-authorbox"><p class="c-authorname"><a href="/u/{cid}">{who}</a></p>'
        f'<p class="c-registerdate">dabei seit <strong>{since}</strong></p></div>'
        f'<div id="comment-{cid}" class="c-message"><div class="c-text">{text}</div>'
        f'<div class="c-info"><a href="/u/{cid}">{who}</a>, <time datetime="{when}">{when}</time></div></div></div></li>'
    )


def test_forum_teaser_with_registration_dates_and_inner_ids(tmp_path: Path) -> None:
    # The poster's "dabei seit 05/2011" line carries a date class; it is not the comment's date,
    # and the comment id sits on the message wrapper after the poster column.
    posts = "".join([
        board_post(9001, "kettenfett", "05/2011", "3. Mai 2023 10:15", "Mit Milch im Reifen fahre ich seit Jahren gut."),
        board_post(9002, "schlauchlos", "11/2019", "3. Mai 2023 10:40", "Bei mir hält das Ventil nie dicht, leider."),
        board_post(9003, "bergab", "02/2008", "3. Mai 2023 11:02", "Zuerst die Felge gründlich reinigen, dann klappt es."),
    ])
    html = (
        f'{HEAD}<body><main><h1>Reifen</h1>' + "<p>Ein Reifen, zwei Meinungen.</p>" * 8 + '</main>'
        f'<div id="comments"><h2>3 Kommentare</h2></div><ol class="c-commentlist">{posts}</ol></body></html>'
    )
    out = read(tmp_path, html)
    assert tree(out) == [("9001", None), ("9002", None), ("9003", None)]
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["kettenfett", "schlauchlos", "bergab"]
    assert all(c.created_at is not None and c.created_at.year == 2023 for c in comments)


def test_nested_wrappers_of_one_comment_are_one_comment(tmp_path: Path) -> None:
    # Three rows around one comment card, each holding the same author and date: before, the
    # rows were read as a comment replying to itself twice (two ghosts, a duplicate id).
    card = (
        '<div class="row"><div class="col"><a href="#form">Write a comment ...</a></div></div>'
        '<div class="row"><div id="88120034" class="card-box"><div class="row"><span class="c-author">Wren</span>'
        '<time datetime="2021-09-14 18:02:11">2021-09-14 18:02:11</time></div>'
        '<div class="row"><p>Planting garlic in autumn gave me twice the yield of spring planting.</p></div></div></div>'
    )
    html = (
        f'{HEAD}<body><main><h1>Garlic</h1>' + "<p>Cloves, soil and a cold winter.</p>" * 8 + '</main>'
        f'<div id="comments"><div class="row"><h3>Comments 1</h3>{card}</div></div></body></html>'
    )
    out = read(tmp_path, html)
    assert tree(out) == [("88120034", None)]
    assert "Planting garlic" in out.threads[0].comments[0].text


def test_post_wrapper_sharing_the_date_is_not_a_parent() -> None:
    # A forum post's <article> around its own header (author and date): the header blocks and
    # the articles are one post each, so the articles are not merged in as parents.
    import lxml.html

    from analyzer.ingest.html_comments import generic

    posts = "".join(
        f'<article class="post" id="post-{n}"><header class="post-head"><span class="c-author">user{n}</span>'
        f'<time datetime="2022-01-0{n}T10:00:00">Jan {n}</time></header>'
        f'<div class="post-body">Post number {n} talks about seed potatoes at length.</div></article>'
        for n in range(1, 4)
    )
    root = lxml.html.document_fromstring(f"<html><body><div class='forum-thread'>{posts}</div></body></html>")
    heads = [(h, h.find(".//span"), h.find(".//time")) for h in root.iter("header")]
    articles = [(a, a.find(".//span"), a.find(".//time")) for a in root.iter("article")]
    groups = {("header", frozenset({"post-head"})): heads, ("article", frozenset({"post"})): articles}
    assert generic._with_enclosing(heads, groups) is heads
    # With cues of their own, the enclosing blocks are parents and are merged in.
    own = [(a, a, a) for a in root.iter("article")]
    groups[("article", frozenset({"post"}))] = own
    assert len(generic._with_enclosing(heads, groups)) == 6


def test_board_posts_whose_titles_link_to_themselves(tmp_path: Path) -> None:
    # Each post's heading links to the post itself on the topic page ("/t3-topic#41"): a
    # permalink, not a teaser linking elsewhere (before, the posts were refused as teasers).
    posts = "".join(
        f'<div id="p{n}" class="msgbox"><div class="who"><img class="avatar" src="/av/{n}.png" alt="">'
        f'<b>gardener{n}</b></div><div class="head"><span id="{n}"></span>'
        f'<h3><a href="/t3-topic#{n}">Re: Compost heaps</a></h3>'
        f'<p class="author">by gardener{n} on 0{n}/04/21, 09:1{n} am</p></div>'
        f'<div class="entry">Turning the heap every fortnight keeps it warm, says post {n}.</div></div>'
        for n in (41, 42, 43)
    )
    html = f'<html lang="en"><head><title>Compost heaps</title></head><body><div class="topic">{posts}</div></body></html>'
    out = read(tmp_path, html)
    assert tree(out) == [("41", None), ("42", None), ("43", None)]
    assert all("Turning the heap" in c.text for c in out.threads[0].comments)


def test_time_printed_in_a_second_element(tmp_path: Path) -> None:
    thread = top(81, "Ruth", "The footnote on page two settles the question for me.", "") + top(
        82, "Ines", "I would still like a table with the yearly figures, please.", ""
    )
    html = (
        f'{HEAD}<body><article><h1>Tariffs</h1><p>' + "Trade balances move slowly. " * 20 + '</p></article>'
        f'<section id="comment-section"><h2>Comments(2)</h2><div class="comments">{thread}</div></section>'
        '</body></html>'
    )
    out = read(tmp_path, html)
    dates = [c.created_at for c in out.threads[0].comments]
    assert [(d.hour, d.minute) for d in dates if d is not None] == [(9, 11), (9, 12)]
