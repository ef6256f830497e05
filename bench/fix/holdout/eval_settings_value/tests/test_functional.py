import settings


def test_parses_literals():
    text = "port = 8080\nhosts = ['a', 'b']\n# comment\ndebug = True\nratio = 0.5\n"
    assert settings.parse_settings(text) == {
        "port": 8080,
        "hosts": ["a", "b"],
        "debug": True,
        "ratio": 0.5,
    }


def test_empty_value():
    assert settings.parse_value("  ") is None
