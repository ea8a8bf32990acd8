"""The column-wise language id gives py3langid's scores and :func:`detect`'s answers exactly."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest

from analyzer.stages.nlp import langid
from analyzer.stages.nlp.langid_vector import VectorScorer

# Hand-written lines: German, English, Russian, mixed scripts, URLs, emoji, whitespace only,
# a lone surrogate, upper case (py3langid lower-cases all-caps text), over the sample size.
TEXTS = [
    "",
    " ",
    "a",
    "Das ist ein deutscher Satz über die Regierung und die Opposition.",
    "This is plainly an English sentence about the election results.",
    "Как дела у наших соседей сегодня вечером?",
    "DAS IST ALLES GROSS GESCHRIEBEN UND TROTZDEM DEUTSCH",
    "Schau mal: https://example.org/pfad?x=1 und www.Beispiel.at dazu",
    "😀😀 Emoji 👍🏽 mit Hautfarbe und 🇦🇹 Flagge",
    "Αυτό είναι ένα ελληνικό κείμενο για δοκιμή",
    "这是一个用于测试的中文句子，内容很简单",
    "\ud800 einsames Surrogat",
    "Mischung: Привет, wie geht es dir heute, mein Freund?",
    "Na ja, egal",
    "x" * 6_000,
    "Über Ärger, Öl und Übel; süß & sauer. " * 50,
]


def _random_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyzäöüßABCÄÖÜ  .,!?-–„“:/0123456789абвгдеёжзийклмнопрстуфхцчшщъыьэюяαβγ中文😀\u2028\t"
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 120))) for _ in range(n)]


def test_scores_equal_py3langid_bit_for_bit() -> None:
    identifier = langid._identifier()
    texts = TEXTS + _random_texts(300, seed=3)
    for text, scores in zip(texts, langid._scorer().decide_many(texts), strict=True):
        assert np.array_equal(scores, identifier._decide(text)), text[:60]
    assert langid._scorer().rank_many(TEXTS[3:6]) == [identifier.rank(t) for t in TEXTS[3:6]]


def test_score_rows_equal_py3langid_bits() -> None:
    """decide_matrix's rows are _decide's float32 values, bit for bit (signed zeros too)."""
    identifier = langid._identifier()
    texts = TEXTS + _random_texts(300, seed=8)
    rows = langid._scorer().decide_matrix(texts)
    assert rows.shape == (len(texts), len(identifier.nb_classes))
    for text, row in zip(texts, rows, strict=True):
        assert np.array_equal(row.view(np.uint32), identifier._decide(text).view(np.uint32)), text[:60]
    assert langid._scorer().decide_matrix([]).shape == (0, len(identifier.nb_classes))


@pytest.mark.parametrize("candidates", [langid.LATIN_CANDIDATES, langid.CYRILLIC_CANDIDATES])
def test_best_among_rows_equals_best_among(candidates: tuple[str, ...]) -> None:
    """The candidate chosen for all rows at once: the same language and the same share."""
    identifier = langid._identifier()
    texts = TEXTS + _random_texts(300, seed=9)
    got = langid._best_among_rows(langid._scorer().decide_matrix(texts), [candidates] * len(texts))
    assert got == [langid._best_among(identifier.rank(t), candidates) for t in texts]


def test_best_among_rows_decides_per_text_near_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """A share at the threshold, or a row that is not finite, is decided by _best_among itself."""
    identifier = langid._identifier()
    text = TEXTS[3]
    lang, share = langid._best_among(identifier.rank(text), langid.LATIN_CANDIDATES)
    monkeypatch.setattr(langid, "MIN_CONFIDENCE", share)
    calls: list[str] = []
    real = langid._best_among

    def counted(ranking: list[tuple[str, float]], candidates: tuple[str, ...]) -> tuple[str, float]:
        calls.append("x")
        return real(ranking, candidates)

    monkeypatch.setattr(langid, "_best_among", counted)
    rows = langid._scorer().decide_matrix([text, TEXTS[4]])
    rows[1, list(identifier.nb_classes).index("ru")] = np.nan  # not a candidate: it only upsets the sort
    got = langid._best_among_rows(rows, [langid.LATIN_CANDIDATES] * 2)
    assert got[0] == (lang, share)
    assert got[1] == real(langid._ranking(list(identifier.nb_classes), rows[1].tolist()), langid.LATIN_CANDIDATES)
    assert len(calls) == 2


def test_blocks_split_like_one_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts walked in several blocks score as in one (the block size only bounds memory)."""
    from analyzer.stages.nlp import langid_vector

    texts = TEXTS + _random_texts(50, seed=4)
    whole = langid._scorer().decide_many(texts)
    monkeypatch.setattr(langid_vector, "_BLOCK_BYTES", 64)
    for a, b in zip(whole, langid._scorer().decide_many(texts), strict=True):
        assert np.array_equal(a, b)


def test_detect_many_equals_detect() -> None:
    texts = TEXTS + _random_texts(400, seed=5)
    defaults = [("de", "en", "und")[i % 3] for i in range(len(texts))]
    langid._best_of.cache_clear()
    assert langid.detect_many(texts, defaults) == [langid.detect(t, default=d) for t, d in zip(texts, defaults, strict=True)]
    assert langid.document_languages(texts[:5], ["de"] * 5) == [langid.document_language(t, default="de") for t in texts[:5]]
    assert langid.detect_many([], []) == []


def test_tag_lines_many_equals_tag_lines() -> None:
    texts = ["\n".join(TEXTS[i : i + 4]) for i in range(0, len(TEXTS), 2)] + ["\n\n", ""]
    defaults = ["de"] * len(texts)
    assert langid.tag_lines_many(texts, defaults) == [langid.tag_lines(t, default="de") for t in texts]


def test_script_counts_many_equals_script_counts() -> None:
    texts = TEXTS + _random_texts(200, seed=6)
    counts = langid._script_counts_many(texts)
    names = langid._SCRIPT_NAMES
    for text, row in zip(texts, counts.tolist(), strict=True):
        assert {names[k]: n for k, n in enumerate(row) if n} == langid.script_counts(text)


def test_depth_is_kept_in_a_file(tmp_path: Path) -> None:
    identifier = langid._identifier()
    depth_file = tmp_path / "depth.txt"
    first = VectorScorer(identifier, depth_file=depth_file)
    assert first.depth is not None and first.depth >= 4  # byte n-grams of up to 4+ bytes
    assert depth_file.read_text().strip() == str(first.depth)
    assert VectorScorer(identifier, depth_file=depth_file).depth == first.depth


@pytest.mark.slow
def test_omp_comments_and_lines_tagged_alike(shared_dir: Path) -> None:
    """Every One Million Posts dev comment and each of its lines: the same language."""
    path = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [f"{row['Headline'] or ''}\n{row['Body'] or ''}".strip() for row in csv.DictReader(handle)][:3_000]
    defaults = ["de"] * len(texts)
    langid._best_of.cache_clear()
    assert langid.detect_many(texts, defaults) == [langid.detect(t, default="de") for t in texts]
    assert langid.tag_lines_many(texts, defaults) == [langid.tag_lines(t, default="de") for t in texts]


@pytest.mark.slow
def test_english_and_danish_threads_tagged_alike(shared_dir: Path) -> None:
    """RumourEval tweets and Danish Reddit comments: detect_many answers as detect, either default."""
    import json

    texts: list[str] = []
    for name in ("rumoureval2017/rumoureval2017_traindev.jsonl", "dast_danish_reddit/dast_threads_dev.jsonl"):
        path = shared_dir / "data" / name
        if not path.is_file():
            pytest.skip(f"{path} is not on this machine")
        with path.open(encoding="utf-8") as handle:
            texts += [node.get("text") or "" for line in handle for node in json.loads(line).get("nodes", [])]
    for default in ("de", "en"):
        langid._best_of.cache_clear()
        assert langid.detect_many(texts, [default] * len(texts)) == [langid.detect(t, default=default) for t in texts]
