"""Attachments: type-checked by content, size-limited, served only to users who may see the suggestion."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from domain import attachments
from domain.errors import WorkflowError
from models import Attachment, db
from tests import helpers
from tests.helpers import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _storage(app, tmp_path):
    app.config["ATTACHMENT_DIR"] = str(tmp_path)
    yield
    app.config.pop("ATTACHMENT_DIR")


def _upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_a_real_pdf_is_stored_and_served_to_who_may_see_it(app, district):
    suggestion = helpers.assigned(district)
    stored = attachments.store(district.office, suggestion, _upload(PDF, "../../督办记录.pdf"), "test", None)
    db.session.commit()
    assert stored.filename == "督办记录.pdf" and stored.size == len(PDF)
    unit, other, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(unit, "unit")
    login(other, "unit2")
    response = unit.get(f"/attachments/{stored.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert other.get(f"/attachments/{stored.id}").status_code == 404
    assert anonymous.get(f"/attachments/{stored.id}").status_code == 302


@pytest.mark.parametrize("data, name, message", [
    (b"MZ\x90\x00", "virus.exe", "只能上传"),
    (b"<html>not a pdf</html>", "fake.pdf", "内容与扩展名不符"),
    (b"", "empty.pdf", "空的"),
])
def test_bad_files_are_refused_in_chinese(district, data, name, message):
    suggestion = helpers.register(district)
    with pytest.raises(WorkflowError, match=message):
        attachments.store(district.office, suggestion, _upload(data, name), "test", None)
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_files_over_the_limit_are_refused(app, district):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    try:
        with pytest.raises(WorkflowError, match="不能超过"):
            attachments.store(district.office, helpers.register(district), _upload(PDF + b"0" * 2000, "big.pdf"), "t", None)
    finally:
        app.config.pop("ATTACHMENT_MAX_BYTES")
