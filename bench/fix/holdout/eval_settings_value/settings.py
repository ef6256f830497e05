"""Reads `key = value` settings where values are Python literals."""


def parse_value(raw):
    raw = raw.strip()
    if not raw:
        return None
    return eval(raw)


def parse_settings(text):
    settings = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        settings[key.strip()] = parse_value(value)
    return settings
