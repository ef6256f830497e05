# Service account bind with the password in the source.
# expect: mamori:python/hardcoded-secret line=9
from ldap3 import Connection, Server


def service_connection() -> Connection:
    server = Server("ldaps://ldap.internal")
    return Connection(server, user="cn=svc-app,ou=services,dc=example,dc=com",
                      password="Svc@ppLd4p!", auto_bind=True)
