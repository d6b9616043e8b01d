"""Where a redirect may go: only to a path of this site."""
from urllib.parse import urlsplit


def local_path(url: str | None, host: str) -> str | None:
    """The path (and query) of `url` if it points into this site, else None. Backslashes, control characters
    and scheme-relative forms (`//evil`, `/\\evil`, `/%09/evil` once decoded) are refused."""
    if not url or any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != host):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
