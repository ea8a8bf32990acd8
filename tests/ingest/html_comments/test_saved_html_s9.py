"""Saved HTML, session 9 (issue 12): Drupal 6 templates, "Posted by" signature rows, a
newspaper's list-shaped comments, a comment form's status boxes, core's byline links and
heading bylines, and a forum thread's opening post read as the article (one rule with page
text).  Pages and fixtures written for the project; names and texts invented."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from analyzer.ingest.base import ReaderOutput
from analyzer.ingest.html_comments import forum_thread
from tests.ingest.saved_html import read_fixture, read_html

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def codes(out: ReaderOutput) -> list[str]:
    return [i.code for i in out.issues]


# --- Drupal 6 ----------------------------------------------------------------------------------

def test_drupal6_blocks_that_repeat_the_anchor_id_are_comments_with_their_replies() -> None:
    out = read_fixture("en_drupal6_anchored_blocks")
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [
        ("880101", None), ("880107", "880101"), ("880115", "880107"), ("880130", None)
    ]
    assert [c.author for c in comments] == ["tillerpin", "Marsh Wren", "tillerpin", "quaysider"]
    assert comments[1].created_at == datetime(2013, 3, 5, 9, 40, tzinfo=UTC)
    # Neither the picture's profile address nor the label line nor the login links are text.
    assert comments[0].text == (
        "Oak gates last forty years if the lock keeper greases the hinges. Nobody has done that since the keepers went."
    )
    assert "drupal" in " ".join(i.detail for i in out.issues if i.code == "comment-system")


DRUPAL6_NO_FIELDS = """<html lang="en"><head><title>Bridge tolls - Weekly Quay</title></head><body>
<div id="comments"><h2 class="comments">2 comments</h2>
<a id="comment-3301"></a>
<div class="comment comment-published odd"><div class="clear-block">
 <div class="comment_head"><div class="user-picture"><a href="/users/nell-barrow" title="View user profile."><img src="/p/1.jpg" alt=""></a></div><h3></h3></div>
 <span class="submitted">Fri, 2014-06-13 17:18 &#8212; <a href="/writers/nell-barrow">Nell Barrow</a></span>
 <p>Comments on this article are now closed.</p>
</div><div class="links"><ul class="links"><li class="votes first last"></li></ul></div></div>
<a id="comment-3297"></a>
<div class="comment comment-published even"><div class="clear-block">
 <div class="comment_head"><div class="user-picture"><img src="/p/blank.gif" alt=""></div><h3></h3></div>
 <span class="submitted">Fri, 2014-06-13 15:30 &#8212; Tobias Quill (not verified)</span>
 <p>The toll pays for the bridge twice over by now; it should have ended in 2009.</p>
</div><div class="links"><ul class="links"><li class="votes first last"></li></ul></div></div>
</div></body></html>"""


def test_drupal6_comments_without_a_body_field_keep_their_text_and_read_the_submitted_line(tmp_path: Path) -> None:
    comments = read_html(tmp_path, DRUPAL6_NO_FIELDS).threads[0].comments
    assert [c.comment_id for c in comments] == ["3301", "3297"]
    # Before: every text was empty (no body field, no content div).
    assert comments[1].text == "The toll pays for the bridge twice over by now; it should have ended in 2009."
    assert [c.author for c in comments] == ["Nell Barrow", "Tobias Quill (not verified)"]
    assert comments[1].created_at == datetime(2014, 6, 13, 15, 30, tzinfo=UTC)


# --- "Posted by" signature rows (Movable Type, Typepad) ------------------------------------------

def test_signature_rows_below_the_text_give_author_and_date() -> None:
    out = read_fixture("en_signed_below_posted_by")
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id, c.author) for c in comments] == [
        ("550201", None, "Ada Rookwell"), ("550219", None, "Finch"), ("550246", None, "H. M. Salt")
    ]
    assert comments[0].created_at == datetime(2011, 2, 3, 8, 14, tzinfo=UTC)
    assert comments[2].text == "Good."
    assert not any("Posted by" in c.text for c in comments)
    assert "comments-not-recognised" not in codes(out)


# --- a newspaper's list-shaped comments -----------------------------------------------------------

def test_comments_printed_as_lists_with_a_profile_link_for_the_name() -> None:
    out = read_fixture("en_news_list_comments")
    comments = out.threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [
        ("7741001", "kelpfisher"), ("7741019", "Old Gull"), ("7741052", "Brindle")
    ]
    assert comments[2].text == "Nobody was surprised. Everybody is still angry."
    assert comments[0].created_at == datetime(2013, 3, 4, 8, 2, tzinfo=UTC)


# --- a comment form's status boxes -----------------------------------------------------------------

FORM_STATUS_BOXES = """<html lang="en"><head><title>Morning briefing - Court Notes</title></head><body>
<div class="entry"><h2>Morning briefing</h2><div class="entry-body"><p>Three rulings are expected today from the appeals bench, two of them on planning law.</p></div></div>
<div class="comments" id="all-comments"><h3 class="comments-header">Comments</h3><div class="comments-content"></div></div>
<div id="form-comments">
 <div id="comment-preview" class="hiddenBox"><h3 class="comments-header hiddenBox">Previewing your Comment</h3>
  <div class="comments-content"><div class="comment"><div id="comment-preview-content" class="comment-content"></div>
  <p class="comment-footer">Posted by: <span id="comment-preview-author"></span> | <span id="comment-preview-datetime"></span></p></div></div></div>
 <div id="comment-preview-confirmation" class="hiddenBox"><p>This is only a preview. Your comment has not yet been posted.</p></div>
 <div id="comment-error" class="hiddenBox">Your comment could not be posted. Error type: <span id="comment-error-msg"></span></div>
 <div id="comment-complete" class="hiddenBox">Your comment has been saved. Comments are moderated and will not appear until approved.</div>
 <div id="comment-captcha" class="hiddenBox"><p>As a final step before posting your comment, enter the letters and numbers you see.</p></div>
 <div id="comments-open-text"><p>(URLs automatically linked.) Your information will be kept private.</p></div>
</div></body></html>"""


def test_a_comment_forms_status_boxes_are_no_comments(tmp_path: Path) -> None:
    out = read_html(tmp_path, FORM_STATUS_BOXES)
    # Before: six boxes (preview, confirmation, error, complete, captcha, open text) were comments.
    assert out.threads[0].comments == []


# --- WordPress core: byline links and heading bylines ------------------------------------------------

CORE_BYLINE = """<html lang="en"><head><title>Slow bread - Crumb Diary</title></head><body>
<article id="post-12" class="post"><div class="entry-content"><p>A loaf that takes three days is mostly waiting.</p></div></article>
<div id="comments"><h3>2 Comments</h3><ul id="comment_list">
<li class="comment" id="comment-901"><div id="div-comment-901"><div class="entry">
 <p class="cm-meta"><a href="http://rye.example" rel="external nofollow" class="url">Rye Baker</a> &#8212; <a href="#comment-901" class="cm-time">March 2nd, 2012, 9:15 am</a></p>
 <p>Three days for mine too, and the crust is worth every hour.</p>
 <a class="comment-reply-link" href="?replytocom=901#respond">Reply</a></div></div>
 <ul class="children"><li class="comment" id="comment-905"><div id="div-comment-905"><div class="entry">
 <p class="cm-meta">Tamsin W. &#8212; <a href="#comment-905" class="cm-time">March 2nd, 2012, 10:01 am</a></p>
 <p>Ok.</p></div></div></li></ul>
</li></ul></div></body></html>"""


def test_core_author_link_and_permalink_date_are_a_byline_not_text(tmp_path: Path) -> None:
    comments = read_html(tmp_path, CORE_BYLINE).threads[0].comments
    assert [(c.comment_id, c.parent_id, c.author) for c in comments] == [
        ("901", None, "Rye Baker"), ("905", "901", "Tamsin W.")
    ]
    # Before: "Rye Baker (http://rye.example) — March 2nd, 2012, 9:15 am" led every text.
    assert comments[0].text == "Three days for mine too, and the crust is worth every hour."
    assert comments[1].text == "Ok."


HEADING_BYLINE = """<html lang="en"><head><title>Pie week - Ranch Kitchen</title></head><body>
<article id="post-7" class="post"><div class="entry-content"><p>Six pies in six days.</p></div></article>
<div id="comments"><div class="comment even depth-1" id="comment-71">
 <div class="comment-text"><h4>jodie <span>On Friday, November 2, 2012 at 12:31 pm</span></h4><p>Pecan first, please!</p></div></div>
<div class="comment odd depth-1" id="comment-72">
 <div class="comment-text"><h4><a href="http://x.example" rel="external nofollow" class="url">Mabel R</a> <span>On Friday, November 2, 2012 at 1:05 pm</span></h4><p>Apple, always apple.</p></div></div>
</div></body></html>"""


def test_a_heading_with_name_and_date_inside_the_text_container_is_the_byline(tmp_path: Path) -> None:
    comments = read_html(tmp_path, HEADING_BYLINE).threads[0].comments
    assert [(c.comment_id, c.author, c.text) for c in comments] == [
        ("71", "jodie", "Pecan first, please!"), ("72", "Mabel R", "Apple, always apple.")
    ]
    assert comments[0].created_at == datetime(2012, 11, 2, 12, 31, tzinfo=UTC)


# --- forum threads: the opening post is the article --------------------------------------------------

def _topic(first_index: int, prev_link: bool = False) -> str:
    head = '<link rel="prev" href="/topic/9/?page=1">' if prev_link else ""
    posts = "".join(
        f'<li component="post" data-index="{first_index + n}" data-pid="{500 + n}" itemprop="comment"'
        f' itemtype="http://schema.org/Comment" itemscope><meta itemprop="datePublished" content="2024-05-0{n + 1}T10:00:00Z">'
        f'<span itemprop="author" itemscope itemtype="http://schema.org/Person"><meta itemprop="name" content="user{n}"></span>'
        f'<div itemprop="text"><p>Post number {first_index + n} of the lantern repair topic, with words.</p></div></li>'
        for n in range(3)
    )
    return (f'<html lang="en"><head><title>Lantern repair - Tinkers Board</title>{head}</head><body>'
            f'<div itemscope itemtype="https://schema.org/DiscussionForumPosting"><meta itemprop="text" content="summary">'
            f'<h1 itemprop="headline">Lantern repair</h1><ul component="topic">{posts}</ul></div></body></html>')


def test_the_topics_post_0_is_the_article_and_the_rest_are_comments(tmp_path: Path) -> None:
    out = read_html(tmp_path, _topic(0))
    thread = out.threads[0]
    assert [c.author for c in thread.comments] == ["user1", "user2"]
    assert thread.article.author == "user0"
    assert (thread.article.body or "").startswith("Post number 0 of the lantern repair topic")
    assert thread.article.published_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    opening = [i.detail for i in out.issues if i.code == "forum-opening-post"]
    assert len(opening) == 1 and opening[0].startswith("the first post is the thread's opening post")


def test_a_later_page_of_the_topic_keeps_every_post_as_a_comment(tmp_path: Path) -> None:
    out = read_html(tmp_path, _topic(20))
    assert [c.author for c in out.threads[0].comments] == ["user0", "user1", "user2"]
    opening = [i.detail for i in out.issues if i.code == "forum-opening-post"]
    assert len(opening) == 1 and opening[0].startswith("no opening post on this page")


def test_later_page_and_ordinal_rules() -> None:
    later = lxml.html.fromstring(_topic(0, prev_link=True).replace(' data-index="0"', ""))
    first = later.xpath("//li[@component='post']")[0]
    assert forum_thread.opening(later, first) == (
        False, "a later page of the thread (the page links to a previous page)"
    )
    numbered = lxml.html.fromstring('<div><div id="post-41" class="postbit"><a href="#post41">#1</a><p>Hi</p></div></div>')
    assert forum_thread.opening(numbered, numbered[0]) == (True, "the first post is #1")
    numbered_later = lxml.html.fromstring('<div><div id="post-41" class="postbit"><a href="#post41">#21</a></div></div>')
    assert forum_thread.opening(numbered_later, numbered_later[0]) == (False, "the first post on this page is #21")
    # A blog comment is never an opening post, whatever it is numbered.
    blog = lxml.html.fromstring('<ol><li id="comment-5" class="comment"><span>#1</span><p>Hi</p></li></ol>')
    assert forum_thread.opening(blog, blog[0]) is None


def test_a_thread_whose_article_item_shows_the_opening_post_keeps_its_first_comment(tmp_path: Path) -> None:
    # Discourse's crawler view: the opening post is the DiscussionForumPosting's own text.
    html = _topic(0).replace('<meta itemprop="text" content="summary">',
                             '<div itemprop="text"><p>The opening post, printed by the topic item itself.</p></div>')
    html = html.replace(' data-index="0"', "").replace(' data-index="1"', "").replace(' data-index="2"', "")
    html = html.replace('component="post"', 'id="post_X" class="topic-post"')
    out = read_html(tmp_path, html)
    assert len(out.threads[0].comments) == 3


def test_a_heading_below_the_comments_words_stays_text(tmp_path: Path) -> None:
    html = HEADING_BYLINE.replace(
        "<p>Pecan first, please!</p>", "<p>Pecan first, please!</p><h4>Update <span>2012</span></h4><p>Made it.</p>"
    )
    comments = read_html(tmp_path, html).threads[0].comments
    assert comments[0].author == "jodie"
    assert comments[0].text == "Pecan first, please!\n\nUpdate 2012\n\nMade it."
