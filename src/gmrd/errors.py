"""The error hierarchy: every expected failure is a GmrdError whose message names file, row and field."""

from __future__ import annotations


class GmrdError(Exception):
    """Base of all errors gmrd reports to users (the CLI prints the message, no traceback)."""


class InputError(GmrdError):
    """A problem in an input file or value, located by file, row and field where known."""

    def __init__(self, problem: str, *, file: str | None = None, row: int | None = None,
                 field: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return (": ".join([", ".join(where), self.problem]) if where else self.problem)

    def located(self, *, file: str | None = None, row: int | None = None,
                field: str | None = None) -> InputError:
        """The same problem with missing location parts filled in."""
        return type(self)(self.problem, file=self.file or file,
                          row=self.row if self.row is not None else row,
                          field=self.field or field)


class UnknownCountry(InputError):
    """A country name or code that does not resolve (never guessed); ``label`` is the name as given,
    where there is one (the upload page offers to add an alias for it)."""

    def __init__(self, problem: str, *, file: str | None = None, row: int | None = None,
                 field: str | None = None, label: str | None = None) -> None:
        self.label = label
        super().__init__(problem, file=file, row=row, field=field)

    def located(self, *, file: str | None = None, row: int | None = None,
                field: str | None = None) -> UnknownCountry:
        """The same problem with missing location parts filled in (and the label kept)."""
        return UnknownCountry(self.problem, file=self.file or file,
                              row=self.row if self.row is not None else row,
                              field=self.field or field, label=self.label)


class DesignError(GmrdError):
    """An invalid survey design specification."""


class NotFound(GmrdError):
    """A requested object (source, revision, user) does not exist."""


class InputWarning(UserWarning):
    """Something in an input file worth telling the user (a marker such as "~"), not an error.

    The loader collects these into the import report's ``warnings``.
    """
