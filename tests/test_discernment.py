"""The discernment check's scores and result files (issue 14): hit and false-alarm rates, d′ with
the log-linear correction, c and AUC on cases worked by hand (all flagged, none flagged, perfect,
mixed, ties); the plain-words reading; the bank's own rules; and result files, good and malformed,
each malformed one failing with its file, row and column.

The fixture bank (``tests/fixtures/discernment_items.csv``, 12 items in 6 pairs) has the same
schema as ``data/discernment_items.csv``; the tests that need the book's own bank skip until it
exists.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import DATA_DIR
from reading_deterrence import DataError, load
from reading_deterrence.analysis.counting import count
from reading_deterrence.analysis.discernment import (
    VERDICTS,
    auc,
    chart_values,
    check_bank,
    fixed,
    form_balance,
    reading,
    roc_points,
    score,
    verdict_key,
    z,
)
from reading_deterrence.analysis.discernment_results import class_scores, paired, read_results
from reading_deterrence.contract import descriptor, resource

FIXTURES = Path(__file__).parent / "fixtures"
# Form A of the fixture: unsound d02, d04, d06; sound d01, d03, d05.
UNSOUND_A, SOUND_A = ("d02", "d04", "d06"), ("d01", "d03", "d05")
Z875 = 1.1503493803760079  # z(0.875) = z(3.5 / 4): 3 of 3 flagged, corrected
Z625 = 0.3186393639643752  # z(0.625) = z(2.5 / 4): 2 of 3 flagged, corrected


def fixture_bank() -> pd.DataFrame:
    bank = pd.read_csv(FIXTURES / "discernment_items.csv", dtype=str, keep_default_na=False)
    bank["sound"] = bank["sound"].eq("true")
    bank["difficulty"] = bank["difficulty"].astype(int)
    return bank


@pytest.fixture
def bank() -> pd.DataFrame:
    return fixture_bank()


def rated(unsound: list[int], sound: list[int]) -> dict[str, int]:
    return dict(zip(UNSOUND_A, unsound)) | dict(zip(SOUND_A, sound))


# --- the scores, worked by hand -----------------------------------------------------------------


def test_z_is_the_normal_quantile():
    assert z(0.5) == 0 and z(0.875) == pytest.approx(Z875) and z(0.125) == pytest.approx(-Z875)


def test_all_flagged(bank):
    # 3 of 3 unsound and 3 of 3 sound flagged: H = F = 3.5/4 = .875, so d′ = 0 and
    # c = -(z(.875) + z(.875)) / 2 = -1.1503; every pair tied (6 against 6): AUC = 0.5
    s = score(rated([6, 6, 6], [6, 6, 6]), bank)
    assert (s["hits"], s["false_alarms"], s["hit_rate"], s["false_alarm_rate"]) == (3, 3, 1.0, 1.0)
    assert s["d_prime"] == 0 and s["c"] == pytest.approx(-Z875) and s["auc"] == 0.5


def test_none_flagged(bank):
    # nothing flagged: H = F = 0.5/4 = .125, d′ = 0, c = +1.1503; all tied again: AUC = 0.5
    s = score(rated([1, 2, 3], [3, 2, 1]), bank)
    assert (s["hits"], s["false_alarms"], s["misses"], s["correct_rejections"]) == (0, 0, 3, 3)
    assert s["d_prime"] == 0 and s["c"] == pytest.approx(Z875)
    # ratings 1..3 on both sides: unsound beats sound in 3 pairs, ties 3: (3 + 1.5) / 9 = .5
    assert s["auc"] == 0.5


def test_perfect(bank):
    # H = .875, F = .125: d′ = 2 z(.875) = 2.3007, c = 0; every unsound above every sound: AUC = 1
    s = score(rated([6, 6, 6], [1, 1, 1]), bank)
    assert s["d_prime"] == pytest.approx(2 * Z875) and s["c"] == pytest.approx(0) and s["auc"] == 1


def test_mixed(bank):
    # unsound 6, 4, 2 (2 hits), sound 1, 3, 5 (1 false alarm): H = 2.5/4, F = 1.5/4,
    # d′ = z(.625) - z(.375) = 2 z(.625) = 0.6373, c = 0; unsound above sound in 3 + 2 + 1 = 6 of 9 pairs
    s = score(rated([6, 4, 2], [1, 3, 5]), bank)
    assert (s["hits"], s["false_alarms"]) == (2, 1)
    assert s["d_prime"] == pytest.approx(2 * Z625) and s["c"] == pytest.approx(0)
    assert s["auc"] == pytest.approx(6 / 9)


def test_ties_count_half(bank):
    # unsound 4, 4, 4 (3 hits), sound 4, 1, 1 (1 false alarm): H = .875, F = .375;
    # d′ = 1.1503 + 0.3186 = 1.4690, c = -(1.1503 - 0.3186) / 2 = -0.4159;
    # each unsound 4: a tie with the sound 4 (0.5) and two wins: 2.5 x 3 / 9 = 0.8333
    s = score(rated([4, 4, 4], [4, 1, 1]), bank)
    assert s["d_prime"] == pytest.approx(Z875 + Z625) and s["c"] == pytest.approx(-(Z875 - Z625) / 2)
    assert s["auc"] == pytest.approx(7.5 / 9)


def test_auc_is_the_area_under_the_empirical_roc():
    rng = random.Random(7)
    for _ in range(200):
        unsound = [rng.randint(1, 6) for _ in range(rng.randint(1, 12))]
        sound = [rng.randint(1, 6) for _ in range(rng.randint(1, 12))]
        points = roc_points(unsound, sound)
        assert points[0] == (0, 0) and points[-1] == (1, 1)
        area = sum((f2 - f1) * (h1 + h2) / 2 for (f1, h1), (f2, h2) in zip(points, points[1:]))
        assert area == pytest.approx(auc(unsound, sound))


def test_score_refuses_what_it_cannot_score(bank):
    with pytest.raises(ValueError, match="not an item"):
        score({"d99": 3, "d01": 2}, bank)
    with pytest.raises(ValueError, match="not a whole number from 1 to 6"):
        score({"d01": 7, "d02": 2}, bank)
    with pytest.raises(ValueError, match="at least one sound and one unsound"):
        score({"d01": 3, "d03": 2}, bank)


# --- the reading --------------------------------------------------------------------------------


def test_fixed_rounds_half_up_with_a_true_minus():
    assert [fixed(0.125), fixed(-0.62), fixed(-0.004), fixed(-0.005), fixed(2.5, 0), fixed(0)] == [
        "0.13", "−0.62", "0.00", "0.00", "3", "0.00",
    ]  # fmt: skip


def test_readings(bank):
    everything = reading(score(rated([6, 6, 6], [6, 6, 6]), bank))
    assert everything.startswith("You flagged all 6 items as unsound.")
    assert "You are sceptical, not yet discerning" in everything and "(d′ = 0.00, c = −1.15.)" in everything
    nothing = reading(score(rated([1, 1, 1], [1, 1, 1]), bank))
    assert nothing.startswith("You flagged none of the 6 items") and "trusting, not yet discerning" in nothing
    almost = reading(score(rated([6, 6, 5], [5, 5, 1]), bank))
    assert almost.startswith("You flagged almost everything: 5 of 6 items.")
    perfect = reading(score(rated([6, 6, 6], [1, 1, 1]), bank))
    assert "You discern well, and your doubts are balanced." in perfect and "100% of the time" in perfect
    backwards = reading(score(rated([1, 1, 1], [6, 6, 6]), bank))
    assert VERDICTS["misled"] in backwards


def test_verdict_thresholds():
    assert verdict_key(0.0, -0.5) == "low-sceptical" and verdict_key(0.49, 0.49) == "low-balanced"
    assert verdict_key(0.5, 0.5) == "some-trusting" and verdict_key(1.5, 0) == "high-balanced"
    assert verdict_key(-0.5, 0) == "misled"


# --- the bank ---------------------------------------------------------------------------------


def test_the_fixture_bank_is_balanced(bank):
    check_bank(bank)
    balance = form_balance(bank)
    assert balance.loc["total difficulty"].tolist() == [12, 12]
    assert balance.loc["chart"].tolist() == [1, 1]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda b: b.assign(pair_id=b["pair_id"].where(b["item_id"] != "d03", "p01")), "row 2, column 'pair_id'"),
        (lambda b: b.assign(sound=b["sound"].where(b["item_id"] != "d02", True)), "row 2, column 'sound'"),
        (lambda b: b.assign(form=b["form"].where(b["item_id"] != "d02", "B")), "row 2, column 'form'"),
        (lambda b: b.assign(chart=b["chart"].where(b["item_id"] != "d01", "launch_events:by_year:fair")), "row 2"),
        (lambda b: b.assign(difficulty=b["difficulty"].where(b["form"] != "A", 3)), "column 'difficulty'"),
    ],
    ids=["pair-of-three", "two-sound", "pair-across-forms", "chart-on-a-quotation", "forms-unmatched"],
)
def test_bank_rules(bank, change, where):
    with pytest.raises(DataError) as err:
        check_bank(change(bank), "bank.csv")
    assert f"bank.csv, {where}" in str(err.value)


def test_chart_values_from_the_launch_tables():
    launches = load("launch_events"), load("launch_reports")
    bars, unit, what = chart_values("launch_events:by_month_2023", *launches)
    assert (unit, what, len(bars), bars["label"].iloc[2]) == ("launch events", "month", 12, "Mar")
    # counted under the module's default rules (satellite launches out), as counting.count counts
    assert bars["value"].sum() == count(*launches, start="2023-01-01", end="2023-12-31")
    bars, unit, _ = chart_values("launch_reports:range_km_2023-01-01-a", *launches)
    assert list(zip(bars["label"], bars["value"])) == [("JCS", 400), ("Japan MOD", 350)] and unit == "range in km"
    bars, _, _ = chart_values("launch_reports:events_by_reporter_2023q1", *launches)
    assert dict(zip(bars["label"], bars["value"])) == {
        "JCS": 10,
        "Japan MOD": 6,
        "KCNA": 11,
        "US INDOPACOM": 2,
        "other": 2,
    }
    with pytest.raises(KeyError, match="not a chart measure"):
        chart_values("launch_events:by_weekday", *launches)
    with pytest.raises(KeyError, match="no reporter gave a range"):
        chart_values("launch_reports:range_km_1999-01-01-a", *launches)


def has_real_bank() -> bool:
    return any(r["name"] == "discernment_items" for r in descriptor()["resources"])


@pytest.mark.skipif(not has_real_bank(), reason="data/discernment_items.csv is not in the data package yet")
def test_the_books_bank_is_balanced_and_sourced():
    real = load("discernment_items")
    check_bank(real)
    assert len(real) >= 40 and real["sound"].sum() * 2 == len(real)
    assert real["source_ids"].str.len().gt(0).all()


# --- result files -------------------------------------------------------------------------------

HEADER = "code,form,phase,item_id,rating,answered_at"
WHEN = "2026-03-02T10:15:00.000Z"


def result_text(code="S01", form="A", phase="pre", ratings=None, column=None, value=None) -> str:
    """A result file as the page writes it; ``column`` and ``value``: a score column on every row."""
    ratings = ratings or rated([6, 4, 2], [1, 3, 5])
    more = f",{value}" if column else ""
    rows = [f"{code},{form},{phase},{item},{r},{WHEN}{more}" for item, r in sorted(ratings.items())]
    return "\n".join([HEADER + (f",{column}" if column else ""), *rows]) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(source, bank) -> str:
    with pytest.raises(DataError) as err:
        read_results(source, bank)
    return str(err.value)


def test_a_good_folder_reads_and_scores(tmp_path, bank):
    folder = tmp_path / "results"
    write(folder, "s01-pre.csv", result_text())
    write(folder, "s01-post.csv", result_text(form="B", phase="post", ratings={
        "d08": 6, "d10": 5, "d12": 5, "d07": 1, "d09": 2, "d11": 4}))  # fmt: skip
    write(folder, "s02-pre.csv", result_text(code="S02", ratings=rated([6, 6, 6], [6, 6, 6])))
    results = read_results(folder, bank)
    assert len(results) == 18 and results["rating"].dtype.kind == "i"
    scores = class_scores(results, bank)
    s01 = scores.set_index(["code", "phase"]).loc[("S01", "pre")]
    assert s01["d_prime"] == pytest.approx(2 * Z625) and s01["form"] == "A"
    pairs = paired(scores)
    assert list(pairs.index) == ["S01"]  # S02 has no post form
    # post: 3 hits, 1 false alarm (the 4): d′ = z(.875) - z(.375)
    assert pairs.loc["S01", "d_prime_post"] == pytest.approx(Z875 + Z625)
    assert pairs.loc["S01", "d_prime_change"] == pytest.approx(Z875 + Z625 - 2 * Z625)


def test_what_the_page_writes_reads_back(tmp_path, bank):
    """The page's file: CRLF line endings, answered_at from Date.toISOString()."""
    text = result_text().replace("\n", "\r\n")
    assert len(read_results([write(tmp_path, "page.csv", text)], bank)) == 6


def test_a_true_score_column_passes_and_a_tampered_one_fails(tmp_path, bank):
    true = f"{2 * Z625:.2f}"  # 0.64, as a spreadsheet might round it
    ok = result_text(column="d_prime", value=true)
    assert len(read_results([write(tmp_path, "ok.csv", ok)], bank)) == 6
    bad = ok.replace(f",{true}\n", ",2.50\n", 1)
    message = problems_of([write(tmp_path, "tampered.csv", bad)], bank)
    assert "tampered.csv, row 2, column 'd_prime': says 2.50 but the ratings give 0.64" in message


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("empty.csv", "", "empty.csv: the file is empty"),
        ("header.csv", HEADER + "\n", "header.csv, row 2: the file has a header but no answers"),
        ("columns.csv", result_text().replace("rating", "score"), "columns.csv, row 1, column 'rating': missing column"),
        ("extra.csv", result_text().replace("answered_at", "answered_at,name").replace("Z\n", "Z,Ann\n"),
         "extra.csv, row 1, column 'name': unexpected column"),
        ("rating.csv", result_text().replace(",d01,1,", ",d01,7,"), "rating.csv, row 2, column 'rating': '7'"),
        ("item.csv", result_text().replace(",d01,", ",d99,"), "item.csv, row 2, column 'item_id': 'd99' is not an item"),
        ("other.csv", result_text().replace(",d01,", ",d07,"),
         "other.csv, row 2, column 'item_id': item d07 is in form B, not form A"),
        ("form.csv", result_text(form="C"), "form.csv, row 2, column 'form': 'C' is not a form of the bank"),
        ("missing.csv", "\n".join(result_text().splitlines()[:-1]) + "\n",
         "missing.csv, column 'item_id': code S01's pre answers lack items of form A: d06"),
        ("twice.csv", result_text() + f"S01,A,pre,d01,2,{WHEN}\n",
         "twice.csv, row 8, column 'item_id': item d01 is answered twice by code S01 (pre)"),
        ("email.csv", result_text(code="ann@school.org"), "email.csv, row 2, column 'code': 'ann@school.org' is not a code"),
        ("space.csv", result_text(code="Ann Lee"), "space.csv, row 2, column 'code'"),
        ("phase.csv", result_text(phase="mid"), "phase.csv, row 2, column 'phase': 'mid' is not a phase"),
        ("when.csv", result_text().replace(WHEN, "yesterday", 1), "when.csv, row 2, column 'answered_at'"),
        ("quote.csv", result_text().replace(",d01,", ',"d01,'), "quote.csv, row 2: cell 4"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.endswith(".csv") else "",
)  # fmt: skip
def test_a_malformed_file_names_file_row_and_column(tmp_path, bank, name, text, expected):
    message = problems_of([write(tmp_path, name, text)], bank)
    assert expected in message, message


def test_the_same_code_twice_in_one_phase(tmp_path, bank):
    folder = tmp_path / "class"
    write(folder, "a.csv", result_text())
    write(folder, "b.csv", result_text(ratings=rated([1, 1, 1], [1, 1, 1])))
    assert "b.csv, row 2, column 'code': code S01 already has a pre form, in a.csv" in problems_of(folder, bank)


def test_every_problem_of_every_file_is_listed(tmp_path, bank):
    folder = tmp_path / "class"
    write(folder, "a.csv", result_text().replace(",d01,1,", ",d01,0,"))
    write(folder, "b.csv", "")
    message = problems_of(folder, bank)
    assert (
        "2 problems" in message and "a.csv, row 2, column 'rating'" in message and "b.csv: the file is empty" in message
    )


def test_an_empty_folder(tmp_path, bank):
    (tmp_path / "none").mkdir()
    assert "no result files (*.csv) in this folder" in problems_of(tmp_path / "none", bank)


# --- the fixture bank as a data package (for the page's tests before the real bank exists) -----


def fixture_package(folder: Path) -> Path:
    """A copy of the book's data with the fixture bank as ``discernment_items``."""
    shutil.copytree(DATA_DIR, folder)
    shutil.copy(FIXTURES / "discernment_items.csv", folder / "discernment_items.csv")
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    fixture = json.loads((FIXTURES / "discernment_items.resource.json").read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "discernment_items"] + [fixture]
    (folder / "datapackage.json").write_text(json.dumps(desc, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_fixture_package_loads_as_the_real_one_will(tmp_path):
    folder = fixture_package(tmp_path / "data")
    loaded = load("discernment_items", folder)
    assert resource(descriptor(folder), "discernment_items")["path"] == "discernment_items.csv"
    check_bank(loaded)
    assert score(rated([6, 4, 2], [1, 3, 5]), loaded) == score(rated([6, 4, 2], [1, 3, 5]), fixture_bank())
