"""The default German stance model: trained on our One Million Posts labels, rebuilt by the user.

Why it is not shipped in the package: the model is fitted on texts of One Million Posts,
which are CC BY-NC-SA 4.0.  Its vocabularies hold word pairs and character n-grams taken
from those texts, and its weights are derived from them, so the file is at least arguably
"Adapted Material" under that licence: it would have to carry NonCommercial and ShareAlike
terms, which GPL-3.0 forbids adding to a work it covers (section 7: no further restrictions).
Shipping it inside the GPL package would either break the corpus licence or the GPL.  So the
package ships what is ours (the labels: ids and SDQC decisions, fixtures/de_stance_gold_omp
and fixtures/de_stance_gold; the feature lists; the code) and ``analyzer stance train --omp
PATH`` rebuilds the model in one command from the public corpus download, into the user's
model folder, where the stance stage finds it.  See docs/stance.md.

The stage uses the model for German comments only when its card says it beat the cue model
under leave-one-article-out cross-validation; otherwise, or when the file is absent, the cue
model labels them and the run manifest and a parse issue say so.
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
_REPO = Path(__file__).resolve().parents[3]
LABEL_FILES = (_REPO / "fixtures" / "de_stance_gold" / "labels.csv", _REPO / "fixtures" / "de_stance_gold_omp" / "labels.csv")
LICENCE_NOTE = (
    "Trained on One Million Posts texts (CC BY-NC-SA 4.0, Schabus et al. 2017) with labels of the analyzer "
    "project; for non-commercial use under the same licence; not part of the GPL package."
)


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
    return models_dir() / MODEL_FILE


def absent_message(path: Path) -> str:
    return (f"German stance: the trained model {path} is absent, so the cue model labelled German comments "
            "(macro-F1 about 0.26 on OMP replies against about 0.50 for the trained model); build it with "
            "`analyzer stance train --omp PATH/TO/corpus.sqlite3` (see docs/stance.md)")


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
    path = path or default_model_path()
    if not path.is_file():
        return None, absent_message(path)
    model = trained.load(path)
    ok, why = usable(model)
    if not ok:
        return None, f"German stance: {path} not used ({why}); the cue model labelled German comments"
    return model, f"German stance: trained model {path} ({why})"
