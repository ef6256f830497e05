"""Ledger checkpoints (signed Merkle tree heads) and per-patch attestations.

Revision ID: 0002_ledger_checkpoints
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_ledger_checkpoints"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_checkpoints"),
    )
    op.create_table(
        "ledger_attestations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patch_id", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Text(), nullable=True),
        sa.Column("subject_sha256", sa.String(length=64), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_attestations"),
    )
    op.create_index("ix_ledger_attestations_patch_id", "ledger_attestations", ["patch_id"])
    op.create_index("ix_ledger_attestations_run_id", "ledger_attestations", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_attestations_run_id", table_name="ledger_attestations")
    op.drop_index("ix_ledger_attestations_patch_id", table_name="ledger_attestations")
    op.drop_table("ledger_attestations")
    op.drop_table("ledger_checkpoints")
