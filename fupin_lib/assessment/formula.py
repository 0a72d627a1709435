"""A tiny, safe formula language for the `value` of an assessment item.

Grammar (no eval, no attribute access, no calls):

    formula := sum [ (">" | ">=") sum ]
    sum     := term { ("+" | "-") term }
    term    := factor { ("*" | "/") factor }
    factor  := NUMBER | NAME | "(" formula ")" | "-" factor

NAME is a metric key (metrics.csv) or a named parameter of the item (e.g. the tier weights of
item 18.1). A comparison gives 1.0 or 0.0. A missing input gives no value; so does a division
whose denominator is 0 or missing. Either way the outcome carries the reason, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Union

from .errors import AssessmentError

Number = Union[int, float]
Label = Callable[[str], str]

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>>=|[-+*/()>]))")


class FormulaError(AssessmentError):
    """A formula that cannot be parsed; the message is Chinese."""


@dataclass(frozen=True)
class Outcome:
    value: float | str | None
    reason: str | None = None  # why there is no value

    @property
    def ok(self) -> bool:
        return self.value is not None


# --- syntax tree -------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    key: str


@dataclass(frozen=True)
class Neg:
    operand: "Node"


@dataclass(frozen=True)
class BinOp:
    op: str
    left: "Node"
    right: "Node"


Node = Union[Num, Name, Neg, BinOp]


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"公式“{text}”第{pos + 1}个字符无法识别")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FormulaError(f"公式“{self.text}”不完整")
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError("公式为空")
        node = self.formula()
        if self.peek() is not None:
            raise FormulaError(f"公式“{self.text}”在“{self.peek()[1]}”处多余")
        return node

    def formula(self) -> Node:
        node = self.sum()
        if self.peek() in (("op", ">"), ("op", ">=")):
            op = self.take()[1]
            node = BinOp(op, node, self.sum())
        return node

    def sum(self) -> Node:
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = BinOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            node = BinOp(op, node, self.factor())
        return node

    def factor(self) -> Node:
        kind, text = self.take()
        if kind == "num":
            return Num(float(text))
        if kind == "name":
            return Name(text)
        if text == "-":
            return Neg(self.factor())
        if text == "(":
            node = self.formula()
            if self.take() != ("op", ")"):
                raise FormulaError(f"公式“{self.text}”缺少右括号")
            return node
        raise FormulaError(f"公式“{self.text}”在“{text}”处无法解析")


# --- evaluation --------------------------------------------------------------------------


def _describe(node: Node, label: Label) -> str:
    """A denominator named for a message: its label when it is a metric key."""
    return f"“{label(node.key)}”" if isinstance(node, Name) else ""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: Node

    @property
    def names(self) -> tuple[str, ...]:
        """The names the formula reads, in order of first appearance."""
        seen: list[str] = []

        def walk(node: Node) -> None:
            if isinstance(node, Name) and node.key not in seen:
                seen.append(node.key)
            elif isinstance(node, Neg):
                walk(node.operand)
            elif isinstance(node, BinOp):
                walk(node.left)
                walk(node.right)

        walk(self.tree)
        return tuple(seen)

    @property
    def is_bare_name(self) -> bool:
        return isinstance(self.tree, Name)

    def evaluate(self, values: Mapping[str, object], label: Label = str) -> Outcome:
        """The formula's value for one district; a bare name may give text (a grade word)."""
        return _eval(self.tree, values, label)

    def slope(self, values: Mapping[str, object], key: str) -> float | None:
        """How much the value moves when `key` grows by 1, the rest held (None if no value)."""
        base = self.evaluate(values)
        moved = self.evaluate({**values, key: _num(values.get(key), 0.0) + 1})
        if not (isinstance(base.value, (int, float)) and isinstance(moved.value, (int, float))):
            return None
        return float(moved.value) - float(base.value)


def _num(value: object, default: float) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _eval(node: Node, values: Mapping[str, object], label: Label) -> Outcome:
    if isinstance(node, Num):
        return Outcome(node.value)
    if isinstance(node, Name):
        value = values.get(node.key)
        if value is None:
            return Outcome(None, f"缺少“{label(node.key)}”")
        if isinstance(value, bool):
            return Outcome(float(value))
        return Outcome(value if isinstance(value, str) else float(value))
    if isinstance(node, Neg):
        inner = _eval(node.operand, values, label)
        return inner if not inner.ok else Outcome(-_number(inner.value))
    left = _eval(node.left, values, label)
    right = _eval(node.right, values, label)
    if node.op == "/":
        if not right.ok:
            return Outcome(None, f"分母{_describe(node.right, label)}缺失")
        if _number(right.value) == 0:
            return Outcome(None, f"分母{_describe(node.right, label)}为 0")
    if not left.ok:
        return left
    if not right.ok:
        return right
    a, b = _number(left.value), _number(right.value)
    if node.op == "+":
        return Outcome(a + b)
    if node.op == "-":
        return Outcome(a - b)
    if node.op == "*":
        return Outcome(a * b)
    if node.op == "/":
        return Outcome(a / b)
    if node.op == ">":
        return Outcome(1.0 if a > b else 0.0)
    return Outcome(1.0 if a >= b else 0.0)  # ">="


def _number(value: object) -> float:
    if isinstance(value, str):
        raise FormulaError(f"“{value}”是文字，不能参与计算")
    return float(value)


def parse(text: str) -> Formula:
    """Parse a formula; raises FormulaError (Chinese) when it is not well formed."""
    return Formula(str(text), _Parser(str(text)).parse())


def constant(text: object) -> float:
    """A number written as a constant formula: 1.5, "1/6"."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    formula = parse(str(text))
    if formula.names:
        raise FormulaError(f"“{text}”应为数值（如 1.5 或 1/6）")
    return float(formula.evaluate({}).value)
