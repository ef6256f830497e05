# Django settings with a literal SECRET_KEY.
# expect: mamori:python/hardcoded-secret line=6
import os

DEBUG = os.environ.get("DEBUG") == "1"
SECRET_KEY = "django-insecure-7d#x9!q@2m^k$w8z&p1r"
ALLOWED_HOSTS = ["shop.example.com"]
