"""Ledger checkpoints keep the tree's compact range, so checkpoints are incremental.

Revision ID: 0005_ledger_frontier
Revises: 0004_ai_calls
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_ledger_frontier"
down_revision: str | None = "0004_ai_calls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_checkpoints") as batch:
        batch.add_column(sa.Column("frontier", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_checkpoints") as batch:
        batch.drop_column("frontier")
