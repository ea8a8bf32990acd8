"""stanza's real neural tokenizer, trained in a fixture, loaded by a real Pipeline.

Proves the model-loading path (``tokenize_model_path=``, ``download_method=None``) and that
the frame code handles documents from stanza's own tokenizer, mixed with our processors.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.stages.nlp.annotate import DocInput, annotate, stanza_runner
from analyzer.stages.nlp.models import offline_resources_file
from analyzer.stages.nlp.offline import register_processors


@pytest.mark.slow  # the trained_tokenizer fixture trains a model (~100-150 s)
def test_trained_tokenizer_in_a_pipeline(trained_tokenizer: Path, tmp_path: Path) -> None:
    import stanza

    register_processors()
    pipeline = stanza.Pipeline(
        lang="de",
        dir=str(tmp_path),
        processors={"tokenize": "default", "pos": "hanta", "lemma": "hanta", "polarity": "lexicon"},
        tokenize_model_path=str(trained_tokenizer),
        download_method=None,
        resources_filepath=offline_resources_file(),
        device="cpu",
        logging_level="WARN",
    )
    text = "Der Minister lobt den Bericht. Die Zeitung kritisiert die Zahlen!"
    (doc,) = pipeline([stanza.Document([], text=text)])
    assert [[w.text for w in s.words] for s in doc.sentences] == [
        ["Der", "Minister", "lobt", "den", "Bericht", "."],
        ["Die", "Zeitung", "kritisiert", "die", "Zahlen", "!"],
    ]
    assert doc.sentences[0].words[2].lemma == "loben"

    docs = [DocInput("a", "c1", text + "\nDas Gericht prüft die Reform.", "de")]
    result = annotate(docs, {"de": stanza_runner(pipeline)})
    assert result.sentences.schema == schemas.SENTENCES
    assert result.sentences.height == 3
    for row in result.tokens.iter_rows(named=True):
        assert docs[0].text[row["start_char"] : row["end_char"]] == row["text"]
    assert result.tokens.filter(pl.col("upos").is_null()).height == 0
