import os


class NoteStore:
    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)

    def save(self, title, body):
        path = os.path.join(self.root, title + ".md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)
        return path

    def load(self, title):
        with open(os.path.join(self.root, title + ".md"), encoding="utf-8") as f:
            return f.read()
