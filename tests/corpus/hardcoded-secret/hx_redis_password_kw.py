# Redis client with a literal password.
# expect: mamori:python/hardcoded-secret line=5
import redis

cache = redis.Redis(host="cache.internal", port=6379, password="R3dis-Pr0d-2024!")
