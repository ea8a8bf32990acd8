"""A small labelled corpus written for these tests (One Million Posts CSV layout, our own text)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

NEGATIVE = [
    "Das ist völliger Unsinn und eine Frechheit.",
    "Schlecht recherchiert, peinlich und lächerlich.",
    "Was für ein Skandal, diese Regierung ist unfähig.",
    "Eine Schande, wie schlecht das gemacht ist.",
    "Unerträglich, dieser Unsinn jeden Tag.",
    "Lächerlich, die Partei lügt schon wieder.",
    "Furchtbar schlecht, eine einzige Katastrophe.",
    "So ein Blödsinn, absolut unfähig und peinlich.",
]
NEUTRAL = [
    "Der Bericht nennt die Zahlen vom Ministerium.",
    "Die Sitzung beginnt um zehn Uhr im Rathaus.",
    "Im zweiten Absatz steht die Quelle der Daten.",
    "Laut Statistik wohnen dort etwa zweitausend Menschen.",
    "Die Wahl findet im Herbst statt.",
    "Der Zug fährt ab Dienstag wieder nach Linz.",
    "Die Studie wurde an der Universität durchgeführt.",
    "Das Gesetz tritt im Jänner in Kraft.",
]
FEEDBACK = [
    "Liebe Redaktion, der Link im Artikel funktioniert nicht.",
    "Liebe Redaktion, bitte korrigieren Sie den Tippfehler im Titel.",
    "Liebe Redaktion, warum kann ich nicht mehr posten?",
    "Liebe Redaktion, das Foto passt nicht zum Artikel.",
]


def labelled_rows() -> list[dict[str, str]]:
    """Rows of the small corpus: 10 articles, sentiment and feedback annotated."""
    rows: list[dict[str, str]] = []
    post = 0
    texts = [(t, "1", "0", "0") for t in NEGATIVE] + [(t, "0", "1", "0") for t in NEUTRAL] + [
        (t, "0", "1", "1") for t in FEEDBACK]
    for repeat in range(2):
        for i, (text, neg, neu, feedback) in enumerate(texts):
            post += 1
            rows.append({
                "ID_Post": str(post), "ID_Parent_Post": str(post - 1) if i % 3 == 1 else "",
                "ID_Article": str((i + repeat) % 10), "ID_User": str(100 + i), "CreatedAt": f"2015-06-0{1 + repeat} 10:{i:02d}:00",
                "Status": "deleted" if neg == "1" and i % 2 == 0 else "online",
                "Headline": "", "Body": text if repeat == 0 else f"{text} Wirklich.",
                "PositiveVotes": "0", "NegativeVotes": "0",
                "ArgumentsUsed": "", "Discriminating": "", "Inappropriate": "", "OffTopic": "",
                "PersonalStories": "", "PossiblyFeedback": feedback,
                "SentimentNegative": neg, "SentimentNeutral": neu, "SentimentPositive": "0", "Fold": "1",
            })
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def small_omp(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "small_omp.csv", labelled_rows())


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ANALYZER_DATA_DIR in a temporary folder: the default model place never leaks to $HOME."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ANALYZER_DATA_DIR", str(folder))
    return folder
