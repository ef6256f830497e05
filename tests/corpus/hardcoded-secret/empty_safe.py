# Empty strings are not secrets.
# expect: none
SECRET_KEY = ""
DB_PASSWORD = ""
