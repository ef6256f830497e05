from lxml import etree

USERS_XML = b"""<users>
  <user name="alice" password="wonderland" role="admin"/>
  <user name="bob" password="builder" role="user"/>
</users>"""

_tree = etree.fromstring(USERS_XML)


def login(name, password):
    matches = _tree.xpath(f"//user[@name='{name}' and @password='{password}']")
    if not matches:
        return None
    return matches[0].get("role")
