# Settings module constant holds the production DB password.
# expect: mamori:python/hardcoded-secret line=7
import os

DB_HOST = os.environ.get("DB_HOST", "localhost")
DB_USER = "reporting"
DB_PASSWORD = "r3p0rt1ng-s3cret"
DB_NAME = "analytics"
