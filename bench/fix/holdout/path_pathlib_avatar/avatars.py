from pathlib import Path

AVATAR_ROOT = Path(__file__).parent / "static" / "avatars"


def avatar_bytes(username: str, root: Path = AVATAR_ROOT) -> bytes:
    target = root / f"{username}.png"
    if not target.exists():
        target = root / "default.png"
    return target.read_bytes()
