"""YAML from untrusted files: size, depth, alias and list caps checked before anything is built.

PyYAML composes documents recursively (a few thousand nested `[` overflow the C stack) and
expands aliases into shared objects that later code walks in full ("billion laughs"). So a
file is first streamed as parser events — iterative, stopping at the first cap it breaks —
and only a document within every cap is composed and constructed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is an order of magnitude faster; PyYAML wheels ship it.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python fallback
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024  # the largest real brief is under 3 KB
MAX_DEPTH = 16  # a brief nests 3 deep (mapping > sources list > source mapping)
MAX_NODES = 10_000  # scalars and collections, counting every alias at its full size
MAX_ITEMS = 1_000  # entries in one list or mapping
MAX_SCALAR = 50_000  # characters in one value


class _Loader(_BaseLoader):
    """Safe loader that keeps dates as text, so a bad date is a field problem, not a crash."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class UnsafeYAML(Exception):
    """A file that breaks a cap or is not valid YAML: each problem as (line, reason)."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        super().__init__("; ".join(reason for _, reason in problems))
        self.problems = problems


@dataclass
class _Open:
    """A list or mapping being read: its expanded size so far and its anchor."""

    line: int
    anchor: str | None
    is_map: bool
    size: int = 1
    items: int = 0


@dataclass
class _Scan:
    """Running totals of a pre-scan."""

    stack: list[_Open] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)  # anchor -> expanded size
    nodes: int = 0

    def add(self, size: int, line: int) -> None:
        """Count a finished node (of `size` expanded nodes) into its parent."""
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise UnsafeYAML([(line, f"too many values: over {MAX_NODES:,} (aliases counted "
                                     "in full); a brief has well under a hundred")])
        if self.stack:
            parent = self.stack[-1]
            parent.size += size
            parent.items += 1
            if parent.items > MAX_ITEMS * (2 if parent.is_map else 1):  # a key and a value
                raise UnsafeYAML([(parent.line, f"a list or mapping with over {MAX_ITEMS:,} "
                                                "entries")])


def prescan(text: str) -> None:
    """Stream the parser's events and raise UnsafeYAML at the first cap broken (or a syntax
    error); never builds the document, never recurses."""
    scan = _Scan()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.ScalarEvent):
                if len(event.value) > MAX_SCALAR:
                    raise UnsafeYAML([(line, f"a value of {len(event.value):,} characters; "
                                             f"at most {MAX_SCALAR:,}")])
                scan.add(1, line)
                if event.anchor:
                    scan.anchors[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                scan.add(scan.anchors.get(event.anchor or "", 1), line)
            elif isinstance(event, yaml.CollectionStartEvent):
                if len(scan.stack) >= MAX_DEPTH:
                    raise UnsafeYAML([(line, f"nested over {MAX_DEPTH} levels deep")])
                scan.stack.append(_Open(line, event.anchor,
                                        isinstance(event, yaml.MappingStartEvent)))
            elif isinstance(event, yaml.CollectionEndEvent):
                done = scan.stack.pop()
                if done.anchor:
                    scan.anchors[done.anchor] = done.size
                scan.nodes -= done.size - 1  # its children were counted as they came
                scan.add(done.size, line)
    except yaml.YAMLError as exc:
        raise UnsafeYAML([syntax_problem(exc)]) from None


# libyaml (PyYAML >= 6.0.4's C loader) refuses deep nesting itself, in its scanner, before the
# pre-scan sees the collections: its refusal is reported as ours.
LIBYAML_NESTING = "maximum nesting depth"


def syntax_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """A PyYAML error as (line, reason)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    reason = getattr(exc, "problem", None) or str(exc)
    if LIBYAML_NESTING in reason:
        return line, f"nested over {MAX_DEPTH} levels deep"
    return line, f"YAML syntax error: {reason}"


def duplicate_keys(root: yaml.Node) -> list[tuple[int | None, str]]:
    """Every key that appears twice in one mapping, with both lines (walked without recursion)."""
    problems: list[tuple[int | None, str]] = []
    todo = [root]
    seen_nodes: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                todo.append(value)
                if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                    continue
                line = key.start_mark.line + 1
                if key.value in first:
                    problems.append((line, f"{key.value}: duplicate key (first on line "
                                           f"{first[key.value]})"))
                else:
                    first[key.value] = line
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return sorted(problems, key=lambda p: p[0] or 0)


def load_yaml(text: str) -> tuple[Any, dict[str, int]]:
    """Parse one YAML document within the caps: the data and the 1-based line of each
    top-level key (and of each item of a top-level list, as "key[i]").

    Raises:
        UnsafeYAML: a syntax error, a cap broken, or duplicate keys.
    """
    data, lines, duplicates = load_yaml_with_duplicates(text)
    if duplicates:
        raise UnsafeYAML(duplicates)
    return data, lines


def load_yaml_with_duplicates(
        text: str) -> tuple[Any, dict[str, int], list[tuple[int | None, str]]]:
    """As `load_yaml`, but a duplicate key is returned as a problem beside the data (the
    later value kept) rather than raised, so that the rest of the file can still be checked.

    Raises:
        UnsafeYAML: a syntax error or a cap broken.
    """
    prescan(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        duplicates = duplicate_keys(node)
        lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[str(key.value)] = key.start_mark.line + 1
                    if isinstance(value, yaml.SequenceNode):  # "examples[2]": its own line
                        lines.update({f"{key.value}[{i}]": item.start_mark.line + 1
                                      for i, item in enumerate(value.value)})
        return loader.construct_document(node), lines, duplicates
    except yaml.YAMLError as exc:
        raise UnsafeYAML([syntax_problem(exc)]) from None
    finally:
        loader.dispose()


def read_capped(path: Path, limit: int = MAX_FILE_BYTES, within: Path | None = None) -> str:
    """A file's UTF-8 text, refusing files over `limit` bytes without reading them whole.

    Only a regular file is read, checked on the opened file itself (a FIFO or device swapped
    in after the folder was listed neither hangs nor floods the reader). With `within`, a
    symlink whose target lies outside that folder is not read: its lines would otherwise be
    quoted in problem reports (to the log and the admins).

    Raises:
        UnsafeYAML: too large, not a regular file, or a link out of `within`;
        OSError / UnicodeDecodeError: unreadable.
    """
    too_large = UnsafeYAML([(None, f"too large: over {limit // 1024} KB "
                                   "(a brief is a few KB)")])
    if within is not None and path.is_symlink() and not path.resolve().is_relative_to(
            within.resolve()):
        raise UnsafeYAML([(None, "a link to a file outside this folder: not read")])
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeYAML([(None, "not a regular file: not read")])
        if info.st_size > limit:
            raise too_large
        data = handle.read(limit + 1)  # the file may have grown since fstat
    if len(data) > limit:
        raise too_large
    return data.decode("utf-8")
