"""Comment labels: sentiment and the One Million Posts moderation categories, per comment.

One self-contained stage package:

* :mod:`analyzer.stages.labels.features`: named features (polarity lexicon with negation, shouting,
  irony quotes, addressing) beside word and character n-grams;
* :mod:`analyzer.stages.labels.model`: the linear model and its file format (arrays and JSON, nothing
  that executes code when loaded);
* :mod:`analyzer.stages.labels.train`: reading labelled comments (the One Million Posts CSV or its
  SQLite download) and fitting; :mod:`analyzer.stages.labels.evaluate`: article-grouped
  cross-validation against majority and trivial baselines and the published figures;
* :mod:`analyzer.stages.labels.stage`: the ``labels`` stage (``comment_labels.parquet``, shares with
  counts and Wilson intervals) and :mod:`analyzer.stages.labels.moderation` (``moderation.parquet``:
  removal rates by depth, stance, label, linked domain and time);
* :mod:`analyzer.stages.labels.cli`: ``analyzer labels train | eval | status``.

The trained model is not shipped (it is learnt from CC BY-NC-SA 4.0 text; see
``docs/sentiment-and-labels.md``): ``analyzer labels train --omp FILE`` builds it, and without
it the stage writes null labels and says "model absent".
"""

from analyzer.stages.labels.schemas import CATEGORIES, LABEL_COLUMNS

__all__ = ["CATEGORIES", "LABEL_COLUMNS"]
