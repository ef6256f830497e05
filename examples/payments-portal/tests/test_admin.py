from __future__ import annotations

import io
import tarfile

from conftest import login


def test_health_reports_ok(client):
    resp = client.get("/admin/health")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert "uptime" in body


def test_export_requires_an_administrator(client):
    assert client.post("/admin/export", data={"name": "2024-q1"}).status_code == 302
    login(client, "alice")
    assert client.post("/admin/export", data={"name": "2024-q1"}).status_code == 403


def test_export_form_renders(admin):
    assert admin.get("/admin/export").status_code == 200


def test_export_archive_contains_the_ledger(admin):
    resp = admin.post("/admin/export", data={"name": "2024-q1"})
    assert resp.status_code == 200
    assert resp.mimetype == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(resp.data), mode="r:gz") as archive:
        member = archive.extractfile("2024-q1/transactions.csv")
        assert member is not None
        ledger = member.read().decode()
    assert ledger.startswith("id,iban,date,amount_cents,memo,reference")
    assert "Salary January" in ledger
