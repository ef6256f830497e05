from importer import app


def test_import_counts_contacts():
    body = "- name: Ann\n  phone: '123'\n- name: Ben\n  phone: '456'\n"
    assert app.test_client().post("/import", data=body).get_json() == {"count": 2}
