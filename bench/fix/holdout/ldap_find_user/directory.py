from ldap3 import Connection

BASE_DN = "ou=people,dc=example,dc=com"


def find_user(conn: Connection, uid: str):
    conn.search(BASE_DN, f"(&(objectClass=person)(uid={uid}))", attributes=["cn", "mail"])
    return [str(e.cn) for e in conn.entries]
