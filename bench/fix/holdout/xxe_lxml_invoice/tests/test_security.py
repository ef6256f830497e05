import invoices


def test_external_entity_is_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE invoice [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<invoice><number>1</number><customer>&xxe;</customer><total>1</total></invoice>"
    ).encode()
    try:
        result = invoices.parse_invoice(doc)
    except Exception:
        result = {}
    assert "TOPSECRET" not in str(result)
