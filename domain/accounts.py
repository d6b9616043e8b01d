"""User accounts: creating and changing them, granting and revoking roles, deactivating and reactivating,
resetting and changing passwords. Accounts are never deleted; every change is audited (role grants
included) and every refusal is a Chinese message.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from sqlalchemy import func, select

from domain import actions, audit
from domain.access import REFERENCE_ADMINISTRATORS
from domain.actions import action
from domain.errors import require
from models import Committee, Deputy, Township, Unit, User, db
from models.enums import ROLE_LABELS, Role

USERNAME = re.compile(r"[A-Za-z0-9_.\-]{2,60}")
MIN_PASSWORD_LENGTH = 8
# The organisation a role acts for: the user must be linked to one.
ROLE_LINKS = {Role.UNIT: ("unit", "承办单位"), Role.COMMITTEE: ("committee", "委室"), Role.TOWNSHIP: ("township", "镇街"),
              Role.DEPUTY: ("deputy", "代表")}


def _check_administrator(actor: User) -> None:
    require(actor.has_role(*REFERENCE_ADMINISTRATORS[User]), "您的角色无权管理用户账号。")


def check_password(user: User, password: str) -> None:
    require(len(password) >= MIN_PASSWORD_LENGTH, f"密码至少 {MIN_PASSWORD_LENGTH} 位。")
    require(password.lower() != user.username.lower(), "密码不能与用户名相同。")


def _roles(values: Iterable[str]) -> set[Role]:
    roles = set()
    for value in values:
        require(value in set(Role), f"没有“{value}”这个角色。")
        roles.add(Role(value))
    return roles


def _check_links(roles: set[Role], links: dict) -> None:
    for role in roles:
        if role in ROLE_LINKS:
            name, label = ROLE_LINKS[role]
            require(links.get(name) is not None, f"具有“{ROLE_LABELS[role]}”角色的用户须关联{label}。")


def _check_username(username: str, user: User | None) -> None:
    require(USERNAME.fullmatch(username) is not None, "用户名须为 2 至 60 位字母、数字、下划线、点或短横线。")
    taken = select(User.id).where(func.lower(User.username) == username.lower())
    if user is not None and user.id is not None:
        taken = taken.where(User.id != user.id)
    require(db.session.scalar(taken.limit(1)) is None, f"用户名“{username}”已存在，不能重复。")


def save_user(
    actor: User, user: User | None, *, username: str, display_name: str, roles: Iterable[str],
    unit: Unit | None = None, committee: Committee | None = None, township: Township | None = None,
    deputy: Deputy | None = None, password: str = "", expected_version=None,
) -> User:
    """Create an account (with its first password, to be changed at first login) or change one."""
    _check_administrator(actor)
    if user is not None:
        audit.check_unchanged(user, expected_version)
    username, display_name = username.strip(), display_name.strip()
    _check_username(username, user)
    require(bool(display_name) and len(display_name) <= 60, "请填写姓名（不超过 60 个字）。")
    wanted = _roles(roles)
    require(bool(wanted), "请至少选择一个角色。")
    links = {"unit": unit, "committee": committee, "township": township, "deputy": deputy}
    _check_links(wanted, links)
    if user is not None and user.id == actor.id:
        require(set(REFERENCE_ADMINISTRATORS[User]) & wanted, "不能取消自己管理用户账号的角色。")
    creating = user is None
    if creating:
        require(bool(password), "新建用户须设置初始密码。")
        user = User(username=username)
    if password:
        check_password(user, password)
    with audit.operation(actor, "新建用户" if creating else "修改用户"):
        user.username, user.display_name = username, display_name
        for name, value in links.items():
            setattr(user, name, value)
        user.roles = wanted
        if password:
            user.set_password(password)
            user.must_change_password = True
        db.session.add(user)
    return user


def deactivate(actor: User, user: User, reason: str) -> None:
    """The account can no longer log in; it is kept, with its history."""
    _check_administrator(actor)
    require(user.id != actor.id, "不能停用自己的账号。")
    require(user.active, f"账号“{user.username}”已停用。")
    require(bool(reason.strip()), "停用账号须说明理由。")
    with audit.operation(actor, f"停用账号：{reason.strip()}"):
        user.active = False


def reactivate(actor: User, user: User) -> None:
    _check_administrator(actor)
    require(not user.active, f"账号“{user.username}”未停用。")
    with audit.operation(actor, "启用账号"):
        user.active = True


def reset_password(actor: User, user: User, password: str) -> None:
    """The administrator sets a temporary password; the user must change it at the next login."""
    _check_administrator(actor)
    check_password(user, password)
    with audit.operation(actor, "重置密码"):
        user.set_password(password)
        user.must_change_password = True


def change_own_password(user: User, current: str, new: str) -> None:
    """The user changes their own password (required after a reset or at first login)."""
    require(user.check_password(current), "当前密码不正确。")
    require(new != current, "新密码不能与当前密码相同。")
    check_password(user, new)
    with audit.operation(user, "修改本人密码"):
        user.set_password(new)
        user.must_change_password = False


ACCOUNT_ACTIONS = {
    "deactivate": action("停用账号", REFERENCE_ADMINISTRATORS[User], form="reason", bulk=True, target=User),
    "reactivate": action("启用账号", REFERENCE_ADMINISTRATORS[User], bulk=True, target=User, confirm="确定启用所选账号吗？"),
    "reset_password": action("重置密码", REFERENCE_ADMINISTRATORS[User], form="new_password", target=User),
}
ACTIONS = actions.bind(sys.modules[__name__], ACCOUNT_ACTIONS)
