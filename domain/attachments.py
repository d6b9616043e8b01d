"""Storing and serving attachments: type-checked by content, size-limited, kept outside static files.

Files live under ATTACHMENT_DIR (default instance/attachments) by a random key; the database row keeps
the original name, type, size and checksum. Reading one is allowed only to users who may see its suggestion.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from domain.access import can_see
from domain.errors import WorkflowError
from models import Attachment, Suggestion, User, db

# extension → (content signature, MIME type)
ALLOWED_TYPES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def storage_dir() -> Path:
    return Path(current_app.config.get("ATTACHMENT_DIR") or os.path.join(current_app.instance_path, "attachments"))


def _clean_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/"))).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/|?*')
    return name[:200] or "附件"


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def store(actor: User, suggestion: Suggestion, upload: FileStorage, owner_type: str, owner_id: int | None) -> Attachment:
    """Check and save one uploaded file; raises WorkflowError (in Chinese) for a bad file."""
    if upload is None or not upload.filename:
        raise WorkflowError("请选择要上传的文件。")
    filename = _clean_filename(upload.filename)
    kind = ALLOWED_TYPES.get(_extension(filename))
    if kind is None:
        raise WorkflowError("只能上传 PDF、Word（doc/docx）或图片（png/jpg）文件。")
    limit = current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise WorkflowError(f"文件不能超过 {limit // (1024 * 1024)} MB。")
    if not data:
        raise WorkflowError("上传的文件是空的。")
    signature, content_type = kind
    if not data.startswith(signature):
        raise WorkflowError("文件内容与扩展名不符，请上传真实的 PDF、Word 或图片文件。")
    key = secrets.token_hex(16)
    path = storage_dir() / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    attachment = Attachment(
        suggestion_id=suggestion.id, owner_type=owner_type, owner_id=owner_id, filename=filename,
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def readable(user: User, attachment_id: int) -> tuple[Attachment, Path] | None:
    """The attachment and its file, if this user may see the suggestion it belongs to."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        return None
    suggestion = db.session.get(Suggestion, attachment.suggestion_id)
    if suggestion is None or not can_see(user, suggestion):
        return None
    path = storage_dir() / attachment.storage_key[:2] / attachment.storage_key
    return (attachment, path) if path.exists() else None


def for_owner(owner_type: str, owner_id: int) -> list[Attachment]:
    return db.session.scalars(
        db.select(Attachment).where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
        .order_by(Attachment.id)
    ).all()


def store_optional(actor: User, suggestion: Suggestion, upload: FileStorage | None, owner_type: str, owner_id: int) -> None:
    """Store an optional evidence file; a form left without one stores nothing."""
    if upload is not None and getattr(upload, "filename", ""):
        upload.stream.seek(0)
        store(actor, suggestion, upload, owner_type, owner_id)
