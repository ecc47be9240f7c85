"""The article in data/ gives back, word for word, the text we were given (kept in tests/fixtures)."""

from pathlib import Path

import pytest

from reading_deterrence import article_text, load, sentence_text

FIXTURE = Path(__file__).parent / "fixtures" / "article.txt"


@pytest.fixture(scope="module")
def sentences():
    return load("article_sentences")


def test_sentences_join_back_into_the_article(sentences):
    assert article_text(sentences) == FIXTURE.read_text(encoding="utf-8")


def test_join_does_not_depend_on_row_order(sentences):
    shuffled = sentences.sample(frac=1, random_state=1)
    assert article_text(shuffled) == FIXTURE.read_text(encoding="utf-8")


def test_round_trip_would_catch_a_changed_word(sentences):
    changed = sentences.copy()
    changed.loc[changed["sentence_id"] == "p03s01", "text"] = changed.loc[
        changed["sentence_id"] == "p03s01", "text"
    ].str.replace("hands-on", "practical")
    assert article_text(changed) != FIXTURE.read_text(encoding="utf-8")


def test_ids_match_paragraph_and_position(sentences):
    for row in sentences.itertuples():
        assert row.sentence_id == f"p{row.paragraph:02d}s{row.sentence:02d}"


def test_paragraphs_and_sentences_are_numbered_without_gaps(sentences):
    paragraphs = sorted(sentences["paragraph"].unique())
    assert paragraphs == list(range(1, len(paragraphs) + 1))
    for _, group in sentences.groupby("paragraph"):
        assert sorted(group["sentence"]) == list(range(1, len(group) + 1))


def test_roles(sentences):
    roles = sentences.set_index("sentence_id")["role"]
    assert roles["p01s01"] == "headline"
    assert roles["p02s01"] == "standfirst"
    assert set(roles.drop(["p01s01", "p02s01"])) == {"body"}
    # one role per paragraph
    assert (sentences.groupby("paragraph")["role"].nunique() == 1).all()


def test_text_keeps_typographic_quotes(sentences):
    text = " ".join(sentences["text"])
    for mark in "‘’“”":
        assert mark in text
    assert not any(t != t.strip() for t in sentences["text"]), "no sentence has stray spaces"


def test_sentence_text(sentences):
    assert sentence_text(sentences, "p09s02").startswith("They also held")
    with pytest.raises(KeyError, match="p99s99"):
        sentence_text(sentences, "p99s99")
