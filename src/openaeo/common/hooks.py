"""Hooks: how an app low in the layer order lets the apps above it take part.

Dependencies point one way (docs/architecture.md): cases may not import certificates,
yet a grant must issue a certificate. So cases declares a hook, "a decision was taken",
and certificates registers what it does then, from its AppConfig.ready(). The lower app
names the moment and the arguments; the upper app brings the behaviour. Each hook is a
module-level `Hook` in the lower app's `hooks.py`, with a docstring saying when it runs,
with what, and what an answer means.
"""

from collections.abc import Callable, Iterator
from typing import Any


class Hook:
    """Functions registered by apps higher up, called in the order they registered."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[Callable[..., Any]] = []

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Add `function` (once: a second registration of the same one is ignored, as when
        Django's test runner sets the apps up again). Usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(tuple(self._functions))

    def __len__(self) -> int:
        return len(self._functions)

    def call(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Every registered function's answer, in order."""
        return [function(*args, **kwargs) for function in self]

    def first(self, *args: Any, **kwargs: Any) -> Any:
        """The first answer that is not None (None when no function answers)."""
        for function in self:
            answer = function(*args, **kwargs)
            if answer is not None:
                return answer
        return None

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._functions)} registered>"
