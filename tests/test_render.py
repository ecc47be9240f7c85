"""MyST generated from the data: dates, escaping, and the views."""

import re

import pandas as pd
import pytest

from reading_deterrence import load
from reading_deterrence.rendering.text import escape as _escape
from reading_deterrence.rendering.text import format_date_range
from reading_deterrence.rendering.views import render


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2023-04-10", None, "10 April 2023"),
        ("2023-03-13", "2023-03-23", "13–23 March 2023"),
        ("2023-03-20", "2023-04-03", "20 March – 3 April 2023"),
        ("2022-12-30", "2023-01-02", "30 December 2022 – 2 January 2023"),
        ("2023-04-10", "2023-04-10", "10 April 2023"),
    ],
)
def test_format_date_range(start, end, expected):
    assert format_date_range(pd.Timestamp(start), pd.Timestamp(end) if end else None) == expected


def test_escape_neutralises_markup():
    assert _escape("a *b* `c` [d](e) {f}") == r"a \*b\* \`c\` \[d\](e) \{f\}"


def test_timeline_view_has_every_event_sourced_and_linked():
    view = render("timeline")
    events = load("timeline")
    for row in events.itertuples():
        assert f"(case-event-{row.event_id})=" in view.text
        if not pd.isna(row.sentence_id):
            assert f"{{sentence}}`{row.sentence_id}`" in view.text
    assert view.text.count("Source: ") == len(events)
    assert "(ap-2019-02-28-hanoi)" not in view.text, "source IDs in notes become links"
    assert any(f.name == "timeline.csv" for f in view.files)


def test_timeline_view_is_in_date_order():
    text = render("timeline").text
    events = load("timeline").sort_values(["date_start", "event_id"])
    positions = [text.index(f"(case-event-{e})=") for e in events["event_id"]]
    assert positions == sorted(positions)


def test_catalogue_lists_every_table_and_field():
    from reading_deterrence import descriptor

    view = render("catalogue")
    resources = descriptor()["resources"]
    headings = [line for line in view.text.splitlines() if line.startswith("## ")]
    assert headings == [f"## {_escape(res['title'])}" for res in resources]  # every table, in order
    assert view.labels == {res["title"]: f"data-{res['name'].replace('_', '-')}" for res in resources}
    for res, part in zip(resources, re.split(r"^## ", view.text, flags=re.M)[1:]):
        fields = [field["name"] for field in res["schema"]["fields"]]
        assert [line[len("* - `") : -1] for line in part.splitlines() if line.startswith("* - `")] == fields
        assert f"`data/{res['path']}` ({len(load(res['name']))} rows, {len(fields)} columns" in part


def test_unknown_view():
    with pytest.raises(KeyError, match="known views"):
        render("nope")


def test_link_references_in_notes():
    from reading_deterrence.rendering.text import link_references

    sources = load("sources").set_index("source_id")
    sid = sources.index[0]
    note = f"Agrees with ({sid}); see https://www.example.org/a/b?c=1. Unknown (not-a-source) stays."
    out = link_references(note, sources)
    assert f"]({sources.loc[sid, 'url']})" in out
    assert "[example.org](https://www.example.org/a/b?c=1)." in out
    assert "(not-a-source)" in out


def test_mark_departures_bolds_only_words_missing_from_the_source():
    from reading_deterrence.rendering.media import mark_departures

    kcna = "with increasing speed on a more practical and offensive"
    assert mark_departures("increasing speed in a more hands-on and offensive manner,", kcna) == (
        "increasing speed **in** a more **hands-on** and offensive **manner,**"
    )
    assert mark_departures("“frantic” drills", "the frantic drill") == "“frantic” **drills**"


def test_declarations_view_marks_quotations_and_our_translations():
    view = render("declarations")
    table = load("declarations")
    for row in table.itertuples():
        if row.text_status == "quotation":
            assert f"“{_escape(row.text)}”" in view.text, row.declaration_id
        else:
            assert f"{_escape(row.text)} *({row.text_status})*" in view.text, row.declaration_id
        if not pd.isna(row.korean):
            assert f"Korean: {row.korean}." in view.text, row.declaration_id
    assert view.text.count("Source: {source}`") == len(table)
    assert "(morningstar-2022-10-28-npr)" not in view.text, "source IDs in notes become links"


def test_declarations_view_puts_documents_in_date_order():
    view = render("declarations")
    table = load("declarations")
    headings = [line for line in view.text.splitlines() if line.startswith("**")]
    documents = table.sort_values("date", kind="stable")["document"].drop_duplicates().tolist()
    assert [h.split("**")[1] for h in headings] == [_escape(d) for d in documents]


def test_glossary_view_defines_every_term_once():
    view = render("glossary")
    table = load("glossary")
    lines = view.text.splitlines()
    for term in table["term"]:
        assert lines.count(term) == 1, term
    assert view.text.count("```{glossary}") == table["topic"].nunique()


def test_coding_worksheet_has_every_sentence_and_no_answers():
    view = render("coding_worksheet")
    sentences = load("article_sentences")
    book = load("codebook")
    for row in sentences.itertuples():
        assert f"* - `{row.sentence_id}`\n  - {_escape(row.text)}\n" in view.text
    for layer in ("speaker", "claim_kind"):
        for value in book.loc[book["layer"] == layer, "value"]:
            assert f"`{value}`, " in view.text
    # the sheet is for writing on: no code of the module's, and no example sentence of the codebook
    rows = view.text[view.text.index(":::{list-table}") :]
    assert not [v for v in book["value"] if f"`{v}`" in rows]
    assert "Example" not in view.text
    assert {"article_sentences.csv", "codebook.csv"} <= {f.name for f in view.files}


def test_coding_worksheet_can_keep_some_sentences_and_ask_for_other_layers():
    from reading_deterrence.rendering.coding import SHEET_TITLES, coding_worksheet

    sentences = load("article_sentences").set_index("sentence_id")["text"]
    book = load("codebook")
    chosen = ["p12s01", "p01s01"]  # kept in the article's order, whatever the order asked
    view = coding_worksheet(sentences=chosen, layers=list(SHEET_TITLES))
    rows = view.text[view.text.index(":::{list-table}") :]
    assert re.findall(r"^\* - `(p\d\ds\d\d)`$", rows, flags=re.M) == ["p01s01", "p12s01"]
    for sid in chosen:
        assert f"* - `{sid}`\n  - {_escape(sentences[sid])}\n" + "  - \u00a0\n" * len(SHEET_TITLES) in rows
    assert all(f"  - {title}\n" in rows for title in SHEET_TITLES.values())
    assert ":widths: 8 24 13 13 13 13 16\n" in rows
    for layer in SHEET_TITLES:
        for value in book.loc[book["layer"] == layer, "value"]:
            assert f"`{value}`, " in view.text
    # still no answers: no code in the rows, no example sentence in the short codebook
    assert not [v for v in book["value"] if f"`{v}`" in rows]
    assert "Example" not in view.text
    with pytest.raises(KeyError, match="p99s01"):
        coding_worksheet(sentences=["p01s01", "p99s01"])
    with pytest.raises(KeyError, match="attribution"):
        coding_worksheet(layers=["speaker", "attribution"])


def test_claim_ledger_holds_back_the_evidence_of_claims_in_activity_sentences():
    """The evidence of a claim made in a sentence students code themselves discusses that
    sentence's attribution words (c20 on p12s01's "what it called"): the student ledger holds it
    back, and keeps the claim's words, verdict and sources."""
    from reading_deterrence.rendering.base import HeldBack
    from reading_deterrence.rendering.media import claim_ledger

    full = claim_ledger().text
    held = claim_ledger(held_back=HeldBack(sentences=frozenset({"p12s01"}))).text
    assert "'what it called' wording" in full
    assert "'what it called' wording" not in held
    assert held.count("**c20**") == 1 and "Verdict:" in held.split("**c20**")[1].split("(claim-")[0]
