import yaml


def load_config(text):
    data = yaml.load(text, Loader=yaml.Loader)
    return data or {}
