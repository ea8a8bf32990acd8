"""Language tags per line: script first, py3langid among candidates, inheritance for short lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from analyzer.stages.nlp.langid import detect, script_counts, split_lines, tag_lines
from tests.conftest import HANG_LIMIT_S


def test_cyrillic_line_is_russian_inside_german_text() -> None:
    text = "Das hier ist ein deutscher Satz über die Lage.\n„Как дела у наших соседей сегодня вечером?“\nUnd wieder Deutsch."
    lines = tag_lines(text, default="de")
    assert [line.lang for line in lines] == ["de", "ru", "de"]
    assert lines[1].method == "script"
    assert text[lines[1].start : lines[1].end].startswith("„Как")


def test_short_latin_lines_inherit_the_document_language() -> None:
    assert detect("Over and out…", default="de") == ("de", "inherited")
    assert detect("Na ja.", default="en") == ("en", "inherited")


def test_long_english_line_in_german_comment_is_english() -> None:
    lang, method = detect("This is plainly an English sentence about the election results.", default="de")
    assert (lang, method) == ("en", "langid")


def test_urls_are_not_evidence() -> None:
    line = "_____://www.fondsk.ru/news/2022/01/17/kak-kazahstanu-suschestvovat-bez-skoroj-pomoschi.html"
    assert detect(line, default="de") == ("de", "inherited")


def test_other_scripts_by_script() -> None:
    assert detect("Αυτό είναι ένα ελληνικό κείμενο για δοκιμή", default="de")[0] == "el"
    assert detect("这是一个用于测试的中文句子，内容很简单", default="de")[0] == "zh"


def test_split_lines_spans_exclude_whitespace_and_blank_lines() -> None:
    text = "  eins \r\n\r\n\tzwei\u2028drei  "
    assert [text[s:e] for s, e in split_lines(text)] == ["eins", "zwei", "drei"]


def test_script_counts() -> None:
    assert script_counts("abc где") == {"latin": 3, "cyrillic": 3}
    assert script_counts("123 !!") == {}


@pytest.mark.parametrize("text", ["." * 100_000, "a" * 100_000, "http://" * 15_000, "\u2028" * 50_000, "😀" * 50_000])
def test_adversarial_text_is_fast(text: str) -> None:
    start = time.process_time()
    tag_lines(text, default="de")
    assert time.process_time() - start < HANG_LIMIT_S


def test_unpacked_model_ranks_like_py3langid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The identifier built from the unpacked model copy equals py3langid's own."""
    import py3langid.langid as langid_module

    from analyzer.stages.nlp import langid

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    ours = langid._identifier_from_unpacked_model(langid_module)
    assert list(tmp_path.glob("analyzer/py3langid/*/model.npz"))
    theirs = langid_module.LanguageIdentifier.from_model_file(langid_module.MODEL_FILE, norm_probs=True)
    for text in ("Das ist ein deutscher Satz über die Regierung.", "This is an English sentence.", "Как дела у вас?"):
        assert ours.rank(text) == theirs.rank(text)
