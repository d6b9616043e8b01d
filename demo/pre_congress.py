"""Demo data for drafting and pre-review, duplicates and the through-train; call load(rules, today) after the district."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from domain import drafting, recess, reference, states, workflow
from domain.errors import WorkflowError
from domain.rules import Rules
from models import CategoryCommittee, Committee, CongressSession, Deputy, NotAcceptedReason, Suggestion, User, UserRole, db
from models.enums import CATEGORY_LABELS, Role, Source

DRAFTS = [
    ("关于加快{township}老旧小区加装电梯的建议", "urban",
     "{township}建成于上世纪九十年代的住宅小区较多，老年住户上下楼困难。建议由区住建局牵头，简化加装电梯审批流程，"
     "加大财政补助，优先支持老年人集中的楼栋。"),
    ("关于增设{township}至城区公交线路的建议", "transport",
     "{township}部分村居距城区较远，现有公交班次间隔过长、末班车过早。建议增设直达线路，延长末班时间，增设候车亭。"),
]
STEPS = ["find_issues", "sort_and_merge", "area_forum", "ask_local_leaders"]


def _first_user(role: Role) -> User | None:
    return db.session.scalar(select(User).join(UserRole).where(UserRole.role == role).order_by(User.id).limit(1))


def _seed_lists() -> None:
    if not db.session.scalar(select(func.count()).select_from(NotAcceptedReason)):
        for position, label in enumerate(reference.DEFAULT_NOT_ACCEPTED_REASONS):
            db.session.add(NotAcceptedReason(label=label, position=position))
    committees = db.session.scalars(select(Committee).order_by(Committee.id)).all()
    if committees and not db.session.scalar(select(func.count()).select_from(CategoryCommittee)):
        for n, category in enumerate(CATEGORY_LABELS):
            db.session.add(CategoryCommittee(category=category.value, committee_id=committees[n % len(committees)].id))


def _drafts(township_user: User, office: User, today: date) -> None:
    session = db.session.scalar(select(CongressSession).order_by(CongressSession.opens_on.desc()).limit(1))
    deputies = db.session.scalars(select(Deputy).where(Deputy.township_id == township_user.township_id)
                                  .order_by(Deputy.id).limit(3)).all()
    if session is None or len(deputies) < 2:
        return
    for n, (title, category, body) in enumerate(DRAFTS):
        name = township_user.township.name
        draft = drafting.create_draft(township_user, source=Source.CONGRESS, session=session, lead_deputy=deputies[n],
                                      title=title.format(township=name), body=body.format(township=name),
                                      category=category, today=today)
        drafting.add_co_signer(township_user, draft, deputies[-1] if n == 0 else deputies[0])
        for days_ago, step in zip(range(40, 0, -10), STEPS):
            drafting.record_preparation_step(township_user, draft, step=step, done_on=today - timedelta(days=days_ago),
                                             note="代表小组活动", today=today)
        if n == 0:
            _pre_review_round(township_user, office, draft, today)


def _pre_review_round(township_user: User, office: User, draft: Suggestion, today: date) -> None:
    """Pre-submit, comment, return, revise: shows two revisions and their diff (when today is inside the window)."""
    try:
        workflow.pre_submit(township_user, draft, today)
    except WorkflowError:
        return
    workflow.start_review(office, draft)
    drafting.add_review_comment(office, draft, aspect="facts", text="请补充需加装电梯的楼栋数量和老年住户比例。",
                                suggested_units="区住房和城乡建设局")
    workflow.return_for_revision(office, draft, "请补充数据后再次预交。")
    drafting.save_draft(township_user, draft, title=draft.title, category=draft.category,
                        body=draft.body + "据统计，需加装电梯的楼栋约120幢，60岁以上住户占四成。")
    workflow.pre_submit(township_user, draft, today)


def _classes(office: User, rules: Rules) -> None:
    """Mark every third open recess suggestion urgent."""
    open_recess = db.session.scalars(select(Suggestion).where(Suggestion.source == Source.RECESS,
                                                              Suggestion.state.in_(states.DEADLINE_RUNNING)).order_by(Suggestion.id))
    for n, suggestion in enumerate(open_recess):
        if n % 3 == 0:
            recess.set_supervision_class(office, suggestion, "urgent", rules)


def load(rules: Rules, today: date) -> None:
    _seed_lists()
    office, township_user = _first_user(Role.OFFICE), _first_user(Role.TOWNSHIP)
    if office is None:
        return
    if township_user is not None and township_user.township_id:
        _drafts(township_user, office, today)
    _classes(office, rules)
    db.session.commit()
