"""capture_eval.body_key: truth keys lose the meta a theme puts inside the text element, and only that;
readerscore.score matches a key in a comment's own words first, and across the readers' link targets."""

from __future__ import annotations

from tests.bench.capture_eval import body_key
from tests.bench.readerscore import Found, Truth, own_words, score, without_href_suffixes


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


# --- readerscore matching (session 8) -------------------------------------------------------


def test_a_key_across_a_link_the_reader_wrote_as_text_and_href_matches() -> None:
    truth = [Truth("1", None, "whatrimeleksaysmakessensetomeaswell")]
    found = [Found("1", None, "What @rimelek (/u/rimelek) says makes sense to me as well")]
    sc, f2t = score(truth, found, nested=True)
    assert f2t == {"1": "1"} and sc.invented == 0
    assert without_href_suffixes("see here (https://example.org/a) now") == "see here now"
    assert without_href_suffixes("a remark (in brackets) stays") == "a remark (in brackets) stays"


def test_a_post_quoted_in_a_later_reply_matches_the_post_itself() -> None:
    # The reply quotes post 1 near its start; post 1 itself opens with a quote of post 0.
    truth = [Truth("0", None, "firstpostaboutplanesandsharpening"),
             Truth("1", None, "ithinkajackplaneisthebetterstart"),
             Truth("2", None, "agreedbuyausedoneatamarket")]
    found = [Found("a", None, "First post about planes and sharpening"),
             Found("b", None, "> First post about planes\n\nI think a jack plane is the better start"),
             Found("c", None, "> I think a jack plane is the better start\n\nAgreed, buy a used one at a market")]
    sc, f2t = score(truth, found, nested=True)
    assert f2t == {"a": "0", "b": "1", "c": "2"} and sc.invented == 0
    assert sc.meta_prefix == 0  # a quotation is not meta left before the text
    assert own_words("> q\nown") == "own"


def test_a_short_key_still_matches_only_at_a_text_start() -> None:
    truth = [Truth("1", None, "spoiler"), Truth("2", None, "spoilertest")]
    found = [Found("x", None, "> !spoiler!<"), Found("y", None, "spoiler\n\nTest")]
    _, f2t = score(truth, found, nested=True)
    assert f2t == {"x": "1", "y": "2"}


def test_a_widget_word_the_truth_took_in_is_matched_only_by_a_whole_text() -> None:
    from tests.bench.capture_eval import widget_free

    assert widget_free("hopethatdreamcomestruesoonloading") == ("hopethatdreamcomestruesoon",)
    assert widget_free("greattipswiththelatinlettersloa") == ("greattipswiththelatinletters",)
    assert widget_free("anordinarykey") == ()
    truth = [Truth("1", None, "hopethatdreamcomestruesoonloading", widget_free("hopethatdreamcomestruesoonloading"))]
    assert score(truth, [Found("a", None, "Hope that dream comes true soon!")], nested=True)[1] == {"a": "1"}
    # a longer text that merely starts with the words is another comment
    assert score(truth, [Found("a", None, "Hope that dream comes true soon! And more.")], nested=True)[1] == {}
