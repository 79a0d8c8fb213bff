"""The OData feed's query options, read from a request and checked: ``$select``,
``$filter``, ``$orderby``, ``$top``, ``$skip``, ``$skiptoken`` and ``$count``.

Anything a client gets wrong is an :class:`ODataError` naming the option and
what is wrong, which the feed answers as an OData error (400, or 501 for an
option it does not offer); no option can reach the database unchecked.

``$filter`` is parsed by the odata-query library and turned into a Django
``Q`` by its visitor, but only after every name in it has been checked
against the entity set's filterable properties, every literal against the
property's type, and the expression's size and depth against limits.
"""

from __future__ import annotations

import calendar
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F, Q, Value
from django.http import QueryDict
from odata_query import ast
from odata_query.django.django_q import AstToDjangoQVisitor
from odata_query.exceptions import ODataException, ParsingException, TokenizingException
from odata_query.grammar import ODataLexer, ODataParser

from perfreport.api.odata_model import EntitySet, Prop

MAX_FILTER = 2000  # characters
MAX_NODES = 200
MAX_DEPTH = 30
MAX_ORDER = 8
MAX_NUMBER = 2**31 - 1  # $top and $skip
MAX_INTEGER = 2**53  # an integer literal in $filter
MAX_DIGITS = 30  # a decimal literal in $filter
KNOWN = {"$select", "$filter", "$orderby", "$top", "$skip", "$skiptoken", "$count", "$format"}
NOT_OFFERED = {"$expand", "$search", "$apply", "$compute", "$levels", "$index", "$schemaversion"}
SKIPTOKEN = re.compile(r"^(k|o)(\d{1,15})$")


class ODataError(Exception):
    """An error answered as OData JSON (OData JSON Format v4.01, section 21.1)."""

    def __init__(self, status: int, code: str, message: str, target: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.target = status, code, message, target

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.target:
            error["target"] = self.target
        return {"error": error}


def bad(option: str, message: str) -> ODataError:
    return ODataError(400, "BadRequest", f"{option}: {message}", option)


@dataclass
class Options:
    select: tuple[str, ...] | None = None
    filter: Q | None = None
    order: tuple[Any, ...] = ()  # Django order_by terms; empty: the entity set's own order
    top: int | None = None
    skip: int = 0
    skiptoken: tuple[str, int] | None = None  # ("k", last key) or ("o", offset)
    count: bool = False
    passed: dict[str, str] = field(default_factory=dict)  # every option as sent, for the next link


def read_options(query: QueryDict, entity_set: EntitySet) -> Options:
    """The query options of a request for ``entity_set``, checked."""
    for name in query:
        if name in NOT_OFFERED:
            raise ODataError(501, "NotImplemented", f"{name} is not offered by this feed", name)
        if name.startswith("$") and name not in KNOWN:
            raise bad(name, "no such system query option")
        if len(query.getlist(name)) > 1 and name.startswith("$"):
            raise bad(name, "given more than once")
    sent = {name: str(query[name]) for name in query}
    options = Options(passed=sent)
    if "$select" in sent:
        options.select = _select(sent["$select"], entity_set)
    if "$filter" in sent:
        options.filter = filter_q(sent["$filter"], entity_set)
    if "$orderby" in sent:
        options.order = _orderby(sent["$orderby"], entity_set)
    options.top = _number(query, "$top")
    options.skip = _number(query, "$skip") or 0
    options.count = _count(query.get("$count"))
    if "$skiptoken" in sent:
        match = SKIPTOKEN.match(sent["$skiptoken"])
        if match is None:
            raise bad("$skiptoken", "not one this feed gave: follow @odata.nextLink as it is")
        options.skiptoken = (match.group(1), int(match.group(2)))
    return options


def _select(text: str, entity_set: EntitySet) -> tuple[str, ...] | None:
    names = [n.strip() for n in text.split(",")]
    if names == ["*"]:
        return None
    unknown = [n for n in names if entity_set.prop(n) is None]
    if unknown or not all(names):
        raise bad("$select", f"{entity_set.name} has no property {_quoted(unknown or [''])}")
    return tuple(dict.fromkeys(names))


def _orderby(text: str, entity_set: EntitySet) -> tuple[Any, ...]:
    terms: list[Any] = []
    items = [item.strip() for item in text.split(",")]
    if len(items) > MAX_ORDER:
        raise bad("$orderby", f"at most {MAX_ORDER} properties")
    for item in items:
        parts = item.split()
        if not parts or len(parts) > 2 or (len(parts) == 2 and parts[1] not in ("asc", "desc")):
            raise bad("$orderby", f"{item!r} is not a property with an optional asc or desc")
        prop = entity_set.prop(parts[0])
        if prop is None:
            raise bad("$orderby", f"{entity_set.name} has no property {parts[0]!r}")
        if prop.field is None:
            raise bad("$orderby", f"{prop.name} is worked out for each row and cannot be sorted on")
        descending = len(parts) == 2 and parts[1] == "desc"
        terms.append(F(prop.field).desc(nulls_last=True) if descending else prop.field)
    return tuple(terms)


def _number(query: QueryDict, name: str) -> int | None:
    text = query.get(name)
    if text is None:
        return None
    if not text.isdigit() or not text.isascii():
        raise bad(name, f"{text[:40]!r} is not a whole number of 0 or more")
    if len(text) > 10 or int(text) > MAX_NUMBER:
        raise bad(name, f"at most {MAX_NUMBER}")
    return int(text)


def _count(text: str | None) -> bool:
    if text is None or text == "false":
        return False
    if text == "true":
        return True
    raise bad("$count", "true or false")


def _quoted(names: list[str]) -> str:
    return ", ".join(repr(n[:60]) for n in names)


# -- $filter --------------------------------------------------------------------

STRING_FUNCTIONS = {"tolower", "toupper", "trim"}
TEST_FUNCTIONS = {"contains", "startswith", "endswith"}
LITERALS: dict[str, tuple[type[ast._Node], ...]] = {
    "Edm.String": (ast.String,),
    "Edm.Decimal": (ast.Integer, ast.Float),
    "Edm.Int32": (ast.Integer,),
    "Edm.Int64": (ast.Integer,),
    "Edm.Boolean": (ast.Boolean,),
    "Edm.Date": (ast.Date,),
    "Edm.DateTimeOffset": (ast.DateTime, ast.Date),
}
FLIPPED: dict[type[ast._Comparator], ast._Comparator] = {
    ast.Eq: ast.Eq(),
    ast.NotEq: ast.NotEq(),
    ast.Lt: ast.Gt(),
    ast.LtE: ast.GtE(),
    ast.Gt: ast.Lt(),
    ast.GtE: ast.LtE(),
}


def filter_q(text: str, entity_set: EntitySet) -> Q:
    """``$filter`` as a ``Q`` on the entity set's rows (OData URL Conventions
    v4.01, section 5.1.1): comparisons (eq, ne, gt, ge, lt, le, in) of a
    filterable property with a literal of its type, and, or, not, and the
    string functions contains, startswith, endswith, tolower, toupper, trim
    and length."""
    if len(text) > MAX_FILTER:
        raise bad("$filter", f"longer than {MAX_FILTER} characters")
    if "\x00" in text:
        raise bad("$filter", "must not contain a null character")
    try:
        tree = ODataParser().parse(ODataLexer().tokenize(text))
    except (ODataException, ValueError, TypeError, IndexError, RecursionError) as error:
        raise bad("$filter", f"cannot be read ({_reason(error)})") from None
    if tree is None:
        raise bad("$filter", "is empty")
    _check_size(tree)
    checked = _Checker(entity_set).boolean(tree)
    try:
        return _ToQ(entity_set).visit(checked)  # type: ignore[no-any-return]
    except (ODataException, ValueError, TypeError, ArithmeticError) as error:
        raise bad("$filter", f"cannot be applied ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    """What went wrong, in words a person writing a filter can act on: the
    parser's own message names its tokens (``Token(type='WS', ...)``)."""
    if isinstance(error, ParsingException):
        token = error.token
        if error.eof or token is None:
            return "it ends too soon, or its brackets do not close"
        text = str(token.value)
        what = "space" if text.isspace() else repr(text[:40])
        return f"unexpected {what} at character {int(token.index) + 1}"
    if isinstance(error, TokenizingException):
        token = error.token
        return f"{str(token.value)[:40]!r} at character {int(token.index) + 1} is not OData"
    if isinstance(error, RecursionError):
        return "it is nested too deeply"
    return str(error)[:200] or type(error).__name__


def _children(node: ast._Node) -> Iterator[ast._Node]:
    for value in vars(node).values():
        if isinstance(value, ast._Node):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast._Node))


def _check_size(tree: ast._Node) -> None:
    """Refuse an expression too big or too deeply nested, before anything
    walks it recursively."""
    queue: deque[tuple[ast._Node, int]] = deque([(tree, 1)])
    nodes = 0
    while queue:
        node, depth = queue.popleft()
        nodes += 1
        if nodes > MAX_NODES:
            raise bad("$filter", f"too long: at most {MAX_NODES} terms")
        if depth > MAX_DEPTH:
            raise bad("$filter", f"nested too deeply: at most {MAX_DEPTH} levels")
        queue.extend((child, depth + 1) for child in _children(node))


class _Checker:
    """Checks the tree against the entity set and returns it with each
    comparison as property-on-the-left and each property's name replaced by
    its database field."""

    def __init__(self, entity_set: EntitySet) -> None:
        self.entity_set = entity_set

    def boolean(self, node: ast._Node) -> ast._Node:
        if isinstance(node, ast.BoolOp):
            return ast.BoolOp(node.op, self.boolean(node.left), self.boolean(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ast.UnaryOp(node.op, self.boolean(node.operand))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call) and node.func.name in TEST_FUNCTIONS:
            return self.call(node)
        if isinstance(node, ast.Identifier):
            prop = self.prop(node)
            if prop.edm == "Edm.Boolean":
                return ast.Compare(ast.Eq(), self.field(prop), ast.Boolean("true"))
        raise bad("$filter", f"{_shown(node)} is not a condition")

    def prop(self, node: ast.Identifier) -> Prop:
        if node.namespace:
            name = ".".join((*node.namespace, node.name))
            raise bad("$filter", f"{name!r} is not a property of {self.entity_set.name}")
        prop = self.entity_set.prop(node.name)
        if prop is None:
            raise bad("$filter", f"{self.entity_set.name} has no property {node.name[:60]!r}")
        if prop.field is None:
            raise bad(
                "$filter",
                f"{prop.name} is worked out for each row and cannot be filtered on: filter on "
                "the stored properties (IndicatorRef, Period, Value...), then in your own tool",
            )
        return prop

    def field(self, prop: Prop) -> ast.Identifier:
        assert prop.field is not None
        return ast.Identifier(prop.field)

    def compare(self, node: ast.Compare) -> ast._Node:
        left, right, comparator = node.left, node.right, node.comparator
        if isinstance(left, ast._Literal) and not isinstance(right, ast._Literal):
            if isinstance(comparator, ast.In):
                raise bad("$filter", "in needs a property on its left")
            left, right, comparator = right, left, FLIPPED[type(comparator)]
        checked, edm = self.operand(left)
        values: list[ast._Node] = list(right.val) if isinstance(right, ast.List) else [right]
        if isinstance(comparator, ast.In) != isinstance(right, ast.List):
            raise bad(
                "$filter", "in takes a list in brackets: Period in ('2020/21 Q1','2020/21 Q2')"
            )
        for value in values:
            self.literal(value, edm, null_allowed=not isinstance(comparator, ast.In))
        if edm == "Edm.Date" and isinstance(comparator, ast.In):
            raise bad("$filter", "compare a date with eq, ne, gt, ge, lt or le")
        return ast.Compare(comparator, checked, right)

    def operand(self, node: ast._Node) -> tuple[ast._Node, str]:
        if isinstance(node, ast.Identifier):
            prop = self.prop(node)
            return self.field(prop), prop.edm
        if isinstance(node, ast.Call) and node.func.name in STRING_FUNCTIONS | {"length"}:
            called = self.call(node)
            return called, "Edm.Int32" if node.func.name == "length" else "Edm.String"
        if isinstance(node, ast.Call) and node.func.name in TEST_FUNCTIONS:
            return self.call(node), "Edm.Boolean"
        raise bad("$filter", f"{_shown(node)} cannot be compared: name a property")

    def call(self, node: ast.Call) -> ast.Call:
        name = node.func.name
        wanted = 2 if name in TEST_FUNCTIONS else 1
        if node.func.namespace or len(node.args) != wanted:
            raise bad("$filter", f"{name}() takes {wanted} argument{'s' if wanted > 1 else ''}")
        args: list[ast._Node] = []
        for arg in node.args:
            if isinstance(arg, ast.String):
                args.append(arg)
                continue
            checked, edm = self.operand(arg)
            if edm != "Edm.String":
                raise bad("$filter", f"{name}() works on text, not {_shown(arg)}")
            args.append(checked)
        if name in TEST_FUNCTIONS and not isinstance(args[1], ast.String):
            raise bad("$filter", f"{name}() looks for a text in quotes: {name}(Title,'waste')")
        return ast.Call(node.func, args)

    def literal(self, node: ast._Node, edm: str, null_allowed: bool) -> None:
        if isinstance(node, ast.Null) and null_allowed:
            return
        if not isinstance(node, LITERALS[edm]):
            raise bad("$filter", f"{_shown(node)} is not a value of type {edm}")
        if isinstance(node, ast.Integer) and abs(int(node.val)) > MAX_INTEGER:
            raise bad("$filter", f"{node.val[:40]} is out of range")
        if isinstance(node, ast.Float):
            digits = len(node.val.lstrip("+-").replace(".", "").split("e")[0].split("E")[0])
            if digits > MAX_DIGITS or not _decimal(node.val).is_finite():
                raise bad("$filter", f"{node.val[:40]} has too many digits or is out of range")
        if isinstance(node, ast.String) and len(node.val) > 500:
            raise bad("$filter", "a text in quotes is at most 500 characters")
        if isinstance(node, ast.Date | ast.DateTime):
            try:
                node.py_val  # noqa: B018 - checks the date is real
            except (ValueError, OverflowError):
                raise bad("$filter", f"{node.val[:40]} is not a date") from None


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise bad("$filter", f"{text[:40]} is not a number") from None
    if value.is_finite() and abs(value.adjusted()) > 40:
        raise bad("$filter", f"{text[:40]} is out of range")
    return value


def _shown(node: ast._Node) -> str:
    if isinstance(node, ast.Identifier):
        return repr(".".join((*node.namespace, node.name))[:60])
    if isinstance(node, ast.Attribute):
        return f"{_shown(node.owner).strip(chr(39))}/{node.attr}"[:60].join("''")
    if isinstance(node, ast._Literal) and hasattr(node, "val") and isinstance(node.val, str):
        return repr(node.val[:60])
    return f"an expression ({type(node).__name__.lower()})"


class _ToQ(AstToDjangoQVisitor):
    """The library's visitor, with decimals kept exact and dates compared with
    the months periods are stored as."""

    def __init__(self, entity_set: EntitySet) -> None:
        super().__init__(root_model=None)  # type: ignore[arg-type]  # no lambdas: not needed
        self.dates = {p.field for p in entity_set.props if p.edm == "Edm.Date"}

    def visit_Float(self, node: ast.Float) -> Value:
        return Value(Decimal(node.val))

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = node.left
        if isinstance(left, ast.Identifier) and left.name in self.dates:
            assert isinstance(node.right, ast.Date)
            return month_condition(left.name, node.comparator, node.right.py_val)
        return super().visit_Compare(node)


def month_condition(field_name: str, comparator: ast._Comparator, day: date) -> Q:
    """A comparison of a period's first day (``first_month``) or last day
    (``last_month``) with ``day``, on the month numbers the periods are stored
    as (year × 12 + month − 1)."""
    month = day.year * 12 + day.month - 1
    first = day.day == 1
    last = day.day == calendar.monthrange(day.year, day.month)[1]
    exact = first if field_name == "first_month" else last

    def on(lookup: str, value: int) -> Q:
        return Q(**{f"{field_name}__{lookup}": value})

    nothing = Q(pk__in=[])
    if isinstance(comparator, ast.Eq):
        return on("exact", month) if exact else nothing
    if isinstance(comparator, ast.NotEq):
        return ~on("exact", month) if exact else ~nothing
    if field_name == "first_month":
        return {
            ast.Gt: on("gt", month),
            ast.GtE: on("gte", month) if first else on("gt", month),
            ast.Lt: on("lt", month) if first else on("lte", month),
            ast.LtE: on("lte", month),
        }[type(comparator)]
    return {
        ast.Gt: on("gt", month) if last else on("gte", month),
        ast.GtE: on("gte", month),
        ast.Lt: on("lt", month),
        ast.LtE: on("lte", month) if last else on("lt", month),
    }[type(comparator)]
