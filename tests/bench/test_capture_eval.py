"""capture_eval.body_key: truth keys lose the meta a theme puts inside the text element, and only that."""

from __future__ import annotations

from tests.bench.capture_eval import body_key


def test_key_starting_with_button_author_and_date_is_cut_to_the_body() -> None:
    comment = {"key": "antwortenannamuster3mai20201015derradwegkommtendlichundichfreumich",
               "author": "Anna Muster", "date": "3. Mai 2020 @ 10:15"}
    assert body_key(comment) == "derradwegkommtendlichundichfreumich"


def test_key_of_a_plain_text_is_kept() -> None:
    comment = {"key": "derradwegkommtendlichundichfreumich", "author": "Anna Muster", "date": "3. Mai 2020"}
    assert body_key(comment) == "derradwegkommtendlichundichfreumich"


def test_author_without_the_date_after_it_is_kept() -> None:
    # A text that merely starts with the author's name is not meta.
    comment = {"key": "annamusterhatrechtderradwegkommt", "author": "Anna Muster", "date": "3. Mai 2020"}
    assert body_key(comment) == "annamusterhatrechtderradwegkommt"


def test_too_short_a_rest_keeps_the_whole_key() -> None:
    comment = {"key": "antwortenannamuster3mai2020ok", "author": "Anna Muster", "date": "3. Mai 2020"}
    assert body_key(comment) == "antwortenannamuster3mai2020ok"
