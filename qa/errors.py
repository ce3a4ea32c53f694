"""Errors that carry a message meant for the person using the assistant."""

# Said after "run `qa build`" where the index may be another folder than the default one, or the reader a
# program: `qa build` alone (re)builds the default index/.
ELSEWHERE = " (`qa build --index DIR` for another folder; qa.build_index(index_dir=DIR) from Python)"


class QAError(Exception):
    """A problem the user can fix; its message says how. The CLI prints it without a traceback."""


class IndexMissingError(QAError):
    """No built index where one was expected."""


class IndexMismatchError(QAError):
    """The index on disk was built with other settings than the ones in force now."""


class EmptyQueryError(QAError):
    """The question was empty or only whitespace."""


class UnreadableDocumentError(QAError):
    """A corpus file whose content its format's reader cannot turn into text."""
