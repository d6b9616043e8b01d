"""Every action of the domain, by the model it acts on (each module declares its own in a table)."""
from __future__ import annotations

from domain import accounts, drafting, key_supervision, notices, publication, recess, supervision, workflow
from domain.actions import BoundAction

MODULES = (workflow, drafting, supervision, key_supervision, recess, publication, notices, accounts)


def _by_target() -> dict[type, dict[str, BoundAction]]:
    catalogue: dict[type, dict[str, BoundAction]] = {}
    for module in MODULES:
        for name, bound in module.ACTIONS.items():
            actions = catalogue.setdefault(bound.target, {})
            if name in actions:
                raise RuntimeError(f"action {name} on {bound.target.__name__} is declared twice")
            actions[name] = bound
    return catalogue


ACTIONS = _by_target()


def actions_on(model) -> dict[str, BoundAction]:
    return ACTIONS.get(model, {})
