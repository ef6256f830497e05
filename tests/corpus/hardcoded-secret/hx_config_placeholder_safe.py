# Config template with empty/placeholder credentials overridden at deploy time.
# expect: none
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    MAIL_PASSWORD = None
    API_TOKEN = ""


class TestingConfig(Config):
    TESTING = True
