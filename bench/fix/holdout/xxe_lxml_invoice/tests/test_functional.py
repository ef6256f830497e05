import invoices


def test_parse_invoice():
    doc = b"<invoice><number>INV-7</number><customer>ACME &amp; Co</customer><total>12.50</total></invoice>"
    assert invoices.parse_invoice(doc) == {"number": "INV-7", "customer": "ACME & Co", "total": 12.5}
