"""The texts of the demo: suggestions, reply letters, contacts, opinions and evaluations."""
from __future__ import annotations

import random
from calendar import monthrange
from datetime import date

from dateutil.relativedelta import relativedelta

from demo import data
from demo.people import UnitPeople, deputy_head_title
from models import Deputy, Suggestion, Unit


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def suggestion(self, topic: dict, words: dict) -> tuple[str, str]:
        """A title and a multi-paragraph body."""
        problems = self.rng.sample(topic["problems"], k=min(len(topic["problems"]), self.rng.choice([2, 3])))
        proposals = self.rng.sample(topic["proposals"], k=3)
        body = data.BODY.format(
            opener=self.rng.choice(data.OPENERS).format_map(words),
            situation=topic["situation"].format_map(words),
            problems="\n".join(n + p.format_map(words) for n, p in zip(data.PROBLEM_NUMBERS, problems)),
            proposals="\n".join(f"{n}.{p.format_map(words)}" for n, p in enumerate(proposals, 1)),
        )
        return self.rng.choice(topic["titles"]).format_map(words), body

    def reply(self, suggestion: Suggestion, unit: Unit, people: UnitPeople, category: str, day: date,
              topic: dict, words: dict, rehandling: bool) -> str:
        progress = data.REPLY_PROGRESS[category].format(
            done=topic["done"], plan=topic["plan"], limit=topic["limit"]).format_map(words)
        return data.REPLY_LETTER.format(
            deputy=suggestion.lead_deputy.name, title=suggestion.title, number=suggestion.display_number,
            head_title=deputy_head_title(unit), deputy_head=people.deputy_head,
            progress=(data.REHANDLING_PREFIX if rehandling else "") + progress,
            next_step=data.REPLY_NEXT_STEPS[category].format(focus=self.focus(topic, words)),
            closing=self.rng.choice(data.REPLY_CLOSINGS), unit=unit.name, day=chinese_date(day),
            clerk=people.clerk, phone=people.phone,
        )

    def commitments(self, topic: dict, words: dict, category: str, day: date) -> list[tuple[str, date]]:
        """What a reply promises: one or two items for category B, sometimes one for A."""
        count = {"A": int(self.rng.random() < 0.3), "B": self.rng.choice([1, 1, 2]), "C": 0}[category]
        chosen = self.rng.sample(topic["commitments"], k=min(count, len(topic["commitments"])))
        return [(content.format_map(words), self._month_end(day, self.rng.randint(3, 12))) for content in chosen]

    @staticmethod
    def _month_end(day: date, months: int) -> date:
        later = day + relativedelta(months=months)
        return later.replace(day=monthrange(later.year, later.month)[1])

    def contact(self, stage: str, unit: Unit, people: UnitPeople, deputy: Deputy, topic: dict,
                words: dict) -> dict[str, str]:
        summary, methods = data.CONTACTS[stage]
        return {
            "method": self.rng.choice(methods),
            "people": data.CONTACT_PEOPLE.format(
                unit=unit.name, head_title=deputy_head_title(unit), deputy_head=people.deputy_head,
                section=self.rng.choice(data.SECTIONS), clerk=people.clerk, deputy=deputy.name),
            "summary": summary.format(deputy=deputy.name, focus=self.focus(topic, words)),
        }

    def opinion(self, topic: dict, words: dict) -> str:
        return self.rng.choice(data.OPINIONS).format(focus=self.focus(topic, words), town=words["town"])

    def evaluation_comment(self, level: str) -> str:
        return self.rng.choice(data.EVALUATION_COMMENTS[level])

    def focus(self, topic: dict, words: dict) -> str:
        return topic["focus"].format_map(words)

    def pick(self, texts: list[str], **words) -> str:
        return self.rng.choice(texts).format(**words)
