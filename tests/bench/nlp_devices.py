"""Tokens/s of the language layer per device: ``python -m tests.bench.nlp_devices``.

For sizing a cluster: runs the same texts through

* the offline runner (CPU; the components called directly, :mod:`analyzer.stages.nlp.fast`),
* the offline pipeline through stanza's ``Pipeline`` (CPU),
* stanza's neural pipeline on every device this machine has (``cpu``, and ``cuda`` when
  torch sees a GPU): the installed models (``--models``, else the usual models folder), or,
  where no models are installed, a neural tokenizer given with ``--tokenize-model`` (the
  tests train one in seconds: ``tests/stages/nlp/conftest.py``) with the offline tagger behind it,

each fed many documents per call (``--batch`` documents per pipeline call), and prints
tokens per second of wall time and of CPU time (``time.process_time``; on a shared machine
the CPU figure is the comparable one, on a GPU the wall figure is the one that counts).
Texts: the One Million Posts dev comments when ../shared/data is there, else synthetic ones.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def _texts(n: int) -> list[str]:
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    if OMP_CSV.is_file():
        return omp_texts(OMP_CSV, n)
    from tests.bench.synth.corpus import generate_corpus

    return [t for t in generate_corpus(n, max(1, n // 50), seed=0, deep_chains=0)["text"].to_list() if t]


def measure(name: str, run: Callable[[Sequence[str]], Sequence[Any]], lines: Sequence[str], batch: int) -> dict[str, Any]:
    """Tokens/s (wall and CPU) of ``run`` over ``lines``, ``batch`` lines per call."""
    run(lines[: min(20, len(lines))])  # warm-up: lazy loads
    wall, cpu = time.perf_counter(), time.process_time()
    n_tokens = 0
    for start in range(0, len(lines), batch):
        for doc in run(lines[start : start + batch]):
            n_tokens += sum(len(s.words) for s in doc.sentences)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"runner": name, "tokens": n_tokens, "tokens_per_s_wall": n_tokens / wall, "tokens_per_s_cpu": n_tokens / cpu}


def neural_pipeline(device: str, models_dir: Path, tokenize_model: Path | None) -> Any:
    """stanza's neural pipeline on ``device``: installed models, else the given tokenizer."""
    import stanza

    from analyzer.stages.nlp import models
    from analyzer.stages.nlp.offline import register_processors

    if models.language_status("de", models_dir).complete:
        return models.load_pipeline("de", mode="stanza", models_dir=models_dir, use_gpu=device != "cpu")
    if tokenize_model is None:
        return None
    register_processors()
    return stanza.Pipeline(
        lang="de", dir=str(models_dir), download_method=None, device=device, logging_level="WARN",
        processors={"tokenize": "default", "pos": "hanta", "lemma": "hanta", "polarity": "lexicon"},
        tokenize_model_path=str(tokenize_model), resources_filepath=models.offline_resources_file(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.nlp_devices", description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=500, help="documents per pipeline call")
    parser.add_argument("--models", type=Path, default=None)
    parser.add_argument("--tokenize-model", type=Path, default=None)
    args = parser.parse_args(argv)
    import torch

    from analyzer.stages.nlp.annotate import stanza_runner
    from analyzer.stages.nlp.fast import offline_runner
    from analyzer.stages.nlp.langid import tag_lines
    from analyzer.stages.nlp.models import load_pipeline, resolve_models_dir

    models_dir = resolve_models_dir(args.models)
    texts = _texts(args.comments)
    lines = [t[x.start : x.end] for t in texts for x in tag_lines(t, default="de") if x.lang == "de"]
    rows = [
        {**measure("offline, direct", offline_runner("de"), lines, args.batch), "device": "cpu"},
        {**measure("offline, stanza Pipeline", stanza_runner(load_pipeline("de", mode="offline", models_dir=models_dir)), lines, args.batch), "device": "cpu"},
    ]
    devices = ["cpu", *(["cuda"] if torch.cuda.is_available() else [])]
    for device in devices:
        pipeline = neural_pipeline(device, models_dir, args.tokenize_model)
        if pipeline is None:
            print(f"({device}: no stanza models in {models_dir} and no --tokenize-model: neural pipeline skipped)")
            continue
        rows.append({**measure("stanza neural", stanza_runner(pipeline), lines, args.batch), "device": device})
    print(f"{len(texts)} comments, {len(lines)} lines, {args.batch} documents per call")
    print("| runner | device | tokens | tokens/s (wall) | tokens/s (CPU) |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['runner']} | {r['device']} | {r['tokens']} | {r['tokens_per_s_wall']:,.0f} | {r['tokens_per_s_cpu']:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
