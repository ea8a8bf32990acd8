"""Links on the One Million Posts dev comments: what each form finds, for the false-positive check.

Run ``python -m tests.bench.link_forms_omp [CSV|JSONL] [--json OUT]`` (default CSV:
``../shared/data/omp_derstandard/omp_posts_dev.csv``).  It extracts links from every post
(headline + body, as ``--map text=Headline+Body`` reads them) with the current code and prints:

* links found, by obfuscation rule (``spaced*`` are the spaced forms of issue 13);
* every link found in a spaced form, an unwrapped redirect or an aliased domain, with the text
  around it, so each one can be judged a true or a false positive by reading it;
* candidates the e-mail rule turned away.

``--json OUT`` writes ``(post id, url, domain, obfuscation, redirect)`` of every link, so two
versions of the code can be compared (run it once with ``PYTHONPATH`` pointing at the other
version's tree).  Used for the figures in docs/links.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
import sys
import time
from pathlib import Path

from analyzer.stages import links

DEFAULT_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "omp_derstandard" / "omp_posts_dev.csv"
_EMAIL = re.compile(r"[\w.+-]{1,64}\s{0,2}(?:@|[(\[{]\s{0,2}(?:at|ät)\s{0,2}[)\]}])\s{0,2}[\w-]{1,63}(?:\.|\s?[(\[]?dot[)\]]?\s?)\w{2,6}",
                    re.IGNORECASE)


_SPACED_SITES = re.compile(r"[\w-] {1,2}(?:\.|dot|punkt) {1,2}[\w-]", re.IGNORECASE)


def posts(path: Path) -> list[tuple[str, str]]:
    """(post id, text) of every post: OMP CSV headline + body, or every node text of a JSONL file.

    JSONL (RumourEval, DAST threads of ../shared/data): ``nodes[].text`` and a thread's
    ``title`` / ``text``, with ids ``<line>:<node id>``.
    """
    if path.suffix == ".jsonl":
        out: list[tuple[str, str]] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            thread = json.loads(line)
            for key in ("title", "text"):
                if isinstance(thread.get(key), str):
                    out.append((f"{number}:{key}", thread[key]))
            for node in thread.get("nodes", []):
                if isinstance(node.get("text"), str):
                    out.append((f"{number}:{node.get('id')}", node["text"]))
        return out
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["ID_Post"], "\n".join(x for x in (r.get("Headline") or "", r.get("Body") or "") if x)) for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        print(f"{args.csv}: not found (the shared data folder is absent)", file=sys.stderr)
        return 2
    texts = posts(args.csv)
    start = time.perf_counter()
    found: list[tuple[str, object, str]] = []
    for post_id, text in texts:
        for link in links.extract_links(text).links:
            found.append((post_id, link, text))
    seconds = time.perf_counter() - start
    rules = collections.Counter((getattr(lk, "obfuscation", None) or "plain") for _, lk, _ in found)
    print(f"{len(texts)} posts, {len(found)} links in {seconds:.2f} s")
    for rule, n in rules.most_common():
        print(f"  {rule:32} {n}")
    print("\nSpaced forms, unwrapped redirects, aliased domains (judge each one):")
    for post_id, lk, text in found:
        rule = getattr(lk, "obfuscation", None) or ""
        redirect = getattr(lk, "redirect", None)
        aliased = lk.registered_domain is not None and lk.host.split(".")[-2:] != lk.registered_domain.split(".")[-2:]
        if "spaced" in rule or redirect or aliased:
            context = text[max(0, lk.start_char - 40) : lk.end_char + 40].replace("\n", " ")
            print(f"  {post_id:>8} {rule or '-':22} {lk.registered_domain!s:24} {redirect or '-':24} …{context}…")
    spaced_places = sum(len(_SPACED_SITES.findall(text)) for _, text in texts)
    spaced_links = sum(1 for _, lk, _ in found if "spaced" in (getattr(lk, "obfuscation", None) or ""))
    print(f"\nPlaces where ' . ', ' dot ' or ' punkt ' stands between two words: {spaced_places}; "
          f"links read from them: {spaced_links}")
    emails = [(pid, m.group()) for pid, text in texts for m in _EMAIL.finditer(text)]
    print(f"\nE-mail-like strings in the posts: {len(emails)}")
    for pid, email in emails[:40]:
        print(f"  {pid:>8} {email}")
    if args.json:
        args.json.write_text(json.dumps([
            [pid, lk.url, lk.registered_domain, lk.obfuscation, getattr(lk, "redirect", None)] for pid, lk, _ in found
        ], ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
