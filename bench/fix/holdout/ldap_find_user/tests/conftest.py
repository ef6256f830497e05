import pytest
from ldap3 import MOCK_SYNC, Connection, Server


@pytest.fixture
def conn():
    c = Connection(
        Server("mock"), user="cn=admin,dc=example,dc=com", password="pw", client_strategy=MOCK_SYNC
    )
    c.strategy.add_entry("cn=admin,dc=example,dc=com", {"userPassword": "pw", "sn": "admin"})
    for uid, cn in (("alice", "Alice Liddell"), ("bob", "Bob Builder")):
        c.strategy.add_entry(
            f"uid={uid},ou=people,dc=example,dc=com",
            {"uid": uid, "cn": cn, "mail": f"{uid}@example.com", "objectClass": "person"},
        )
    c.bind()
    return c
