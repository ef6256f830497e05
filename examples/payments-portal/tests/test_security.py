from __future__ import annotations

from portal import security


def test_password_check_accepts_only_the_right_password():
    stored = security.hash_password("correct horse battery")
    assert stored != "correct horse battery"
    assert security.check_password("correct horse battery", stored)
    assert not security.check_password("correct horse battery!", stored)


def test_session_tokens_are_long_and_unique():
    tokens = {security.new_session_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) >= 20 for token in tokens)


def test_reset_tokens_are_url_safe_and_unique():
    tokens = {security.new_reset_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(token.replace("-", "").replace("_", "").isalnum() for token in tokens)


def test_file_checksum_tracks_content():
    assert security.file_checksum(b"abc") == security.file_checksum(b"abc")
    assert security.file_checksum(b"abc") != security.file_checksum(b"abd")


def test_references_are_signed_deterministically():
    assert security.sign_reference("1:2:100") == security.sign_reference("1:2:100")
    assert security.sign_reference("1:2:100") != security.sign_reference("1:2:101")
