"""The language layer: sentences, tokens, lemmas, POS, sentence polarity and language tags.

Two modes produce the same frames (:data:`analyzer.core.schemas.SENTENCES`,
:data:`analyzer.core.schemas.TOKENS`) through the same code (:mod:`analyzer.stages.nlp.annotate`):

* ``stanza``: stanza's pretrained neural pipelines (tokenize, mwt, pos, lemma, sentiment;
  ner on request), loaded with ``download_method=None`` from a pinned models folder that
  ``analyzer models download de en`` fills.
* ``offline``: a real stanza ``Pipeline`` built from a minimal resources file, whose
  processors are registered through stanza's extension API and backed by components that
  carry their data in their wheels: SoMaJo (tokens, sentences), HanTa (POS, lemmas) and a
  polarity lexicon with negation handling (sentence sentiment 0/1/2).  See
  :mod:`analyzer.stages.nlp.offline`.

``auto`` (the default) picks stanza models for a language when they are installed, else the
offline pipeline.  Lines in a language without a pipeline (a Russian quotation in a German
comment) are tagged with their language and tokenized by a generic fallback, never fed to
another language's pipeline (:mod:`analyzer.stages.nlp.langid`).

Nothing here imports stanza or torch at module level: ``import analyzer`` stays fast.
"""

from __future__ import annotations

__all__: list[str] = []
