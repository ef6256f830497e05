import inventory

inventory.init()


def test_warehouse_injection():
    try:
        rows = inventory.stock_in("nowhere' OR '1'='1")
    except Exception:
        rows = []
    assert rows == []
