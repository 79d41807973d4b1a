"""Alembic migrations of the workspace schema; run by the program when a workspace opens."""
