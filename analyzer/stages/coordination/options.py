"""Command-line options of the coordination stage (kept here so cli.py only wires them in)."""

from __future__ import annotations

import argparse

from analyzer.core.errors import UsageError

# option dest -> stage setting key
_SETTINGS = {
    "near_dup_min_tokens": "near_dup_min_tokens",
    "near_dup_threshold": "near_dup_threshold",
    "colink_interval": "colink_interval_s",
    "colink_min_repeat": "colink_min_repeat",
    "colink_linkage": "colink_linkage",
    "colink_fdr": "colink_fdr",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--near-dup-*`` and ``--colink-*`` options of ``analyse``."""
    group = parser.add_argument_group("coordination (near-duplicates and co-links across threads)")
    group.add_argument("--near-dup-min-tokens", type=int, metavar="N",
                       help="words a comment needs to be compared for near-duplicates (default 8)")
    group.add_argument("--near-dup-threshold", type=float, metavar="J",
                       help="estimated word-bigram Jaccard that joins two comments (default 0.5)")
    group.add_argument("--colink-interval", type=float, metavar="SECONDS",
                       help="co-share window (default: the burst gap estimated from the data)")
    group.add_argument("--colink-min-repeat", type=int, metavar="N",
                       help="co-shared URLs a pair needs to be coordinated (default 2)")
    group.add_argument("--colink-fdr", type=float, metavar="Q",
                       help="false discovery rate of the chance test of coordinated pairs (default 0.05)")
    group.add_argument("--colink-linkage", choices=("burst", "pairwise"),
                       help="co-shares: within the interval of each other (pairwise) or also in one burst (default)")


def settings_from(args: argparse.Namespace) -> dict[str, object]:
    """Stage settings from the parsed options (absent options are left to the defaults)."""
    out: dict[str, object] = {}
    for dest, key in _SETTINGS.items():
        value = getattr(args, dest, None)
        if value is not None:
            out[key] = value
    if "near_dup_min_tokens" in out and int(out["near_dup_min_tokens"]) < 2:  # type: ignore[call-overload]
        raise UsageError("--near-dup-min-tokens must be at least 2 (comments are compared by word pairs)")
    if "near_dup_threshold" in out and not 0 < float(out["near_dup_threshold"]) <= 1:  # type: ignore[arg-type]
        raise UsageError("--near-dup-threshold must be in (0, 1]")
    if "colink_interval_s" in out and float(out["colink_interval_s"]) <= 0:  # type: ignore[arg-type]
        raise UsageError("--colink-interval must be positive (seconds)")
    if "colink_fdr" in out and not 0 < float(out["colink_fdr"]) <= 1:  # type: ignore[arg-type]
        raise UsageError("--colink-fdr must be in (0, 1]")
    return out
