"""Organisations and people: townships, deputy groups, deputies, committees, units, users."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import Versioned, db, utcnow
from models.enums import Role


class Township(Versioned, db.Model):
    __tablename__ = "township"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)

    deputy_groups: Mapped[list[DeputyGroup]] = relationship(back_populates="township")

    def __str__(self) -> str:
        return self.name


class DeputyGroup(Versioned, db.Model):
    __tablename__ = "deputy_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)

    township: Mapped[Township] = relationship(back_populates="deputy_groups")

    def __str__(self) -> str:
        return self.name


class Deputy(Versioned, db.Model):
    __tablename__ = "deputy"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    deputy_group_id: Mapped[int | None] = mapped_column(ForeignKey("deputy_group.id"), index=True)
    occupation: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    address: Mapped[str] = mapped_column(String(200), default="")

    township: Mapped[Township] = relationship()
    deputy_group: Mapped[DeputyGroup | None] = relationship()

    def __str__(self) -> str:
        return self.name


class Committee(Versioned, db.Model):
    __tablename__ = "committee"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    units: Mapped[list[Unit]] = relationship(back_populates="committee")

    def __str__(self) -> str:
        return self.name


class Unit(Versioned, db.Model):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    notify_phone: Mapped[str] = mapped_column(String(20), default="")  # where notices to the unit go
    notify_email: Mapped[str] = mapped_column(String(120), default="")

    committee: Mapped[Committee | None] = relationship(back_populates="units")

    def __str__(self) -> str:
        return self.name


class UserRole(db.Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]  # a revoked grant is kept; granting the role again clears it

    def __str__(self) -> str:
        from models.enums import ROLE_LABELS

        return ROLE_LABELS.get(self.role, self.role)


class User(Versioned, UserMixin, db.Model):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default="0")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputy.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(cascade="save-update, merge", lazy="selectin", order_by="UserRole.role")
    unit: Mapped[Unit | None] = relationship()
    committee: Mapped[Committee | None] = relationship()
    township: Mapped[Township | None] = relationship()
    deputy: Mapped[Deputy | None] = relationship()

    @property
    def roles(self) -> set[Role]:
        return {Role(row.role) for row in self.role_rows if row.revoked_at is None}

    @roles.setter
    def roles(self, roles: set[Role]) -> None:
        """Grant the roles given and revoke the others; no grant row is ever deleted."""
        wanted = {str(role) for role in roles}
        for row in self.role_rows:
            if row.role in wanted:
                row.revoked_at = None
            elif row.revoked_at is None:
                row.revoked_at = utcnow()
        known = {row.role for row in self.role_rows}
        self.role_rows.extend(UserRole(role=role) for role in sorted(wanted - known))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __str__(self) -> str:
        return self.display_name
