"""Where a field, or a piece of text inside it, sits in a YAML file (1-based lines)."""

from __future__ import annotations

import re

import yaml

try:  # libyaml when present, as in bot/briefs.py
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class Locator:
    """The node tree of one YAML text, for finding the line of a field or of words in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._flat: dict[str, tuple[str, list[int]]] = {}  # a field's raw text, flattened
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            self.root = None

    def _find(self, path: str) -> tuple[yaml.Node | None, yaml.Node | None]:
        """(key node, value node) of a dotted path such as 'body', 'sources[1].url', 'ru.body'."""
        key: yaml.Node | None = None
        node = self.root
        for name, index in _PART.findall(path):
            if name and isinstance(node, yaml.MappingNode):
                found = [(k, v) for k, v in node.value
                         if isinstance(k, yaml.ScalarNode) and k.value == name]
                key, node = found[0] if found else (None, None)
            elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
                node = node.value[int(index)]
                key = node
            else:
                return None, None
        return key, node

    def line(self, path: str) -> int | None:
        """The line of a field's key (of an item, for a list index); None when absent."""
        key, _node = self._find(path)
        return key.start_mark.line + 1 if key is not None else None

    def line_of(self, path: str, value: str, start: int) -> int | None:
        """The line where `value[start:]` begins inside the field's text, where `value` is the
        field's parsed text; the field's line when the spot cannot be traced."""
        _key, node = self._find(path)
        if not isinstance(node, yaml.ScalarNode):
            return self.line(path)
        found = self._flat.get(path)
        if found is None:  # once a field: a brief with many problems asks again and again
            raw = self.text[node.start_mark.index:node.end_mark.index]
            found = self._flat[path] = _flatten(raw)
        flat, where = found
        before, _ = _flatten(value[:start])
        wanted = _flatten(value[start:start + 40])[0].strip()
        seen = before.count(wanted) if wanted else 0
        at = -1
        for _ in range(seen + 1):
            at = flat.find(wanted, at + 1)
            if at < 0:
                return self.line(path)
        return self.text.count("\n", 0, node.start_mark.index + where[at]) + 1


def _flatten(text: str) -> tuple[str, list[int]]:
    """`text` with each run of whitespace as one space, and each kept character's offset."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where
