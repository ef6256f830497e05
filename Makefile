# Convenience wrappers; dev.py is the source of truth (it needs only Python 3.11 and git).
.PHONY: demo test lint docs
demo:
	python3 dev.py demo
test:
	python3 dev.py test
lint:
	python3 dev.py lint
docs:
	python3 dev.py docs
