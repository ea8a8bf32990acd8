"""Typed settings: one declaration gives the value, the checks and the command-line option."""

from __future__ import annotations

import argparse
import ast
import dataclasses
from datetime import date
from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.core import defaults
from analyzer.core.errors import UsageError
from analyzer.core.settings import (
    add_options,
    build,
    check_known,
    fields_of,
    setting,
    values_from_args,
)
from analyzer.stages.declarations.coordination import CoordinationSettings
from analyzer.stages.declarations.framing import FramingSettings
from analyzer.stages.declarations.links import LinksSettings
from analyzer.stages.declarations.nlp import NlpStageSettings
from analyzer.stages.settings import check_settings, settings_classes

ANALYZER = Path(__file__).resolve().parents[2] / "analyzer"


@dataclasses.dataclass(frozen=True, slots=True)
class Example:
    """example"""

    size: int = setting(3, "how many", flag="--size", metavar="N", minimum=1)
    ratio: float | None = setting(None, "a share", positive=True, maximum=1)
    mode: str = setting("fast", "how", flag="--mode", choices=("fast", "slow"))
    names: tuple[str, ...] | None = setting(None, "which", flag="--names", cli="names")
    files: tuple[Path, ...] = setting((), "inputs", flag="--file", cli="append")
    when: date | None = setting(None, "reference day")
    strict: bool = setting(False, "fail early")


def test_defaults_and_coercion() -> None:
    assert build(Example, {}) == Example()
    built = build(Example, {"size": "4", "ratio": 1, "mode": "SLOW", "names": ["a"], "files": "x.toml",
                            "when": "2024-05-01", "strict": "true"})
    assert (built.size, built.ratio, built.mode, built.names) == (4, 1.0, "slow", ("a",))
    assert built.files == (Path("x.toml"),) and built.when == date(2024, 5, 1) and built.strict is True
    # None and "" mean "not given": the default applies.
    assert build(Example, {"size": None, "mode": ""}) == Example()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"size": 0}, "size must be at least 1, got 0 (--size)"),
        ({"size": 2.5}, "size must be a whole number, got 2.5 (--size)"),
        ({"size": True}, "size must be a whole number"),
        ({"ratio": "half"}, "ratio must be a number, got 'half'"),
        ({"ratio": 0}, "ratio must be positive"),
        ({"ratio": 2}, "ratio must be at most 1"),
        ({"mode": "medium"}, "--mode must be one of fast, slow, got 'medium' (setting mode)"),
        ({"when": "May"}, "when must be an ISO date"),
        ({"strict": "perhaps"}, "strict must be true or false"),
        ({"names": 3}, "names must be a list"),
    ],
)
def test_bad_values_are_one_line_usage_errors(raw: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        build(Example, raw)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_unknown_keys_are_refused_with_a_hint() -> None:
    with pytest.raises(UsageError, match=r"unknown setting 'sizes' \(did you mean size\?\)"):
        check_known({"sizes": 3}, [Example])
    with pytest.raises(UsageError, match="unknown setting 'nlp_max_char'"):
        check_settings({"nlp_max_char": 10})
    check_settings({"nlp": "offline", "near_dup_threshold": 0.7, "engine": "local", "frames_file": []})


def test_options_come_from_the_declaration() -> None:
    parser = argparse.ArgumentParser()
    add_options(parser, Example)
    args = parser.parse_args(["--size", "5", "--names", "a, b", "--file", "x", "--file", "y"])
    assert values_from_args(args, Example) == {"size": 5, "names": ["a", "b"], "files": ["x", "y"]}
    assert values_from_args(parser.parse_args(["--names", "none"]), Example) == {"names": []}
    assert values_from_args(parser.parse_args([]), Example) == {}  # not given: the declared default
    assert build(Example, values_from_args(parser.parse_args(["--names", "none"]), Example)).names == ()


def test_every_declared_setting_has_help_and_one_owner() -> None:
    seen: dict[str, str] = {}
    for cls in settings_classes():
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        for field in fields_of(cls):
            assert field.info.help, f"{cls.__name__}.{field.name} has no help"
            assert field.name not in seen, f"{field.name} declared by {seen[field.name]} and {cls.__name__}"
            seen[field.name] = cls.__name__
    assert {"nlp", "domain_lists", "frames_alpha", "near_dup_threshold", "engine", "stance_model"} <= set(seen)


def test_declared_defaults_are_the_defaults_module() -> None:
    assert NlpStageSettings().nlp_max_chars == defaults.NLP_MAX_CHARS
    assert LinksSettings().stale_years == defaults.STALE_YEARS
    assert FramingSettings().frames_alpha == defaults.FRAMES_ALPHA
    assert CoordinationSettings().near_dup_seed == defaults.NEAR_DUP_SEED


def test_no_stage_reads_settings_by_key() -> None:
    """Stage and engine code reads typed settings (``ctx.settings_of``), never ``settings.get``."""
    offenders = []
    for path in sorted(ANALYZER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                    and isinstance(node.func.value, ast.Attribute | ast.Name)
                    and getattr(node.func.value, "attr", getattr(node.func.value, "id", "")) == "settings"):
                offenders.append(f"{path.relative_to(ANALYZER)}:{node.lineno}")
    assert offenders == []


def test_bad_option_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "c.csv"
    table.write_text("article_id,comment_id,parent_id,text\nx,1,,a\n", encoding="utf-8")
    code = main(["analyse", str(table), "--out", str(tmp_path / "run"), "--near-dup-threshold", "2", "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.splitlines()[-1].endswith("near_dup_threshold must be at most 1, got 2.0 (--near-dup-threshold)")
    assert not (tmp_path / "run").exists()


def test_bad_job_setting_names_the_file(tmp_path: Path) -> None:
    from analyzer.jobs.scheduled import load_job

    job = tmp_path / "job.toml"
    job.write_text('inputs = ["x.csv"]\noutput = "out"\n[settings]\nnlp_max_chars = "many"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"job.toml: \[settings\] nlp_max_chars must be a whole number"):
        load_job(job)
