from sqlalchemy import create_engine, text

engine = create_engine("sqlite://")
_ready = False


def init():
    global _ready
    if _ready:
        return
    _ready = True
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE items (sku TEXT, qty INTEGER, warehouse TEXT)"))
        conn.execute(
            text(
                "INSERT INTO items VALUES ('A-1', 4, 'north'), ('B-2', 0, 'north'), "
                "('C-3', 7, 'south')"
            )
        )


def stock_in(warehouse):
    with engine.connect() as conn:
        result = conn.execute(
            text(f"SELECT sku, qty FROM items WHERE warehouse = '{warehouse}' AND qty > 0")
        )
        return sorted(tuple(r) for r in result)
