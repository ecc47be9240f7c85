"""The case-study article as data: joining sentences back into text, and finding sentences."""

from __future__ import annotations

import pandas as pd

#: Sentences of one paragraph are joined with this; paragraphs with PARAGRAPH_SEPARATOR.
SENTENCE_SEPARATOR = " "
PARAGRAPH_SEPARATOR = "\n\n"


def article_text(sentences: pd.DataFrame) -> str:
    """Rebuild the article's text from the ``article_sentences`` table.

    Rows are ordered by paragraph and sentence number; the sentences of a paragraph are joined
    with one space and the paragraphs with a blank line, which gives back the text as published.
    """
    ordered = sentences.sort_values(["paragraph", "sentence"])
    paragraphs = ordered.groupby("paragraph", sort=True)["text"].agg(SENTENCE_SEPARATOR.join)
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def sentence_text(sentences: pd.DataFrame, sentence_id: str) -> str:
    """The text of one sentence; ``KeyError`` naming the ID if there is no such sentence."""
    match = sentences.loc[sentences["sentence_id"] == sentence_id, "text"]
    if match.empty:
        raise KeyError(f"no sentence {sentence_id!r} in the article")
    return str(match.iloc[0])
