"""The forum benches count opening posts as documented and render what their truth says."""

from __future__ import annotations

from datetime import datetime

from tests.bench import capture_eval
from tests.bench.synth.forum_html import LAYOUTS, Post, render_thread, truth


def _posts() -> list[Post]:
    return [
        Post("Anna", datetime(2023, 5, 1, 9, 0), "Wie überwintert man Oleander im Kübel am besten?"),
        Post("Ben", datetime(2023, 5, 1, 10, 0), "Hell und kühl, bei fünf bis zehn Grad im Treppenhaus.",
             quote=("Anna", "Wie überwintert man Oleander im Kübel am besten?")),
    ]


def test_opening_post_as_article_leaves_the_truth_and_is_not_invented() -> None:
    page = truth("Oleander", _posts(), "xenforo")
    moved = capture_eval._opening_as_article(page)
    assert [c["author"] for c in moved["comments"]] == ["Ben"]
    assert moved["pingbacks"] == [{"key": page["comments"][0]["key"]}]
    # A truth without an opening post is returned as it is.
    assert capture_eval._opening_as_article(moved) is moved


def test_every_layout_renders_every_post_and_the_quote_outside_the_key() -> None:
    posts = _posts()
    page = truth("Oleander", posts, "phpbb")
    assert page["comments"][0]["opening_post"] and "opening_post" not in page["comments"][1]
    assert page["comments"][1]["key"].startswith("hellundkühl")
    for layout in LAYOUTS:
        html = render_thread("Oleander", posts, layout, "de")
        assert html.count("Hell und kühl") == 1 and html.count("Wie überwintert") == 2, layout
