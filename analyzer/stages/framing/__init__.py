"""Framing: how readers take up the article's words and frames.

Modules:

* :mod:`analyzer.stages.framing.quotes` - the ``quotes`` stage: which article passages (and parent
  comments) comments quote, and each comment's own text with quotations removed;
* :mod:`analyzer.stages.framing.quote_markup` - explicit quotation markup ("Zitat:", "> ", „…“);
* :mod:`analyzer.stages.framing.sentences` - a fallback sentence splitter for article bodies;
* :mod:`analyzer.stages.framing.inventory` - versioned TOML frame inventories;
* :mod:`analyzer.stages.framing.frames` - the ``framing`` stage: frame hits per sentence;
* :mod:`analyzer.stages.framing.compare` - article vs reader profiles, JSD, retention, reframing, lift;
* :mod:`analyzer.stages.framing.keyness` - Fightin' Words keyness between readers and article;
* the per-article framing headline is a read-side view: :mod:`analyzer.views.headline`.
"""
