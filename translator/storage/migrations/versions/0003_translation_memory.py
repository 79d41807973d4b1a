"""Translation memory (units, variants, imported memories); format details on documents.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("meta", sa.Text(), nullable=True))
    with op.batch_alter_table("segment") as batch:
        batch.add_column(sa.Column("meta", sa.Text(), nullable=True))
    op.create_table(
        "tm_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=True),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tm_import")),
    )
    op.create_table(
        "tm_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_key", sa.String(64), nullable=False),
        sa.Column("tuid", sa.String(200), nullable=True),
        sa.Column("srclang", sa.String(35), nullable=True),
        sa.Column("status", sa.String(20), nullable=True),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_by", sa.String(200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("props", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_tm_unit_document_id_document"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segment.id"],
            name=op.f("fk_tm_unit_segment_id_segment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["tm_import.id"],
            name=op.f("fk_tm_unit_import_id_tm_import"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tm_unit")),
        sa.UniqueConstraint("content_key", name=op.f("uq_tm_unit_content_key")),
    )
    op.create_index("ix_tm_unit_segment_id", "tm_unit", ["segment_id"])
    op.create_index("ix_tm_unit_import_id", "tm_unit", ["import_id"])
    op.create_index("ix_tm_unit_document_id", "tm_unit", ["document_id"])
    op.create_table(
        "tm_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(35), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("markup", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("props", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["tm_unit.id"],
            name=op.f("fk_tm_variant_unit_id_tm_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tm_variant")),
    )
    op.create_index("ix_tm_variant_unit_id", "tm_variant", ["unit_id"])
    op.create_index("ix_tm_variant_lang", "tm_variant", ["lang"])


def downgrade() -> None:
    op.drop_table("tm_variant")
    op.drop_table("tm_unit")
    op.drop_table("tm_import")
    with op.batch_alter_table("segment") as batch:
        batch.drop_column("meta")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("meta")
