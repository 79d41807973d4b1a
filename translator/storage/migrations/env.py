"""Alembic environment: always runs on the connection the program hands over."""

from alembic import context

from translator.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    # The caller holds one transaction around the whole upgrade: all or nothing.
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
