"""A project file's schema version by version, derived from the tables (store stage).

A project is one DuckDB file. ``MIGRATIONS[i]`` takes a file from schema version ``i`` to
``i + 1``: it creates the tables :mod:`linkequity.store.tables` declares with ``since = i + 1``
and adds the columns declared with that version to older tables. A file records its version
in ``meta``. Opening a file runs the missing migrations in one transaction, so a file is
never left half-migrated.

Tables carry their snapshot id (``crawl_id`` or ``import_id``). There are no PRIMARY KEY
constraints on the big tables: DuckDB keeps such indexes in memory and cannot update rows of
indexed tables cheaply; uniqueness of (crawl_id, url) is the writer's job and is tested.
"""

from __future__ import annotations

from linkequity.store.tables import ALL_TABLES, EXPORTABLE, IMPORT_TABLES, SCHEMA_VERSION

__all__ = ["IMPORT_TABLES", "MIGRATIONS", "SCHEMA_VERSION", "TABLES", "migration"]

#: Tables a user can export, in the order they are documented.
TABLES = EXPORTABLE


def migration(version: int) -> list[str]:
    """The statements that take a file from schema ``version - 1`` to ``version``."""
    statements = [t.create(version) for t in ALL_TABLES if t.since == version]
    for t in ALL_TABLES:
        if t.since < version:
            statements += [
                f"ALTER TABLE {t.name} ADD COLUMN {c.ddl()}"
                for c in t.columns
                if c.since == version
            ]
    return statements


#: One list of statements per schema version step.
MIGRATIONS: list[list[str]] = [migration(v) for v in range(1, SCHEMA_VERSION + 1)]
