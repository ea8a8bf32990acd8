"""``analyzer domains import | list``: manage credibility lists from the command line.

The main CLI registers this with :func:`add_parser` and dispatches ``args.command ==
"domains"`` to :func:`handle`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

EXIT_OK = 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``domains`` command (with ``import`` and ``list``) to the main parser's subparsers."""
    domains = subparsers.add_parser("domains", help="import and list domain credibility lists")
    domains.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="folder of imported lists (default: $ANALYZER_DATA_DIR/domains or ~/.local/share/analyzer/domains)",
    )
    sub = domains.add_subparsers(dest="domains_command", required=True)

    imp = sub.add_parser("import", help="import a CSV/TSV list (or TXT: one domain or URL per line)")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--name", required=True, help="list name (lowercase letters, digits, _ . -)")
    imp.add_argument("--domain-column", help="column with domains or URLs (default: domain, url, ...)")
    imp.add_argument("--rating-column", help="column with the rating: numeric, or labels such as 'low'")
    imp.add_argument("--label-column", help="column with a label (kept beside a numeric rating)")
    imp.add_argument("--label", default="listed", help="label for lists without ratings (default: listed)")
    imp.add_argument("--imputed-column", help="column flagging imputed values (1/true/yes)")
    imp.add_argument("--all-imputed", action="store_true", help="flag every value as (possibly) imputed")
    imp.add_argument("--date", help="date of the list: YYYY, YYYY-MM or YYYY-MM-DD")
    imp.add_argument("--licence", "--license", dest="licence", help="licence or terms of the list")
    imp.add_argument("--source-url", help="where the list was published")
    imp.add_argument("--description", help="one line about the list")
    imp.add_argument("--overwrite", action="store_true", help="replace an installed list of the same name")

    sub.add_parser("list", help="show the installed lists with their provenance")
    domains.set_defaults(handler=handle)
    return domains  # type: ignore[no-any-return]


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer domains …``; returns the exit code (errors raise UsageError)."""
    from analyzer.domains.store import ImportOptions, data_dir, import_list, installed

    folder = getattr(args, "data_dir", None)
    if args.domains_command == "import":
        record = import_list(
            args.file,
            ImportOptions(
                name=args.name,
                domain_column=args.domain_column,
                rating_column=args.rating_column,
                label_column=args.label_column,
                imputed_column=args.imputed_column,
                all_imputed=args.all_imputed,
                list_date=args.date,
                licence=args.licence,
                source_url=args.source_url,
                description=args.description,
                default_label=args.label,
                overwrite=args.overwrite,
            ),
            folder=folder,
        )
        print(
            f"imported {record['name']}: {record['n_entries']} entries ({record['rating_kind']}), "
            f"{record['n_skipped']} rows skipped, {record['n_duplicates']} duplicates -> {data_dir(folder)}"
        )
        if not record["licence"]:
            print("note: no --licence given; record the list's terms before sharing results")
        return EXIT_OK
    records = installed(folder)
    if not records:
        print(f"no domain lists in {data_dir(folder)}; import one with `analyzer domains import`")
        return EXIT_OK
    print(f"{'name':<20} {'entries':>8} {'kind':<8} {'date':<10} {'imputed':<12} licence / source")
    for r in records:
        print(
            f"{r['name']:<20} {r.get('n_entries', 0):>8} {r.get('rating_kind') or '':<8} "
            f"{r.get('list_date') or '-':<10} {r.get('imputed') or '-':<12} "
            f"{r.get('licence') or '(no licence recorded)'} / {r.get('source_url') or r.get('source_file')}"
        )
    return EXIT_OK
