import payments


def test_format_amount():
    assert payments.format_amount(1250) == "12.50 EUR"
