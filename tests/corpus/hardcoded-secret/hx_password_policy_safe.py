# Names mention passwords but the values are policy settings and field labels.
# expect: none
PASSWORD_MIN_LENGTH = 12
PASSWORD_FIELD = "password"
PASSWORD_RESET_URL = "/account/password/reset"
TOKEN_TTL_SECONDS = 3600
SECRET_KEY_ENV_VAR = "FLASK_SECRET_KEY"
