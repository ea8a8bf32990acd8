"""Pages without comments: telling a valid "no comments here" from "nothing understood".

Why (issue 12): a news article without a comment section is a valid page with zero comments.
When the HTML reader did not recognise the article's markup (no ``article#post-N``, no
``entry-content``) it refused such a page with exit 2, "neither article nor comment section",
although the page says plainly that it is an article (``og:type``, schema.org, an
``<article>`` full of paragraphs).  Five held-out article pages without comments were refused
that way.  A page where nothing at all is recognised stays a refusal.

And a page read with zero comments said nothing: the user could not tell "this page has no
comments" from a silent failure.  :func:`describe` gives the info line that says what was seen
(an article, a comment form, comments closed) and why zero is the answer.
"""

from __future__ import annotations

import json
import re

from analyzer.ingest.html_comments import signs
from analyzer.ingest.html_comments.common import Element, classes, line_of, text_of

# Info issue: the page was read and has no comments; the detail says what was seen.
CODE = "no-comments"

# schema.org types of an article page (https://schema.org/Article and its subtypes).
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "report",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "socialmediaposting",
        "posting",
    }
)
_TYPE_KEY = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
# Text that makes an <article> (or main, articleBody) a story: this many paragraphs and
# characters.  Chosen so a teaser card (a title and one sentence) is not a story: the three
# refused held-out article pages that have such a container hold 18-26 paragraphs and
# 4,700-11,800 characters in it (the other two say "article" by og:type / schema.org).
MIN_PARAGRAPHS = 3
MIN_STORY_CHARS = 500


def _paragraph_text(element: Element) -> tuple[int, int]:
    paragraphs = [text_of(p) or "" for p in element.iterdescendants("p")]
    paragraphs = [p for p in paragraphs if p]
    return len(paragraphs), sum(len(p) for p in paragraphs)


def story_container(root: Element) -> Element | None:
    """The element that declares itself the story: ``[itemprop=articleBody]``, an ``<article>``
    or ``<main>``, the one with the most paragraph text, when it holds enough to be a story."""
    best: Element | None = None
    best_chars = 0
    for element in root.xpath("//*[@itemprop='articleBody'] | //article | //main"):
        n, chars = _paragraph_text(element)
        if n >= MIN_PARAGRAPHS and chars >= MIN_STORY_CHARS and chars > best_chars:
            best, best_chars = element, chars
    return best


def story_element(root: Element) -> Element | None:
    """Where the story's text is: :func:`story_container`, else the element whose own
    paragraphs hold the most text (only used once other evidence says "article")."""
    best: Element | None = story_container(root)
    if best is not None:
        return best
    best_chars = 0
    # No such container: the element whose own paragraphs hold the most text.
    own: dict[Element, list[int]] = {}
    for p in root.iter("p"):
        parent = p.getparent()
        if parent is not None:
            counts = own.setdefault(parent, [0, 0])
            counts[0] += 1
            counts[1] += len(text_of(p) or "")
    for element, (n, chars) in own.items():
        if n >= MIN_PARAGRAPHS and chars >= MIN_STORY_CHARS and chars > best_chars:
            best, best_chars = element, chars
    return best


def article_evidence(root: Element) -> list[str]:
    """What says this page is an article, as short items; empty when nothing does."""
    found: list[str] = []
    og_type = root.xpath("//meta[@property='og:type']/@content")
    if og_type and str(og_type[0]).strip().lower() == "article":
        found.append('og:type "article"')
    if root.xpath("//meta[@property='article:published_time']"):
        found.append("an article:published_time meta")
    for script in root.xpath("//script[@type='application/ld+json']"):
        for match in _TYPE_KEY.finditer(script.text or ""):
            try:
                value = json.loads(match.group(1))
            except ValueError:
                continue
            values = value if isinstance(value, list) else [value]
            hit = next(
                (v for v in values if isinstance(v, str) and v.lower() in _ARTICLE_TYPES), None
            )
            if hit:
                found.append(f"a JSON-LD {hit}")
                break
        else:
            continue
        break
    for itemtype in root.xpath("//*[@itemtype]/@itemtype"):
        name = str(itemtype).rstrip("/").rsplit("/", 1)[-1].lower()
        if name in _ARTICLE_TYPES:
            found.append(f"schema.org {name} microdata")
            break
    story = story_container(root)
    if story is not None:
        n, chars = _paragraph_text(story)
        found.append(f"<{story.tag}> with {n} paragraphs ({chars} characters)")
    else:
        found.extend(_plain_story(root))
    if root.xpath(
        "//*[@id='respond' or @id='commentform'] | //form[contains(@action, 'wp-comments-post')]"
    ):
        # A blog's comment form belongs to a post: a real blog page whose theme the article
        # reader does not know was refused once its form-only comment heading stopped counting
        # as a sign of comments (session 6).
        found.append("a comment form (#respond)")
    return found


# Metadata naming a text's author or publication ("author", Dublin Core, Parse.ly, Open Graph).
_AUTHORSHIP_META = frozenset(
    {
        "author",
        "dc:creator",
        "dc.creator",
        "dcterms.creator",
        "article:author",
        "parsely-author",
        "parsely-pub-date",
        "dc:date",
        "dc.date",
        "dcterms.created",
        "date",
        "pubdate",
        "publish-date",
    }
)
# A titled text: a page heading over at least this much paragraph text.
MIN_TITLED_CHARS = 500


def _plain_story(root: Element) -> list[str]:
    """Article evidence of a plain page that names itself nowhere (no og:type, no schema.org, no
    <article>): its text is a story all the same.  43 of the 128 test pages of a readability
    library (plain news and blog pages, a wiki article, a mailing-list post) were refused, exit 2,
    "neither article nor comment section" (session 8).  Only asked for once the page shows no
    sign of comments, so a comment page never reads as a bare article this way."""
    found: list[str] = []
    story = story_element(root)
    if story is not None:
        n, chars = _paragraph_text(story)
        found.append(f"{n} paragraphs of text in <{story.tag}> ({chars} characters)")
    n_all, chars_all = _paragraph_text(root)
    heading = next((text_of(h) for h in root.iter("h1") if text_of(h)), None)
    if heading and chars_all >= MIN_TITLED_CHARS:
        found.append(f"a heading over {chars_all} characters of paragraphs")
    names = {
        name.lower()
        for m in root.iter("meta")
        for name in f"{m.get('name') or ''} {m.get('property') or ''}".split()
        if (m.get("content") or "").strip()
    }
    if heading and n_all and names & _AUTHORSHIP_META:
        found.append(
            "author or date metadata (" + ", ".join(sorted(names & _AUTHORSHIP_META)[:2]) + ")"
        )
    return found


def story_text(root: Element) -> str | None:
    """The story's paragraphs, blank-line separated, for an article whose markup the article
    reader does not know; a short story (fewer than three paragraphs) is the page's paragraphs."""
    story = story_element(root)
    paragraphs = [
        text_of(p) or "" for p in (story if story is not None else root).iter("p") if p is not story
    ]
    return "\n\n".join(p for p in paragraphs if p) or None


def story_title(root: Element) -> str | None:
    """The page's first non-empty ``<h1>``, else its ``<title>``: a plain page's headline."""
    for element in (*root.iter("h1"), *root.iter("title")):
        text = text_of(element)
        if text:
            return text
    return None


_FORM_MARK = re.compile(r"comment|respond|kommentar|commentaire|comentario|reply", re.IGNORECASE)


def _comment_form(root: Element) -> bool:
    """A comment form: a form whose id, class or action names comments, or whose text area
    does; or WordPress's and wpDiscuz's form containers."""
    for form in root.iter("form"):
        marker = f"{form.get('id') or ''} {form.get('action') or ''} {' '.join(classes(form))}"
        areas = " ".join(
            f"{t.get('name') or ''} {t.get('id') or ''}" for t in form.iterdescendants("textarea")
        )
        if _FORM_MARK.search(marker) or _FORM_MARK.search(areas):
            return True
    return bool(root.xpath("//*[@id='respond' or @id='wpdcom' or @id='comment-form']"))


def describe(root: Element, *, closed: bool, article_signs: list[str] | None = None) -> str:
    """The info line for a page read with no comments: what was seen, and what zero means."""
    what = (
        "the page, an article (" + ", ".join(article_signs[:3]) + "),"
        if article_signs
        else "the page"
    )
    if closed:
        return f"0 comments: {what} says comments are closed"
    said = _zero_statement(root)
    if said is not None:
        return f"0 comments: {what} says it has none ({said})"
    empty = signs.empty_comment_list(root)
    if empty is not None:
        return (
            f"0 comments: {what} shows an empty comment list (line {line_of(empty)}; none written yet, or loaded"
            " by script after the page was saved)"
        )
    if _comment_form(root):
        return (
            f"0 comments: {what} has a comment form but no comment (none written yet, or loaded by script"
            " after the page was saved)"
        )
    return f"0 comments: {what} has no comment section"


def _zero_statement(root: Element) -> str | None:
    """A heading or short element saying the page has no comment ("Aucun commentaire:"), quoted
    with its line."""
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "span", "p", "div"):
        if len(element) > 3:
            continue
        if not element.tag.startswith("h"):
            # Not a heading: only an element named for comments (a counter "Keine Kommentare"),
            # never a teaser's "0 comments" elsewhere on the page.
            marker = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
            if "comment" not in marker and "kommentar" not in marker:
                continue
        text = text_of(element) or ""
        if text and signs.states_zero(text) and not signs.in_side_list(element):
            return f"{text.strip()!r}, line {line_of(element)}"
    return None
