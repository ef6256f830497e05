# Account lookup with a %-formatted XPath in a repository class.
# expect: mamori:python/xpath-injection line=14
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


class AccountStore:
    def __init__(self, path: str) -> None:
        self.tree = etree.parse(path)

    def by_id(self, uid: str):
        return self.tree.xpath("//account[@id='%s']" % uid)


store = AccountStore("/srv/data/accounts.xml")


@app.get("/accounts")
def accounts():
    found = store.by_id(request.args.get("id", ""))
    return {"found": len(found)}
