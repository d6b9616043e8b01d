"""Downloading an attachment, for users who may see its suggestion."""
from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required

from domain.attachments import readable

bp = Blueprint("attachments", __name__)


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    found = readable(current_user, attachment_id)
    if found is None:
        abort(404)
    attachment, path = found
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
