"""Persistence: SQLAlchemy models, the workspace database, migrations and the unit of work."""
