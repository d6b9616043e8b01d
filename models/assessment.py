"""The annual assessment's scoring rules (考核), edited by the office."""
from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Versioned, db


class AssessmentItem(Versioned, db.Model):
    """One scoring rule of the annual assessment, edited by the office.

    `kind` is "rate" (points = weight × the item's rate), "top_bonus" (weight points to the units
    ranked within the first `parameter`) or "count_bonus" (weight points per counted case).
    """

    __tablename__ = "assessment_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(20))  # unit | township
    kind: Mapped[str] = mapped_column(String(20), default="rate")
    weight: Mapped[float] = mapped_column(default=0)
    parameter: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")

    def __str__(self) -> str:
        return self.label
