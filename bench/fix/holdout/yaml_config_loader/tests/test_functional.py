import config_loader


def test_loads_mapping():
    assert config_loader.load_config("name: web\nreplicas: 3\ntags: [a, b]\n") == {
        "name": "web",
        "replicas": 3,
        "tags": ["a", "b"],
    }


def test_empty():
    assert config_loader.load_config("") == {}
