"""What people do to records, declared once: each action's name, Chinese label, roles, the states of the
suggestion in which it applies, the domain function that carries it out, the form that collects its
input, and whether it may be applied to several rows at once.

Each domain module declares its actions in a table beside its functions (domain.workflow's table is the
transition table); domain.catalogue gathers them by the model they act on; the request boundary
(web.boundary) runs them, and the back office offers exactly these.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from domain.errors import WorkflowError
from models import Suggestion, User
from models.enums import STATE_LABELS, Role, State


@dataclass(frozen=True)
class Action:
    label: str
    roles: frozenset[Role]
    target: type  # the model of the rows it acts on
    states: frozenset[State] | None = None  # states of the suggestion acted on (None: any)
    form: str | None = None  # the key of the form in forms.ACTION_FORMS that collects the arguments
    bulk: bool = False  # may be applied to several selected rows at once
    confirm: str | None = None  # asked before an action without a form runs
    function: str | None = None  # the domain function's name, when it is not the action's own
    preset: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))  # fixed arguments


def action(label: str, roles, states=None, *, target: type = Suggestion, **options) -> Action:
    return Action(label, frozenset(roles), target, frozenset(states) if states is not None else None, **options)


@dataclass(frozen=True)
class BoundAction:
    """An action of a table, bound to its name, the model it acts on and its domain function."""

    name: str
    spec: Action
    function: Callable

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def target(self) -> type:
        return self.spec.target

    def allowed_for(self, actor: User) -> bool:
        return actor.has_role(*self.spec.roles)

    def applies_to(self, target) -> bool:
        return self.spec.states is None or suggestion_state(target) in self.spec.states

    def check(self, actor: User, target) -> None:
        """Refuse, in Chinese, an actor without the role or a target in a state the action does not apply to."""
        if not self.allowed_for(actor):
            raise WorkflowError(f"您的角色无权执行“{self.label}”。")
        if not self.applies_to(target):
            suggestion = getattr(target, "suggestion", target)
            label = STATE_LABELS[State(suggestion.state)]
            raise WorkflowError(f"建议《{suggestion.title}》当前状态为“{label}”，不能执行“{self.label}”。")

    @cached_property
    def context_names(self) -> frozenset[str]:
        """Which of the boundary's context values (today) the domain function takes."""
        return frozenset(inspect.signature(self.function).parameters) & {"today"}

    def perform(self, actor: User, target, arguments: Mapping, today):
        context = {"today": today} if "today" in self.context_names else {}
        return self.function(actor, target, **self.spec.preset, **arguments, **context)


def suggestion_state(target) -> str:
    suggestion = getattr(target, "suggestion", target)
    return suggestion.state


def bind(module, table: Mapping[str, Action]) -> dict[str, BoundAction]:
    """The actions of a module's table, each bound to the module's function of the same (or the given) name."""
    return {name: BoundAction(name, spec, getattr(module, spec.function or name)) for name, spec in table.items()}


def allowed(actions: Mapping[str, BoundAction], actor: User, target) -> list[BoundAction]:
    """The actions whose role and state rules this user and row meet now (finer rules are checked on use)."""
    return [a for a in actions.values() if a.allowed_for(actor) and a.applies_to(target)]
