"""The SQLite catalog: connection setup, named migrations, paged queries, search."""

from .db import open_catalog, connect_reader
from .migrations import MIGRATIONS, applied_migrations, migrate

__all__ = ["open_catalog", "connect_reader", "migrate", "applied_migrations", "MIGRATIONS"]
