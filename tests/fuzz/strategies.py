"""Hypothesis strategies for the fuzz tests: fixture inputs, mutated.

Every strategy starts from real inputs of the format (the repository's own fixtures), so
the readers get past their format checks and the mutations reach the parsing code.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.bench.fuzz import TARGETS, seed_files

# Fragments that broke or stress parsers elsewhere: control characters, unbalanced markup
# and JSON, huge numbers, bidi controls, entity edge cases, deep nesting, long runs.
NASTY: tuple[str, ...] = (
    "\x00", "\x1b[31m", "\u202e", "\ufeff", "\r", "\r\n", "\t", "\x0b\x0c", "\u2028", "\ud7ff",
    "<", ">", "</div>", "&#x2;", "&#1;", "&#x1F", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "<p", "&", "&#0;",
    "&#x110000;", "&#99999999999;", "&amp", "{", "}", "[", "]", '"', "\\", "\\u", "\\ud800",
    "null", "-1", "0", "1e999", "-1e999", "99999999999999999999999999", "NaN", "true", ",",
    "\n\n\n", "> ", ">>>>>", "Antworten", "Reply", "|", "http://", "hxxps://x[.]y/", "www.",
    "@", "#", "😀", "👍🏽", "ä" * 3, "Ж", "中文", "\u0301" * 20, "a" * 3000, "." * 3000,
    "[" * 600, "{\"a\":" * 300, "<b>" * 500, "http://" * 400, "x" * 12_000,
)


def _fragments() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


@st.composite
def spliced(draw: st.DrawFn, target: str) -> bytes:
    """A fixture of ``target``'s format with up to five random cuts and insertions."""
    seeds = seed_files(TARGETS[target])
    data = draw(st.sampled_from(seeds)).read_bytes()
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + draw(st.sampled_from([0, 1, 10, 500])))))
        insert = draw(st.one_of(_fragments().map(lambda s: s.encode("utf-8", "surrogatepass")),
                                st.binary(max_size=16)))
        data = data[:start] + insert + data[end:]
    return data


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30), st.sampled_from(NASTY),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_paths(item, (*prefix, index)))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


@st.composite
def json_mutated(draw: st.DrawFn, target: str) -> bytes:
    """A JSON fixture of ``target`` with up to four values replaced by random JSON (wrong types too)."""
    seeds = [p for p in seed_files(TARGETS[target]) if p.suffix == ".json"]
    value = json.loads(draw(st.sampled_from(seeds)).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(value)
        path = draw(st.sampled_from(paths[1:] or paths))
        value = _replace(value, path, draw(JSON_VALUES))
    return json.dumps(value).encode("utf-8")


@st.composite
def csv_tables(draw: st.DrawFn) -> bytes:
    """CSV tables with the columns of the fixture (or random ones) and hostile cells."""
    header = draw(st.one_of(
        st.just(["ID_Post", "ID_Parent_Post", "ID_Article", "ID_User", "CreatedAt", "Status", "Body"]),
        st.just(["id", "parent_id", "text", "created_at", "author"]),
        st.lists(st.sampled_from(["id", "parent", "text", "date", "", "id", "x;y", "\"q\""]),
                 min_size=1, max_size=6),
    ))
    cell = st.one_of(_fragments(), st.integers().map(str), st.just(""), st.sampled_from(["1", "2", "3"]))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 2), max_size=8))
    sep = draw(st.sampled_from([",", ";", "\t"]))

    def quote(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if draw(st.booleans()) else v

    lines = [sep.join(header)] + [sep.join(quote(v) for v in row) for row in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_tables(draw: st.DrawFn) -> bytes:
    """JSON Lines of comment-like objects with random values, plus broken lines."""
    keys = st.sampled_from(["id", "parent", "post", "user", "timestamp", "body", "text", "parent_id"])
    obj = st.dictionaries(keys, JSON_VALUES, max_size=6).map(json.dumps)
    line = st.one_of(obj, obj, _fragments())
    return "\n".join(draw(st.lists(line, max_size=8))).encode("utf-8", "surrogatepass")


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """WordPress-like comment lists built from random nesting, classes and text."""
    classes = st.sampled_from(["comment", "comment-body", "children", "comment-content",
                               "comment-author", "fn", "comment-meta", "entry-content", "reply", ""])
    tags = st.sampled_from(["li", "ol", "div", "article", "p", "span", "time", "a", "cite", "blockquote"])

    def element(depth: int) -> str:
        tag = draw(tags)
        attrs = f' class="{draw(classes)}" id="comment-{draw(st.integers(-5, 10**12))}"'
        if draw(st.booleans()):
            attrs += f' datetime="{draw(_fragments())}" href="{draw(_fragments())}"'
        inner = draw(_fragments()).replace("<", "&lt;") if draw(st.booleans()) else draw(_fragments())
        kids = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 2)))) if depth < 5 else ""
        close = f"</{tag}>" if draw(st.integers(0, 9)) else ""
        return f"<{tag}{attrs}>{inner}{kids}{close}"

    body = "".join(element(0) for _ in range(draw(st.integers(1, 4))))
    page = (f"<!DOCTYPE html><html><head><title>{draw(_fragments())}</title></head><body>"
            f'<article class="post"><div class="entry-content"><p>{draw(_fragments())}</p></div></article>'
            f'<ol class="comment-list">{body}</ol></body></html>')
    return page.encode("utf-8", "surrogatepass")
