"""Secrets of a local installation, generated once into ``data_dir/secrets.json`` (mode 0600).

Used only when the settings do not provide them, i.e. with the embedded server. A deployment
against its own PostgreSQL passes ZAVA_CONTEXT_KEY, ZAVA_APP_PASSWORD and ZAVA_JWT_SECRET instead.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["LocalSecrets", "load_or_create"]


@dataclass(frozen=True)
class LocalSecrets:
    context_key: str
    app_password: str
    jwt_secret: str


def load_or_create(data_dir: Path) -> LocalSecrets:
    path = data_dir / "secrets.json"
    if path.exists():
        raw = json.loads(path.read_text(encoding="utf-8"))
        return LocalSecrets(**{k: raw[k] for k in ("context_key", "app_password", "jwt_secret")})
    data_dir.mkdir(parents=True, exist_ok=True)
    created = LocalSecrets(
        context_key=secrets.token_urlsafe(32),
        app_password=secrets.token_urlsafe(24),
        jwt_secret=secrets.token_urlsafe(48),
    )
    # Create with 0600 from the start: never a moment where another user could read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(created), handle)
    return created
