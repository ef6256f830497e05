# Config class with credentials inside the database URI.
# expect: mamori:python/hardcoded-secret line=6
class Config:
    DEBUG = False
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_DATABASE_URI = "postgresql://app_user:Wint3r-Is-C0ming@db.internal:5432/app"
