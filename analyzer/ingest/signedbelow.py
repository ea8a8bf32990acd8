"""Comment lists signed below: each comment's text first, then the line that signs it.

Typepad, Movable Type and many old blog systems print a comment as its text followed by a
signature line that names the author and the date: "Posted by: Anna | Jan 10, 2008 4:49 PM",
"Posted by Anna at May 3, 2012 7:49 AM", "Comment by Anna — 18.07.2011", "Anna said on
3 May 2012", "Geschrieben von Anna am 3. Mai 2012", "Écrit par Anna le 3 mai 2012".  Every text
tool keeps that order, so each signature line closes one comment and the text between two
signatures (minus separator rules, button rows and leftover markup) is the comment.  The
capture shows no nesting: the list is flat.

The same signature closes each post of a blog's index page ("Posted by Anna at 10:00 AM |
Permalink | Comments (3)") and an article's byline, so a list needs evidence of a comment
list (:func:`read_signed_below`): at least ``MIN_SIGNATURES`` signatures of one form with two
or more names; signatures without the post footer's words (comment counts, trackbacks, "Read
more"); texts that do not open with a title over a body and hold no "Continue reading" links;
and a comment header above the list or the reply form under it.

The lead words ("Posted by", "Geschrieben von", …) are data in
:data:`analyzer.ingest.textsigns.VOCABULARY` (key ``signed_by``), with the other languages'
comment words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.ingest import capturelist, patterns, textsigns

__all__ = ["SignedBelowItem", "SignedBelowList", "read_signed_below", "signature"]

# A list is at least this many signed comments (two signatures are an article's byline and
# one stray comment as often as a list).
MIN_SIGNATURES = 3
# Signatures of the list are at most this many non-blank lines apart: a longer run between
# two of them is an article or a page section, where the list starts again.
MAX_GAP_LINES = 120
# The comment header, when there is one, is at most this many non-blank lines above the first
# comment's text; the reply form at most this many under the last signature.
HEADER_REACH = 12
FORM_REACH = 25
# Share of the list's signatures or texts with a post teaser's signs that makes it a post list.
TEASER_SHARE = 1 / 3
# A title line over a post's teaser: short, no closing punctuation.
TITLE_MAX_WORDS = 12
# Signatures this many and more need no header or form around them when nothing looks like
# a teaser list (a comment list whose header the capture dropped).
MANY_SIGNATURES = 6
# The first comment has no signature above it: its text is taken upwards at most this many
# paragraphs, and only while they read as prose.
FIRST_MAX_PARAGRAPHS = 6
# Lines with the list's lead word and a number between its signatures that do not read as a
# signature, as a share of the signatures read: more, and the list is not understood.
UNREAD_SHARE = 0.2
# An article's byline signed like the comments: the text under it is this many lines and more,
# and more than this many times the longest comment under it.
BYLINE_MIN_LINES = 8
BYLINE_FACTOR = 3
# Words of a sentence under the last signature that make the signatures headers over their
# texts, not signatures below them.
TITLED_SHARE = 0.5
PROSE_AFTER_WORDS = 12
PROSE_AFTER_LINES = 6
NAME_MAX_WORDS = 6
NAME_MAX_CHARS = 60


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LEADS = {w for entry in textsigns.VOCABULARY.values() for w in entry.get("signed_by", ())}
# "Posted by: NAME …", "Napisał(a): NAME …"; the colon is optional and kept in the form.
_LEAD = re.compile(r"^(?P<lead>" + _alternation(_LEADS) + r")(?P<colon>\s*:)?\s+(?=\S)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# The reply form's first words ("Post a comment", "Leave a Reply", "Kommentar verfassen").
_FORM_START = re.compile(r"(?:" + _alternation({f for e in textsigns.VOCABULARY.values() for f in e.get("form", ())})
                         + r")", re.IGNORECASE)
# The lead anywhere in a line: a signature the reader could not read (a side column printed on
# the same line before it, a date the tool broke up).
_LEAD_ANYWHERE = re.compile(r"(?<!\w)(?:" + _alternation(_LEADS) + r")(?!\w)", re.IGNORECASE)
# "NAME said on DATE" / "NAME schrieb am DATE": a speaking verb between the name and the date.
_VERB = re.compile(r"\s(?P<verb>said|says|wrote|writes|commented|sagt|sagte|schrieb|meinte|kommentierte|a dit|"
                   r"a écrit|dijo|escribió|comentó|ha scritto|disse|scrive|zei|schreef|zegt|napisał|napisała|"
                   r"написал|написала|пишет)\s*:?(?:\s+(?:on|at|am|um|le|el|il|op|dnia|в))?\s+(?=\S)",
                   re.IGNORECASE)
# Between the name and the date after a lead: "|", "at", "on", a dash, a comma, "am", "le" …
# Starts only where a whitespace run starts ((?<!\s)): from inside a run the same match fails
# again, and a long run of spaces made finditer quadratic (tests/test_regex_bounds.py).
_NAME_DATE_SEPARATOR = re.compile(r"(?<!\s)\s*(?:[|·•—–]|\s-|,)\s*|(?<!\s)\s+(?:at|on|am|um|le|el|il|op|dnia|à|в|the)\s+",
                                  re.IGNORECASE)
# A post's footer, not a comment's signature: the post's comment count, trackbacks, "Read more".
_POST_FOOTER = re.compile(r"(?<!\w)(?:comments?\s*\(\d+\)|\d+\s+comments?|trackbacks?|kommentare?\s*\(\d+\)|"
                          r"\d+\s+kommentare?|commentaires?\s*\(\d+\)|\d+\s+commentaires?|comentarios?\s*\(\d+\)|"
                          r"\d+\s+comentarios?|commenti\s*\(\d+\)|\d+\s+commenti|reacties\s*\(\d+\)|\d+\s+reacties|"
                          r"read more|continue reading|weiterlesen|lire la suite|leer más|leggi tutto|lees meer|"
                          r"no comments|keine kommentare|leave a comment|add comment)(?!\w)", re.IGNORECASE)
_TEASER_LINK = re.compile(r"(?<!\w)(?:read more|continue reading|read the rest|weiterlesen|mehr lesen|lire la suite|"
                          r"leer más|seguir leyendo|leggi tutto|continua a leggere|lees meer|czytaj dalej|"
                          r"читать далее)(?!\w)", re.IGNORECASE)
# Lines that are no text: rules and leftover markup tags.
_TIME_TAIL = re.compile(r"(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?(?!\w))?(?:\s*Uhr(?!\w))?")
_RULE = re.compile(r"^[\s━─—–_=*~.·-]{3,}$")
# An avatar's stand-in alone on its line: "[f91c]" (w3m), "[IMG]", a lone dash (pandoc).
_STAND_IN = re.compile(r"^(?:\[[^\]\s]{1,40}\]|[-–—])$")
_TAG_LINE = re.compile(r"^\s*(?:</?[a-zA-Z][^>]{0,300}>\s*)+$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_BULLETS = " \t•*·□●○◦▪■‣+>"
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_INSIDE = re.compile(r"[.!?…](?:\s|$)")
_SENTENCE_END = re.compile(r"[.!?…:;\"“”»)]$")


@dataclass(frozen=True, slots=True)
class SignedBelowItem:
    """One comment: the signature line closing it, its text span [body_start, body_end)."""

    signature_line: int
    body_start: int
    body_end: int
    author: str
    date_text: str


@dataclass(frozen=True, slots=True)
class SignedBelowList:
    """A list of comments each closed by its signature line."""

    items: list[SignedBelowItem]
    form: str  # the signatures' form, e.g. "posted by: NAME | DATE"
    header_line: int | None
    form_line: int | None


def signature(line: str) -> tuple[str, str, str] | None:
    """(author, date text, form) of a signature line, or None.

    The form is the lead or verb and the separator, lower-cased ("posted by: | ", "said on"):
    one list signs all its comments alike.
    """
    content = line.strip().strip(_BULLETS).strip().replace("\\|", "|")  # pandoc escapes the bar
    if not content or len(content) > patterns.DATE_LINE_MAX_CHARS or _DIGIT.search(content) is None:
        return None
    lead = _LEAD.match(content)
    if lead is not None:
        rest = content[lead.end():]
        head = lead.group("lead").lower() + (":" if lead.group("colon") else "")
        for sep in _NAME_DATE_SEPARATOR.finditer(rest):
            found = _dated(rest[: sep.start()], rest[sep.end():])
            if found is not None:
                return found[0], found[1], f"{head} NAME {sep.group(0).strip().lower() or ' '} DATE"
        return None
    verb = _VERB.search(content)
    if verb is not None:
        found = _dated(content[: verb.start()], content[verb.end():])
        if found is not None:
            return found[0], found[1], f"NAME {' '.join(verb.group(0).lower().split())} DATE"
    return None


def _dated(name: str, rest: str) -> tuple[str, str] | None:
    """(name, date text) when ``rest`` opens with a date and ``name`` reads as a name."""
    name = name.strip(" |·•—–-,:\\")
    if not name or len(name) > NAME_MAX_CHARS or len(name.split()) > NAME_MAX_WORDS:
        return None
    if name.endswith((".", "!", "?")) and len(name.split()) > 2:
        return None  # a sentence, not a name ("… was great. Posted by …" is no signature)
    if not _WORD.search(name):
        return None
    rest = rest.strip()
    if "_" in rest and " " not in rest:  # Debian html2text joins a linked date with underscores
        rest = rest.replace("_", " ")
    match = capturelist.date_in_line(rest)
    if match is None or rest[: match.start()].strip(" [(|,") != "":
        return None
    # The date only: a text browser may print a side column's words after it on the same line.
    tail = _TIME_TAIL.match(rest, match.end())  # seconds and "PM" the date pattern leaves ("4:49:12 PM")
    return name, rest[: tail.end() if tail else match.end()]


def _content(line: str) -> str:
    return line.strip().strip(_BULLETS).strip()


def _is_text(line: str) -> bool:
    """Whether a line belongs to a comment's text: not blank, no rule, tag or button row."""
    content = _content(line)
    if not content or _RULE.match(content) or _TAG_LINE.match(content) or _STAND_IN.match(content):
        return False
    return not textsigns.BUTTON_LINE.match(content)


def _title_over_body(lines: list[str], start: int, end: int) -> bool:
    """Whether a post's text opens with a title line over more text (a teaser's headline)."""
    text = [i for i in range(start, end) if _is_text(lines[i])]
    if len(text) < 2:
        return False
    first = _content(lines[text[0]])
    if _MD_HEADING.match(lines[text[0]]):
        return True
    words = first.split()
    return (len(words) <= TITLE_MAX_WORDS and not _SENTENCE_END.search(first) and first[:1].isupper()
            and not first.endswith(","))


def _form_line(content: str) -> bool:
    # Debian html2text joins a link's words with underscores ("Leave_a_comment").
    return _FORM_START.match(content.replace("_", " ")) is not None


def _runs(sigs: list[int], lines: list[str]) -> list[list[int]]:
    """The signatures split where a long stretch, a heading or the reply form lies between two."""
    runs: list[list[int]] = [[sigs[0]]]
    for a, b in zip(sigs, sigs[1:], strict=False):
        between = [i for i in range(a + 1, b) if lines[i].strip()]
        broken = len(between) > MAX_GAP_LINES or any(
            capturelist.section_header(_content(lines[i]))[0] or _form_line(_content(lines[i])) for i in between)
        if broken:
            runs.append([b])
        else:
            runs[-1].append(b)
    return runs


def _inner_blank_run(lines: list[str], start: int, end: int) -> int:
    """The longest run of blank lines between two text lines of a comment's text."""
    longest = run = 0
    seen_text = False
    for i in range(start, end):
        if _is_text(lines[i]):
            if seen_text:
                longest = max(longest, run)
            seen_text = True
            run = 0
        elif not lines[i].strip():
            run += 1
    return longest


def _paragraph_count(lines: list[str], start: int, end: int) -> int:
    count = 0
    inside = False
    for i in range(start, end):
        text = _is_text(lines[i])
        count += text and not inside
        inside = text
    return count


def _text_lines(lines: list[str], start: int, end: int) -> int:
    return sum(1 for i in range(start, end) if _is_text(lines[i]))


def _first_start(lines: list[str], sig: int, floor: int, max_blank: int,
                 max_paragraphs: int) -> tuple[int, int | None]:
    """(first line of the first comment's text, the header line above it or None).

    The first comment has no signature above it: its text is the paragraphs right above its
    signature, upwards while they read as prose, are spaced as the other comments' paragraphs
    are (at most ``max_blank`` blank lines apart: the article ends where a wider gap lies, as
    chromium and the markdown tools print the image and ad lines between), and stop at the
    comment header, a short non-prose line ("Advertisement", "Share this"), markup or a rule."""
    start = sig
    paragraphs = 0
    idx = sig - 1
    header = None
    while idx >= floor:
        # The paragraph ending at idx (skip blanks first).
        blanks = 0
        while idx >= floor and not lines[idx].strip():
            idx -= 1
            blanks += 1
        if idx < floor:
            break
        if paragraphs and blanks > max_blank:
            break
        content = _content(lines[idx])
        if capturelist.section_header(content)[0]:
            header = idx
            break
        if not _is_text(lines[idx]) or _form_line(content):
            break  # a rule, markup, or the reply form's link ("Leave a comment") over the list
        top = idx
        while top - 1 >= floor and lines[top - 1].strip() and _is_text(lines[top - 1]) \
                and not _form_line(_content(lines[top - 1])):
            top -= 1
        para = " ".join(_content(lines[i]) for i in range(top, idx + 1))
        if capturelist.section_header(_content(lines[top]))[0]:
            header = top
            if top < idx:
                start = top + 1
            break
        prose = len(para.split()) > TITLE_MAX_WORDS or _SENTENCE_END.search(para) is not None
        if paragraphs and not prose:
            break  # a short non-prose line above the text: the article's end or a page element
        if signature(lines[idx]) is not None:
            break
        start = top
        paragraphs += 1
        if paragraphs >= max_paragraphs:
            break
        idx = top - 1
    if header is None:
        # A header a few lines above the stop ("Comments" over an ad line or a rule).
        seen = 0
        for i in range(start - 1, max(floor, 0) - 1, -1):
            if not lines[i].strip():
                continue
            seen += 1
            if seen > HEADER_REACH:
                break
            if capturelist.section_header(_content(lines[i]))[0]:
                header = i
                break
    return start, header


def _body_start(lines: list[str], after: int, end: int) -> int:
    """The first text line after a signature (rules, markup and buttons skipped)."""
    for i in range(after, end):
        if _is_text(lines[i]):
            return i
    return end


def _form_after(lines: list[str], sig: int) -> int | None:
    seen = 0
    for i in range(sig + 1, len(lines)):
        content = _content(lines[i])
        if not content:
            continue
        seen += 1
        if seen > FORM_REACH:
            return None
        if _form_line(content):
            return i
    return None


def _titled(lines: list[str], start: int, sig: int) -> bool:
    """Whether a text ends in a title line right over its signature: a short line without a
    sentence end, after a finished sentence or a blank line.  That is the next comment's title
    over its meta line (the signature then heads the text under it), not the end of a text."""
    text = [i for i in range(start, sig) if _is_text(lines[i])]
    if len(text) < 2:
        return False
    last = _content(lines[text[-1]]).strip("* ")
    if len(last.split()) > TITLE_MAX_WORDS or _SENTENCE_END.search(last) or not last[:1].isupper():
        return False
    before = _content(lines[text[-2]])
    return text[-2] < text[-1] - 1 or _SENTENCE_END.search(before) is not None


def _prose_after(lines: list[str], sig: int) -> bool:
    """Whether the lines right under a signature are prose: a comment's text, when each
    signature opens its comment instead of closing it ("Anna said on 3 May 2012" or "geschrieben
    von Anna am …" over the text)."""
    para: list[str] = []
    for i in range(sig + 1, len(lines)):
        if not para and (not lines[i].strip() or _WORD.search(lines[i]) is None or not _is_text(lines[i])):
            continue  # blank lines, buttons, a bracket left of a button link wrapped over lines
        content = _content(lines[i])
        if _form_line(content) or capturelist.section_header(content)[0]:
            break  # the reply form or a section right under it: the list ended there
        if not _is_text(lines[i]) or signature(lines[i]) is not None or _MD_HEADING.match(lines[i]) \
                or len(para) >= PROSE_AFTER_LINES:
            break
        para.append(_content(lines[i]))
    text = " ".join(para)
    return len(text.split()) >= PROSE_AFTER_WORDS and _SENTENCE_INSIDE.search(text) is not None


def read_signed_below(lines: list[str]) -> SignedBelowList | None:
    """The page's comment list signed below, or None without evidence of a comment list."""
    found: dict[int, tuple[str, str, str]] = {}
    for idx, line in enumerate(lines):
        if _DIGIT.search(line) is not None:
            sig = signature(line)
            if sig is not None:
                found[idx] = sig
    if len(found) < MIN_SIGNATURES:
        return None
    by_form: dict[str, list[int]] = {}
    for idx, (_, _, form) in found.items():
        by_form.setdefault(form, []).append(idx)
    best: SignedBelowList | None = None
    for form, sigs in by_form.items():
        for run in _runs(sigs, lines):
            reading = _read_run(lines, run, found, form)
            if reading is not None and (best is None or len(reading.items) > len(best.items)):
                best = reading
    return best


def _read_run(lines: list[str], run: list[int], found: dict[int, tuple[str, str, str]],
              form: str) -> SignedBelowList | None:
    if len(run) < MIN_SIGNATURES or len({found[i][0].lower() for i in run}) < 2:
        return None
    if not form.startswith("NAME"):
        lead = form.split(" NAME")[0].rstrip(":")
        unread = sum(1 for i in range(run[0] + 1, run[-1]) if i not in found and _DIGIT.search(lines[i])
                     and any(m.group(0).lower() == lead for m in _LEAD_ANYWHERE.finditer(lines[i])))
        if unread > UNREAD_SHARE * len(run):
            return None  # signatures this reading cannot split from the page's columns: not understood
    footers = sum(1 for i in run if _POST_FOOTER.search(lines[i]))
    if footers > TEASER_SHARE * len(run):
        return None  # "Posted by Anna at 10:00 | Permalink | Comments (3)": a post list
    floor = 0
    prior = [i for i in found if i < run[0]]
    if prior:
        floor = max(prior) + 1
    later = [_body_start(lines, a + 1, b) for a, b in zip(run, run[1:], strict=False)]
    # A first signature over a text far longer than every other is an article's byline, and
    # the article is no comment: the list starts at the next signature.
    sizes = [_text_lines(lines, start, sig) for start, sig in zip(later, run[1:], strict=True)]
    if len(run) > MIN_SIGNATURES and sizes[0] >= BYLINE_MIN_LINES and sizes[0] > BYLINE_FACTOR * max(sizes[1:]):
        floor = run[0] + 1
        run, later = run[1:], later[1:]
    pairs = list(zip(later, run[1:], strict=True))
    max_blank = max([1] + [_inner_blank_run(lines, start, sig) for start, sig in pairs])
    # The first comment has as many paragraphs as the others have at most: with no header and
    # no gap above it, its text would otherwise run on into the article's last paragraphs.
    max_paragraphs = min(FIRST_MAX_PARAGRAPHS, max([1] + [_paragraph_count(lines, start, sig) for start, sig in pairs]))
    first, header = _first_start(lines, run[0], floor, max_blank, max_paragraphs)
    starts = [first, *later]
    teasers = 0
    for start, sig in zip(starts, run, strict=True):
        if not any(_is_text(lines[i]) for i in range(start, sig)):
            return None  # a signature with no text above it: not a comment list signed below
        if _title_over_body(lines, start, sig) or any(_TEASER_LINK.search(lines[i]) for i in range(start, sig)):
            teasers += 1
    if teasers > TEASER_SHARE * len(run):
        return None  # headlines over teasers, "Continue reading": a blog's post list
    if sum(_titled(lines, start, sig) for start, sig in zip(starts, run, strict=True)) > TITLED_SHARE * len(run):
        return None  # a title over each signature: titled comments with their meta above the text
    if _prose_after(lines, run[-1]):
        return None  # a text under the last signature: the signatures head their texts (meta above)
    form_line = _form_after(lines, run[-1])
    if header is None and form_line is None and len(run) < MANY_SIGNATURES:
        return None  # nothing says these are comments
    items = [SignedBelowItem(signature_line=sig, body_start=start, body_end=sig, author=found[sig][0],
                             date_text=found[sig][1]) for start, sig in zip(starts, run, strict=True)]
    return SignedBelowList(items=items, form=form, header_line=header, form_line=form_line)


def text_of(lines: list[str], start: int, end: int) -> str:
    """A comment's text: its paragraphs, without rules, leftover markup and button rows."""
    paragraphs: list[str] = []
    current: list[str] = []
    for i in range(start, end):
        if _is_text(lines[i]):
            current.append(_content(lines[i]))
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
