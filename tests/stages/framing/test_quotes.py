"""Quotations of the article and comments' own text (analyzer.stages.framing.quotes).

All articles and comments here are written for these tests; the reference page is read from
../shared at run time and skipped when absent.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.core.run import write_run
from analyzer.stages.context import StageContext
from analyzer.stages.framing import quotes as Q
from analyzer.tree.forest import build_forest
from tests.conftest import HANG_LIMIT_S, SHARED, raw_articles, raw_comments

SEED = SHARED / "seeds" / "000_4a71c00d018d265b.txt"

ARTICLE_DE = (
    "Der Stadtrat von Neustadt hat am Dienstag beschlossen, die alte Brücke über den Fluss bis zum "
    "Herbst vollständig zu sanieren. Die Kosten werden auf rund zwölf Millionen Euro geschätzt. "
    "Bürgermeisterin Anna Berg sagte, die Sanierung sei längst überfällig und dulde keinen weiteren "
    "Aufschub.\n\nKritiker bemängeln dagegen, dass die Stadt die Ausschreibung ohne öffentliche "
    "Anhörung vergeben hat. Am 3. Mai soll der Verkehr umgeleitet werden."
)
# Sentence indexes of ARTICLE_DE under the fallback splitter.
S_COUNCIL, S_COSTS, S_MAYOR, S_CRITICS, S_TRAFFIC = range(5)

ARTICLE_EN = (
    "The city council voted on Tuesday to close the old library on Main Street by the end of the "
    "year. Officials said the building no longer meets modern safety standards and repairs would "
    "cost too much. Residents have until March to submit objections. Mr. Smith, who chairs the "
    "council, called the decision painful but necessary."
)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quotation finding is offline: any connection attempt fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def de() -> Q.ArticleIndex:
    return Q.ArticleIndex.build(ARTICLE_DE)


@pytest.fixture(scope="module")
def en() -> Q.ArticleIndex:
    return Q.ArticleIndex.build(ARTICLE_EN)


def _quoted(text: str, found: Q.CommentQuotes) -> list[tuple[str, str, int | None]]:
    return [(text[s.start : s.end], s.method, s.article_sent_idx) for s in found.spans]


# --- Tokens, shingles, quote_share --------------------------------------------------------


def test_tokens_are_lowercased_letter_digit_runs() -> None:
    assert Q.word_tokens("Am 6. Januar: NGO’s wert-los-westen_x!") == [
        "am", "6", "januar", "ngo", "s", "wert", "los", "westen", "x"
    ]
    assert Q.word_tokens("😀 … — ___") == []
    assert Q.word_tokens("Как Казахстану 你好") == ["как", "казахстану", "你好"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZß İ6_.,-„“\"»«>\n\t😀Σς")), max_size=80))
def test_offset_tokens_equal_fast_tokens(text: str) -> None:
    toks = Q._Tokens.of(text)
    assert toks.words == Q.word_tokens(text)
    assert [text[s:e].lower() for s, e in zip(toks.starts, toks.ends, strict=True)] == toks.words


def test_quote_share_definition() -> None:
    article = "eins zwei drei vier fünf sechs sieben acht neun zehn"
    # 10 tokens -> 3 shingles, all in the article.
    assert Q.quote_share(article, article) == 1.0
    # 8 article tokens + 2 own: 3 shingles, 1 shared.
    assert Q.quote_share("eins zwei drei vier fünf sechs sieben acht und so", article) == pytest.approx(1 / 3)
    # Fewer than 8 tokens: 0 by definition, even when copied.
    assert Q.quote_share("eins zwei drei vier fünf sechs sieben", article) == 0.0
    assert Q.quote_share("", article) == 0.0
    # Distinct shingles: repeating the quotation does not raise the share.
    twice = article + " " + article
    assert 0 < Q.quote_share(twice, article) < 1
    # Punctuation and case do not matter.
    assert Q.quote_share("EINS, zwei; drei - vier fünf „sechs“ sieben acht neun zehn!", article) == 1.0


# --- Blocks --------------------------------------------------------------------------------


def test_zitat_block_with_dash_lines_is_aligned_per_sentence(de: Q.ArticleIndex) -> None:
    text = (
        "Zitat:\n"
        "-Bürgermeisterin Anna Berg sagte, die Sanierung sei längst überfällig und dulde keinen weiteren Aufschub. …\n"
        "\n"
        "-Die Kosten werden auf rund zwölf Millionen Euro geschätzt.\n"
        "\n"
        "Das glaube ich erst, wenn die Bagger rollen. https://example.org/bruecke"
    )
    found = Q.find_quotes(text, de)
    spans = _quoted(text, found)
    assert [m for _, m, _ in spans] == ["block", "block"]
    assert [s for _, _, s in spans] == [S_MAYOR, S_COSTS]
    assert spans[0][0].startswith("Bürgermeisterin") and spans[1][0].startswith("Die Kosten")
    assert found.own_text == "Das glaube ich erst, wenn die Bagger rollen. https://example.org/bruecke"
    # 36 tokens, 29 shingles; 14 + 9 quoted tokens give 7 + 2 shingles inside the article.
    assert found.quote_share == pytest.approx(9 / 29)
    assert found.n_quoted_chars == sum(s.end - s.start for s in found.spans)


def test_zitat_paragraph_block_ends_at_blank_line(de: Q.ArticleIndex) -> None:
    text = "Zitat aus dem Artikel:\nKritiker bemängeln dagegen, dass die Stadt die Ausschreibung ohne öffentliche Anhörung vergeben hat.\n\nGenau so ist es."
    found = Q.find_quotes(text, de)
    assert _quoted(text, found)[0][1:] == ("block", S_CRITICS)
    assert found.own_text == "Genau so ist es."


def test_zitat_with_inline_quotation_on_the_same_line(de: Q.ArticleIndex) -> None:
    text = "Zitat: „Am 3. Mai soll der Verkehr umgeleitet werden.“ Wer's glaubt, wird selig."
    found = Q.find_quotes(text, de)
    assert _quoted(text, found) == [("Am 3. Mai soll der Verkehr umgeleitet werden.", "block", S_TRAFFIC)]
    assert found.own_text == "Wer's glaubt, wird selig."


def test_block_quoting_a_third_source_is_removed_but_not_aligned(de: Q.ArticleIndex) -> None:
    text = "Zitat:\n- Wer Brücken baut, muss auch Wege finden.\n\nEin schöner Spruch."
    found = Q.find_quotes(text, de)
    assert _quoted(text, found) == [("Wer Brücken baut, muss auch Wege finden.", "block", None)]
    assert found.own_text == "Ein schöner Spruch."


def test_end_marker_closes_and_is_removed(de: Q.ArticleIndex) -> None:
    text = "Zitat:\n- Die Kosten werden auf rund zwölf Millionen Euro geschätzt.\nZitat Ende.\n- Meine Liste: erstens teuer."
    found = Q.find_quotes(text, de)
    assert [m for _, m, _ in _quoted(text, found)] == ["block"]
    assert found.own_text == "- Meine Liste: erstens teuer."


def test_bare_intro_at_the_end_quotes_nothing(de: Q.ArticleIndex) -> None:
    found = Q.find_quotes("Dazu ein Zitat:", de)  # mid-line: not an intro
    assert found.spans == [] and found.own_text == "Dazu ein Zitat:"
    found = Q.find_quotes("Stimmt.\nZitat:", de)
    assert found.spans == [] and found.own_text == "Stimmt."


def test_english_gt_lines_merge_and_align(en: Q.ArticleIndex) -> None:
    text = (
        "> Officials said the building no longer meets modern safety\n"
        ">> standards and repairs would cost too much.\n"
        "\n"
        "That is simply not true, the roof was fixed last year."
    )
    found = Q.find_quotes(text, en)
    spans = _quoted(text, found)
    assert len(spans) == 1 and spans[0][1:] == ("block", 1)
    assert spans[0][0].startswith("Officials") and spans[0][0].endswith("too much.")
    assert found.own_text == "That is simply not true, the roof was fixed last year."


def test_quote_intro_in_english(en: Q.ArticleIndex) -> None:
    text = "Quote:\n- Residents have until March to submit objections.\n\nPlenty of time, then."
    found = Q.find_quotes(text, en)
    assert _quoted(text, found) == [("Residents have until March to submit objections.", "block", 2)]
    assert found.own_text == "Plenty of time, then."


def test_reply_intro_only_when_the_colon_ends_the_line(de: Q.ArticleIndex) -> None:
    parent = Q.TextIndex.of_text("Die Brücke hält noch zwanzig Jahre.")
    text = "Max schrieb:\n> Die Brücke hält noch zwanzig Jahre.\n\nSicher nicht."
    found = Q.find_quotes(text, de, parent)
    assert _quoted(text, found) == [("Die Brücke hält noch zwanzig Jahre.", "block", None)]
    assert found.own_text == "Sicher nicht."
    speech = "Die Zeitung schreibt: alles halb so wild."
    assert Q.find_quotes(speech, de).own_text == speech


# --- Inline quotations -----------------------------------------------------------------------


def test_inline_quote_of_the_article_is_removed(de: Q.ArticleIndex) -> None:
    text = "Die Bürgermeisterin meint, die Sanierung „dulde keinen weiteren Aufschub“. Lächerlich."
    found = Q.find_quotes(text, de)
    assert _quoted(text, found) == [("dulde keinen weiteren Aufschub", "inline", S_MAYOR)]
    assert found.own_text == "Die Bürgermeisterin meint, die Sanierung . Lächerlich."
    assert found.quote_share == 0.0  # fewer than 8 quoted tokens: no shared shingle


def test_scare_quotes_and_unmatched_quotes_stay_own_text(de: Q.ArticleIndex) -> None:
    text = "Diese „Sanierung“ ist ein „Geschenk an die Baufirmen“ und \"teuer\"."
    found = Q.find_quotes(text, de)
    assert found.spans == [] and found.own_text == text


def test_english_curly_quotes_match_the_article(en: Q.ArticleIndex) -> None:
    text = "So the mayor finds it “painful but necessary”? Please."
    found = Q.find_quotes(text, en)
    assert _quoted(text, found) == [("painful but necessary", "inline", 3)]
    assert found.own_text == "So the mayor finds it ? Please."


def test_inline_quote_of_the_parent(de: Q.ArticleIndex) -> None:
    parent = Q.TextIndex.of_text("Das war ein Angriff externer Kräfte auf die Stadt.")
    text = "Letzter Satz: „externer Kräfte“. Genau darum ging es mir."
    found = Q.find_quotes(text, de, parent)
    assert _quoted(text, found) == [("externer Kräfte", "parent", None)]
    assert found.quotes_parent
    assert "externer" not in found.own_text


# --- Shingle overlap and copied parents ------------------------------------------------------


def test_unmarked_copy_of_the_article_across_two_sentences(de: Q.ArticleIndex) -> None:
    text = (
        "Wie man liest: die Kosten werden auf rund zwölf Millionen Euro geschätzt. Bürgermeisterin "
        "Anna Berg sagte, die Sanierung sei längst überfällig. So ein Unsinn."
    )
    found = Q.find_quotes(text, de)
    spans = _quoted(text, found)
    assert [(m, s) for _, m, s in spans] == [("shingle", S_COSTS), ("shingle", S_MAYOR)]
    assert spans[0][0] == "die Kosten werden auf rund zwölf Millionen Euro geschätzt."
    assert found.own_text == "Wie man liest: So ein Unsinn."
    assert 0.5 < found.quote_share < 1


def test_copied_parent_run_of_eight_tokens(de: Q.ArticleIndex) -> None:
    parent = Q.TextIndex.of_text(
        "Ich war gestern selbst an der Brücke und habe gesehen, dass dort seit Wochen niemand arbeitet."
    )
    text = "ich war gestern selbst an der Brücke und habe gesehen – na und? Das beweist gar nichts."
    found = Q.find_quotes(text, de, parent)
    assert _quoted(text, found) == [("ich war gestern selbst an der Brücke und habe gesehen", "parent", None)]
    assert found.own_text == "– na und? Das beweist gar nichts."
    assert found.quote_share == 0.0
    # Seven shared tokens are not a quotation.
    short = "ich war gestern selbst an der Brücke, du nicht."
    assert Q.find_quotes(short, de, parent).spans == []


def test_article_takes_precedence_over_parent(de: Q.ArticleIndex) -> None:
    sentence = "Kritiker bemängeln dagegen, dass die Stadt die Ausschreibung ohne öffentliche Anhörung vergeben hat."
    parent = Q.TextIndex.of_text(sentence + " Richtig so.")
    found = Q.find_quotes(sentence + " Falsch.", de, parent)
    assert [(s.method, s.article_sent_idx) for s in found.spans] == [("shingle", S_CRITICS)]
    assert not found.quotes_parent


def test_no_quotes_and_short_comments(de: Q.ArticleIndex) -> None:
    text = "  Eine   eigene Meinung,\r\n\r\n\r\n\r\nganz ohne Zitate.\t "
    found = Q.find_quotes(text, de)
    assert found.spans == [] and found.quote_share == 0.0 and found.n_quoted_chars == 0
    assert found.own_text == "Eine eigene Meinung,\n\nganz ohne Zitate."
    for short in ("", "Ja.", "Die Kosten werden", "😀"):
        found = Q.find_quotes(short, de)
        assert found.quote_share == 0.0 and found.spans == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Zitat:", "\n", "\n\n", "-", "> ", "„", "“", '"', " die Kosten werden auf rund zwölf Millionen Euro geschätzt",
             " Bürgermeisterin Anna Berg sagte", " ich", " finde", " das", " falsch", ".", "schrieb:", "😀", "\x00"]
        ),
        max_size=30,
    ).map("".join)
)
def test_invariants_on_generated_comments(text: str) -> None:
    de = Q.ArticleIndex.build(ARTICLE_DE)
    found = Q.find_quotes(text, de, Q.TextIndex.of_text("ich finde das falsch und sage es laut und deutlich jetzt"))
    assert 0.0 <= found.quote_share <= 1.0
    assert 0 <= found.n_quoted_chars <= len(text)
    for span in found.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.method in {"block", "inline", "shingle", "parent"}
        assert span.article_sent_idx is None or 0 <= span.article_sent_idx < 5
    # The own text holds no token the comment did not have, and none that was quoted.
    assert len(Q.word_tokens(found.own_text)) <= len(Q.word_tokens(text))
    assert found.own_text == found.own_text.strip()


# --- Sentences ---------------------------------------------------------------------------------


def test_fallback_sentence_splitter() -> None:
    spans = Q.split_sentences(ARTICLE_DE)
    sentences = [ARTICLE_DE[s:e] for s, e in spans]
    assert len(sentences) == 5
    assert sentences[S_TRAFFIC] == "Am 3. Mai soll der Verkehr umgeleitet werden."
    assert sentences[S_CRITICS].startswith("Kritiker")
    text = "Er sagte: „Nein.“ Dann ging er. z.B. hier. Mr. Smith came! Did he? Yes… 2022 was long.\n\nNew paragraph"
    got = [text[s:e] for s, e in Q.split_sentences(text)]
    assert got == ["Er sagte: „Nein.“", "Dann ging er. z.B. hier.", "Mr. Smith came!", "Did he?", "Yes…",
                   "2022 was long.", "New paragraph"]
    assert Q.split_sentences("") == [] and Q.split_sentences(" \n\n ") == []


# --- Bad input: no crash, no hang --------------------------------------------------------------

ADVERSARIAL = {
    "dots": "." * 100_000,
    "letters": "a" * 100_000,
    "scheme": "http://" * 20_000,
    "words": "a " * 100_000,
    "open_quotes": "„" * 100_000,
    "long_open_quotes": ("„" + "a" * 1999) * 50,
    "ascii_quotes": '"' * 100_001,
    "gt_lines": ">\n" * 50_000,
    "intros": "Zitat:\n" * 30_000,
    "dash_lines": "Zitat:\n" + "-x\n" * 50_000,
    "newlines": "\n" * 100_000,
    "intro_spaces": "Zitat:" + " " * 100_000 + "x",
    "reply_intro_spaces": ("a" * 59 + " schrieb" + " " * 1000 + ":\n") * 100,
    "control": "".join(chr(i) for i in range(32)) * 3000,
    "emoji": "😀 " * 50_000,
    "url": "https://example.org/" + "a/" * 5_000,
    "mixed_scripts": "Привет мир 你好世界 مرحبا ab " * 5_000,
    "many_inline": "„Anna Berg“ " * 80_000,
    "ellipses": "…" * 100_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_strings_finish_fast(name: str, de: Q.ArticleIndex) -> None:
    text = ADVERSARIAL[name]
    parent = Q.TextIndex.of_text("Ein anderer Kommentar mit ganz anderen Worten und noch ein paar mehr")
    start = time.process_time()
    found = Q.find_quotes(text, de, parent)
    Q.split_sentences(text)
    Q.ArticleIndex.build(text)
    assert time.process_time() - start < HANG_LIMIT_S, name
    assert 0.0 <= found.quote_share <= 1.0


def test_one_megabyte_comment_is_linear(de: Q.ArticleIndex) -> None:
    unit = (
        "Die Kosten werden auf rund zwölf Millionen Euro geschätzt. Das ist viel Geld für eine Brücke, "
        "meine ich. „dulde keinen weiteren Aufschub“ - von wegen!\n"
    )
    times = []
    for size in (500_000, 1_000_000):  # 1 MB is about 150,000 tokens: under MAX_TOKENS
        text = unit * (size // len(unit))
        start = time.process_time()
        found = Q.find_quotes(text, de)
        times.append(time.process_time() - start)
        assert not found.truncated
        assert found.quote_share > 0 and found.spans
        assert "meine ich" in found.own_text and "Millionen" not in found.own_text
    # A quadratic search would take minutes here; speed itself is the benchmarks' business.
    assert times[1] < HANG_LIMIT_S


# --- The stage -----------------------------------------------------------------------------------


def _forest(extra_articles: list[dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    raw = raw_comments(
        [
            {"comment_id": "A", "declared_depth": 1, "text": "Die Kosten werden auf rund zwölf Millionen Euro geschätzt. Viel zu viel!"},
            {"comment_id": "B", "parent_id": "A", "declared_depth": 3,
             "text": "Zitat:\n- Am 3. Mai soll der Verkehr umgeleitet werden.\n\nUnd dann Stau."},
            {"comment_id": "C", "parent_id": "B", "declared_depth": 4,
             "text": "Und dann Stau, sagt er, und dann Stau und dann noch mehr Stau überall. Richtig."},
            {"comment_id": "D", "parent_id": "C", "declared_depth": 5,
             "text": "und dann Stau und dann noch mehr Stau überall – das wiederholst du gern."},
            {"comment_id": "E", "declared_depth": 1, "kind": "deleted", "text": "[deleted]"},
            {"comment_id": "F", "declared_depth": 1, "text": "   "},
            {"comment_id": "G", "declared_depth": 1, "text": "Eigene Worte ohne jedes Zitat."},
        ]
    )
    articles = [{"article_id": "a", "body": ARTICLE_DE}, *(extra_articles or [])]
    return build_forest(raw, raw_articles(articles))


def _metric(metrics: pl.DataFrame, scope: str, subject: str, name: str) -> float | None:
    rows = metrics.filter(scope=scope, subject_id=subject, metric=name)
    assert rows.height == 1, (scope, subject, name)
    return rows["value"].item()  # type: ignore[no-any-return]


def test_stage_frames_metrics_and_parents() -> None:
    forest = _forest([{"article_id": "empty", "body": "Ein Satz. Noch einer."}])
    ctx = StageContext(forest=forest, ingested=None, settings={})  # type: ignore[arg-type]
    result = Q.run_stage(ctx)
    quotes = schemas.check(result.frames["quotes.parquet"], schemas.QUOTES, "quotes")
    own = schemas.check(result.frames["own_texts.parquet"], schemas.OWN_TEXTS, "own_texts")
    metrics = schemas.check(result.metrics, schemas.METRICS, "metrics")  # type: ignore[arg-type]
    # Visible comments with text only: not the deleted one, not the blank one, not ghosts.
    assert own["comment_id"].to_list() == ["A", "B", "C", "D", "G"]
    by_comment = {c: quotes.filter(comment_id=c) for c in own["comment_id"]}
    assert by_comment["A"].select("method", "article_sent_idx").rows() == [("shingle", S_COSTS)]
    assert by_comment["B"].select("method", "article_sent_idx").rows() == [("block", S_TRAFFIC)]
    # B's parent is a ghost: C's parent is B; D copies 10 tokens of C.
    assert by_comment["C"].is_empty()
    assert by_comment["D"].select("method").to_series().to_list() == ["parent"]
    assert own.filter(comment_id="D")["own_text"].item() == "– das wiederholst du gern."
    assert by_comment["G"].is_empty()
    # Metrics.
    # A: 12 tokens, 5 shingles, the 2 inside the copied sentence are shared.
    assert _metric(metrics, "comment", "A", "quote_share") == pytest.approx(2 / 5)
    assert _metric(metrics, "thread", "a", "article_quoting_share") == pytest.approx(2 / 5)
    assert _metric(metrics, "thread", "a", "n_quoted_sentences") == 2
    assert _metric(metrics, "thread", "a", "n_article_sentences") == 5
    assert _metric(metrics, "thread", "a", "quoted_sentence_share") == pytest.approx(2 / 5)
    assert _metric(metrics, "thread", "a", "parent_quoting_share") == pytest.approx(1 / 2)  # C and D have text parents
    heat = metrics.filter(scope="article_sentence", article_id="a").sort(pl.col("subject_id").cast(pl.Int32))
    assert heat["value"].to_list() == [0, 1, 0, 0, 1]
    # A thread without comments still has its sentences and null shares.
    assert _metric(metrics, "thread", "empty", "n_article_sentences") == 2
    assert _metric(metrics, "thread", "empty", "mean_quote_share") is None
    assert set(metrics["metric"]) <= set(Q.METRICS)
    assert result.manifest["sentence_source"] == {"nlp": 0, "fallback": 2}
    assert result.issues == []


def test_stage_uses_the_nlp_sentences_when_present() -> None:
    forest = _forest()
    spans = Q.split_sentences(ARTICLE_DE)
    sentences = schemas.conform(
        pl.DataFrame(
            {
                "article_id": ["a"] * len(spans) + ["a"],
                "doc_id": [schemas.ARTICLE_DOC_ID] * len(spans) + ["A"],
                "sent_idx": [100 + i for i in range(len(spans))] + [0],
                "start_char": [s for s, _ in spans] + [0],
                "end_char": [e for _, e in spans] + [5],
                "text": [ARTICLE_DE[s:e] for s, e in spans] + ["Die K"],
            }
        ),
        schemas.SENTENCES,
    )
    ctx = StageContext(forest=forest, ingested=None, settings={}, frames={"sentences.parquet": sentences})  # type: ignore[arg-type]
    result = Q.run_stage(ctx)
    quoted = set(result.frames["quotes.parquet"]["article_sent_idx"].drop_nulls().to_list())
    assert quoted == {100 + S_COSTS, 100 + S_TRAFFIC}
    assert result.manifest["sentence_source"] == {"nlp": 1, "fallback": 0}
    heat = result.metrics.filter(scope="article_sentence")  # type: ignore[union-attr]
    assert sorted(heat["subject_id"].to_list()) == [str(100 + i) for i in range(5)]


def test_stage_reports_empty_bodies_and_truncation(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = raw_comments([{"comment_id": "x", "text": "wort " * 50}], article_id="n")
    forest = build_forest(raw, raw_articles([{"article_id": "n", "body": None}]))
    monkeypatch.setattr(Q, "MAX_TOKENS", 20)
    quotes, own, metrics, issues, _ = Q.compute_quotes(forest)
    codes = sorted(i.code for i in issues)
    assert codes == ["quotes-no-article-body", "quotes-text-truncated"]
    truncated = next(i for i in issues if i.code == "quotes-text-truncated")
    assert truncated.comment_id == "x" and truncated.severity == "warning"
    assert own["quote_share"].to_list() == [0.0] and quotes.is_empty()
    assert _metric(metrics, "thread", "n", "n_article_sentences") == 0
    assert _metric(metrics, "thread", "n", "quoted_sentence_share") is None


def test_stage_on_no_comments_and_run_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    forest = build_forest(schemas.empty(schemas.RAW_COMMENTS), schemas.empty(schemas.RAW_ARTICLES))
    quotes, own, metrics, issues, info = Q.compute_quotes(forest)
    assert quotes.is_empty() and own.is_empty() and metrics.is_empty() and issues == []
    assert info["n_comments"] == 0
    forest = _forest()
    result = Q.run_stage(StageContext(forest=forest, ingested=None, settings={}))  # type: ignore[arg-type]
    frames = {
        "articles.parquet": forest.articles,
        "comments.parquet": forest.comments,
        "article_blocks.parquet": schemas.empty(schemas.ARTICLE_BLOCKS),
        "parse_issues.parquet": schemas.empty(schemas.PARSE_ISSUES),
        "metrics.parquet": result.metrics,
        **result.frames,
    }
    run = write_run(tmp_path / "run", frames, {})  # type: ignore[arg-type]
    back = pl.read_parquet(run / "own_texts.parquet")
    assert back.schema == schemas.OWN_TEXTS and back.height == 5


@pytest.mark.slow  # 100,000 comments: ~12 s
def test_speed_100k_comments_of_50_tokens() -> None:
    import random

    rng = random.Random(7)
    vocabulary = [f"wort{i}" for i in range(4000)] + ["die", "der", "und", "nicht", "ist"] * 40
    body = " ".join(rng.choice(vocabulary) for _ in range(3000)) + "."
    body_tokens = body.split()
    n = 100_000
    texts = []
    for i in range(n):
        words = [rng.choice(vocabulary) for _ in range(50)]
        if i % 50 == 0:  # 2 % copy 20 tokens of the article
            j = rng.randrange(0, 2900)
            words[:20] = body_tokens[j : j + 20]
        elif i % 7 == 0:  # scare quotes that match nothing
            words[0] = "„" + words[0]
            words[2] = words[2] + "“"
        texts.append(" ".join(words))
    raw = schemas.conform(
        pl.DataFrame(
            {
                "article_id": ["s"] * n,
                "comment_id": [str(i) for i in range(n)],
                "parent_id": [None if i % 5 == 0 else str(i - 1) for i in range(n)],
                "kind": ["comment"] * n,
                "src_order": list(range(n)),
                "text": texts,
            }
        ),
        schemas.RAW_COMMENTS,
    )
    forest = build_forest(raw, raw_articles([{"article_id": "s", "body": body}]))
    start = time.process_time()
    quotes, own, _, _, _ = Q.compute_quotes(forest)
    elapsed = time.process_time() - start
    assert own.height == n
    assert quotes.filter(method="shingle")["comment_id"].n_unique() == n // 50
    assert elapsed < HANG_LIMIT_S, f"{elapsed:.1f} s for {n} comments"  # about 3 s on the development machine


# --- House rules -----------------------------------------------------------------------------------


def test_registry_documents_every_metric() -> None:
    for info in Q.METRICS.values():
        assert info.definition and info.scopes
    assert Q.describe("quote_share").scopes == ("comment",)
    with pytest.raises(UsageError, match="unknown quotation metric"):
        Q.describe("quote_shar")


def test_import_stays_light() -> None:
    code = (
        "import sys, analyzer.stages.framing.quotes; "
        "heavy = [m for m in ('stanza', 'torch') if m in sys.modules]; print(heavy); sys.exit(bool(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


# --- The reference page (../shared, skipped when absent) ----------------------------------------


@pytest.fixture(scope="module")
def reference():  # type: ignore[no-untyped-def]
    if not SEED.is_file():
        pytest.skip(f"reference page {SEED} is absent")
    from analyzer.pipeline import analyse

    analysis = analyse([SEED], stages="structure")
    result = Q.run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={}))
    return analysis, result


@pytest.mark.shared_data
def test_reference_comment_b_is_half_quotation(reference) -> None:  # type: ignore[no-untyped-def]
    analysis, result = reference
    visible = analysis.forest.comments.filter(kind="comment")
    b = visible.row(1, named=True)
    assert b["text"].startswith("Zitat:")
    own = result.frames["own_texts.parquet"]
    row = own.filter(comment_id=b["comment_id"]).row(0, named=True)
    assert 0.35 <= row["quote_share"] <= 0.75
    # Its quoted spans align to the right article sentences.
    body = analysis.forest.articles["body"].item()
    sentences = dict(enumerate(body[s:e] for s, e in Q.split_sentences(body)))
    quotes = result.frames["quotes.parquet"].filter(comment_id=b["comment_id"])
    aligned = [sentences[i] for i in quotes["article_sent_idx"].drop_nulls()]
    assert any(s.startswith("Die Ermittler gehen davon aus") for s in aligned)
    assert any("Wir sprechen hier nicht über irgendeine Farbrevolution" in s for s in aligned)
    assert len(aligned) <= 4  # nothing else in the article
    # Own text: the foreign minister sentence and the URL stay, the quotations go.
    assert "Außenminister" in row["own_text"] and "https://rusvesna.su/" in row["own_text"]
    assert "Die Ermittler" not in row["own_text"] and "Farbrevolution war" in row["own_text"]
    assert not row["own_text"].startswith("Zitat")


@pytest.mark.shared_data
def test_reference_other_comments_quote_nothing_of_the_article(reference) -> None:  # type: ignore[no-untyped-def]
    analysis, result = reference
    b = analysis.forest.comments.filter(kind="comment").row(1, named=True)["comment_id"]
    others = result.frames["own_texts.parquet"].filter(pl.col("comment_id") != b)
    assert others.height == 5
    assert others["quote_share"].max() < 0.05
    heat = result.metrics.filter(scope="article_sentence", metric="n_quoting_comments")
    assert heat["value"].max() == 1 and heat["value"].sum() >= 2
