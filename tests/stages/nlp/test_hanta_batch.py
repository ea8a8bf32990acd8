"""The array Viterbi (:mod:`analyzer.stages.nlp.hanta_batch`) gives the Python Viterbi's tags:
on real sentences, and on random toy models made to produce ties, pruning, missing
transitions, unknown words and words with many candidates."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from analyzer.stages.nlp import hanta_fast
from analyzer.stages.nlp.hanta_batch import MAX_CANDIDATES, TransitionArrays
from analyzer.stages.nlp.hanta_fast import FastSentenceTagger
from analyzer.stages.nlp.offline import HantaTagger
from tests.stages.nlp.test_hanta_fast import TEXTS, _sentences

_END = 2


class _ToyModel:
    """What :class:`FastSentenceTagger` reads of a HanTa tagger."""

    def __init__(self, trans: dict[tuple[int, int], dict[int, float]], n_tags: int) -> None:
        self.LP_trans_word = trans
        self.int2tag = {t: f"T{t}" for t in range(n_tags)}


class _ToyTable:
    """What :class:`FastSentenceTagger` reads of a :class:`FormTable`: fixed word analyses."""

    def __init__(self, words: dict[str, dict[int, float]], *, stored: bool = False) -> None:
        self._words = words
        self.words: dict[tuple[str, bool], tuple[dict[int, float], list[int]]] = {}
        self.lemmas: dict[tuple[str, int], tuple[str, str]] = {}
        # Entries as the machine's table stores them (FormTable: JSON of HanTa's pairs), read
        # by the array path all at once (hanta_fast._rows_of_stored).
        self._stored = stored
        self.stored = {(form, cs): json.dumps([[t, p] for t, p in probs.items()]) for form, probs in words.items() for cs in (False, True)} if stored else {}

    def stored_word_texts(self) -> dict[tuple[str, bool], str]:
        return self.stored

    def word(self, form: str, casesensitive: bool) -> tuple[dict[int, float], list[int]]:
        if self._stored:  # decoded as FormTable decodes a stored entry
            probs, candidates = hanta_fast._word_entry(self._words[form].items())
        else:
            probs = dict(self._words[form])
            candidates = list(probs)
        self.words[(form, casesensitive)] = (probs, candidates)
        return probs, candidates

    def lemma(self, form: str, tag: int) -> tuple[str, str]:
        return form.lower(), f"T{tag}"


def _toy(seed: int, *, closed: bool, stored: bool = False) -> tuple[FastSentenceTagger, list[str]]:
    """A random model whose scores come from a few values (so sums tie often)."""
    rng = random.Random(seed)
    n_tags = 12
    tags = list(range(3, n_tags))  # 0, 1, 2: HanTa's empty, start and end markers
    values = [-0.5, -1.0, -1.5, -2.0, -3.0]
    trans: dict[tuple[int, int], dict[int, float]] = {}
    todo = [(0, 1)]
    while todo:
        state = todo.pop()
        if state in trans:
            continue
        followers = rng.sample(tags, rng.randint(2, len(tags)))
        rng.shuffle(followers)
        if state != (0, 1) and rng.random() < 0.8:
            followers.insert(rng.randint(0, len(followers)), _END)
        trans[state] = {c: rng.choice(values) for c in followers}
        for c in followers:
            if c != _END and (closed or rng.random() < 0.9):
                todo.append((state[1], c))
    words: dict[str, dict[int, float]] = {}
    for i in range(40):
        if i == 0:
            cands: list[int] = []  # unknown: anything goes
        elif i == 1:
            cands = [_END]  # only the end marker: no path inside a sentence
        elif i < 4:
            cands = rng.sample(tags, MAX_CANDIDATES + 2)  # more than the array path takes
        else:
            cands = rng.sample(tags, rng.choice([1, 1, 2, 2, 3, 4, 5, 6]))
        words[f"w{i}"] = {c: rng.choice(values) for c in cands}
    fast = FastSentenceTagger(_ToyModel(trans, n_tags), _ToyTable(words, stored=stored))  # type: ignore[arg-type]
    return fast, list(words)


def _outcome(run: object) -> object:
    try:
        return run()  # type: ignore[operator]
    except KeyError:
        return KeyError  # HanTa raises KeyError where no path or no row exists


@pytest.mark.parametrize(("closed", "stored"), [(True, False), (False, False), (True, True), (False, True)])
def test_array_viterbi_equals_python_on_toy_models(closed: bool, stored: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """``stored``: the forms' rows come from the table's stored texts, all at once."""
    monkeypatch.setattr(hanta_fast, "BATCH_MIN_SENTENCES", 1)
    monkeypatch.setattr(hanta_fast, "BATCH_MAX_SENTENCES", 25)  # 60 sentences: three slices
    rng = random.Random(7)
    ties = 0
    for seed in range(40):
        fast, forms = _toy(seed, closed=closed, stored=stored)
        python, _ = _toy(seed, closed=closed, stored=stored)  # its own table: nothing decoded for `fast`
        common = forms[4:]
        sents = [[rng.choice(common if rng.random() < 0.9 else forms) for _ in range(rng.randint(1, 14))] for _ in range(60)]
        expected = [_outcome(lambda s=s, python=python: python._viterbi(s)) for s in sents]
        if KeyError in expected:  # one sentence without a path: the batch raises as HanTa would
            with pytest.raises(KeyError):
                fast.tags_many(sents)
            sents = [s for s, e in zip(sents, expected, strict=True) if e is not KeyError]
            expected = [e for e in expected if e is not KeyError]
        left: list[list[str]] = []
        original = fast._viterbi

        def counted(sent: list[str], original: Callable[[list[str]], list[int]] = original, left: list[list[str]] = left) -> list[int]:
            left.append(sent)
            return original(sent)

        fast._viterbi = counted  # type: ignore[method-assign]
        assert fast.tags_many(sents) == expected, seed
        ties += len(left)
    assert ties > 0  # the toy models do make the array path hand sentences back


def test_form_rows_past_their_bound_start_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hanta_fast, "BATCH_MIN_SENTENCES", 1)
    monkeypatch.setattr(hanta_fast, "MAX_CACHED_FORMS", 5)
    fast, forms = _toy(3, closed=True)
    rng = random.Random(3)
    sents = [[rng.choice(forms[4:]) for _ in range(rng.randint(1, 9))] for _ in range(60)]
    sents = [s for s in sents if _outcome(lambda s=s: fast._viterbi(s)) is not KeyError]
    expected = [fast._viterbi(s) for s in sents]
    assert len(sents) > 10
    for _ in range(3):
        assert fast.tags_many(sents) == expected
        assert fast._n_forms <= 2 + sum(map(len, sents))


def test_tags_many_equals_hanta_on_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(hanta_fast, "BATCH_MIN_SENTENCES", 1)
    tagger = HantaTagger("de", persist=False)
    sents = _sentences(TEXTS) * 3 + [[]]
    expected = [tagger._tagger.tag_sent(s) if s else [] for s in sents]
    got = tagger._fast.lemmas_and_tags_many(sents)
    assert tagger._fast._arrays is not None
    for s, (lemmas, tags), hanta in zip(sents, got, expected, strict=True):
        assert [(w, lemma, tagger._fast.tag_name(t)) for w, lemma, t in zip(s, lemmas, tags, strict=True)] == [
            (w, lemma or w, tag) for w, lemma, tag in hanta
        ]


def test_small_batches_do_not_build_the_arrays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One page's few sentences take the Python Viterbi: no dense table is built."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tagger = HantaTagger("de", persist=False)
    sents = _sentences(TEXTS)
    assert len(sents) < hanta_fast.BATCH_MIN_SENTENCES
    assert tagger._fast.tags_many(sents) == [tagger._fast._viterbi(s) for s in sents]
    assert tagger._fast._arrays is None


def test_tag_columns_many_equals_tag_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(hanta_fast, "BATCH_MIN_SENTENCES", 1)
    sents = [(s, ["regular"] * len(s)) for s in _sentences(TEXTS)]
    sents += [(["Wien", ":)", "https://x.example"], ["regular", "emoticon", "URL"]), (["!!"], ["symbol"]), ([], [])]
    one = HantaTagger("de", persist=False)
    # HantaTagger.tag, sentence by sentence (HanTa's own Viterbi path): lemma and UPOS.
    expected = [([lemma for lemma, _, _ in one.tag(w, c)], [upos for _, upos, _ in one.tag(w, c)]) for w, c in sents]
    many = HantaTagger("de", persist=False)
    assert many.tag_columns_many(sents + sents) == expected + expected
    assert [HantaTagger("de", persist=False).tag_columns(w, c) for w, c in sents] == expected


def test_tag_columns_many_from_the_stored_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process reads the forms' rows from the machine's table all at once: same answers."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(hanta_fast, "BATCH_MIN_SENTENCES", 1)
    sents = [(s, ["regular"] * len(s)) for s in _sentences(TEXTS)]
    first = HantaTagger("de")
    expected = first.tag_columns_many(sents)
    first.flush()
    second = HantaTagger("de")
    second.prefetch({w for words, _ in sents for w in words})
    assert second.forms.stored_word_texts()  # read, not decoded
    assert second.tag_columns_many(sents) == expected
    assert not second.forms.words.keys() >= {(w, True) for words, _ in sents for w in words[1:]}  # rows not from decoding


@pytest.mark.parametrize("lang", ["de", "en"])
def test_rows_of_stored_equal_form_rows(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows read from stored texts all at once equal :meth:`_form_id`'s from each decoded entry,
    bit for bit, on HanTa's analyses of real words (and a form HanTa does not know)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tagger = HantaTagger(lang, persist=False)
    fast = tagger._fast
    fast._form_ids_of(["x"], [1])  # the arrays
    forms = sorted({w for s in _sentences(TEXTS) for w in s} | {"Qxzzv", "über", "THE", "1984"})
    keys = [(form, cs) for form in forms for cs in (False, True)]
    texts = [
        json.dumps([[int(t), float(p)] for t, p in tagger._tagger._tag_word(form, cutoff=5, casesensitive=cs, conditional=True)])
        for form, cs in keys
    ]
    rows = hanta_fast._rows_of_stored(texts, fast._arrays, fast._rank)
    assert rows is not None
    row_tags, row_lps, counts, ok = rows
    assert ok.all()
    for j, (key, text) in enumerate(zip(keys, texts, strict=True)):
        tagger.forms._stored_words[key] = text
        found = fast._form_id(*key)
        fast._store_pending()
        assert fast._form_tags[found].tolist() == row_tags[j].tolist(), key
        assert fast._form_lps[found].view(np.uint64).tolist() == row_lps[j].view(np.uint64).tolist(), key
        assert fast._form_counts[found] == counts[j], key


def test_rows_of_stored_edge_cases() -> None:
    """A lone unknown marker, the end marker, more candidates than a row holds, a tag listed
    twice and unreadable text, against :meth:`_form_id` on the toy model."""
    fast, _ = _toy(5, closed=True)
    fast.tags_many([])  # nothing built yet
    fast._arrays = TransitionArrays(fast._trans)
    texts = ["[]", "[[3, -0.5]]", "[[2, -1.0]]", "[[2, -1.0], [5, -2.5]]", json.dumps([[t, -0.25 * t] for t in range(3, 12)]),
             "[[5, -1.0], [5, -2.0]]", "[[4, 1e-05], [6, -Infinity]]"]
    rows = hanta_fast._rows_of_stored(texts, fast._arrays, None)
    assert rows is not None
    row_tags, row_lps, counts, ok = rows
    assert ok.tolist() == [True, True, True, True, True, False, True]
    assert counts.tolist()[:5] == [0, 0, 0, 1, 9]
    assert row_lps[6].tolist()[:2] == [1e-05, -np.inf]
    assert (row_tags[4] != fast._arrays.none).sum() == MAX_CANDIDATES
    assert hanta_fast._rows_of_stored(["[[1, x]]"], fast._arrays, None) is None
    assert hanta_fast._rows_of_stored(["[[1, 2.0]"], fast._arrays, None) is None


def test_shipped_models_are_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reachable state has a row: the array path skips the per-step row check."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for lang in ("de", "en"):
        assert TransitionArrays(HantaTagger(lang, persist=False)._fast._trans).closed, lang


@pytest.mark.slow
@pytest.mark.shared_data
def test_array_viterbi_equals_python_on_real_comments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1,000 One Million Posts comments: every sentence tagged alike by both Viterbis."""
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    if not OMP_CSV.is_file():
        pytest.skip(f"{OMP_CSV} is absent")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tagger = HantaTagger("de", persist=False)
    sents = [[w for w in s if len(w) <= 64] for s in _sentences(omp_texts(OMP_CSV, 1000))]
    sents = [s for s in sents if s]
    assert len(sents) >= hanta_fast.BATCH_MIN_SENTENCES
    assert tagger._fast.tags_many(sents) == [tagger._fast._viterbi(s) for s in sents]


def test_tag_flat_in_slices_equals_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A call larger than MAX_FLAT_WORDS goes in slices of whole sentences: the same answers."""
    from analyzer.stages.nlp import offline

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(hanta_fast, "BATCH_MIN_SENTENCES", 1)
    sents = [s for s in _sentences(TEXTS) if s] * 2 + [["Ein", "langer", "Satz", "mit", "vielen", "Wörtern", "ohne", "Ende", "und", "so"]]
    forms = [w for s in sents for w in s]
    classes = ["regular"] * len(forms)
    lengths = [len(s) for s in sents] + [0]
    expected = HantaTagger("de", persist=False).tag_flat(forms, classes, lengths)
    monkeypatch.setattr(offline, "MAX_FLAT_WORDS", 7)  # the last sentence alone exceeds it
    assert HantaTagger("de", persist=False).tag_flat(forms, classes, lengths) == expected
    with pytest.raises(ValueError, match="sentences of"):
        HantaTagger("de", persist=False).tag_flat(forms, classes, lengths[:-2])
