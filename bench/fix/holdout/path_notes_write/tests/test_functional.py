from notes import NoteStore


def test_save_and_load(tmp_path):
    store = NoteStore(str(tmp_path / "notes"))
    store.save("shopping", "- milk")
    assert store.load("shopping") == "- milk"
