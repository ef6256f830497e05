# Placeholders and names that only look like secrets: safe.
# expect: none
import os

PASSWORD_MIN_LENGTH = 12
TOKEN_HEADER = "X-Auth-Token"
SECRET_KEY = os.environ["SECRET_KEY"]
API_KEY = ""
