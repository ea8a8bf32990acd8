"""Make text captures of saved pages with the common tools, as a user would.

    python -m tests.bench.make_captures FOLDER [--tools w3m,lynx,...] [--pages a,b]
                                        [--html2text BIN] [--markdownify-python PY]

For every ``FOLDER/<page>/page.html`` (or ``source.html``) writes ``FOLDER/<page>/captures/<tool>.txt``
(UTF-8).  Each page is rendered from a private temporary copy (no tool writes beside the source)
with no network: Chromium aborts every request that is not ``file:``.  Captures of third-party
pages belong beside those pages, never in this repository.

Tools (the versions are printed; docs/readers.md records them):

* ``w3m``, ``lynx``, ``elinks``, ``links2``: ``-dump`` at 120 columns, UTF-8 in and out (the
  settings of ``../shared/data/captures``, so figures compare);
* ``html2text``: the PyPI ``html2text`` command (Markdown), default options (``--html2text BIN``);
* ``html2text_deb``: Debian's ``html2text`` program (plain text, a different tool of the same name);
* ``pandoc``: ``pandoc -f html -t gfm`` (GitHub Markdown), a markdown converter;
* ``markdownify``: the PyPI ``markdownify`` package's ``markdownify()`` with default options, run by
  ``--markdownify-python PY`` (a Python that has it; not a project dependency);
* ``chromium``: ``document.body.innerText`` (Playwright ``inner_text('body')``), JavaScript
  disabled, viewport 1280x900: what "select all, copy" gives.

``--tools variants`` makes the other settings in ``VARIANTS`` (widths 40/60/200, lynx's link list and
inline links, elinks' numbered references, html2text without wrapping or links, Debian html2text's
pretty style, pandoc plain/commonmark/markdown/wrapped gfm, markdownify ATX/no links/wrapped, and
``chromium_comments``: the innerText of the comment section alone).  ``--out DIR`` writes
``DIR/<page>/captures/<tool>.txt`` with a link to the page's ``truth.json``, so variants of seen
pages become a new evaluation folder for ``tests.bench.capture_eval --data DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

COMMANDS: dict[str, Callable[[str, argparse.Namespace], list[str]]] = {
    "w3m": lambda f, a: ["w3m", "-dump", "-cols", "120", "-I", "UTF-8", "-O", "UTF-8", "-T", "text/html", f],
    "lynx": lambda f, a: ["lynx", "-dump", "-nolist", "-width", "120", "-assume_charset=utf-8",
                          "-display_charset=utf-8", "-force_html", f],
    "elinks": lambda f, a: ["elinks", "-dump", "-dump-charset", "utf-8", "-no-numbering", "-no-references",
                            "-eval", 'set document.codepage.assume = "utf-8"',
                            "-eval", "set document.codepage.force_assumed = 1", f],
    "links2": lambda f, a: ["links2", "-dump", "-codepage", "utf-8", "-html-assume-codepage", "utf-8",
                            "-html-hard-assume", "1", f],
    "html2text": lambda f, a: [a.html2text, f, "utf-8"],
    "html2text_deb": lambda f, a: ["/usr/bin/html2text", "-utf8", "-width", "120", f],
    "pandoc": lambda f, a: ["pandoc", "-f", "html", "-t", "gfm", "--wrap=none", f],
    "markdownify": lambda f, a: [a.markdownify_python, "-c",
                                 "import sys; from markdownify import markdownify; "
                                 "sys.stdout.write(markdownify(open(sys.argv[1], encoding='utf-8').read()))", f],
}
DEFAULT_TOOLS = ("w3m", "lynx", "elinks", "links2", "html2text", "html2text_deb", "pandoc", "markdownify", "chromium")


def _markdownify(options: str) -> Callable[[str, argparse.Namespace], list[str]]:
    """A markdownify run with keyword options (a Python literal), for the variants below."""
    return lambda f, a: [a.markdownify_python, "-c",
                         "import sys; from markdownify import markdownify; "
                         f"sys.stdout.write(markdownify(open(sys.argv[1], encoding='utf-8').read(), {options}))", f]


# Other settings of the same tools (issue 12, round 6): new development data from the pages we
# already have.  Which variants were tuned on and which were kept as a check is decided here,
# before any of them was measured (docs/readers.md, "Round 6"): the check set is never looked at
# page by page.
VARIANTS: dict[str, Callable[[str, argparse.Namespace], list[str]]] = {
    "w3m_c40": lambda f, a: ["w3m", "-dump", "-cols", "40", "-I", "UTF-8", "-O", "UTF-8", "-T", "text/html", f],
    "w3m_c60": lambda f, a: ["w3m", "-dump", "-cols", "60", "-I", "UTF-8", "-O", "UTF-8", "-T", "text/html", f],
    "w3m_c200": lambda f, a: ["w3m", "-dump", "-cols", "200", "-I", "UTF-8", "-O", "UTF-8", "-T", "text/html", f],
    "lynx_list": lambda f, a: ["lynx", "-dump", "-width", "120", "-assume_charset=utf-8",
                               "-display_charset=utf-8", "-force_html", f],
    "lynx_inline": lambda f, a: ["lynx", "-dump", "-list_inline", "-width", "120", "-assume_charset=utf-8",
                                 "-display_charset=utf-8", "-force_html", f],
    "lynx_w60": lambda f, a: ["lynx", "-dump", "-nolist", "-width", "60", "-assume_charset=utf-8",
                              "-display_charset=utf-8", "-force_html", f],
    "elinks_w200": lambda f, a: ["elinks", "-dump", "-dump-width", "200", "-dump-charset", "utf-8", "-no-numbering",
                                 "-no-references", "-eval", 'set document.codepage.assume = "utf-8"',
                                 "-eval", "set document.codepage.force_assumed = 1", f],
    "elinks_w60": lambda f, a: ["elinks", "-dump", "-dump-width", "60", "-dump-charset", "utf-8", "-no-numbering",
                                "-no-references", "-eval", 'set document.codepage.assume = "utf-8"',
                                "-eval", "set document.codepage.force_assumed = 1", f],
    "elinks_refs": lambda f, a: ["elinks", "-dump", "-dump-charset", "utf-8",
                                 "-eval", 'set document.codepage.assume = "utf-8"',
                                 "-eval", "set document.codepage.force_assumed = 1", f],
    "links2_w60": lambda f, a: ["links2", "-dump", "-width", "60", "-codepage", "utf-8", "-html-assume-codepage",
                                "utf-8", "-html-hard-assume", "1", f],
    "links2_w200": lambda f, a: ["links2", "-dump", "-width", "200", "-codepage", "utf-8", "-html-assume-codepage",
                                 "utf-8", "-html-hard-assume", "1", f],
    "html2text_bw0": lambda f, a: [a.html2text, "--body-width", "0", f, "utf-8"],
    "html2text_w40": lambda f, a: [a.html2text, "--body-width", "40", f, "utf-8"],
    "html2text_nolinks": lambda f, a: [a.html2text, "--ignore-links", "--ignore-images", f, "utf-8"],
    "html2text_deb_w60": lambda f, a: ["/usr/bin/html2text", "-utf8", "-width", "60", f],
    "html2text_deb_w200": lambda f, a: ["/usr/bin/html2text", "-utf8", "-width", "200", f],
    "html2text_deb_pretty": lambda f, a: ["/usr/bin/html2text", "-utf8", "-style", "pretty", f],
    "pandoc_plain": lambda f, a: ["pandoc", "-f", "html", "-t", "plain", f],
    "pandoc_commonmark": lambda f, a: ["pandoc", "-f", "html", "-t", "commonmark", "--wrap=none", f],
    "pandoc_markdown": lambda f, a: ["pandoc", "-f", "html", "-t", "markdown", f],
    "pandoc_gfm_wrap": lambda f, a: ["pandoc", "-f", "html", "-t", "gfm", f],
    "markdownify_atx": _markdownify("heading_style='ATX', bullets='-'"),
    "markdownify_nolinks": _markdownify("strip=['a', 'img']"),
    "markdownify_wrap": _markdownify("wrap=True, wrap_width=80"),
}
TUNE_VARIANTS = ("w3m_c60", "lynx_list", "elinks_w200", "links2_w60", "html2text_bw0", "html2text_deb_w60",
                 "pandoc_plain", "markdownify_atx")
CHECK_VARIANTS = tuple(v for v in (*VARIANTS, "chromium_comments") if v not in TUNE_VARIANTS)
# Chromium's copy of the comment section alone (a user selecting just the comments): the first
# element that matches, else the body.
_COMMENT_SELECTORS = ("#comments", "#comments-section", ".comments-area", "#disqus_thread", "#wpdiscuz-comm",
                      ".comment-list", ".commentlist", "ol.comments", "#respond")

_CHROMIUM = r"""
import json, sys
from playwright.sync_api import sync_playwright
jobs = json.loads(sys.argv[1])
selectors = json.loads(sys.argv[2])
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox'])
    context = browser.new_context(java_script_enabled=False, viewport={'width': 1280, 'height': 900})
    for src, dst, part in jobs:
        page = context.new_page()
        page.route('**/*', lambda r: r.continue_() if r.request.url.startswith('file:') else r.abort())
        page.goto('file://' + src, wait_until='load', timeout=60000)
        text = ''
        if part == 'comments':
            for sel in selectors:
                node = page.query_selector(sel)
                if node is not None and node.inner_text().strip():
                    text = node.inner_text()
                    break
        if not text:
            text = page.inner_text('body')
        with open(dst, 'w', encoding='utf-8') as fh:
            fh.write(text if text.endswith('\n') else text + '\n')
        page.close()
    browser.close()
"""


def page_source(page_dir: Path) -> Path | None:
    for name in ("page.html", "source.html"):
        if (page_dir / name).is_file():
            return page_dir / name
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    parser.add_argument("--pages", default="")
    parser.add_argument("--html2text", default=shutil.which("html2text") or "html2text",
                        help="the PyPI html2text command")
    parser.add_argument("--markdownify-python", default=sys.executable)
    parser.add_argument("--out", type=Path, default=None,
                        help="write <out>/<page>/captures/<tool>.txt (truth.json linked) instead of beside the pages")
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    if tools == ["variants"]:
        tools = [*VARIANTS, "chromium_comments"]
    commands = {**COMMANDS, **VARIANTS}
    wanted = set(filter(None, args.pages.split(",")))
    work = Path(tempfile.mkdtemp(prefix="captures_"))
    env = dict(os.environ, HOME=str(work), LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="dumb")
    chromium_jobs: list[list[str]] = []
    try:
        for page_dir in sorted(p for p in args.folder.iterdir() if p.is_dir()):
            if wanted and page_dir.name not in wanted:
                continue  # checked first: pages outside the list are not even looked at
            src = page_source(page_dir)
            if src is None:
                continue
            copy = work / f"{page_dir.name}.html"
            shutil.copyfile(src, copy)
            if args.out is None:
                out_dir = page_dir / "captures"
            else:
                out_dir = args.out / page_dir.name / "captures"
                out_dir.parent.mkdir(parents=True, exist_ok=True)
                truth = out_dir.parent / "truth.json"
                if not truth.exists() and (page_dir / "truth.json").exists():
                    truth.symlink_to((page_dir / "truth.json").resolve())
            out_dir.mkdir(exist_ok=True)
            for tool in tools:
                if tool in ("chromium", "chromium_comments"):
                    part = "comments" if tool == "chromium_comments" else "body"
                    chromium_jobs.append([str(copy), str(out_dir / f"{tool}.txt"), part])
                    continue
                done = subprocess.run(commands[tool](str(copy), args), capture_output=True, env=env, cwd=work,
                                      timeout=300, check=False)
                text = done.stdout.decode("utf-8", errors="replace")
                (out_dir / f"{tool}.txt").write_text(text, encoding="utf-8")
                print(f"{page_dir.name:32s} {tool:13s} rc={done.returncode} lines={text.count(chr(10))}"
                      + (f" stderr={done.stderr[:60]!r}" if done.returncode else ""))
        if chromium_jobs:
            done = subprocess.run([sys.executable, "-c", _CHROMIUM, json.dumps(chromium_jobs),
                                   json.dumps(_COMMENT_SELECTORS)], capture_output=True,
                                  env=dict(os.environ, HOME=str(work)), timeout=1800, check=False)
            print("chromium rc", done.returncode, done.stderr.decode("utf-8", "replace")[-500:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
