"""HanTa's sentence tagger at vocabulary cost: a leaner Viterbi and a per-machine form table.

HanTa (Wartena 2019) tags a sentence in two steps: per word form, a morphological analysis
(``_tag_word``: the candidate tags of a form with their log-probabilities; ``_analyze``: the
lemma of a form under a tag), then a trigram Viterbi over the sentence.  On the One Million
Posts dev comments the per-form analyses cost about 1–2 ms per *new* form and the Viterbi
about 18 µs per token (docs/performance-language.md).  This module makes both cheaper
without changing a tag or a lemma:

* :func:`tag_sentence` is HanTa 1.2's ``tag_sent(sent, taglevel=1)`` with the same
  arithmetic in the same order, but its inner loop visits only a word's own candidate tags
  (HanTa walks every follower of every state and skips the tags the word cannot have).  The
  row dictionaries get their entries in HanTa's order, so even ties between equal scores
  resolve as HanTa resolves them.  A word's candidates are sorted once per form, by an
  order of the tags that every state's follower listing agrees with (both shipped models
  have one), instead of per state it is visited from.  ``tests/stages/nlp/test_hanta_fast.py``
  compares both on real comments.
* :meth:`FastSentenceTagger.tags_many` runs that Viterbi over many sentences at once as
  numpy steps (:mod:`.hanta_batch`) and leaves to the Python one only the sentences where
  a tie between equal scores could decide a tag, or whose shape it does not model.
* :class:`FormTable` keeps the two per-form analyses per machine in SQLite
  (``$XDG_CACHE_HOME/analyzer/hanta/<HanTa version>/<model>.sqlite``, like the simplemma
  index of :mod:`.lemma_index`): a run looks up each distinct form of a batch once, computes
  only the forms no run on this machine has seen, and stores them.  The values are HanTa's
  own results (floats stored by ``repr``, which round-trips exactly), so the table changes
  speed only.  Where the folder cannot be written, the table is silently in-memory.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from analyzer.stages.nlp.hanta_batch import MAX_CANDIDATES, TransitionArrays, viterbi_flat

# HanTa's state markers (HanTa/HanoverTagger.py: EMPTY = 0, START = 1, END = 2, UNKNOWN = 3).
_EMPTY, _START, _END, _UNKNOWN = 0, 1, 2, 3
_LOWERBOUND = -1e6
# Bound of the in-memory per-form caches (distinct (form, flag) pairs of the One Million
# Posts dev comments are about 60,000; a million comments stay near 10^6).
MAX_CACHED_FORMS = 2_000_000
# Batches of fewer sentences take the Python Viterbi: the array path's fixed cost (its
# dense table, ~0.05 s, built once per process; ~45 numpy calls per word position) pays
# from about 1,200 sentences (docs/performance-language.md, "Session 9: array Viterbi").
# A page never reaches it.  Larger batches go in slices, so the backpointers and candidate
# tags held per slice (~84 bytes per token, ~20 MB for 20,000 OMP sentences) stay bounded
# whatever the input's size.
BATCH_MIN_SENTENCES = 1_000
# :meth:`FormTable.prefetch` reads the whole table when the forms asked for are at least
# this share of its entries (1 / SCAN_SHARE), else it looks them up 500 at a time: a form
# looked up cost about five entries read in one pass (docs/performance-language.md, session 11).
SCAN_SHARE = 5
BATCH_MAX_SENTENCES = 20_000


def table_dir() -> Path:
    """Where the per-machine form tables live (one subfolder per HanTa version)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    try:
        version = metadata.version("HanTa")
    except metadata.PackageNotFoundError:  # pragma: no cover - HanTa is a dependency
        version = "unknown"
    return Path(base) / "analyzer" / "hanta" / version


class FormTable:
    """HanTa's per-form analyses, in memory for this process and in SQLite for this machine.

    ``words`` maps ``(form, casesensitive)`` to HanTa's conditional candidate list
    (``_tag_word(form, 5, casesensitive, True)``); ``lemmas`` maps ``(form, tag)`` to
    ``_analyze(form, tag, 1)``.  :meth:`prefetch` reads what the machine knows about a batch's
    forms in one query per table; :meth:`flush` writes what this process computed since.
    """

    def __init__(self, tagger: Any, model: str, *, persist: bool = True) -> None:
        self._tagger = tagger
        self.words: dict[tuple[str, bool], tuple[dict[int, float], list[int]]] = {}
        self.lemmas: dict[tuple[str, int], tuple[str, str]] = {}
        self._new_words: list[tuple[str, int, str]] = []
        self._new_lemmas: list[tuple[str, int, str]] = []
        self._asked: set[str] = set()
        # Stored entries read by :meth:`prefetch`, decoded on first use (a batch's forms are
        # read together, but only some of their stored entries are needed by its sentences).
        self._stored_words: dict[tuple[str, bool], str] = {}
        self._stored_lemmas: dict[tuple[str, int], str] = {}
        self._db: sqlite3.Connection | None = None
        if persist:
            self._db = _open_table(table_dir() / f"{Path(model).stem}.sqlite")

    # -- the two analyses -------------------------------------------------------------------

    def word(self, form: str, casesensitive: bool) -> tuple[dict[int, float], list[int]]:
        """``(candidates, tags)``: HanTa's conditional log-probabilities of ``form`` per tag."""
        key = (form, casesensitive)
        found = self.words.get(key)
        if found is None:
            stored = self._stored_words.pop(key, None)
            if stored is not None:
                found = _word_entry([(int(t), float(p)) for t, p in json.loads(stored)])
                self.words[key] = found
                return found
            pairs = self._tagger._tag_word(form, cutoff=5, casesensitive=casesensitive, conditional=True)
            found = _word_entry(pairs)
            if len(self.words) < MAX_CACHED_FORMS:
                self.words[key] = found
                self._new_words.append((form, int(casesensitive), json.dumps([[int(t), float(p)] for t, p in pairs])))
        return found

    def lemma(self, form: str, tag: int) -> tuple[str, str]:
        """HanTa's ``_analyze(form, tag, taglevel=1)``: ``(lemma, tag name)``."""
        key = (form, tag)
        found = self.lemmas.get(key)
        if found is None:
            stored = self._stored_lemmas.pop(key, None)
            if stored is not None:
                lemma, name = json.loads(stored)
                found = (str(lemma), str(name))
                self.lemmas[key] = found
                return found
            lemma, name = self._tagger._analyze(form, tag, taglevel=1)
            found = (str(lemma), str(name))
            if len(self.lemmas) < MAX_CACHED_FORMS:
                self.lemmas[key] = found
                self._new_lemmas.append((form, int(tag), json.dumps(found)))
        return found

    def stored_word_texts(self) -> dict[tuple[str, bool], str]:
        """The stored word entries read by :meth:`prefetch` and not decoded yet (read only)."""
        return self._stored_words

    # -- the machine's table ----------------------------------------------------------------

    def prefetch(self, forms: Iterable[str]) -> None:
        """Load the machine's entries for the forms not asked about before in this process."""
        if self._db is None:
            return
        todo = [f for f in set(forms) if f not in self._asked]
        if not todo:
            return
        self._asked.update(todo)
        try:
            # Many forms against the table's size (a corpus): one pass over both tables costs
            # less than looking each form up (measured on the One Million Posts dev comments:
            # 41,440 forms of a 46,134-entry table, 0.16 CPU s against 0.36-0.40 s).
            (n_stored,) = self._db.execute("SELECT count(*) FROM words").fetchone()
            if len(todo) * SCAN_SHARE >= n_stored:
                wanted = set(todo)
                for form, cs, value in self._db.execute("SELECT form, cs, v FROM words"):
                    if form in wanted:
                        self._stored_words[(form, bool(cs))] = value
                for form, tag, value in self._db.execute("SELECT form, tag, v FROM lemmas"):
                    if form in wanted:
                        self._stored_lemmas[(form, int(tag))] = value
                return
            for start in range(0, len(todo), 500):
                part = todo[start : start + 500]
                marks = ",".join("?" * len(part))
                for form, cs, value in self._db.execute(f"SELECT form, cs, v FROM words WHERE form IN ({marks})", part):
                    self._stored_words[(form, bool(cs))] = value
                for form, tag, value in self._db.execute(f"SELECT form, tag, v FROM lemmas WHERE form IN ({marks})", part):
                    self._stored_lemmas[(form, int(tag))] = value
        except sqlite3.Error:
            self._db = None

    def flush(self) -> None:
        """Store the analyses computed since the last flush (other processes may too)."""
        if self._db is None or not (self._new_words or self._new_lemmas):
            self._new_words.clear()
            self._new_lemmas.clear()
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR IGNORE INTO words VALUES (?, ?, ?)", self._new_words)
                self._db.executemany("INSERT OR IGNORE INTO lemmas VALUES (?, ?, ?)", self._new_lemmas)
        except sqlite3.Error:
            self._db = None
        self._new_words.clear()
        self._new_lemmas.clear()


def _word_entry(pairs: Iterable[tuple[int, float]]) -> tuple[dict[int, float], list[int]]:
    probs = dict(pairs)
    if len(probs) == 1 and _UNKNOWN in probs:  # HanTa: "should not occur", treated as unknown
        probs = {}
    return probs, list(probs)


def _open_table(path: Path) -> sqlite3.Connection | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS words (form TEXT, cs INTEGER, v TEXT, PRIMARY KEY (form, cs)) WITHOUT ROWID")
        db.execute("CREATE TABLE IF NOT EXISTS lemmas (form TEXT, tag INTEGER, v TEXT, PRIMARY KEY (form, tag)) WITHOUT ROWID")
        db.commit()
        return db
    except (OSError, sqlite3.Error):
        return None


class FastSentenceTagger:
    """HanTa's ``tag_sent(words, taglevel=1)`` over a :class:`FormTable`: same tags and lemmas."""

    def __init__(self, tagger: Any, table: FormTable) -> None:
        self._table = table
        self._int2tag: dict[int, str] = tagger.int2tag
        self._trans: dict[tuple[int, int], dict[int, float]] = tagger.LP_trans_word
        # HanTa walks a state's followers in the order of its transition dictionary; the
        # rows' insertion order (which decides ties between equal scores) follows it.  Both
        # shipped models list every state's followers in one order common to all states
        # (:func:`_common_order`), so a word's candidate tags sorted once by that order are
        # in HanTa's order for every state: no sort per state and visit.  Where a model had
        # no common order, each state's own order is used (``_order_of``).
        self._rank: dict[int, int] | None = _common_order(self._trans)
        # Position of each follower in HanTa's own iteration order, per state (fallback only).
        self._order: dict[tuple[int, int], dict[int, int]] = {}
        # Per state, the moves an unknown word may make: to every follower but the end, in
        # HanTa's order, with the transition's log-probability (at most one list per state).
        self._any_moves: dict[tuple[int, int], list[tuple[tuple[int, int], float]]] = {}
        # Per (form, casesensitive): the word's (candidate tag, log-probability) pairs in
        # the common order, the end marker left out (HanTa never moves to it inside a sentence).
        self._steps: dict[tuple[str, bool], list[tuple[int, float]]] = {}
        # The array Viterbi (:mod:`.hanta_batch`), built on the first batch large enough to
        # use it: the dense transition table and, per (form, casesensitive), a form id whose
        # row holds the word's candidates as compact tag indices and log-probabilities.
        self._arrays: TransitionArrays | None = None
        self._form_ids: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._form_tags = np.zeros((0, MAX_CANDIDATES), dtype=np.intp)
        self._form_lps = np.zeros((0, MAX_CANDIDATES))
        self._form_counts = np.zeros(0, dtype=np.intp)
        self._n_forms = 0
        # New forms' rows, not yet in the arrays (flat, MAX_CANDIDATES entries per form).
        self._pending_tags: list[int] = []
        self._pending_lps: list[float] = []
        self._pending_counts: list[int] = []

    def _order_of(self, state: tuple[int, int]) -> dict[int, int]:
        found = self._order.get(state)
        if found is None:
            found = {c: i for i, c in enumerate(self._trans[state])}
            self._order[state] = found
        return found

    def _in_state_order(self, steps: list[tuple[int, float]], state: tuple[int, int]) -> list[tuple[int, float]]:
        """``steps`` in ``state``'s own follower order (models without a common order)."""
        order = self._order_of(state)
        return sorted(steps, key=lambda step: order.get(step[0], -1))

    def _steps_of(self, key: tuple[str, bool], wprobs: dict[int, float], candidates: list[int]) -> list[tuple[int, float]]:
        present = [c for c in candidates if c != _END]
        if self._rank is not None:
            present.sort(key=self._rank.__getitem__)
        steps = [(c, wprobs[c]) for c in present]
        if len(self._steps) < MAX_CACHED_FORMS:
            self._steps[key] = steps
        return steps

    def tag_name(self, tag: int) -> str:
        """HanTa's name of a tag int (``int2tag``)."""
        return self._int2tag[tag]

    def tag(self, sent: list[str]) -> list[tuple[str, str, str]]:
        """``(word, lemma, tag)`` per word, as HanTa's ``tag_sent`` returns them."""
        if not sent:
            return []
        tags = self._viterbi(sent)
        known, lemma, names = self._table.lemmas, self._table.lemma, self._int2tag
        out: list[tuple[str, str, str]] = []
        for w, t in zip(sent, tags, strict=True):
            found = known.get((w, t)) or lemma(w, t)  # the dictionary first: no call for known forms
            out.append((w, found[0], names[t]))
        return out

    def lemmas_and_tags(self, sent: list[str]) -> tuple[list[str], list[int]]:
        """:meth:`tag` as two columns: the lemmas (the word itself where HanTa gives an empty
        lemma) and the tags as HanTa's ints (``int2tag`` names them); no tuple per word."""
        if not sent:
            return [], []
        tags = self._viterbi(sent)
        known, lemma = self._table.lemmas, self._table.lemma
        lemmas = [(known.get((w, t)) or lemma(w, t))[0] or w for w, t in zip(sent, tags, strict=True)]
        return lemmas, tags

    def lemmas_and_tags_many(self, sents: Sequence[list[str]]) -> list[tuple[list[str], list[int]]]:
        """:meth:`lemmas_and_tags` of each sentence; the Viterbi over all of them at once."""
        known, lemma = self._table.lemmas, self._table.lemma
        out: list[tuple[list[str], list[int]]] = []
        for sent, tags in zip(sents, self.tags_many(sents), strict=True):
            out.append(([(known.get((w, t)) or lemma(w, t))[0] or w for w, t in zip(sent, tags, strict=True)], tags))
        return out

    def tags_many(self, sents: Sequence[list[str]]) -> list[list[int]]:
        """HanTa's tag ints of each sentence: the array Viterbi for a batch of at least
        :data:`BATCH_MIN_SENTENCES` non-empty sentences, the Python one below that and for
        the sentences the array path leaves to it (ties, rare shapes: :mod:`.hanta_batch`)."""
        todo = [s for s in sents if s]
        if len(todo) < BATCH_MIN_SENTENCES:
            return [self._viterbi(s) if s else [] for s in sents]
        lengths = [len(s) for s in todo]
        tags, _ = self.tags_flat([w for s in todo for w in s], lengths)
        flat = tags.tolist()
        out: list[list[int]] = []
        at = 0
        for s in sents:
            out.append(flat[at : at + len(s)])
            at += len(s)
        return out

    def tags_flat(self, forms: list[str], lengths: Sequence[int]) -> tuple[np.ndarray, np.ndarray | None]:
        """HanTa's tag ints of consecutive sentences of ``forms`` (``lengths`` words each, every
        one at least 1), as one flat array; :meth:`tags_many`'s decisions (the array Viterbi
        from :data:`BATCH_MIN_SENTENCES` sentences, in slices of at most
        :data:`BATCH_MAX_SENTENCES`; the Python one below that and where the array path
        leaves a sentence to it).  Also the words' form ids (:meth:`_form_id`: one per
        distinct (form, first word or not)) where the array path ran, else None.
        """
        n = len(lengths)
        if n < BATCH_MIN_SENTENCES:
            tags: list[int] = []
            at = 0
            for size in lengths:
                tags += self._viterbi(forms[at : at + size])
                at += size
            return np.array(tags, dtype=np.int64), None
        if n > BATCH_MAX_SENTENCES:
            parts_tags: list[np.ndarray] = []
            parts_ids: list[np.ndarray] = []
            at = 0
            for begin in range(0, n, BATCH_MAX_SENTENCES):
                part = lengths[begin : begin + BATCH_MAX_SENTENCES]
                size = sum(part)
                part_tags, part_ids = self.tags_flat(forms[at : at + size], part)
                parts_tags.append(part_tags)
                parts_ids.append(part_ids if part_ids is not None else np.full(size, -1, dtype=np.intp))
                at += size
            return np.concatenate(parts_tags), np.concatenate(parts_ids)
        ids = self._form_ids_of(forms, lengths)
        count = self._n_forms
        assert self._arrays is not None
        lengths_array = np.array(lengths, dtype=np.intp)
        tags_array, bad = viterbi_flat(self._arrays, self._form_tags[:count], self._form_lps[:count],
                                       self._form_counts[:count], ids, lengths_array)
        if bad.any():
            ends = np.cumsum(lengths_array)
            for r in np.flatnonzero(bad).tolist():
                begin, end = int(ends[r] - lengths_array[r]), int(ends[r])
                tags_array[begin:end] = self._viterbi(forms[begin:end])
        return tags_array, ids

    def _form_ids_of(self, forms: list[str], lengths: Sequence[int]) -> np.ndarray:
        """The form id of every word (a sentence's first word looked up case-insensitively,
        as HanTa does: its own table), new forms' rows stored; the arrays built on first use."""
        if self._arrays is None or self._n_forms > MAX_CACHED_FORMS:
            # First use, or the form rows outgrew their bound (forms past the id dictionaries'
            # bound get a row per batch): start the rows afresh.
            self._arrays = self._arrays or TransitionArrays(self._trans)
            self._form_ids = ({}, {})
            self._n_forms = 0
            self._pending_tags, self._pending_lps, self._pending_counts = [], [], []
            arrays, k = self._arrays, MAX_CANDIDATES
            for marker in (_EMPTY, _START):  # form ids 0 and 1: HanTa's states before a sentence
                self._pending_tags += [arrays.index.get(marker, arrays.none)] + [arrays.none] * (k - 1)
                self._pending_lps += [0.0] * k
                self._pending_counts.append(1)
        first, rest = self._form_ids
        flat = list(map(rest.get, forms))
        firsts = np.cumsum(lengths) - lengths
        for at in firsts.tolist():
            flat[at] = first.get(forms[at])
        if None in flat:
            first_at = set(firsts.tolist())
            missing = [(i, (forms[i], i not in first_at)) for i, found in enumerate(flat) if found is None]
            new_ids = self._new_form_ids(list(dict.fromkeys([key for _, key in missing])))
            for i, key in missing:
                flat[i] = new_ids[key]
        self._store_pending()
        return np.array(flat, dtype=np.intp)

    def _new_form_ids(self, keys: list[tuple[str, bool]]) -> dict[tuple[str, bool], int]:
        """Form ids for new distinct ``(form, casesensitive)`` keys, their rows stored.

        Keys whose analysis the machine's table holds and this process has not decoded yet
        get their rows from the stored texts all at once (:func:`_rows_of_stored`: the same
        rows :meth:`_form_id` makes from the decoded entries); the others, and any entry
        that function does not take, go through :meth:`_form_id`.
        """
        table = self._table
        stored = table.stored_word_texts()
        bulk = [key for key in keys if key in stored and key not in table.words]
        rows = _rows_of_stored([stored[key] for key in bulk], self._arrays, self._rank) if bulk else None
        taken: set[tuple[str, bool]] = set()
        if rows is not None:
            taken = {key for key, ok in zip(bulk, rows[3].tolist(), strict=True) if ok}
        out: dict[tuple[str, bool], int] = {}
        for key in keys:
            if key not in taken:
                out[key] = self._form_id(*key)
        self._store_pending()
        if rows is not None and taken:
            ok = rows[3]
            first = self._n_forms
            self._append_rows(rows[0][ok], rows[1][ok], rows[2][ok])
            ids = self._form_ids
            for j, key in enumerate([key for key in bulk if key in taken]):
                out[key] = first + j
                if len(ids[key[1]]) < MAX_CACHED_FORMS:
                    ids[key[1]][key[0]] = first + j
        return out

    def lemmas_flat(self, forms: list[str], tags: np.ndarray, ids: np.ndarray | None) -> list[str]:
        """HanTa's lemma of each word under its tag (the word itself where HanTa's is empty),
        as :meth:`lemmas_and_tags` gives them; looked up once per distinct (form id, tag)
        where ``ids`` (:meth:`tags_flat`) are given."""
        known, lemma = self._table.lemmas, self._table.lemma
        if ids is None:
            return [(known.get((w, t)) or lemma(w, t))[0] or w for w, t in zip(forms, tags.tolist(), strict=True)]
        # Distinct (form id, tag) pairs: tags are HanTa's ints (>= 0), form ids < 2**32.
        keys = (ids.astype(np.int64) << 32) | tags.astype(np.int64)
        distinct, first_at, inverse = np.unique(keys, return_index=True, return_inverse=True)
        tag_list = tags.tolist()
        values = np.empty(len(distinct), dtype=object)
        values[:] = [(known.get((forms[i], tag_list[i])) or lemma(forms[i], tag_list[i]))[0] or forms[i] for i in first_at.tolist()]
        return values[inverse].tolist()  # type: ignore[no-any-return]

    def _form_id(self, form: str, casesensitive: bool) -> int:
        """A new form id for ``(form, casesensitive)``: its candidates as :meth:`_viterbi`
        walks them (the row is stored with the batch's other new ones)."""
        arrays = self._arrays
        assert arrays is not None
        key = (form, casesensitive)
        wprobs, candidates = self._table.words.get(key) or self._table.word(form, casesensitive)
        if len(candidates) == 1 and candidates[0] != _END:
            steps = [(candidates[0], wprobs[candidates[0]])]
        elif candidates:
            steps = self._steps.get(key) or self._steps_of(key, wprobs, candidates)
        else:
            steps = []  # an unknown word ("anything goes"): count 0, the Python path's
        index, none, k = arrays.index, arrays.none, MAX_CANDIDATES
        found = self._n_forms + len(self._pending_counts)
        # One flat list per column, k entries per form (few objects: the collector's cost).
        self._pending_tags += ([index.get(c, none) for c, _ in steps] + [none] * k)[:k]
        self._pending_lps += ([lp for _, lp in steps] + [0.0] * k)[:k]
        self._pending_counts.append(len(steps))
        ids = self._form_ids[casesensitive]
        if len(ids) < MAX_CACHED_FORMS:
            ids[form] = found
        return found

    def _store_pending(self) -> None:
        """Append the new forms' rows to the form arrays (one numpy write per batch)."""
        if not self._pending_counts:
            return
        k = MAX_CANDIDATES
        self._append_rows(np.array(self._pending_tags, dtype=np.intp).reshape(-1, k),
                          np.array(self._pending_lps, dtype=np.float64).reshape(-1, k), np.array(self._pending_counts, dtype=np.intp))
        self._pending_tags, self._pending_lps, self._pending_counts = [], [], []

    def _append_rows(self, tags: np.ndarray, lps: np.ndarray, counts: np.ndarray) -> None:
        """Append form rows (ids ``_n_forms`` on) to the form arrays, growing them by doubling."""
        n, k = self._n_forms, MAX_CANDIDATES
        need = n + len(counts)
        if need > len(self._form_counts):
            size = max(1024, 2 * need)
            self._form_tags = np.resize(self._form_tags, (size, k))
            self._form_lps = np.resize(self._form_lps, (size, k))
            self._form_counts = np.resize(self._form_counts, size)
        self._form_tags[n:need] = tags
        self._form_lps[n:need] = lps
        self._form_counts[n:need] = counts
        self._n_forms = need

    def _viterbi(self, sent: list[str]) -> list[int]:
        trans, word, known, any_moves = self._trans, self._table.word, self._table.words, self._any_moves
        steps_known, common = self._steps, self._rank is not None
        backpointer: list[dict[tuple[int, int], tuple[int, int]]] = []
        prevrow: dict[tuple[int, int], float] = {(_EMPTY, _START): 0.0}
        for i, w in enumerate(sent):
            key = (w, i != 0)
            wprobs, candidates = known.get(key) or word(w, i != 0)
            single = candidates[0] if len(candidates) == 1 and candidates[0] != _END else None
            single_lp = wprobs[single] if single is not None else 0.0
            steps = steps_known.get(key) or self._steps_of(key, wprobs, candidates) if single is None and candidates else None
            row: dict[tuple[int, int], float] = {}
            back: dict[tuple[int, int], tuple[int, int]] = {}
            backpointer.append(back)
            rowbound = sorted(prevrow.values(), reverse=True)[5] - 1 if len(prevrow) > 5 else _LOWERBOUND
            for state, lp0 in prevrow.items():
                if lp0 < rowbound:
                    continue
                lp_t = trans[state]
                if single is not None:  # one candidate tag (most words): no lists to build
                    lp_tc = lp_t.get(single)
                    if lp_tc is None:
                        continue
                    lp = lp0 + lp_tc + single_lp  # HanTa's order of additions (same rounding)
                    if lp > _LOWERBOUND:
                        newstate = (state[1], single)
                        old = row.get(newstate)
                        if old is None or lp > old:
                            row[newstate] = lp
                            back[newstate] = state
                    continue
                if steps is None:  # an unknown word: any follower (HanTa: "anything goes")
                    # The moves (new state, transition log-probability) are a function of the
                    # state alone: built once per state, new-state tuples included.
                    moves = any_moves.get(state)
                    if moves is None:
                        moves = any_moves[state] = [((state[1], c), lp_tc) for c, lp_tc in lp_t.items() if c != _END]
                    for newstate, lp_tc in moves:
                        lp = lp0 + lp_tc + 0.0  # HanTa's sum with the word's 0.0 (same rounding)
                        if lp > _LOWERBOUND:
                            old = row.get(newstate)
                            if old is None or lp > old:
                                row[newstate] = lp
                                back[newstate] = state
                    continue
                second = state[1]
                # The word's candidates in HanTa's order for this state (the common order,
                # or this state's own where the model has none); those the state cannot
                # move to are skipped, as HanTa skips them.
                for c, lpwc in steps if common else self._in_state_order(steps, state):
                    lp_tc = lp_t.get(c)
                    if lp_tc is None:
                        continue
                    lp = lp0 + lp_tc + lpwc  # HanTa's order of additions (same rounding)
                    if lp > _LOWERBOUND:
                        newstate = (second, c)
                        old = row.get(newstate)
                        if old is None or lp > old:
                            row[newstate] = lp
                            back[newstate] = state
            prevrow = row
        # last row
        best_lp = -math.inf
        best_state: tuple[int, int] | None = None
        for state, lp0 in prevrow.items():
            lp = lp0 + trans[state].get(_END, -math.inf)
            if lp > best_lp:
                best_lp, best_state = lp, state
        if best_state is None:
            raise KeyError("no path")  # HanTa raises KeyError here too
        tags: list[int] = []
        state = best_state
        for back in reversed(backpointer):
            tags.append(state[1])
            state = back[state]
        return tags[::-1]


def _rows_of_stored(
    texts: list[str], arrays: TransitionArrays | None, rank: dict[int, int] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """The array Viterbi's rows of forms from their stored word entries, all at once.

    ``texts`` are :class:`FormTable`'s stored values (``json.dumps`` of HanTa's
    ``[[tag, log-probability], ...]``).  Their numbers are read with ``int`` and ``float``,
    the functions :mod:`json` itself parses them with (the same values, bit for bit), and
    each form's row is what :meth:`FastSentenceTagger._form_id` makes of the decoded entry:
    a lone unknown marker means no candidates (:func:`_word_entry`), the end marker is left
    out, the rest sorted by ``rank`` (kept in stored order without one), compact tag
    indices and log-probabilities padded to :data:`MAX_CANDIDATES`, the count unpadded.
    Returns ``(tags, lps, counts, ok)``; ``ok`` is False for a form this does not take (a
    tag listed twice, a tag without a rank), or None for text it cannot read: those go
    through :meth:`FastSentenceTagger._form_id`.
    """
    if arrays is None:
        return None
    m, k = len(texts), MAX_CANDIDATES
    pairs = np.array([text.count("[") for text in texts], dtype=np.intp) - 1
    # The shape of every text: "[]" or "[[t, p], ...]" (as many "]" as "[", 2 * pairs - 1 commas).
    closing = np.array([text.count("]") for text in texts], dtype=np.intp) - 1
    commas = np.array([text.count(",") for text in texts], dtype=np.intp)
    if (pairs < 0).any() or (closing != pairs).any() or (commas != np.maximum(2 * pairs - 1, 0)).any():
        return None
    if not all(text.startswith("[") and text.endswith("]") for text in texts):
        return None
    numbers = " ".join(texts).replace("[", " ").replace("]", " ").replace(",", " ").split()
    if len(numbers) != 2 * int(pairs.sum()):
        return None
    try:
        tags = np.array(list(map(int, numbers[0::2])), dtype=np.int64)
        lps = np.array(list(map(float, numbers[1::2])), dtype=np.float64)
    except (ValueError, OverflowError):
        return None
    owner = np.repeat(np.arange(m), pairs)
    ok = np.ones(m, dtype=bool)
    if len(tags) and (tags.min() < 0 or tags.max() > 1 << 20):
        return None
    # A tag listed twice in one entry (a dict would keep one): not taken.
    by_tag = np.lexsort((tags, owner))
    twice = (owner[by_tag][1:] == owner[by_tag][:-1]) & (tags[by_tag][1:] == tags[by_tag][:-1])
    ok[owner[by_tag][1:][twice]] = False
    starts = np.cumsum(pairs) - pairs
    lone_unknown = np.zeros(m, dtype=bool)
    one = pairs == 1
    lone_unknown[one] = tags[starts[one]] == _UNKNOWN
    keep = (tags != _END) & ~lone_unknown[owner]
    tags, lps, owner = tags[keep], lps[keep], owner[keep]
    if rank is not None:
        size = int(max(max(rank, default=0), int(tags.max()) if len(tags) else 0)) + 1
        rank_of = np.full(size, -1, dtype=np.int64)
        rank_of[np.array(list(rank), dtype=np.intp)] = np.array(list(rank.values()), dtype=np.int64)
        ranks = rank_of[tags]
        ok[owner[ranks < 0]] = False
        order = np.lexsort((ranks, owner))  # stable: by form, then by rank
        tags, lps, owner = tags[order], lps[order], owner[order]
    counts = np.bincount(owner, minlength=m)
    position = np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner]
    compact = np.full(int(tags.max()) + 1 if len(tags) else 1, arrays.none, dtype=np.intp)
    listed = [t for t in arrays.index if t < len(compact)]
    compact[np.array(listed, dtype=np.intp)] = np.array([arrays.index[t] for t in listed], dtype=np.intp)
    row_tags = np.full((m, k), arrays.none, dtype=np.intp)
    row_lps = np.zeros((m, k), dtype=np.float64)
    inside = position < k
    row_tags[owner[inside], position[inside]] = compact[tags[inside]]
    row_lps[owner[inside], position[inside]] = lps[inside]
    return row_tags, row_lps, counts.astype(np.intp), ok


def _common_order(trans: dict[tuple[int, int], dict[int, float]]) -> dict[int, int] | None:
    """A rank per tag that orders every state's followers as its dictionary lists them, or None.

    Each state's listing asks "a before b" for its consecutive followers; a topological
    order of all these constraints (Kahn's algorithm) exists exactly when they form no
    cycle (two states listing two tags in opposite orders is the simplest), and then any one
    of them orders every state's followers as listed.
    """
    # The "a before b" constraints as one set of pairs, gathered per state by C-level zips
    # (a Python step per listed follower was most of a tagger's set-up: ~260,000 followers).
    pairs: set[tuple[int, int]] = set()
    tags: set[int] = set()
    for followers in trans.values():
        tags.update(followers)
        pairs.update(zip(followers, itertools.islice(followers, 1, None), strict=False))
    after: dict[int, set[int]] = {}
    for a, b in pairs:
        after.setdefault(a, set()).add(b)
    waiting = dict.fromkeys(tags, 0)
    for later in after.values():
        for b in later:
            waiting[b] += 1
    ready = sorted(t for t, n in waiting.items() if n == 0)
    rank: dict[int, int] = {}
    while ready:
        t = ready.pop()
        rank[t] = len(rank)
        for b in sorted(after.get(t, ())):
            waiting[b] -= 1
            if waiting[b] == 0:
                ready.append(b)
    return rank if len(rank) == len(tags) else None
