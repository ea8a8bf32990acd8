"""Corpora for the coordination benchmark and evaluation: organic text plus planted campaigns.

* :func:`zipf_texts` makes organic-looking texts for the 1M-comment benchmark: pseudo-words
  (random syllables, written here) drawn with a Zipf law (exponent 1.07, as word frequencies in
  running text) and log-normal lengths (median 28 words, about the 216 characters of a One
  Million Posts comment), so near-duplicates occur about as rarely as in real comment sections.
  The synthetic corpus of :mod:`tests.bench.synth.corpus` is unsuitable here: its comments are one
  to three sentences from a bank of 1,500, so half of them are exact copies of each other.
* :func:`edit` makes a lightly edited copy of a campaign text (word swaps, prefixes,
  punctuation, emoji, case), the edits copy-paste campaigns use to evade exact matching.
* :data:`CAMPAIGN_TEXTS`: campaign messages written for this evaluation (German, invented).
"""

from __future__ import annotations

import numpy as np
import polars as pl

_SYLLABLES = (
    "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
    "ra re ri ro ru sa se si so su ta te ti to tu wa we wi vo zu ei au ch sch st en er an in un"
).split()

PREFIXES = ("Genau!", "Lest das:", "Wacht auf!", "Unbedingt teilen:", "Das muss jeder wissen.",
            "Bitte lesen!", "Endlich sagt es einer:", "+1", "Wahr.", "Traurig aber wahr:")
EMOJI = ("😡", "👍", "🔥", "‼️", "🙈", "🇦🇹", "😂", "💯")
SWAPS = {
    "Regierung": "Politik", "Bürger": "Menschen", "alle": "sämtliche", "wieder": "erneut",
    "Medien": "Zeitungen", "verschweigen": "verheimlichen", "endlich": "jetzt", "Land": "Staat",
    "schon": "bereits", "Wahrheit": "Fakten", "wollen": "möchten", "nur": "bloß",
    "zahlen": "blechen", "sehr": "extrem", "niemand": "keiner", "immer": "ständig",
}

# Campaign messages invented for this evaluation (not taken from any corpus).
CAMPAIGN_TEXTS: tuple[str, ...] = (
    "Die Regierung verschweigt uns seit Monaten die wahren Kosten der Zuwanderung und die Medien spielen brav mit, wann wachen die Bürger endlich auf?",
    "Wer jetzt noch glaubt, dass die Impfpflicht nur zu unserem Schutz kommt, hat die letzten zwei Jahre nicht aufgepasst. Informiert euch selbst!",
    "Die Energiepreise steigen nur, weil Brüssel es so will. Unsere Politiker haben längst aufgegeben, für das eigene Land zu kämpfen.",
    "Schon wieder ein Artikel, der die Hälfte weglässt. Die ganze Wahrheit über die Sanktionen findet ihr nur noch in freien Medien.",
    "Die Bürger zahlen die Zeche, die Banken kassieren ab. Es wird Zeit, dass sich alle gemeinsam dagegen wehren, bevor es zu spät ist.",
    "Mein Nachbar hat seinen Job verloren, weil die Regierung die Betriebe mit immer neuen Auflagen erstickt. So kann es nicht weitergehen in diesem Land.",
    "Niemand redet darüber, wie viele Milliarden ins Ausland fließen, während bei uns die Pensionisten frieren. Das ist ein Skandal ohne Ende.",
    "Der ORF ist längst kein unabhängiger Sender mehr, sondern das Sprachrohr der Regierung. Wir wollen nicht länger dafür zahlen müssen.",
    "Die Wahl wurde doch schon vorher entschieden, die Umfragen sind alle gekauft. Geht trotzdem wählen, damit sie es nicht so leicht haben!",
    "Die Klimakleber bekommen Milde vor Gericht, aber wer seine Steuern einen Tag zu spät zahlt, wird sofort bestraft. Zwei Klassen Justiz in Österreich.",
    "Hier wird wieder nur die halbe Geschichte erzählt. Schaut euch die Zahlen der Statistik Austria selbst an, dann seht ihr, wie gelogen wird.",
    "Die Neutralität wird Stück für Stück abgeschafft und keiner fragt das Volk. Wann gibt es endlich eine echte Volksabstimmung darüber?",
    "Die Mieten explodieren, aber die Regierung schaut zu und kassiert die Grunderwerbsteuer. Junge Familien können sich nichts mehr leisten.",
    "Warum berichtet keine Zeitung über die Demonstration am Samstag mit zehntausenden Menschen? Weil es nicht ins Bild der Medien passt.",
    "Die Gesundheitskasse streicht Leistungen, während die Funktionäre sich Prämien genehmigen. Das sollte wirklich jeder Versicherte wissen.",
    "Ich habe drei Jahrzehnte gearbeitet und bekomme jetzt weniger Pension als jemand, der nie eingezahlt hat. Gerecht ist das nicht, liebe Regierung.",
    "Die Schulen bringen unseren Kindern nur noch Ideologie bei statt Lesen und Rechnen. Die Eltern müssen sich endlich gemeinsam wehren.",
    "Der Bargeldverbot kommt durch die Hintertür, zuerst die Obergrenzen, dann die digitale Währung. Wer das nicht sieht, will es nicht sehen.",
    "Die Bauern werden mit immer neuen Vorschriften aus Brüssel ruiniert, und im Supermarkt liegt dann Fleisch aus Übersee. Schämt euch!",
    "Die Polizei hat an der Grenze längst aufgegeben, die Zahlen im Bericht sind geschönt. Fragt einmal einen Beamten privat, der sagt euch die Wahrheit.",
)


def pseudo_vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    """``size`` distinct pseudo-words of two to four syllables."""
    words: set[str] = set()
    out: list[str] = []
    while len(out) < size:
        n = int(rng.integers(2, 5))
        word = "".join(_SYLLABLES[i] for i in rng.integers(0, len(_SYLLABLES), size=n))
        if word not in words:
            words.add(word)
            out.append(word)
    return out


def zipf_texts(n: int, rng: np.random.Generator, *, vocabulary: int = 40_000) -> pl.Series:
    """``n`` organic-looking texts (see the module docstring)."""
    vocab = pl.Series(pseudo_vocabulary(vocabulary, rng))
    lengths = np.clip(np.round(rng.lognormal(np.log(28), 0.8, size=n)), 1, 400).astype(np.int64)
    ranks = np.arange(1, vocabulary + 1, dtype=np.float64)
    p = ranks ** -1.07
    p /= p.sum()
    words = rng.choice(vocabulary, size=int(lengths.sum()), p=p)
    frame = pl.DataFrame({"doc": np.repeat(np.arange(n), lengths), "w": vocab.gather(words)})
    return frame.group_by("doc", maintain_order=True).agg(pl.col("w").str.join(" ")).get_column("w")


def edit(text: str, rng: np.random.Generator, *, max_edits: int = 3) -> str:
    """A lightly edited copy: up to ``max_edits`` of word swap, prefix, punctuation, emoji, case."""
    words = text.split(" ")
    n_edits = int(rng.integers(0, max_edits + 1))
    prefix = ""
    for kind in rng.choice(5, size=n_edits):
        if kind == 0:  # swap a word for a synonym (or drop a short word)
            swappable = [i for i, w in enumerate(words) if w.strip(",.!?") in SWAPS]
            if swappable:
                i = int(rng.choice(swappable))
                core = words[i].strip(",.!?")
                words[i] = words[i].replace(core, SWAPS[core])
            else:
                i = int(rng.integers(0, len(words)))
                if len(words[i]) <= 4 and len(words) > 10:
                    del words[i]
        elif kind == 1:
            prefix = str(rng.choice(PREFIXES)) + " "
        elif kind == 2:  # punctuation: drop commas, change the end
            words = [w.replace(",", "") for w in words]
            words[-1] = words[-1].rstrip(".!?") + str(rng.choice(["!!!", "?!", "...", "."]))
        elif kind == 3:
            position = int(rng.integers(0, len(words) + 1))
            words.insert(position, str(rng.choice(EMOJI)))
        else:
            words = [w.upper() if rng.random() < 0.15 else w for w in words]
    return prefix + " ".join(words)
