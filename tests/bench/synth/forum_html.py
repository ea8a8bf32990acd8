"""Render a forum thread as the HTML of several board layouts, for text-capture tests.

Five layouts, each written from how the board families print a thread (no markup copied from
any site): ``xenforo`` (avatar letter, name, rank, a definition list of member fields, date and
"#N" as list items, quotes as "X said:" … "Click to expand..."), ``vbulletin`` (an ordered list
of posts, a head row with date and "#N", user info with "Registriert seit" / "Beiträge", "Zitat
von X" boxes, a "Zitieren" button), ``phpbb`` ("Re: title", "von NAME » date", a profile column
after the text, a signature, "Nach oben"), ``discourse`` (name, date and "#N" in one row, likes
under the text, no member fields) ``invision`` (name, rank and a post count in an aside,
"Posted DATE", "Quote" button), ``prosilver`` (phpBB's default style: the profile column before the
text), ``smf`` ("« Reply #2 on: DATE »", member fields under the name) and ``mybb`` (date and
"Post: #2" in one row over the author box).  Labels come in German, English or French.

The truth is the shape of the held-out pages' ``truth.json``: every post flat, the first one
flagged ``opening_post``, keys from the post's own text (quotes left out).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LAYOUTS = ("xenforo", "vbulletin", "phpbb", "discourse", "invision", "prosilver", "smf", "mybb")


@dataclass(slots=True)
class Post:
    """One post: its author, time, own text (paragraphs split by blank lines) and an optional
    quote of an earlier post (author, quoted text)."""

    author: str
    created: datetime
    text: str
    quote: tuple[str, str] | None = None
    rank: str = "Member"
    n_posts: int = 12
    joined: datetime = field(default_factory=lambda: datetime(2012, 3, 4))


_LABELS: dict[str, dict[str, Any]] = {
    "de": {"joined": "Mitglied seit", "posts": "Beiträge", "said": "hat gesagt.:", "expand": "Zum Vergrößern anklicken....",
           "quote_from": "Zitat von", "quote": "Zitieren", "reply": "Antworten", "top": "Nach oben", "by": "von",
           "registered": "Registriert seit", "posted": "Verfasst am", "likes": "Gefällt mir",
           "months": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                      "November", "Dezember")},
    "en": {"joined": "Joined", "posts": "Messages", "said": "said:", "expand": "Click to expand...",
           "quote_from": "Quote from", "quote": "Quote", "reply": "Reply", "top": "Back to top", "by": "by",
           "registered": "Join Date", "posted": "Posted", "likes": "Likes",
           "months": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December")},
    "fr": {"joined": "Inscrit le", "posts": "Messages", "said": "a dit :", "expand": "Cliquez pour agrandir...",
           "quote_from": "Citation de", "quote": "Citer", "reply": "Répondre", "top": "Haut", "by": "par",
           "registered": "Inscrit", "posted": "Posté le", "likes": "J'aime",
           "months": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                      "novembre", "décembre")},
}


def _date(value: datetime, lang: str, *, time: bool = True) -> str:
    month = _LABELS[lang]["months"][value.month - 1]
    if lang == "en":
        out = f"{month[:3]} {value.day}, {value.year}"
        return out + (f" at {value:%H:%M}" if time else "")
    out = f"{value.day}. {month} {value.year}" if lang == "de" else f"{value.day} {month} {value.year}"
    return out + (f", {value:%H:%M}" if time else "")


def _paras(text: str) -> str:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


def _quote(post: Post, layout: str, lang: str) -> str:
    if post.quote is None:
        return ""
    who, said = post.quote
    lab = _LABELS[lang]
    inner = _paras(said)
    if layout == "xenforo":
        return (f'<blockquote class="bbCodeBlock"><div class="attribution">{html.escape(who)} {lab["said"]}</div>'
                f'<div class="quote">{inner}</div><div class="expand">{lab["expand"]}</div></blockquote>')
    if layout == "vbulletin":
        return (f'<div class="bbcode_container"><div class="bbcode_quote"><div class="posted_by">'
                f'{lab["quote_from"]} <strong>{html.escape(who)}</strong></div>'
                f'<div class="message">{inner}</div></div></div>')
    if layout == "phpbb":
        return f'<blockquote><cite>{html.escape(who)} {lab["said"]}</cite>{inner}</blockquote>'
    if layout == "discourse":
        return f'<aside class="quote"><div class="title">{html.escape(who)}:</div><blockquote>{inner}</blockquote></aside>'
    return (f'<blockquote class="ipsQuote"><div class="ipsQuote_citation">{html.escape(who)} {lab["said"]}</div>'
            f'<div class="ipsQuote_contents">{inner}</div></blockquote>')


def _post_html(post: Post, n: int, layout: str, lang: str, title: str) -> str:
    lab = _LABELS[lang]
    name = html.escape(post.author)
    body = _quote(post, layout, lang) + _paras(post.text)
    if layout == "xenforo":
        return (f'<article class="message" id="post-{n}"><div class="message-user">'
                f'<div class="avatar">{html.escape(post.author[:1].upper())}</div>'
                f'<h4 class="message-name"><a href="/members/{n}/">{name}</a></h4>'
                f'<h5 class="userTitle">{html.escape(post.rank)}</h5>'
                f'<dl><dt>{lab["joined"]}</dt><dd>{_date(post.joined, lang, time=False)}</dd></dl>'
                f'<dl><dt>{lab["posts"]}</dt><dd>{post.n_posts}</dd></dl></div>'
                f'<div class="message-main"><ul class="message-attribution"><li><time>{_date(post.created, lang)}'
                f'</time></li><li><a href="#post-{n}">#{n}</a></li></ul>'
                f'<div class="bbWrapper">{body}</div>'
                f'<div class="actionBar"><a href="#">{lab["reply"]}</a></div></div></article>')
    if layout == "vbulletin":
        return (f'<li class="postbit" id="post_{n}"><div class="posthead"><span class="date">'
                f'{post.created:%d.%m.%Y, %H:%M}</span> <a class="postcounter" href="#post{n}">#{n}</a></div>'
                f'<div class="userinfo"><a class="username" href="/member.php?u={n}">{name}</a>'
                f'<span class="usertitle">{html.escape(post.rank)}</span>'
                f'<dl><dt>{lab["registered"]}:</dt> <dd>{post.joined:%m.%Y}</dd></dl>'
                f'<dl><dt>{lab["posts"]}:</dt> <dd>{post.n_posts}</dd></dl></div>'
                f'<div class="postbody"><div class="content">{body}</div></div>'
                f'<div class="postfoot"><a href="#">{lab["quote"]}</a></div></li>')
    if layout == "phpbb":
        return (f'<div class="post" id="p{n}"><div class="postbody"><h3><a href="#p{n}">'
                f'{"Re: " if n > 1 else ""}{html.escape(title)}</a></h3>'
                f'<p class="author">{lab["by"]} <strong>{name}</strong> » {_date(post.created, lang)}</p>'
                f'<div class="content">{body}</div>'
                f'<div class="signature">{html.escape(post.author)} – {html.escape(post.rank)}</div></div>'
                f'<dl class="postprofile"><dt>{name}</dt><dd>{html.escape(post.rank)}</dd>'
                f'<dd><strong>{lab["posts"]}:</strong> {post.n_posts}</dd>'
                f'<dd><strong>{lab["registered"]}:</strong> {_date(post.joined, lang, time=False)}</dd></dl>'
                f'<ul class="buttons"><li><a href="#">{lab["quote"]}</a></li></ul>'
                f'<div class="back2top"><a href="#top">{lab["top"]}</a></div></div>')
    if layout == "discourse":
        return (f'<div class="topic-post" itemprop="comment" id="post_{n}"><div class="topic-meta-data">'
                f'<span class="creator"><a href="/u/{n}"><b>{name}</b></a></span> '
                f'<span class="crawler-post-infos"><time>{_date(post.created, lang)}</time> '
                f'<span class="position">#{n}</span></span></div>'
                f'<div class="post" itemprop="text">{body}</div>'
                f'<div class="post-likes">{post.n_posts % 7 + 1} {lab["likes"]}</div></div>')
    if layout == "prosilver":
        return (f'<div class="post" id="p{n}"><div class="inner">'
                f'<dl class="postprofile"><dt><a href="/u/{n}">{name}</a></dt><dd class="rank">{html.escape(post.rank)}</dd>'
                f'<dd><strong>{lab["posts"]}:</strong> {post.n_posts}</dd>'
                f'<dd><strong>{lab["registered"]}:</strong> {_date(post.joined, lang, time=False)}</dd></dl>'
                f'<div class="postbody"><h3><a href="#p{n}">{"Re: " if n > 1 else ""}{html.escape(title)}</a></h3>'
                f'<ul class="post-buttons"><li><a href="#">{lab["quote"]}</a></li></ul>'
                f'<p class="author">{lab["by"]} <strong>{name}</strong> » {_date(post.created, lang)}</p>'
                f'<div class="content">{body}</div></div>'
                f'<div class="back2top"><a href="#top">{lab["top"]}</a></div></div></div>')
    if layout == "smf":
        head = "Reply" if lang == "en" else "Antwort" if lang == "de" else "Réponse"
        return (f'<div class="windowbg" id="msg{n}"><div class="poster"><h4><a href="/profile/{n}">{name}</a></h4>'
                f'<ul><li class="membergroup">{html.escape(post.rank)}</li><li class="postcount">{lab["posts"]}: '
                f'{post.n_posts}</li></ul></div><div class="postarea"><div class="keyinfo">'
                f'<h5><a href="#msg{n}">{"Re: " if n > 1 else ""}{html.escape(title)}</a></h5>'
                f'<div class="smalltext">« {head + " #" + str(n - 1) + " " if n > 1 else ""}{_date(post.created, lang)} »</div>'
                f'</div><ul class="quickbuttons"><li><a href="#">{lab["quote"]}</a></li></ul>'
                f'<div class="post"><div class="inner">{body}</div></div></div></div>')
    if layout == "mybb":
        return (f'<div class="post" id="post_{n}"><div class="post_head"><span class="post_date">'
                f'{post.created:%m-%d-%Y, %I:%M %p}</span> <strong>Post: <a href="#pid{n}">#{n}</a></strong></div>'
                f'<div class="post_author"><strong><span class="largetext"><a href="/user-{n}">{name}</a></span></strong><br>'
                f'<span class="smalltext">{html.escape(post.rank)}</span>'
                f'<div class="author_statistics">{lab["posts"]}: {post.n_posts}<br>{lab["joined"]}: '
                f'{post.joined:%b %Y}</div></div>'
                f'<div class="post_body">{body}</div>'
                f'<div class="post_controls"><a href="#">{lab["reply"]}</a> <a href="#">{lab["quote"]}</a></div></div>')
    return (f'<article class="cPost" id="comment-{n}"><aside class="cAuthorPane"><h3><a href="/profile/{n}">'
            f'{name}</a></h3><p>{html.escape(post.rank)}</p>'
            f'<p>{post.n_posts} {lab["posts"].lower()}</p></aside>'
            f'<div class="cPost_contentWrap"><p class="meta">{lab["posted"]} {_date(post.created, lang)}</p>'
            f'<div class="cPost_content">{body}</div>'
            f'<ul class="comment-controls"><li><a href="#">{lab["quote"]}</a></li></ul></div></article>')


def render_thread(title: str, posts: list[Post], layout: str, lang: str = "de") -> str:
    """The thread as a whole HTML page: site navigation, the title, the posts, a footer."""
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in ("Forum", "Neue Beiträge", "Mitglieder", "Suche"))
    items = "".join(_post_html(p, n, layout, lang, title) for n, p in enumerate(posts, start=1))
    wrapper = f'<ol class="posts">{items}</ol>' if layout == "vbulletin" else f'<div class="thread">{items}</div>'
    footer = ('<footer><ul><li><a href="/impressum">Impressum</a></li><li><a href="/datenschutz">Datenschutz</a></li>'
              '<li><a href="/regeln">Forenregeln</a></li><li><a href="/kontakt">Kontakt</a></li>'
              '<li><a href="/hilfe">Hilfe</a></li><li><a href="/rss">RSS</a></li></ul></footer>')
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body><header><nav><ul>{nav}</ul></nav></header><main><h1>{html.escape(title)}</h1>'
            f'{wrapper}</main>{footer}</body></html>')


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFC", text)
    return "".join(c.lower() for c in decomposed if c.isalnum())


def truth(title: str, posts: list[Post], layout: str) -> dict[str, Any]:
    """The held-out-shaped truth of a rendered thread (flat posts, the first one the opening post)."""
    comments = []
    for n, post in enumerate(posts, start=1):
        key = _fold(post.text)[:50]
        row: dict[str, Any] = {"id": str(n), "parent": None, "depth": 1, "author": post.author,
                               "date": post.created.isoformat(), "key": key}
        if n == 1:
            row["opening_post"] = True
        comments.append(row)
    return {"page": title, "system": f"synthetic {layout}", "lang": "", "header": None, "announced": None,
            "n_comments": len(posts), "n_pingbacks": 0, "max_depth": 1, "comments": comments, "pingbacks": [],
            "checks": [], "notes": "rendered by tests.bench.synth.forum_html"}
