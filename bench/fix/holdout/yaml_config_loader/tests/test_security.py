import config_loader


def test_yaml_cannot_construct_objects(tmp_path):
    marker = tmp_path / "pwned"
    doc = f"!!python/object/apply:os.system ['touch {marker}']\n"
    try:
        config_loader.load_config(doc)
    except Exception:
        pass
    assert not marker.exists()
