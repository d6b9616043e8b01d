"""`flask demo`: bring the schema up to date and load a realistic demo district."""
from __future__ import annotations

import random
import time
import unicodedata

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from demo import data, evaluations, pre_congress, publication, supervision
from demo.history import History
from demo.people import account_organisation, add_demo_accounts, build_district
from domain.clock import today
from domain.rules import Rules, seed_rule_settings
from models import Suggestion, User, db
from models.enums import ROLE_LABELS, STATE_LABELS, State

LOGIN_URL = "http://127.0.0.1:5000/login"


@click.command("demo")
@click.option("--reset", is_flag=True, help="Drop every table first, then load the demo again.")
@with_appcontext
def demo_command(reset: bool) -> None:
    """Load a demo district (modelled on 绍兴市柯桥区) with two years of deputies' suggestions."""
    if reset:
        drop_everything()
    upgrade()
    if demo_loaded():
        click.echo("数据库中已有演示数据（如需重新生成，请加 --reset）。")
    else:
        started = time.perf_counter()
        load_demo()
        click.echo(f"演示数据已生成，用时 {time.perf_counter() - started:.1f} 秒。")
        print_state_counts()
    print_accounts()


def drop_everything() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def demo_loaded() -> bool:
    return db.session.scalar(select(User.id).where(User.username == data.DEMO_ACCOUNTS[0][0])) is not None


# Each feature adds its records to the loaded district: load(rules, today).
FEATURE_LOADERS = [supervision.load, pre_congress.load, publication.load, evaluations.load]


def load_demo() -> None:
    rng = random.Random(2026)
    seed_rule_settings()
    rules = Rules.load()
    district = build_district(rng)
    add_demo_accounts(district)
    History(rng, district, rules, today()).load()
    for load_feature in FEATURE_LOADERS:
        load_feature(rules, today())
    db.session.commit()


def print_state_counts() -> None:
    counts = dict(db.session.execute(select(Suggestion.state, func.count()).group_by(Suggestion.state)).all())
    click.echo("\n各状态建议数：")
    for state in State:
        click.echo(f"  {pad(STATE_LABELS[state], 14)}{counts.get(state, 0):>5}")
    click.echo(f"  {pad('合计', 14)}{sum(counts.values()):>5}")


def print_accounts() -> None:
    users = {u.username: u for u in db.session.scalars(select(User).where(
        User.username.in_([username for username, _, _ in data.DEMO_ACCOUNTS])))}
    click.echo(f"\n演示账号（密码均为 {data.DEMO_PASSWORD}）：")
    click.echo(f"  {pad('用户名', 12)}{pad('角色', 10)}{pad('所属单位', 40)}密码")
    for username, role, _ in data.DEMO_ACCOUNTS:
        user = users[username]
        click.echo(f"  {pad(username, 12)}{pad(ROLE_LABELS[role], 10)}{pad(account_organisation(user), 40)}"
                   f"{data.DEMO_PASSWORD}")
    click.echo(f"\n登录地址：{LOGIN_URL}")


def pad(value: str, width: int) -> str:
    """Pad to a display width, counting a Chinese character as two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in value)
    return value + " " * max(1, width - used)
