import prefs


def test_round_trip():
    value = prefs.dump_prefs({"theme": "dark", "page_size": 50})
    assert prefs.load_prefs(value) == {"theme": "dark", "lang": "en", "page_size": 50}


def test_defaults():
    assert prefs.load_prefs("") == prefs.DEFAULTS
