"""Fixtures for the store tests (shared with the other store-backed tests)."""

from tests.store_fixtures import store, store_url

__all__ = ["store", "store_url"]
