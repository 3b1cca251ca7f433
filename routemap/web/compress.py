"""Response compression (Flask-Compress): its settings, and which responses keep a
compressed copy."""

from __future__ import annotations


class StaticCompressCache:
    """Flask-Compress keeps compressed copies of fingerprinted static files only (Dash's
    bundles, assets), so a first visit does not compress two megabytes of JavaScript again."""

    def __init__(self):
        self.data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.data.get(key) if "|static|" in key else None

    def set(self, key: str, value: bytes) -> None:
        if "|static|" in key and len(self.data) < 1000:
            self.data[key] = value


def compress_cache_key(req) -> str:
    if req.method == "GET" and (
        "/_dash-component-suites/" in req.path or req.path.startswith("/assets/")
    ):
        return "|static|" + req.full_path
    return "|dynamic|"


SETTINGS = {
    # zstd (what browsers ask for first) at its fastest: a page is compressed for every
    # request, and level 1 is within a few percent of level 3's size here
    "COMPRESS_ZSTD_LEVEL": 1,
    "COMPRESS_BR_LEVEL": 1,
    # gzip too, for a browser that asks for nothing newer: level 6 took 2.6 ms a route page
    # (128 KB) here, level 1 takes 1.0 ms for a file 23% larger
    "COMPRESS_LEVEL": 1,
    "COMPRESS_CACHE_BACKEND": StaticCompressCache,
    "COMPRESS_CACHE_KEY": compress_cache_key,
    # the map's font (a TrueType subset) shrinks by a third
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/plain",
        "application/json",
        "application/javascript",
        "text/javascript",
        "image/svg+xml",
        "font/ttf",
    ],
}
