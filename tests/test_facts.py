"""The facts glued into the prose: plain types, and values that agree with the data they come from."""

from __future__ import annotations

import pandas as pd
import pytest

from reading_deterrence import load
from reading_deterrence.facts import case_facts, coding_facts, deterrence_facts, word_count


@pytest.mark.parametrize("facts", [case_facts, coding_facts, deterrence_facts])
def test_facts_are_plain_ints_and_strings(facts):
    values = facts()
    assert values and all(type(v) in (int, str) for v in values.values()), values


def test_word_count_counts_words_not_punctuation():
    assert word_count("Kim’s call — “more hands-on and offensive” — was relayed.") == 8


def test_case_facts_follow_the_article():
    facts = case_facts()
    sentences = load("article_sentences")
    assert facts["article_sentences"] == len(sentences)
    assert facts["meeting_date"] == "10 April 2023" and facts["meeting_weekday"] == "Monday"


def test_deterrence_facts_follow_the_declarations():
    facts = deterrence_facts()
    law = load("declarations").query("document == \"Law on the DPRK's Policy on Nuclear Forces\"")
    conditions = law[law["kind"] == "condition for use"]
    assert facts["law_conditions"] == len(conditions) == 5
    # "judged to be imminent" in conditions 1 to 3, not in 4 and 5
    assert facts["law_imminent"] == 3
    assert facts["wd_days_after"] == (pd.Timestamp("2023-04-26") - pd.Timestamp("2023-04-10")).days
    assert facts["npr_date"] == "27 October 2022"


def test_a_row_the_prose_relies_on_is_reported_in_the_folder_read(tmp_path):
    import shutil

    from conftest import DATA_DIR
    from reading_deterrence import DataError

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "timeline.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\ncmc-meeting,", "\ncmc-meeting-x,", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        case_facts(data)
    [problem] = err.value.problems
    assert problem.file == str(path) and problem.column == "event_id" and "'cmc-meeting'" in problem.message
