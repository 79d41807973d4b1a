"""Leaner translation-memory indexes: a memory import writes fewer index entries a unit.

- ``ix_tm_variant_lang`` goes: no query looks variants up by language alone (the statistics
  count them in one scan), and on a million-unit import it was two index entries a unit.
- The indexes on ``tm_unit.segment_id`` and ``tm_unit.document_id`` become partial (rows
  where they are set): imported units, the great majority, have neither, and lookups by a
  given segment or document still use them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_tm_variant_lang", table_name="tm_variant")
    for column in ("segment_id", "document_id"):
        op.drop_index(f"ix_tm_unit_{column}", table_name="tm_unit")
        condition = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            f"ix_tm_unit_{column}",
            "tm_unit",
            [column],
            sqlite_where=condition,
            postgresql_where=condition,
        )


def downgrade() -> None:
    for column in ("segment_id", "document_id"):
        op.drop_index(f"ix_tm_unit_{column}", table_name="tm_unit")
        op.create_index(f"ix_tm_unit_{column}", "tm_unit", [column])
    op.create_index("ix_tm_variant_lang", "tm_variant", ["lang"])
