DB_HOST = "db.internal"
DB_USER = "app"
DB_PASSWORD = "Pr0d-Passw0rd!2024"


def dsn(database="orders"):
    return f"postgresql://{DB_USER}:{DB_PASSWORD}@{DB_HOST}:5432/{database}"


def redact(url):
    if "@" not in url:
        return url
    head, tail = url.rsplit("@", 1)
    scheme, _, creds = head.partition("://")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}"
