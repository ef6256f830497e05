"""Prioritisation: each finding's priority, CVSS set by triage, risk acceptances, disclosures.

Revision ID: 0003_priority
Revises: 0002_ledger_checkpoints
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_priority"
down_revision: str | None = "0002_ledger_checkpoints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("priority", sa.JSON(), nullable=True))

    op.create_table(
        "cvss_overrides",
        sa.Column("finding_id", sa.String(length=64), nullable=False),
        sa.Column("v3", sa.Text(), nullable=True),
        sa.Column("v4", sa.Text(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_cvss_overrides_finding_id_findings"
        ),
        sa.PrimaryKeyConstraint("finding_id", name="pk_cvss_overrides"),
    )
    op.create_table(
        "risk_acceptances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("finding_id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expires", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("ended_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_risk_acceptances_finding_id_findings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_risk_acceptances"),
    )
    op.create_index("ix_risk_acceptances_finding_id", "risk_acceptances", ["finding_id"])
    op.create_table(
        "disclosure_cases",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("finding_id", sa.String(length=64), nullable=True),
        sa.Column("repo", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("vendor", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("embargo", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_disclosure_cases_finding_id_findings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_disclosure_cases"),
    )
    op.create_index("ix_disclosure_cases_repo", "disclosure_cases", ["repo"])


def downgrade() -> None:
    op.drop_index("ix_disclosure_cases_repo", table_name="disclosure_cases")
    op.drop_table("disclosure_cases")
    op.drop_index("ix_risk_acceptances_finding_id", table_name="risk_acceptances")
    op.drop_table("risk_acceptances")
    op.drop_table("cvss_overrides")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("priority")
