"""Member cards learnt from the page and cut from the post texts (analyzer/ingest/learntchrome.py)."""

from __future__ import annotations

from pathlib import Path

from analyzer.core.records import RawComment
from analyzer.ingest import learntchrome, read, textshapes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text_cards"


def _rows(name: str) -> list[dict]:
    out = read([FIXTURES / name])
    return list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))


def test_a_card_under_each_post_is_cut_and_its_date_is_no_post() -> None:
    rows = _rows("card_after_de.txt")
    assert [r["text"].split()[0] for r in rows] == ["Der", "Danke", "Am", "Bin"]
    assert rows[0]["text"].endswith("würde ich dort schieben.")
    for r in rows:
        assert "Beiträge" not in r["text"] and "Erster Besuch" not in r["text"] and "Nach oben" not in r["text"]
        assert "Benutzeravatar" not in r["text"] and "Deichgraf" not in r["text"]
    # The join dates of the cards ("Erster Besuch: Mo 4. Mai 2015, 09:12") are no comments' dates.
    assert [str(r["created_at"])[:10] for r in rows] == ["2024-03-12", "2024-03-12", "2024-03-12", "2024-03-13"]


def test_a_card_above_each_post_is_cut_and_names_the_author() -> None:
    rows = _rows("card_before_en.txt")
    assert [r["author"] for r in rows] == ["old_tom", "maren_k", "bryn_hollow"]
    assert rows[0]["text"] == "Idle jet, nine times out of ten. Take the carb off and blow it through."
    assert all(r["text"].lstrip().startswith(("Idle", "That", "Worth")) for r in rows)
    assert not any("Home Port" in r["text"] or "is offline" in r["text"] for r in rows)


def _comment(n: int, text: str, author: str | None = None) -> RawComment:
    return RawComment(comment_id=f"c{n}", parent_id=None, declared_depth=1, author=author, created_at=None,
                      text=text, source_line=None, edge_confidence=1.0)


def test_texts_without_recurring_edges_are_left_alone() -> None:
    texts = ["Thanks, that helped.\nI tried it on Sunday.", "Same here.\nWorks fine now.", "No luck for me.\nStill stalls."]
    comments = [_comment(n, t, "Anna") for n, t in enumerate(texts)]
    assert learntchrome.strip_learnt_chrome(comments) == 0
    assert [c.text for c in comments] == texts


def test_a_short_text_over_buttons_is_never_a_card() -> None:
    """Buttons open the text only where a reader ran two comments together: not learnt as a card
    above the texts (they end, not open, the other comments' texts)."""
    words = ["The ferry was late again today.", "Nobody told us about the new timetable.",
             "Bring a coat, the deck is cold.", "My dog loved the crossing.", "Tickets are cheaper online now."]
    texts = ["Loose*\n\npermalink\nreply\n\nWhat, are you a cop?"] + [f"{w}\n\npermalink\nreply" for w in words]
    comments = [_comment(n, t, f"user{n}") for n, t in enumerate(texts)]
    learntchrome.strip_learnt_chrome(comments)
    assert comments[0].text.startswith("Loose*")
    assert [c.text for c in comments[1:]] == words


def test_a_field_card_date_is_dropped_only_when_post_dates_remain() -> None:
    card = ["Posts: 12", "Joined: Mon Jan 4, 2016 9:12 am", "Location: Kiel"]
    lines = []
    for n in range(3):
        lines += [f"Postby user{n} » Tue Mar 12, 2024 {10 + n}:04 pm", "", "Text of the post.", "", *card, ""]
    contents = [textshapes._strip(line) for line in lines]
    spans = textshapes._date_spans(contents)
    assert sorted(contents[i][:6] for i in spans) == ["Postby"] * 3
    # A header printed as fields ("Name: …" / "Date: …") keeps its dates: nothing else is dated.
    fields = []
    for n in range(3):
        fields += [f"Name: user{n}", f"Date: 12.03.2024, {10 + n}:04", "", "Text of the post.", ""]
    contents = [textshapes._strip(line) for line in fields]
    assert len(textshapes._date_spans(contents)) == 3


def test_numbered_titles_opening_the_posts_are_their_words() -> None:
    """Posters who open with "Episode 1", "Episode 2" …: a numbered line with words is no card,
    however many posts open so; a bare vote count over each text is."""
    texts = [f"Episode {n}\n\nThe {w} part was the best so far." for n, w in enumerate(["first", "second", "third", "last"], 1)]
    comments = [_comment(n, t, f"user{n}") for n, t in enumerate(texts)]
    assert learntchrome.strip_learnt_chrome(comments) == 0
    voted = [_comment(n, f"+{n}\n{w}", f"user{n}") for n, w in enumerate(
        ["Agreed, the ferry is late.", "Not on Sundays though.", "Depends on the tide.", "Ask the harbour office."])]
    assert learntchrome.strip_learnt_chrome(voted) == 4
    assert voted[0].text == "Agreed, the ferry is late."
