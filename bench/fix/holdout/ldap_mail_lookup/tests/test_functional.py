from people import app


def test_lookup_by_mail():
    assert app.test_client().get("/whois?email=ann@corp.test").get_json() == ["Ann"]
