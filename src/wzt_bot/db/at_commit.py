"""A statement to run with the commit: `insert(...).prefix_with(AT_COMMIT)`.

The database adapters (`sqlite_driver`, `postgres_driver`) queue such a statement when it is
executed and write it just before the COMMIT, in the same transaction and the same trip to
the database (a rollback discards it; if it fails, the commit fails). Its result (rows,
rowcount) is not known when `execute` returns: only for statements whose result nobody
reads, such as "this update is handled", written last anyway.
"""

AT_COMMIT = "/*at-commit*/"
AT_COMMIT_INSERT = f"INSERT {AT_COMMIT} "


async def queued() -> None:
    """Awaited (through SQLAlchemy's `await_`) by an adapter when it queues a statement:
    SQLAlchemy's async engine insists that executing a statement awaits something."""
