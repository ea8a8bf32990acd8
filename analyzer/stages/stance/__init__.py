"""Stance of reader comments toward their parent and toward the article (methods.md section 3).

Modules, one job each: :mod:`.inventory` (packaged TOML cue lists, validated),
:mod:`.cues` (cues in one text), :mod:`.inputs` (what the models read, from the run's
frames), :mod:`.cuemodel` (labels from cues), :mod:`.propagation` (sign propagation to the
article), :mod:`.aggregates` (thread, subtree and level metrics), :mod:`.features` and
:mod:`.trained` (the trainable model), :mod:`.gold` (gold labels and corpus adapters),
:mod:`.evaluate` (per-class P/R/F1, macro-F1, grouped cross-validation), :mod:`.stage` (the
pipeline stage) and :mod:`.cli` (``analyzer stance train | eval``).  Nothing heavy is
imported here: scikit-learn loads only when a trained model is used.
"""
