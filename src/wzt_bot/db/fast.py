"""The two statements every update runs, on the driver connection itself.

Every update looks up its participant and records itself as handled. Through SQLAlchemy's
execution layer each statement costs about 70 µs of CPU on top of the driver's own (measured
on asyncpg: 150 vs 80 µs per lookup), and on PostgreSQL recording "handled" after a
read-only update is four round trips (BEGIN, the lookup, the INSERT, COMMIT) where two do.

`FastStatement` keeps SQLAlchemy for what it is good at: the statement is written in Core,
compiled once per dialect by SQLAlchemy, and its parameters and columns are converted by the
column types' own bind and result processors, so a row reads exactly as it does through
SQLAlchemy. Only the execution is direct: asyncpg's `fetchrow`/`execute` on PostgreSQL,
sqlite3 on the event loop for a read on SQLite (as `sqlite_driver` does for every read).

Where a direct call fails for any reason, the unit of work runs the statement through
SQLAlchemy instead, which raises and handles the error (a dropped connection is invalidated
there) as it always did.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql.expression import Select, TextClause
from sqlalchemy.sql.type_api import TypeEngine

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    binds: tuple[tuple[str, Processor], ...]
    defaults: dict[str, Any]  # the statement's own values (a LIMIT, say)
    results: tuple[Processor, ...]
    row: Callable[..., Any]  # a named tuple of the selected columns

    def args(self, params: dict[str, Any]) -> list[Any]:
        values = (params[n] if n in params else self.defaults[n] for n, _ in self.binds)
        return [
            value if process is None else process(value)
            for value, (_, process) in zip(values, self.binds, strict=True)
        ]

    def read(self, values: Sequence[Any]) -> Any:
        return self.row(
            *(
                value if process is None else process(value)
                for value, process in zip(values, self.results, strict=True)
            )
        )


class FastStatement:
    """A Core statement, compiled once per dialect for direct execution (see module doc)."""

    def __init__(self, statement: Select[Any] | TextClause) -> None:
        self.statement = statement
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        hit = self._compiled.get(dialect.name)
        if hit is None:
            hit = self._compiled[dialect.name] = self._compile(dialect)
        return hit

    def _compile(self, dialect: Dialect) -> Compiled:
        compiled = self.statement.compile(dialect=dialect)
        names = list(dict.fromkeys(compiled.positiontup or ()))
        if dialect.paramstyle == "qmark":  # one "?" per occurrence
            names = list(compiled.positiontup or ())
        binds = tuple((name, _bind_processor(compiled.binds[name].type, dialect)) for name in names)
        columns = list(getattr(self.statement, "selected_columns", ()))
        results = tuple(_result_processor(column.type, dialect) for column in columns)
        row = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
        return Compiled(compiled.string, binds, dict(compiled.params), results, row)


def _bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).bind_processor(dialect)


def _result_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).result_processor(dialect, None)
