"""Response compression (Flask-Compress, switched on by Dash's ``compress=True``): which
responses keep a compressed copy."""

from __future__ import annotations


class StaticCompressCache:
    """Flask-Compress keeps compressed copies of fingerprinted static files only (Dash's
    bundles, assets), so a first visit does not gzip two megabytes of JavaScript again."""

    def __init__(self):
        self.data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.data.get(key) if "|static|" in key else None

    def set(self, key: str, value: bytes) -> None:
        if "|static|" in key and len(self.data) < 1000:
            self.data[key] = value


def compress_cache_key(req) -> str:
    if req.method == "GET" and req.path.startswith(("/_dash-component-suites/", "/assets/")):
        return "|static|" + req.full_path
    return "|dynamic|"
