"""Write the forum-thread fixtures: original threads in eight board layouts, captured with the tools.

    python -m tests.bench.forum_fixtures [--out fixtures/forum_threads] [--html2text BIN]
                                         [--markdownify-python PY]

Every post text below was written for this project.  Each of the eight layouts of
:mod:`tests.bench.synth.forum_html` gets one thread (German, English or French) in
``OUT/<layout>_<lang>/page.html`` with ``truth.json``; then :mod:`tests.bench.make_captures` writes
``captures/<tool>.txt`` for the nine tools.  ``tests/ingest/test_forumposts.py`` reads them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from tests.bench import make_captures
from tests.bench.synth.forum_html import Post, render_thread, truth

THREADS: dict[str, tuple[str, list[tuple[str, str, str, int]]]] = {
    "de": ("Kette springt am kleinen Ritzel", [
        ("Radlerin_77", "Stammgast", "Hallo zusammen,\n\nseit dem Winter springt meine Kette immer dann, wenn ich "
         "am Berg auf das kleinste Ritzel schalte. Die Kette ist erst 800 km alt, die Kassette deutlich älter.\n\n"
         "Hat jemand eine Idee, woran das liegen kann, bevor ich alles tausche?", 412),
        ("Schrauber Jens", "Moderator", "Wenn die Kassette älter ist, sind die kleinen Ritzel oft eingelaufen. "
         "Eine neue Kette auf alten Zähnen rutscht genau dort durch, wo am meisten Zug anliegt.\n\nMiss mal die "
         "Zähne mit einer Lehre oder vergleich sie mit einem neuen Ritzel.", 5210),
        ("kurbelkarl", "Neuling", "Danke für den Tipp, das wusste ich auch noch nicht!", 3),
        ("Radlerin_77", "Stammgast", "Du hattest recht: die drei kleinsten Ritzel sehen aus wie Haifischflossen. "
         "Ich habe eine neue Kassette bestellt und melde mich, sobald sie montiert ist.", 412),
        ("Bergziege", "Erfahrener Benutzer", "Prüf beim Umbau auch gleich die Schaltaugen-Ausrichtung. Bei mir "
         "war das Auge nach einem Sturz leicht verbogen, und die Kette ist trotz neuer Teile weiter gesprungen.\n\n"
         "Gruß\nBergziege", 978),
        ("Radlerin_77", "Stammgast", "Kurzes Update: neue Kassette drauf, Schaltauge gerade gebogen, seitdem "
         "läuft alles ruhig. Vielen Dank an alle für die Hilfe!", 412),
    ]),
    "en": ("Sourdough starter smells like nail polish", [
        ("breadhead", "Member", "My starter is three weeks old and this morning it smelled sharply of nail "
         "polish remover. It still rises, but only about half as much as last week.\n\nShould I throw it away "
         "and start over, or can it be saved?", 57),
        ("Miriam K.", "Well-known member", "Don't throw it away. That smell usually means the yeast is hungry and "
         "the bacteria are producing acetone-like compounds.\n\nFeed it twice a day for a few days at a higher "
         "ratio, for example one part starter to five parts flour and water.", 2344),
        ("oldbaker", "Member", "Same thing happened to mine last summer, it came back after a week.", 88),
        ("breadhead", "Member", "I switched to twice-daily feedings with a bit of rye flour and the smell is "
         "already milder. It doubled in six hours today, which it never did before.", 57),
        ("Miriam K.", "Well-known member", "Great news. Once it doubles reliably you can go back to one feeding "
         "and keep it in the fridge between bakes.", 2344),
    ]),
    "fr": ("Tomates qui fendent après la pluie", [
        ("jardin_de_lea", "Membre", "Bonjour à tous,\n\ncette année presque toutes mes tomates cœur de bœuf "
         "se fendent dès qu'il pleut après une période sèche. Les fruits sont encore verts quand ça arrive.\n\n"
         "Que puis-je faire pour limiter les dégâts ?", 31),
        ("Potager du Sud", "Membre confirmé", "C'est l'arrosage irrégulier qui provoque cela : le fruit gonfle "
         "trop vite quand l'eau revient. Paillez le pied et arrosez un peu chaque jour plutôt qu'une fois par "
         "semaine.", 1507),
        ("Marcel", "Membre", "Chez moi les variétés à petits fruits se fendent beaucoup moins, essayez-les l'an "
         "prochain.", 240),
        ("jardin_de_lea", "Membre", "Merci, j'ai mis de la paille de lin au pied des plants hier soir. On verra "
         "après le prochain orage si cela suffit.", 31),
    ]),
}
# Which thread each layout gets.
LAYOUT_LANG = {"xenforo": "de", "vbulletin": "en", "phpbb": "fr", "discourse": "en", "invision": "de",
               "prosilver": "de", "smf": "en", "mybb": "fr"}
# Which post quotes which earlier one (index of the quoting post -> index of the quoted post).
QUOTES = {3: 1}


def thread_posts(lang: str) -> tuple[str, list[Post]]:
    """The thread of one language as posts, an hour and a bit apart, with one quote."""
    title, rows = THREADS[lang]
    start = datetime(2023, 5, 14, 9, 12)
    posts: list[Post] = []
    for n, (author, rank, text, count) in enumerate(rows):
        posts.append(Post(author=author, created=start + timedelta(hours=n * 3, minutes=n * 7), text=text,
                          rank=rank, n_posts=count, joined=datetime(2015 + n % 5, 1 + n, 3 + n)))
    for quoting, quoted in QUOTES.items():
        if quoting < len(posts):
            first = posts[quoted].text.split("\n\n")[0]
            posts[quoting].quote = (posts[quoted].author, first)
    return title, posts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("fixtures/forum_threads"))
    parser.add_argument("--html2text", default="html2text")
    parser.add_argument("--markdownify-python", default=sys.executable)
    parser.add_argument("--no-captures", action="store_true")
    args = parser.parse_args(argv)
    for layout, lang in LAYOUT_LANG.items():
        title, posts = thread_posts(lang)
        folder = args.out / f"{layout}_{lang}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "page.html").write_text(render_thread(title, posts, layout, lang), encoding="utf-8")
        (folder / "truth.json").write_text(json.dumps(truth(title, posts, layout), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    if args.no_captures:
        return 0
    return make_captures.main([str(args.out), "--html2text", args.html2text,
                               "--markdownify-python", args.markdownify_python])


if __name__ == "__main__":
    sys.exit(main())
