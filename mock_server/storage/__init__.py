"""Storage: SQLAlchemy 2 Core tables and engine. Nothing database-specific leaves this package."""

from mock_server.storage.engine import create_storage_engine, default_database_url
from mock_server.storage.schema import metadata

__all__ = ["create_storage_engine", "default_database_url", "metadata"]
