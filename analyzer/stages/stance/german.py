"""The default German stance model: shipped in the package, trained on our labels, no corpus text.

The model is fitted on One Million Posts replies (texts CC BY-NC-SA 4.0, read at training time
from the user's copy) with the project's own labels (``fixtures/de_stance_gold_omp``,
``fixtures/de_stance_gold``: ids and SDQC decisions).  Its n-gram features are *hashed*
(:mod:`analyzer.stages.stance.hashed`): the file holds bucket numbers, IDF values and weights,
our named features (cue and disagreement lists), and no word, word pair or character n-gram of
the corpus.  That is why it can ship inside the GPL package (``analyzer/stages/stance/data/
stance-de-omp.json``); the reasoning and its limits are in docs/licences.md.

Which file the stage uses for German replies, first found wins: the setting ``stance_model_de``;
a model the user rebuilt with ``analyzer stance train --omp PATH`` in :func:`models_dir`; the
packaged model.  Any of them only when its card says it beat the cue model under
leave-one-article-out cross-validation; otherwise the cue model labels German comments and the
run manifest and a parse issue say so.  ``--stance-model cues`` opts out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from analyzer.core.errors import UsageError
from analyzer.stages.stance import trained

MODEL_NAME = "stance-de-omp"
MODEL_FILE = f"{MODEL_NAME}.json"
LANGUAGE = "de"
# Block weight of the named features for German (see trained.DEFAULT_CUE_WEIGHT for the data).
CUE_WEIGHT = 0.3
C = trained.DEFAULT_C
ENV_DIR = "ANALYZER_STANCE_MODELS"
# "0" leaves the packaged model out of the lookup (the test suite does, so that the cue model's
# tests stay about the cue model; users opt out with `--stance-model cues`).
ENV_PACKAGED = "ANALYZER_STANCE_PACKAGED"
_REPO = Path(__file__).resolve().parents[3]
# The earlier single-annotator rows, then the two two-pass rounds (1,100 + 600 replies, docs/stance.md).
LABEL_FILES = (_REPO / "fixtures" / "de_stance_gold" / "labels.csv", _REPO / "fixtures" / "de_stance_gold_omp" / "labels.csv",
               _REPO / "fixtures" / "de_stance_gold_omp" / "labels_round2.csv")
PACKAGED_MODEL = Path(__file__).resolve().parent / "data" / MODEL_FILE
LICENCE_NOTE = (
    "Labels: the analyzer project's (ids and stance decisions, GPL-3.0-or-later). Training texts: One Million "
    "Posts Corpus (Schabus, Skowron & Trapp, SIGIR 2017; CC BY-NC-SA 4.0), read from the user's copy at training "
    "time and not contained in this file: n-grams are stored only as signed hash buckets (MurmurHash3, seed 0) "
    "with weights; named features are the project's own lists. Distributed with the GPL package on the "
    "text-and-data-mining reasoning of docs/licences.md; `--stance-model cues` opts out."
)
DATA_NOTE = ("One Million Posts Corpus (Der Standard reader comments 2015-16, Schabus et al. 2017, CC BY-NC-SA 4.0): "
             "the labelled replies and their ancestors; labels of the analyzer project")


def default_label_files() -> tuple[Path, ...]:
    """The project's OMP label files (in the source tree, beside the package)."""
    files = tuple(p for p in LABEL_FILES if p.is_file())
    if not files:
        raise UsageError(f"the project's label files ({LABEL_FILES[-1]}) are not beside this installation: "
                         "pass --labels FILE (from the analyzer source tree, fixtures/de_stance_gold_omp/labels.csv)")
    return files


def models_dir() -> Path:
    """Where trained stance models live: $ANALYZER_STANCE_MODELS, else $ANALYZER_DATA_DIR/stance,
    else ~/.local/share/analyzer/stance (the project's place for data the user builds)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("ANALYZER_DATA_DIR")
    return (Path(base).expanduser() if base else Path.home() / ".local" / "share" / "analyzer") / "stance"


def default_model_path() -> Path:
    """Where ``analyzer stance train --omp`` writes, and where a rebuilt model overrides the packaged one."""
    return models_dir() / MODEL_FILE


def default_model_file() -> Path | None:
    """The German model the stage uses without a setting: the user's rebuilt one, else the packaged one."""
    candidates = [default_model_path()]
    if os.environ.get(ENV_PACKAGED, "1") != "0":
        candidates.append(PACKAGED_MODEL)
    for path in candidates:
        if path.is_file():
            return path
    return None


def absent_message(path: Path) -> str:
    return (f"German stance: the trained model {path} is absent, so the cue model labelled German comments "
            "(macro-F1 about 0.26 on OMP replies against about 0.51 for the trained model); the package ships it "
            f"({PACKAGED_MODEL.name}); rebuild it with `analyzer stance train --omp PATH/TO/corpus.sqlite3` "
            "(see docs/stance.md)")


def usable(model: trained.StanceModel) -> tuple[bool, str]:
    """Whether the stage may use ``model`` for German by default, and why (from its card)."""
    info: dict[str, Any] = (model.card.get("targets") or {}).get("parent") or {}
    cv = info.get("cv") or {}
    cue = model.card.get("cue_model_cv") or {}
    if "parent" not in model.pipelines:
        return False, "the model has no parent pipeline"
    if not cv or "macro_f1" not in cue:
        return False, "the model card has no leave-one-article-out comparison with the cue model"
    if cv["macro_f1"] <= cue["macro_f1"]:
        return False, (f"under leave-one-article-out the trained model ({cv['macro_f1']:.3f}) did not beat "
                       f"the cue model ({cue['macro_f1']:.3f})")
    return True, (f"leave-one-article-out macro-F1 {cv['macro_f1']:.3f} against the cue model's "
                  f"{cue['macro_f1']:.3f}")


def load_default(path: Path | None = None) -> tuple[trained.StanceModel | None, str]:
    """The default German model if present and usable, else None; plus a sentence for the manifest."""
    path = path or default_model_file() or default_model_path()
    if not path.is_file():
        return None, absent_message(path)
    model = trained.load(path)
    ok, why = usable(model)
    if not ok:
        return None, f"German stance: {path} not used ({why}); the cue model labelled German comments"
    return model, f"German stance: trained model {path} ({why})"
