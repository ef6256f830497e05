import inventory

inventory.init()


def test_stock_in_north():
    assert inventory.stock_in("north") == [("A-1", 4)]


def test_unknown_warehouse():
    assert inventory.stock_in("east") == []
