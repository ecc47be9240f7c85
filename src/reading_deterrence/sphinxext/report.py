"""One way to report bad data in the build, wherever the build touches data.

A directive, a role, an event handler: each catches the contract's
:class:`~reading_deterrence.contract.errors.DataError` and reports it here, as a Sphinx error
with the page (and line) it came from and the data's own file, row and column, never as a
traceback. With ``-W`` the build then fails, listing every problem.
"""

from __future__ import annotations

from sphinx.util import logging

from ..contract import DataError

logger = logging.getLogger(__name__)

#: What the build catches from the lower layers: bad data (an ID the prose relies on and the data
#: lack is a DataError too). A KeyError or ValueError from a bug is not caught: its traceback is
#: what a developer needs.
DATA_ERRORS = (DataError,)


def message_of(err: Exception) -> str:
    """The text of an error: a DataError's problems, or a KeyError's message without its quotes."""
    return str(err) if isinstance(err, DataError) else (err.args[0] if err.args else repr(err))


def data_error(err: Exception, *, location=None, what: str = "data", env=None) -> None:
    """Log ``err`` as a build error (type ``reading_deterrence``, subtype ``data``).

    With ``env``, the same problem is logged once per build, not at every place that meets it
    (a broken ``sources.csv`` would otherwise give an error per ``{source}`` link).
    """
    message = message_of(err)
    if env is not None:
        seen = env.app.__dict__.setdefault("reading_deterrence_reported", set())  # per build, not pickled
        if (what, message) in seen:
            return
        seen.add((what, message))
    logger.error(f"{what}: {message}", location=location, type="reading_deterrence", subtype="data")
