# CLI helper asks for the password interactively.
# expect: none
import getpass

import psycopg2


def connect() -> "psycopg2.extensions.connection":
    password = getpass.getpass("DB password: ")
    return psycopg2.connect(host="db.internal", user="admin", password=password)
