"""Fixtures for the fix-stage tests (helpers live in tests/fix/helpers.py)."""
