"""Initial schema: runs, findings, patches and their outcomes, and the hash-chained ledger.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written out explicitly (not imported from the models) so that this migration keeps describing
the schema as it was when later models change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64


def _time(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=40), nullable=nullable)


def _enum(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=32), nullable=False)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("repo", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        _time("started_at"),
        _time("finished_at", nullable=True),
        sa.Column("head_commit", sa.String(length=64), nullable=True),
        sa.Column("branch", sa.Text(), nullable=True),
        _enum("status"),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_repo", "runs", ["repo"])

    op.create_table(
        "findings",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("repo", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("cwe", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("start_line", sa.Integer(), nullable=False),
        sa.Column("end_line", sa.Integer(), nullable=True),
        sa.Column("start_col", sa.Integer(), nullable=True),
        sa.Column("end_col", sa.Integer(), nullable=True),
        sa.Column("snippet", sa.Text(), nullable=False),
        _enum("severity"),
        _enum("confidence"),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        _enum("status"),
        _enum("delta"),
        sa.Column("suppression", sa.JSON(), nullable=True),
        sa.Column("flow", sa.JSON(), nullable=False),
        sa.Column("dependency", sa.JSON(), nullable=True),
        sa.Column("risk_score", sa.Float(), nullable=False),
        sa.Column("risk_reasons", sa.JSON(), nullable=False),
        sa.Column("first_seen_run", sa.String(length=64), nullable=True),
        sa.Column("last_seen_run", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_seen_run"], ["runs.id"], name="fk_findings_first_seen_run_runs"
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_run"], ["runs.id"], name="fk_findings_last_seen_run_runs"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.UniqueConstraint("repo", "fingerprint", name="uq_findings_repo_fingerprint"),
    )
    op.create_index("ix_findings_repo_status", "findings", ["repo", "status"])

    op.create_table(
        "run_findings",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("finding_id", sa.String(length=64), nullable=False),
        _enum("delta"),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_run_findings_finding_id_findings"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_run_findings_run_id_runs"),
        sa.PrimaryKeyConstraint("run_id", "finding_id", name="pk_run_findings"),
    )

    op.create_table(
        "not_analysed",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("engine", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_not_analysed_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_not_analysed"),
    )
    op.create_index("ix_not_analysed_run_id", "not_analysed", ["run_id"])

    op.create_table(
        "patches",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("finding_id", sa.String(length=64), nullable=False),
        sa.Column("fixer_id", sa.Text(), nullable=False),
        _enum("strategy"),
        _enum("risk"),
        sa.Column("risk_reason", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("diff", sa.Text(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        _enum("state"),
        _time("created_at"),
        _time("updated_at"),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.id"], name="fk_patches_finding_id_findings"
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_patches_run_id_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_patches"),
    )
    op.create_index("ix_patches_finding_id", "patches", ["finding_id"])
    op.create_index("ix_patches_run_id", "patches", ["run_id"])

    op.create_table(
        "verifications",
        sa.Column("patch_id", sa.String(length=128), nullable=False),
        _enum("status"),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("tests_before", sa.JSON(), nullable=True),
        sa.Column("tests_after", sa.JSON(), nullable=True),
        sa.Column("environment", sa.Text(), nullable=False),
        _time("at"),
        sa.ForeignKeyConstraint(
            ["patch_id"], ["patches.id"], name="fk_verifications_patch_id_patches"
        ),
        sa.PrimaryKeyConstraint("patch_id", name="pk_verifications"),
    )

    op.create_table(
        "decisions",
        sa.Column("patch_id", sa.String(length=128), nullable=False),
        _enum("outcome"),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        _time("at"),
        sa.ForeignKeyConstraint(["patch_id"], ["patches.id"], name="fk_decisions_patch_id_patches"),
        sa.PrimaryKeyConstraint("patch_id", name="pk_decisions"),
    )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patch_id", sa.String(length=128), nullable=False),
        sa.Column("reviewer", sa.Text(), nullable=False),
        _enum("verdict"),
        sa.Column("reason", sa.Text(), nullable=False),
        _time("at"),
        sa.ForeignKeyConstraint(["patch_id"], ["patches.id"], name="fk_reviews_patch_id_patches"),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_patch_id", "reviews", ["patch_id"])

    op.create_table(
        "deliveries",
        sa.Column("patch_id", sa.String(length=128), nullable=False),
        sa.Column("branch", sa.Text(), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=False),
        _time("at"),
        sa.Column("rollback_commit", sa.String(length=64), nullable=True),
        _time("rolled_back_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["patch_id"], ["patches.id"], name="fk_deliveries_patch_id_patches"
        ),
        sa.PrimaryKeyConstraint("patch_id", name="pk_deliveries"),
    )

    op.create_table(
        "ledger_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        _time("at"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger_events"),
    )
    op.create_index("ix_ledger_events_run_id", "ledger_events", ["run_id"])

    ledger_head = op.create_table(
        "ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_ledger_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_head"),
    )
    # The head row exists from the start so that appenders can always lock it (FOR UPDATE).
    op.bulk_insert(ledger_head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    for table in (
        "ledger_head",
        "ledger_events",
        "deliveries",
        "reviews",
        "decisions",
        "verifications",
        "patches",
        "not_analysed",
        "run_findings",
        "findings",
        "runs",
    ):
        op.drop_table(table)
