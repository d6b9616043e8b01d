"""No path around the domain: every view lists what it offers, every POST route writes only through a domain
operation (leaving an audit row) or is refused, nothing is ever deleted, and the house has no back doors."""
import ast
import re
from pathlib import Path

import pytest
from flask import url_for
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from admin.base import ScopedModelView
from domain import audit
from domain.catalogue import ACTIONS
from models import AuditEntry, Contact, Deputy, Publication, Reply, Unit, db
from tests import helpers
from tests.helpers import login

ROOT = Path(__file__).resolve().parents[1]


def _model_views(app):
    return [view for view in app.extensions["admin"][0]._views if isinstance(view, ModelView)]


def test_every_grid_declares_its_columns_and_actions_and_offers_no_delete(app):
    for view in _model_views(app):
        assert isinstance(view, ScopedModelView), view.endpoint
        assert view.column_list, f"{view.endpoint} lists no columns"
        assert view.can_delete is False and "delete" not in view._actions_data, view.endpoint
        declared = set(ACTIONS.get(view.model, {}))
        assert set(view.action_names) <= declared, view.endpoint
        if view.can_view_details:  # never Flask-Admin's page of every column
            own_page = view.details_template != "admin/model/details.html" or type(view).details_view is not ModelView.details_view
            assert view.column_details_list or own_page, view.endpoint


@pytest.fixture
def world(district):
    """A replied suggestion with a contact and a published reply, and one of another unit."""
    suggestion = helpers.replied(district, "甲单位的建议ALPHA")
    other = helpers.replied(district, "乙单位的建议BRAVO", unit=district.units[1], lead=district.deputies[2])
    publication = db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))
    from domain import publication as publishing
    from domain.clock import today

    publishing.publish(district.office, publication, today())
    db.session.commit()
    return district, suggestion, other


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.endpoint.endswith("static"):
            yield rule


def _fill(rule, ids: dict) -> str:
    path = rule.rule
    for name in rule.arguments:
        value = {"action": "reply", "export_type": "csv"}.get(name, str(ids.get(name, next(iter(ids.values())))))
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    return path


MECHANICAL = {"audit_entry", "outbox_attempt", "number_counter", "public_cache_generation", "text_fingerprint"}
WRITE = re.compile(r"\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)


def _writes(statements) -> tuple[set[str], bool]:
    """The tables a request wrote to (mechanical ones aside), and whether it wrote the audit trail."""
    tables = {m.group(2).lower() for m in map(WRITE.match, statements) if m}
    return tables - MECHANICAL, "audit_entry" in tables


@pytest.mark.parametrize("username", list(helpers.ROLES_BY_USERNAME))
def test_every_post_route_writes_only_through_the_domain_or_is_refused(app, client, world, username):
    """Each POST route, with empty and with junk input, as every role: never a 500, never a delete, and a request
    that writes anything writes the audit trail too (a change outside a domain operation is refused by the guard)."""
    district, suggestion, other = world
    statements = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    login(client, username)
    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        for rule in _post_rules(app):
            if rule.endpoint in ("auth.logout", "auth.login"):
                continue
            path = _fill(rule, {"id": suggestion.id, "suggestion_id": suggestion.id})
            for data in ({}, {"ids": str(suggestion.id), "rowid": str(suggestion.id), "action": "delete",
                              "id": str(suggestion.id), "text": "篡改", "reason": "x", "title": "x", "name": "x"}):
                statements.clear()
                response = client.post(f"{path}?ids={suggestion.id}&id={suggestion.id}", data=data)
                assert response.status_code in (200, 302, 400, 403, 404, 405), (path, response.status_code)
                written, audited = _writes(statements)
                assert not written or audited, (path, written)
                assert not any(s.lstrip().upper().startswith("DELETE") for s in statements), path
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert db.session.get(Reply, db.session.scalar(select(Reply.id).where(Reply.suggestion_id == suggestion.id))).text \
        == "已列入年度计划。"


def test_delete_is_refused_on_every_grid_and_by_the_delete_action(app, client, world):
    district, suggestion, other = world
    login(client, "office")
    for view in _model_views(app):
        with app.test_request_context():
            delete_url, action_url = url_for(f"{view.endpoint}.delete_view"), url_for(f"{view.endpoint}.action_view")
        row_id = db.session.scalar(select(view.model.id).limit(1))
        assert client.post(delete_url, data={"id": str(row_id)}).status_code == 403, view.endpoint
        client.post(action_url, data={"action": "delete", "rowid": [str(row_id)]})
        if row_id is not None:
            assert db.session.get(view.model, row_id) is not None, view.endpoint


def test_a_delete_outside_the_app_is_still_audited_and_makes_public_pages_stale(world):
    district, suggestion, other = world
    from domain.publication import current_public_generation

    generation = current_public_generation()
    contact = db.session.scalar(select(Contact).where(Contact.suggestion_id == suggestion.id))
    publication = db.session.scalar(select(Publication).where(Publication.suggestion_id == suggestion.id))
    db.session.delete(publication)
    db.session.delete(contact)
    db.session.commit()
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type.in_(["Contact", "Publication"]))))
    assert {a for a in actions if a.startswith("删除")}
    assert current_public_generation() > generation


def test_a_change_in_a_request_outside_a_domain_operation_is_refused(app, district):
    with app.test_request_context():
        audit.bind_actor(db.session, district.office.id)
        district.units[0].name = "绕过领域改名"
        with pytest.raises(audit.OutsideOperation):
            db.session.flush()
        db.session.rollback()
        audit.unbind_actor(db.session)
    assert db.session.get(Unit, district.units[0].id).name == "区住房和城乡建设局"


def test_a_row_pointing_at_nothing_cannot_be_stored(district):
    db.session.add(Contact(suggestion_id=987654, unit_id=district.units[0].id, contacted_on=helpers.date(2026, 2, 2),
                           method="phone", people="x", summary="y"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_every_kind_of_change_is_audited(client, district):
    """Deputies' personal data (recorded as changed, never copied), templates, reference data, co-signers,
    role grants, attachments' owners and attitude evaluations all leave audit rows."""
    login(client, "office")
    deputy = district.deputies[1]
    client.post(f"/admin/deputy/edit/?id={deputy.id}", data={
        "name": deputy.name, "township": str(deputy.township_id), "deputy_group": str(deputy.deputy_group_id),
        "occupation": "", "phone": "13911112222", "id_number": "", "address": "", "version": str(deputy.version)})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Deputy").order_by(AuditEntry.id.desc()))
    assert entry is not None and "13911112222" not in entry.changes and "phone" in entry.changes
    user = district.users["unit2"]
    client.post(f"/admin/user/edit/?id={user.id}", data={
        "username": user.username, "display_name": user.display_name, "role_list": ["unit", "committee"],
        "unit": str(user.unit_id), "committee": str(district.committees[0].id), "version": str(user.version)})
    grants = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "User", AuditEntry.object_id == user.id)
                               .order_by(AuditEntry.id.desc()))
    assert grants is not None and "委室" in grants.changes, grants and grants.changes
    suggestion = helpers.register(district, "附议的建议")
    from domain import drafting

    suggestion.state = "draft"
    db.session.commit()
    drafting.add_co_signer(district.office, suggestion, district.deputies[3])
    db.session.commit()
    co_signed = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Suggestion",
                                                          AuditEntry.action == "增加附议代表"))
    assert co_signed is not None and "张赟" in co_signed.changes


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _package_imports(package: str) -> dict[str, set[str]]:
    return {f"{package}.{p.stem}": _imports(p) for p in (ROOT / package).glob("*.py") if p.stem != "__init__"}


def test_the_domain_has_no_import_cycle_and_no_lazy_imports():
    modules = _package_imports("domain")
    graph = {name: {m for m in found if m in modules} for name, found in modules.items()}
    state: dict[str, str] = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in graph[node]:
            assert state.get(nxt) != "open", " → ".join([*trail, nxt])
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])
    for path in (ROOT / "domain").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            lazy = [n for n in ast.walk(function) if isinstance(n, (ast.Import, ast.ImportFrom))]
            assert not lazy, f"{path.name}:{function.name} imports inside a function"


def test_layers_import_downwards_only():
    for package, forbidden in (("admin", ("views",)), ("printing", ("views", "admin")), ("domain", ("views", "admin", "web")),
                               ("web", ("views", "admin"))):
        for module, found in _package_imports(package).items():
            bad = [m for m in found if m.split(".")[0] in forbidden]
            assert not bad, f"{module} imports {bad}"
    for module, found in _package_imports("domain").items():
        assert not {"flask_login", "flask.flash", "flask.request"} & found, module


def test_the_domain_never_reads_the_request_or_the_signed_in_user():
    for path in (ROOT / "domain").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert not {(m, a) for m, a in imported if m == "flask_login" or (m == "flask" and a in {"request", "flash", "session", "g"})}, path.name
        commits = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "commit"]
        assert not commits, f"{path.name} commits"


def test_deputies_have_no_hash_or_personal_data_on_a_details_page(app):
    for view in _model_views(app):
        listed = set(view.column_list or []) | set(view.column_details_list or [])
        assert "password_hash" not in listed and "id_number" not in listed, view.endpoint


def test_one_state_vocabulary():
    """Groups of states are named only in domain.states; the derived facts have one definition each."""
    pattern = re.compile(r"^[A-Z_]+ = (frozenset\(|\(|\{)State\.", re.M)
    for path in [*ROOT.glob("domain/*.py"), *ROOT.glob("admin/*.py"), *ROOT.glob("views/*.py"), *ROOT.glob("printing/*.py")]:
        if path.name != "states.py":
            assert not pattern.search(path.read_text(encoding="utf-8")), path
    for path in ROOT.glob("templates/**/*.html"):
        assert "due_on < today" not in path.read_text(encoding="utf-8"), path


def test_deputies_ids_and_phones_are_validated(client, district):
    login(client, "office")
    deputy = district.deputies[1]
    response = client.post(f"/admin/deputy/edit/?id={deputy.id}", data={
        "name": deputy.name, "township": str(deputy.township_id), "occupation": "", "phone": "12345",
        "id_number": "330621198001010012", "address": "", "version": str(deputy.version)})
    html = response.get_data(as_text=True)
    assert "不是有效的手机号" in html or "身份证号" in html
    assert db.session.get(Deputy, deputy.id).phone == "13800000002"
