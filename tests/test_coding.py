"""The coded article: rules the data contract cannot express, and the agreement measures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reading_deterrence import DataError, load
from reading_deterrence.analysis.agreement import agreement, cohen_kappa, read_sheet
from reading_deterrence.analysis.coding import SHEET_LAYERS, CodedArticle, check_coding, coded_sentences, spans
from reading_deterrence.rendering.sheets import blank_sheet


@pytest.fixture(scope="module")
def article() -> CodedArticle:
    return CodedArticle.load()


def test_the_coding_follows_every_rule(article):
    assert check_coding(article) == []


def test_every_sentence_has_exactly_one_primary_speaker():
    coding = load("coding")
    speakers = coding[coding["layer"] == "speaker"].groupby("sentence_id").size()
    assert set(speakers.index) == set(load("article_sentences")["sentence_id"])
    assert (speakers == 1).all()


def test_every_span_is_a_verbatim_substring_of_its_sentence(article):
    text = load("article_sentences").set_index("sentence_id")["text"]
    located = spans(article)
    assert len(located) > 0
    for row in located.itertuples():
        assert row.span in text[row.sentence_id], row.code_id
        assert text[row.sentence_id][row.start : row.end] == row.span


def test_every_value_is_defined_in_the_codebook():
    codebook = load("codebook")
    defined = set(zip(codebook["layer"], codebook["value"]))
    used = set(zip(load("coding")["layer"], load("coding")["value"]))
    assert used <= defined, used - defined


def test_every_codebook_value_has_a_real_example_or_says_there_is_none():
    codebook = load("codebook")
    coding = load("coding")
    for row in codebook.itertuples():
        if pd.isna(row.example_sentence_id):
            assert "has no" in row.decision_rule or "none" in row.decision_rule, row.value
        else:
            coded = coding[(coding["layer"] == row.layer) & (coding["value"] == row.value)]
            assert row.example_sentence_id in set(coded["sentence_id"]), f"{row.layer}/{row.value}"


def test_sentence_layers_cover_every_sentence_in_the_wide_table(article):
    wide = coded_sentences(article)
    assert wide[SHEET_LAYERS].notna().all().all()
    assert len(wide) == len(load("article_sentences"))


def test_check_coding_catches_a_broken_coding(tmp_path):
    import shutil

    from conftest import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "coding.csv"
    text = path.read_text(encoding="utf-8")
    # a second speaker for p01s01, a span that is not in its sentence
    text += "p01s01-speakerx,p01s01,speaker,kcna,,\np02s01-loaded-9,p02s01,loaded,reporter,not in the sentence,\n"
    path.write_text(text, encoding="utf-8")
    problems = check_coding(CodedArticle.load(data))
    assert any("p01s01: 2 values for sentence layer 'speaker'" in p.message for p in problems)
    [span] = [p for p in problems if "'not in the sentence' occurs not in p02s01" in p.message]
    rows = len(load("coding")) + 3  # header, the real rows, the second speaker, then this one
    assert span.file.endswith("coding.csv") and (span.row, span.column) == (rows, "span")


# --- Cohen's kappa against examples worked by hand ---------------------------------------------------


def test_kappa_two_categories_worked_by_hand():
    # 10 items; coders agree on 8. Each coder says "a" 5 times and "b" 5 times.
    # p_o = 8/10 = 0.8; p_e = 0.5*0.5 + 0.5*0.5 = 0.5; kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
    a = list("aaaaabbbbb")
    b = list("aaaabbbbba")
    assert cohen_kappa(a, b) == pytest.approx(0.6)


def test_kappa_three_categories_worked_by_hand():
    # 6 items: coder A x,x,y,y,z,z ; coder B x,y,y,y,z,x. Agreements: items 1,3,4,5 -> p_o = 4/6.
    # A: x 2/6, y 2/6, z 2/6.  B: x 2/6, y 3/6, z 1/6.
    # p_e = (2*2 + 2*3 + 2*1) / 36 = 12/36 = 1/3.  kappa = (4/6 - 1/3) / (1 - 1/3) = (1/3) / (2/3) = 0.5
    assert cohen_kappa(list("xxyyzz"), list("xyyyzx")) == pytest.approx(0.5)


def test_kappa_edge_cases():
    assert cohen_kappa(list("abc"), list("abc")) == pytest.approx(1.0)
    assert math.isnan(cohen_kappa(list("aaa"), list("aaa")))  # chance agreement is 1: undefined
    assert cohen_kappa(list("ab"), list("ba")) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        cohen_kappa([], [])


# --- the coding sheet -------------------------------------------------------------------------------


def write(tmp_path, text):
    path = tmp_path / "sheet.csv"
    path.write_text(text, encoding="utf-8")
    return path


def module_sheet() -> pd.DataFrame:
    return coded_sentences(CodedArticle.load())[["sentence_id", *SHEET_LAYERS]]


def test_blank_sheet_has_every_sentence_and_reads_back_as_uncoded(tmp_path, article):
    text = blank_sheet()
    assert text.splitlines()[0] == "sentence_id,text,speaker,quotation,claim_kind,verifiability,notes"
    sheet = read_sheet(write(tmp_path, text), article)
    assert len(sheet) == len(load("article_sentences"))
    assert sheet[SHEET_LAYERS].isna().all().all()


def test_the_module_agrees_with_itself(tmp_path, article):
    path = tmp_path / "sheet.csv"
    module_sheet().to_csv(path, index=False)
    result = agreement(read_sheet(path, article), article)
    assert (result.summary["agreement_pct"] == 100).all()
    assert result.disagreements.empty


def test_agreement_reports_disagreements_with_the_module_note(tmp_path, article):
    sheet = module_sheet()
    sheet.loc[sheet["sentence_id"] == "p12s01", "speaker"] = "reporter"
    path = tmp_path / "sheet.csv"
    sheet.to_csv(path, index=False)
    result = agreement(read_sheet(path, article), article)
    speaker = result.summary.loc["speaker"]
    n = len(sheet)
    assert speaker["agreement_pct"] == pytest.approx(round(100 * (n - 1) / n, 1))
    row = result.disagreements.iloc[0]
    assert (result.disagreements.index[0], row["yours"], row["module"]) == ("p12s01", "reporter", "unattributed")
    assert "Debatable" in row["module_note"]


def test_labels_and_case_are_accepted(tmp_path, article):
    path = write(tmp_path, "sentence_id,speaker,quotation,claim_kind,verifiability\np06s01,washington and seoul → reporter,PARAPHRASE,,\n")
    sheet = read_sheet(path, article)
    assert sheet.loc[0, "speaker"] == "us_rok" and sheet.loc[0, "quotation"] == "paraphrase"
    assert pd.isna(sheet.loc[0, "claim_kind"])


@pytest.mark.parametrize(
    "text, row, column, message",
    [
        ("sentence_id,speaker,quotation,claim_kind\np01s01,kcna,none,background\n", 1, "verifiability", "missing column"),
        ("sentence_id,speaker,quotation,claim_kind,verifiability\np99s01,kcna,none,background,public_evidence\n", 2, "sentence_id", "unknown sentence ID 'p99s01'"),
        ("sentence_id,speaker,quotation,claim_kind,verifiability\np01s01,kcna,none,background,public_evidence\np02s01,kcna,shouting,background,public_evidence\n", 3, "quotation", "'shouting' is not a value of quotation"),
        ("sentence_id,speaker,quotation,claim_kind,verifiability\np01s01,kcna,,,\np01s01,kcna,,,\n", 3, "sentence_id", "appears twice"),
    ],
)
def test_a_malformed_sheet_fails_clearly(tmp_path, article, text, row, column, message):
    with pytest.raises(DataError) as err:
        read_sheet(write(tmp_path, text), article)
    [problem] = err.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert message in problem.message
    assert f"sheet.csv, row {row}, column '{column}'" in str(err.value)


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_a_sheet_saved_with_other_line_endings_reads_the_same(tmp_path, article, ending):
    text = "\ufeffsentence_id,speaker,quotation,claim_kind,verifiability\np06s01,us_rok,paraphrase,,\n\np07s01,kcna,,,\n"
    expected = read_sheet(write(tmp_path, text), article)
    path = tmp_path / "other.csv"
    path.write_bytes(text.replace("\n", ending).encode("utf-8"))
    assert read_sheet(path, article).equals(expected) and len(expected) == 2


def test_an_unescaped_quote_in_a_sheet_is_located(tmp_path, article):
    text = 'sentence_id,speaker,quotation,claim_kind,verifiability,notes\np06s01,us_rok,,,,"he said "no" here"\n'
    with pytest.raises(DataError) as err:
        read_sheet(write(tmp_path, text), article)
    [problem] = err.value.problems
    assert problem.row == 2 and "cell 6" in problem.message and "doubled" in problem.message


def test_agreement_with_a_classmate_counts_only_sentences_both_coded(tmp_path, article):
    mine = read_sheet(write(tmp_path, "sentence_id,speaker,quotation,claim_kind,verifiability\np06s01,us_rok,,,\np07s01,kcna,,,\n"), article)
    theirs = read_sheet(write(tmp_path, "sentence_id,speaker,quotation,claim_kind,verifiability\np06s01,us_rok,,,\n"), article)
    result = agreement(mine, article, reference=theirs)
    assert result.summary.loc["speaker", "sentences"] == 1 and result.summary.loc["speaker", "agreement_pct"] == 100
    assert result.summary.loc["quotation", "sentences"] == 0
