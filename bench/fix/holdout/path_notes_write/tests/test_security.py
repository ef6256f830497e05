from notes import NoteStore


def test_title_cannot_write_outside(tmp_path):
    store = NoteStore(str(tmp_path / "notes"))
    try:
        store.save("../../escaped", "owned")
    except Exception:
        pass
    assert not (tmp_path.parent / "escaped.md").exists()
    assert not (tmp_path / "escaped.md").exists()


def test_title_cannot_read_outside(tmp_path):
    (tmp_path / "private.md").write_text("TOPSECRET")
    store = NoteStore(str(tmp_path / "notes"))
    try:
        data = store.load("../private")
    except Exception:
        data = None
    assert data != "TOPSECRET"
