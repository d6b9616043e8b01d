"""The public results page: only what domain.md allows, 404 for the rest, never a 500, cached."""
import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from domain import publication as publishing
from domain import workflow
from models import Publication, db
from tests import helpers

TODAY = date(2026, 3, 20)
CANARIES = {
    "phone": "13912345678", "id_number": "330621199912319999", "address": "幸福路CANARYADDR号",
    "body": "CANARYBODY", "state_reason": "CANARYINTERNAL", "contact": "CANARYCONTACT", "people": "CANARYPEOPLE",
    "opinion": "CANARYOPINION", "evaluation": "CANARYEVAL", "signatory": "CANARYSIGNATORY",
    "full_text": "CANARYFULLTEXT", "unpublished": "CANARYUNPUBLISHED", "declined": "CANARYDECLINED",
    "decline_reason": "CANARYREASON", "withdrawn": "CANARYWITHDRAWN", "withdraw_reason": "CANARYWREASON",
    "confidential": "CANARYCONFIDENTIAL", "co_signer": "附议CANARY", "staff": "CANARYSTAFF",
    "extension": "CANARYEXTENSION", "commitment": "CANARYCOMMITMENT",
}


def _reply(district, title: str, text: str, *, unit=None, co_handlers=(), confidential=False, commitments=()):
    suggestion = helpers.handling(district, title, unit=unit or district.units[0], co_handlers=co_handlers,
                                  co_signers=[district.deputies[3]])
    suggestion.body = f"{title}{CANARIES['body']}"
    suggestion.confidential = confidential
    lead = suggestion.active_assignments[0].unit
    user = helpers.unit_user(district, lead)
    workflow.record_contact(user, suggestion, contacted_on=date(2026, 2, 10), method="phone",
                            people=CANARIES["people"], summary=CANARIES["contact"], today=date(2026, 2, 10))
    for co_handler in co_handlers:
        workflow.record_opinion(helpers.unit_user(district, co_handler), suggestion, CANARIES["opinion"])
    workflow.reply(user, suggestion, reply_category="A", text=text, signatory=CANARIES["signatory"],
                   replied_on=date(2026, 3, 2), commitments=list(commitments), today=date(2026, 3, 2))
    db.session.commit()
    return suggestion


def _publication(suggestion) -> Publication:
    return db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))


@pytest.fixture
def canary_world(district):
    """Published, summarised, pending, declined, withdrawn and confidential results, canaries everywhere else."""
    office = district.office
    deputy = district.deputies[0]
    deputy.phone, deputy.id_number, deputy.address = CANARIES["phone"], CANARIES["id_number"], CANARIES["address"]
    district.deputies[3].name = CANARIES["co_signer"]
    office.display_name = CANARIES["staff"]
    full = _reply(district, "公开全文的建议", "全文公开的答复内容。", co_handlers=[district.units[1]],
                  commitments=[(CANARIES["commitment"], date(2026, 10, 1))])
    summary = _reply(district, "公开摘要的建议", CANARIES["full_text"])
    pending = _reply(district, "尚未决定公开的建议", CANARIES["unpublished"])
    declined = _reply(district, "不予公开的建议", CANARIES["declined"])
    withdrawn = _reply(district, "撤回公开的建议", CANARIES["withdrawn"])
    confidential = _reply(district, CANARIES["confidential"], "涉密答复", confidential=True)
    publishing.publish(office, _publication(full), TODAY)
    publishing.publish(office, _publication(summary), TODAY, summary="经审定的答复摘要。")
    publishing.decline(office, _publication(declined), CANARIES["decline_reason"], TODAY)
    publishing.publish(office, _publication(withdrawn), TODAY)
    publishing.withdraw(office, _publication(withdrawn), CANARIES["withdraw_reason"], TODAY)
    _publication(confidential).status = "published"  # even a stray published row must not show
    full.state_reason = CANARIES["state_reason"]
    workflow.evaluate(office, full, level="unsatisfied", comment=CANARIES["evaluation"], given_on=TODAY, today=TODAY,
                      scanned_form=helpers.scanned_form())
    db.session.commit()
    return {"full": full, "summary": summary, "pending": pending, "declined": declined, "withdrawn": withdrawn,
            "confidential": confidential}


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", text)  # table cells wrap; compare without white space


def _public_responses(client, world) -> dict[str, str]:
    urls = ["/public/", "/public/?q=建议", "/public/?q=王堃", "/public/?reply_category=A", "/public/?year=2026",
            f"/public/?unit={world['full'].active_assignments[0].unit_id}", "/public/?category=urban&page=1"]
    urls += [f"/public/{s.id}" for s in world.values()]
    texts = {}
    for url in urls:
        texts[url] = client.get(url).get_data(as_text=True)
    for url in [f"/public/{world['full'].id}.pdf", f"/public/{world['summary'].id}.pdf", "/public/list.pdf",
                "/public/list.pdf?q=建议"]:
        texts[url] = _pdf_text(client.get(url).data)
    return texts


def test_no_canary_appears_in_any_public_response_or_pdf(client, canary_world):
    texts = _public_responses(client, canary_world)
    for url, text in texts.items():
        for name, canary in CANARIES.items():
            assert canary not in text, (url, name)
    assert "全文公开的答复内容" in texts[f"/public/{canary_world['full'].id}"]
    assert "经审定的答复摘要" in texts[f"/public/{canary_world['summary'].id}"]
    assert "经审定的答复摘要" in texts[f"/public/{canary_world['summary'].id}.pdf"]
    assert "公开全文的建议" in texts["/public/list.pdf"] and "王堃" in texts["/public/"]


def test_unpublished_declined_withdrawn_and_confidential_are_404_by_every_url(client, canary_world):
    for name in ("pending", "declined", "withdrawn", "confidential"):
        suggestion_id = canary_world[name].id
        for url in (f"/public/{suggestion_id}", f"/public/{suggestion_id}.pdf"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "未公开" in response.get_data(as_text=True)
    listing = client.get("/public/").get_data(as_text=True)
    assert "共 2 件" in listing
    for url in ("/public/0", "/public/999999", "/public/99999999999999999999", "/public/-1", "/public/abc"):
        assert client.get(url).status_code == 404, url


def test_a_confidential_flag_set_after_publication_hides_the_result(client, canary_world):
    full = canary_world["full"]
    full.confidential = True
    db.session.commit()
    assert client.get(f"/public/{full.id}").status_code == 404
    assert "公开全文的建议" not in client.get("/public/").get_data(as_text=True)


BAD_QUERIES = [
    "page=0", "page=-3", "page=abc", "page=99999999999999999999", "page=10001", "year=x", "year=99999999999",
    "session=1e9", "session=99999999999999", "unit=' OR 1=1 --", "unit=-1", "category=nope", "reply_category=Z",
    "q=%00%00", "q=" + "长" * 500, "q=%25%5F%5C", "key=1", "q=%E4%B8", "year=2026&year=x&page=2",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_query_parameters_never_fail(client, canary_world, query):
    for path in ("/public/", "/public/list.pdf"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


def test_search_and_filters_find_the_right_results(client, canary_world, district):
    def titles(query):
        return client.get(f"/public/?{query}").get_data(as_text=True)

    assert "公开全文的建议" in titles("q=全文") and "公开摘要的建议" not in titles("q=全文")
    number = canary_world["summary"].number_label
    assert "公开摘要的建议" in titles(f"q={number}") and "公开全文的建议" not in titles(f"q={number}")
    assert "共 2 件" in titles("q=王堃")
    assert "共 0 件" in titles("year=2025")
    assert "共 2 件" in titles(f"session={district.session.id}")
    assert "共 0 件" in titles("category=health")
    assert "共 0 件" in titles("reply_category=B")
    assert "共 0 件" in titles(f"unit={district.units[2].id}")


def test_pagination(client, district):
    office = district.office
    for n in range(23):
        publishing.publish(office, _publication(helpers.replied(district, f"第{n:02d}号分页建议")), TODAY)
    db.session.commit()
    first = client.get("/public/").get_data(as_text=True)
    second = client.get("/public/?page=2").get_data(as_text=True)
    assert "共 23 件，第 1 / 2 页" in first and "第22号分页建议" in first and "第02号分页建议" not in first
    assert "第02号分页建议" in second and "下一页" not in second and "上一页" in second
    assert "没有符合条件" in client.get("/public/?page=50").get_data(as_text=True)


def test_public_responses_have_caching_headers_and_no_cookie(client, canary_world):
    for url in ("/public/", f"/public/{canary_world['full'].id}", f"/public/{canary_world['full'].id}.pdf"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert "Set-Cookie" not in response.headers
        etag = response.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/public/999999").headers["Cache-Control"] == "public, max-age=60"


def test_the_page_cache_is_dropped_when_a_publication_changes(app, client, canary_world, district):
    app.config.update(PUBLIC_CACHE_SIZE=64, PUBLIC_CACHE_CHECK_SECONDS=0)
    try:
        full = canary_world["full"]
        assert client.get(f"/public/{full.id}").status_code == 200
        assert client.get(f"/public/{full.id}").status_code == 200  # served from the cache
        publishing.withdraw(district.office, _publication(full), "撤回", TODAY)
        db.session.commit()
        assert client.get(f"/public/{full.id}").status_code == 404
        assert "公开全文的建议" not in client.get("/public/").get_data(as_text=True)
    finally:
        app.config.update(PUBLIC_CACHE_SIZE=0, PUBLIC_CACHE_CHECK_SECONDS=1.0)
