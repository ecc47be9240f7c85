"""The relay-chain diagram: every audit row and every link, the change marked at the right link in
words (not colour), gaps stated and never filled, Korean marked, and the directive in a tiny book."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import DATA_DIR, ROOT
from reading_deterrence import DataError, load
from reading_deterrence.analysis.relay import WORD_COLUMNS, relay_steps
from reading_deterrence.rendering.relay import CHANGED, Link, relay_diagram
from reading_deterrence.sphinxext.language import HANGUL, mark_html
from reading_deterrence.sphinxext.relay import parse_links

LINKS_FILE = ROOT / "chapters" / "03-state-media" / "relay-chain-links.yml"
LINK_OF = {"korean_original": 2, "kcna_english": 3, "wire_quoted": 4, "earlier_copy_wording": 5, "span": 6}


@pytest.fixture(scope="module")
def links():
    return parse_links(LINKS_FILE.read_text(encoding="utf-8").splitlines())


def render(links, package=None) -> BeautifulSoup:
    diagram = relay_diagram(package, links, caption="What to notice.", article_href="../a/article.html", audit_href="qa.html")
    return BeautifulSoup(mark_html(diagram.html), "html.parser")


@pytest.fixture(scope="module")
def soup(links):
    return render(links)


def rows_by_id(soup) -> dict[str, object]:
    """Each quotation's row, by audit ID (from its verdict's link to the audit)."""
    return {row.select_one(".rd-relay-verdict a")["href"].split("#audit-")[1]: row for row in soup.select(".rd-relay-row")}


def steps(row) -> list:
    return row.select(".rd-relay-step")


# --- the rule, on hand-made rows (analysis.relay) ------------------------------------------------


def row(**cells):
    base = dict.fromkeys(["korean_original", *WORD_COLUMNS[1:], "wire_wording"])
    base.update(cells)
    return base


def test_a_swapped_word_is_new_at_the_link_that_swapped_it():
    # KCNA "the frantic drill"; the wire quotes "frantic"; the earlier copy too; the last link "frenzied".
    found = relay_steps(row(kcna_english="the frantic drill", wire_quoted="frantic", earlier_copy_wording="frantic", span="frenzied"))
    assert [s.column for s in found] == list(WORD_COLUMNS)
    assert [s.changed for s in found] == [False, False, False, False, True]
    last = found[-1]
    assert last.compared_with == "earlier_copy_wording" and last.unknown_before == ()
    assert last.pieces() == [("frenzied", True)]


def test_a_word_of_kcna_that_the_wire_left_outside_its_marks_is_not_new():
    # AP put only "practical and offensive" in its marks; "more" is KCNA's, so it is not new.
    found = relay_steps(row(kcna_english="on a more practical and offensive", wire_quoted="practical and offensive",
                            span="more hands-on and offensive"))
    assert [text for text, new in found[-1].pieces() if new] == ["hands-on"]


def test_a_gap_is_not_known_and_the_change_may_lie_there():
    found = relay_steps(row(korean_original="광란적으로", kcna_english="frantic", wire_quoted="frantic", span="frenzied"))
    earlier = found[3]
    assert earlier.words is None and not earlier.known
    assert found[-1].changed and found[-1].compared_with == "wire_quoted"
    assert found[-1].unknown_before == ("earlier_copy_wording",)


def test_a_wire_paraphrase_is_known_but_not_compared():
    found = relay_steps(row(kcna_english="measures for machinery", wire_wording="discussed preparation",
                            earlier_copy_wording="measures for machinery", span="measures for machines"))
    wire = found[2]
    assert wire.known and wire.words is None and wire.unquoted == "discussed preparation"
    assert found[3].compared_with == "kcna_english" and not found[3].changed
    assert [t for t, new in found[-1].pieces() if new] == ["machines"]


def test_styling_alone_is_no_change():
    found = relay_steps(row(kcna_english="the U.S. imperialists and the south Korean", span="the US imperialists and the South Korean"))
    assert not any(s.changed for s in found)


# --- the diagram, from the real data -----------------------------------------------------------


def test_every_audit_row_and_every_link_is_in_the_diagram(soup, links):
    audit = load("quotation_audit")
    chain = soup.select("ol.rd-relay-chain > li")
    assert [li.select_one(".rd-relay-name").get_text() for li in chain] == [link.name for link in links]
    assert len(chain) == 7
    rows = soup.select("ol.rd-relay-rows > li.rd-relay-row")
    assert len(rows) == len(audit)
    worded = [(n, link.name) for n, link in enumerate(links, start=1) if link.column]
    for row_html, audit_row in zip(rows, audit.itertuples()):
        sid = row_html.select_one("a.rd-relay-sid")
        assert sid.get_text() == audit_row.sentence_id
        assert sid["href"] == f"../a/article.html#{audit_row.sentence_id}"
        labels = [s.select_one(".rd-relay-stage").get_text(" ", strip=True) for s in steps(row_html)]
        assert labels == [f"{n} {name}:" for n, name in worded]
        # the words at the last link are the quotation as printed
        assert steps(row_html)[-1].get_text().endswith(f"“{audit_row.span}”")


def test_a_changed_word_is_marked_at_the_right_link(soup):
    rows = rows_by_id(soup)
    audit = load("quotation_audit").set_index("audit_id")
    for audit_id, row_html in rows.items():
        changed = [i for i, s in enumerate(steps(row_html)) if "rd-relay-changed" in s["class"]]
        # the diagram agrees with the audit's verdicts, found independently, link by link
        assert bool(changed) == (audit.loc[audit_id, "verdict"] == "altered"), audit_id
    q02 = steps(rows["q02"])
    assert [("rd-relay-changed" in s["class"]) for s in q02] == [False, False, False, False, True]
    assert [b.get_text() for b in q02[-1].select("strong")] == ["frenzied"]
    assert q02[3].get_text().endswith("“frantic”")  # the earlier copy still says "frantic"
    assert [b.get_text() for b in steps(rows["q05"])[-1].select("strong")] == ["in", "hands-on", "manner"]
    assert [b.get_text() for b in steps(rows["q06"])[-1].select("strong")] == ["machines", "which", "means", "not"]


def test_a_missing_link_says_so_and_is_never_filled(soup):
    rows = rows_by_id(soup)
    for audit_id in ("q01", "q03"):  # the stored earlier copy lacks the headline and the first paragraph
        earlier = steps(rows[audit_id])[3]
        assert "rd-relay-unknown" in earlier["class"]
        assert earlier.select_one(".rd-relay-gap").get_text() == "not in the stored copy"
        assert "“" not in earlier.get_text()
    flag = steps(rows["q03"])[-1].select_one(".rd-relay-flag").get_text()
    assert flag == f"◆ {CHANGED}, or at link 5 (not known)"
    wire = steps(rows["q06"])[2]  # AP paraphrased, without quotation marks
    assert "rd-relay-unquoted" in wire["class"] and "paraphrase" in wire.get_text() and "“" not in wire.get_text()


def test_a_row_with_no_kcna_english_says_none_found(tmp_path, links):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "quotation_audit.csv"
    audit = pd.read_csv(path, dtype=str, keep_default_na=False)
    audit.loc[audit["audit_id"] == "q02", "kcna_english"] = ""
    audit.to_csv(path, index=False, lineterminator="\n")
    q02 = steps(rows_by_id(render(links, data))["q02"])
    assert q02[1].select_one(".rd-relay-gap").get_text() == "none found"
    assert "rd-relay-changed" not in q02[2]["class"]  # the wire is now the first English words: nothing to compare
    assert "rd-relay-changed" in q02[-1]["class"]


def test_the_change_is_marked_in_words_not_by_colour(soup):
    assert not soup.select("[style]") and not soup.select("font")
    for step in soup.select(".rd-relay-changed"):
        flag = step.select_one(".rd-relay-flag")
        assert flag.get_text().startswith(f"◆ {CHANGED}")
        assert flag.select_one('[aria-hidden="true"]').get_text() == "◆ "  # the symbol is decoration
        assert step.select("strong")
    key = soup.select_one(".rd-relay-key").get_text()
    assert CHANGED in key and "bold" in key and "Not known" in key
    # the header row repeats the links' names for sighted readers only; each step names its link
    assert soup.select_one(".rd-relay-head")["aria-hidden"] == "true"


def test_korean_is_marked(soup):
    hangul = re.compile(f"[{HANGUL}]")
    found = 0
    for text in soup.find_all(string=hangul):
        assert text.parent.name == "span" and text.parent["lang"] == "ko", text
        found += 1
    assert found >= len(load("quotation_audit"))


def test_the_links_must_hold_every_word_column_in_order(links):
    swapped = list(links)
    swapped[2], swapped[3] = swapped[3], swapped[2]
    with pytest.raises(ValueError, match="in that order"):
        relay_diagram(None, swapped, caption="x")
    with pytest.raises(ValueError, match="in that order"):
        relay_diagram(None, [Link("Only the meeting")], caption="x")


# --- the data the diagram needs --------------------------------------------------------------------


def test_the_wire_and_earlier_copy_columns_hold_what_they_say():
    audit = load("quotation_audit")
    for r in audit.itertuples():
        if isinstance(r.wire_quoted, str):
            # inside the wire copy's own quotation marks, exactly
            assert f'"{r.wire_quoted}"' in r.wire_wording, r.audit_id
        if isinstance(r.earlier_copy_wording, str):
            assert "occasionaldigest-2023-04-11" in r.source_ids.split(";"), r.audit_id
        assert isinstance(r.wire_agency, str) == isinstance(r.wire_wording, str), r.audit_id
        assert r.wire_source.startswith(r.wire_agency), r.audit_id


def test_a_wire_quotation_that_is_not_in_its_wording_names_file_row_and_column(tmp_path, links):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "quotation_audit.csv"
    audit = pd.read_csv(path, dtype=str, keep_default_na=False)
    audit.loc[audit["audit_id"] == "q02", "wire_quoted"] = "frenzied"
    audit.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(DataError) as err:
        relay_diagram(data, links, caption="x")
    assert "quotation_audit.csv, row 3, column 'wire_quoted'" in str(err.value)


# --- the directive, in a tiny book ---------------------------------------------------------------


def test_the_directive_builds_with_links_to_the_article_and_the_audit(tmp_path):
    from test_sphinxext import tiny_book

    build = tiny_book(tmp_path)
    (tmp_path / "src").mkdir(exist_ok=True)
    shutil.copy(LINKS_FILE, tmp_path / "src" / "links.yml")
    page = "# Chain\n\n:::{relay-diagram}\n:article: article\n:audit: audit\n:caption: Notice this.\n:links: links.yml\n:::\n"
    code, warnings, out = build(
        {"article": "# Article\n\n```{article}\n```\n", "audit": "# Audit\n\n(audit-q01)=\n## q01\n\nThe entry.\n", "chain": page}
    )
    assert code == 0, warnings + build.output
    soup = BeautifulSoup((out / "chain.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("figure.rd-relay")
    assert figure.select_one("figcaption").get_text() == "Notice this."
    href = figure.select_one("a.rd-relay-sid")["href"]
    assert href == "article.html#p01s01"
    target = BeautifulSoup((out / "audit.html").read_text(encoding="utf-8"), "html.parser")
    assert target.find(id="audit-q01")  # the verdict's link lands on the audit entry
    assert figure.select_one(".rd-relay-verdict a")["href"] == "audit.html#audit-q01"
    assert figure.select_one('span[lang="ko"]')

    code, warnings, _ = build({"article": "# Article\n\n```{article}\n```\n", "chain": page.replace("links.yml", "nowhere.yml")})
    assert code != 0 and "cannot read" in warnings


def test_a_malformed_list_of_links_says_what_is_wrong():
    with pytest.raises(ValueError, match="unknown key 'colour'"):
        parse_links(["- name: The meeting", "  colour: red"])
    with pytest.raises(ValueError, match="link 2 needs a name"):
        parse_links(["- name: The meeting", "- when: 11 April"])
    with pytest.raises(ValueError, match="YAML list"):
        parse_links(["name: The meeting"])
