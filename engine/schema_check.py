"""A pure-Python JSON Schema check for rule files, for where jsonschema cannot be installed (xlwings Lite, offline Pyodide).

It implements exactly the keywords rules/schema.json uses, with jsonschema's semantics and messages
(Draft 2020-12): every problem carries the same `absolute_path`, `json_path` and `message` as the
jsonschema error it stands for, so engine.load_rules reports the same problems either way. A schema
that uses any other keyword, another draft or a non-local $ref is refused when the Validator is made
(UnsupportedSchema): a later schema change cannot pass silently through a check that ignores it.
"""
from __future__ import annotations

import numbers
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import unquote

from engine.errors import RaditError

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Keywords that carry no assertion (jsonschema skips them too); $defs is walked for the keyword check only.
ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"})
_SIMPLE_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]*$")  # jsonschema's "can be written as .name" pattern


class UnsupportedSchema(RaditError):
    """The schema asks for something this checker does not implement: use jsonschema, or implement it here."""

    def __init__(self, where: str, what: str):
        self.where, self.what = where, what
        super().__init__(f"engine.schema_check cannot check {where}: {what}")


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One failed assertion: where in the instance (as jsonschema's absolute_path), what failed, and which keyword."""

    absolute_path: tuple[str | int, ...]
    message: str
    keyword: str

    @property
    def path(self) -> tuple[str | int, ...]:  # jsonschema's relative path; the same from the root
        return self.absolute_path

    @property
    def json_path(self) -> str:
        """jsonschema's ValidationError.json_path: $.a.b[0]['x y']."""
        out = "$"
        for part in self.absolute_path:
            if isinstance(part, int):
                out += f"[{part}]"
            elif _SIMPLE_NAME.match(part):
                out += "." + part
            else:
                out += "['" + part.replace("\\", "\\\\").replace("'", r"\'") + "']"
        return out

    def under(self, *parts: str | int) -> "SchemaProblem":
        return SchemaProblem(parts + self.absolute_path, self.message, self.keyword)


# --- JSON values as JSON Schema sees them (bool is not a number) ---

_TYPES: Mapping[str, Callable[[Any], bool]] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}


def is_type(value: Any, name: str) -> bool:
    return _TYPES[name](value)


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values: 1 == 1.0, but true is not 1 and false is not 0, also inside arrays and objects."""
    if a is b:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and json_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


# --- keywords: each a small function (checker, keyword value, instance, schema) yielding problems at the instance ---

Problems = Iterator[SchemaProblem]


def _problem(keyword: str, message: str) -> SchemaProblem:
    return SchemaProblem((), message, keyword)


def _type(checker: "Validator", types: Any, instance: Any, schema: Mapping[str, Any]) -> Problems:
    types = [types] if isinstance(types, str) else list(types)
    if not any(is_type(instance, t) for t in types):
        yield _problem("type", f"{instance!r} is not of type {', '.join(repr(t) for t in types)}")


def _const(checker, const, instance, schema) -> Problems:
    if not json_equal(instance, const):
        yield _problem("const", f"{const!r} was expected")


def _enum(checker, enums, instance, schema) -> Problems:
    if not any(json_equal(each, instance) for each in enums):
        yield _problem("enum", f"{instance!r} is not one of {enums!r}")


def _required(checker, required, instance, schema) -> Problems:
    if is_type(instance, "object"):
        for name in required:
            if name not in instance:
                yield _problem("required", f"{name!r} is a required property")


def _properties(checker, properties, instance, schema) -> Problems:
    if is_type(instance, "object"):
        for name, subschema in properties.items():
            if name in instance:
                yield from checker.descend(instance[name], subschema, name)


def _additional_properties(checker, additional, instance, schema) -> Problems:
    if not is_type(instance, "object"):
        return
    known = schema.get("properties", {})
    extras = [name for name in instance if name not in known]
    if isinstance(additional, dict):
        for name in extras:
            yield from checker.descend(instance[name], additional, name)
    elif additional is False and extras:
        names = sorted(extras, key=str)
        verb = "was" if len(names) == 1 else "were"
        listed = ", ".join(repr(n) for n in names)
        yield _problem("additionalProperties", f"Additional properties are not allowed ({listed} {verb} unexpected)")


def _property_names(checker, names_schema, instance, schema) -> Problems:
    if is_type(instance, "object"):
        for name in instance:  # a bad name is reported at the object, as jsonschema does
            yield from checker.descend(name, names_schema)


def _items(checker, items, instance, schema) -> Problems:
    if is_type(instance, "array"):
        for index, item in enumerate(instance):
            yield from checker.descend(item, items, index)


def _min_length(checker, limit, instance, schema) -> Problems:
    if is_type(instance, "string") and len(instance) < limit:
        yield _problem("minLength", f"{instance!r} {'should be non-empty' if limit == 1 else 'is too short'}")


def _max_length(checker, limit, instance, schema) -> Problems:
    if is_type(instance, "string") and len(instance) > limit:
        yield _problem("maxLength", f"{instance!r} {'is expected to be empty' if limit == 0 else 'is too long'}")


def _min_items(checker, limit, instance, schema) -> Problems:
    if is_type(instance, "array") and len(instance) < limit:
        yield _problem("minItems", f"{instance!r} {'should be non-empty' if limit == 1 else 'is too short'}")


def _unique_items(checker, unique, instance, schema) -> Problems:
    if unique and is_type(instance, "array"):
        if any(json_equal(a, b) for i, a in enumerate(instance) for b in instance[i + 1:]):
            yield _problem("uniqueItems", f"{instance!r} has non-unique elements")


def _minimum(checker, limit, instance, schema) -> Problems:
    if is_type(instance, "number") and instance < limit:
        yield _problem("minimum", f"{instance!r} is less than the minimum of {limit!r}")


def _maximum(checker, limit, instance, schema) -> Problems:
    if is_type(instance, "number") and instance > limit:
        yield _problem("maximum", f"{instance!r} is greater than the maximum of {limit!r}")


def _pattern(checker, pattern, instance, schema) -> Problems:
    if is_type(instance, "string") and not checker.regex(pattern).search(instance):
        yield _problem("pattern", f"{instance!r} does not match {pattern!r}")


def _ref(checker, ref, instance, schema) -> Problems:
    yield from checker.descend(instance, checker.resolve(ref))


KEYWORDS: Mapping[str, Callable[..., Problems]] = {
    "type": _type,
    "const": _const,
    "enum": _enum,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "items": _items,
    "minLength": _min_length,
    "maxLength": _max_length,
    "minItems": _min_items,
    "uniqueItems": _unique_items,
    "minimum": _minimum,
    "maximum": _maximum,
    "pattern": _pattern,
    "$ref": _ref,
}
# Where a keyword's value holds subschemas: walked to refuse keywords this module does not implement.
_ONE_SCHEMA = frozenset({"additionalProperties", "propertyNames", "items"})
_SCHEMA_MAP = frozenset({"properties", "$defs"})


def unsupported(schema: Any, root: Any = None, where: str = "#") -> list[tuple[str, str]]:
    """(JSON pointer, what) for everything in `schema` this module cannot check; [] when it checks all of it."""
    root = schema if root is None else root
    if isinstance(schema, bool):
        return []
    if not isinstance(schema, dict):
        return [(where, f"a schema must be an object or a boolean, not {type(schema).__name__}")]
    found: list[tuple[str, str]] = []
    for keyword, value in schema.items():
        here = f"{where}/{_escape(keyword)}"
        if keyword not in KEYWORDS and keyword not in ANNOTATIONS:
            found.append((here, f"the keyword {keyword!r} is not implemented"))
        elif keyword == "$schema" and where == "#" and value != DRAFT:
            found.append((here, f"the draft {value!r} is not {DRAFT!r}"))
        elif keyword == "$schema" and where != "#":
            found.append((here, "$schema inside a subschema (a second dialect) is not implemented"))
        elif keyword == "$id" and where != "#":
            found.append((here, "$id inside a subschema (a second base URI) is not implemented"))
        elif keyword == "$ref":
            if not isinstance(value, str) or not value.startswith("#"):
                found.append((here, f"only references inside the schema ('#/...') are implemented, not {value!r}"))
            elif _lookup(root, value) is _MISSING:
                found.append((here, f"the reference {value!r} points at nothing"))
        elif keyword == "pattern":
            try:
                re.compile(value)
            except (re.error, TypeError) as error:
                found.append((here, f"the pattern {value!r} does not compile: {error}"))
        elif keyword in _ONE_SCHEMA:
            found += unsupported(value, root, here)
        elif keyword in _SCHEMA_MAP:
            if not isinstance(value, dict):
                found.append((here, f"{keyword} must be an object"))
                continue
            for name, subschema in value.items():
                found += unsupported(subschema, root, f"{here}/{_escape(name)}")
    return found


def _escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


_MISSING = object()


def _lookup(root: Any, ref: str) -> Any:
    """The subschema a local reference '#/a/b' names (JSON pointer, URI-escaped), or _MISSING."""
    node = root
    pointer = unquote(ref[1:])
    if not pointer:
        return node
    if not pointer.startswith("/"):
        return _MISSING  # '#anchor': not implemented
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


class Validator:
    """The subset of jsonschema's Draft202012Validator that engine.rules uses: Validator(schema).iter_errors(doc)."""

    def __init__(self, schema: Mapping[str, Any]):
        problems = unsupported(schema)
        if problems:
            where, what = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise UnsupportedSchema(where, what + more)
        self.schema = schema
        self._regexes: dict[str, re.Pattern[str]] = {}

    def iter_errors(self, instance: Any) -> Problems:
        """Every problem of `instance`, in jsonschema's order (keywords as the schema lists them)."""
        return self.descend(instance, self.schema)

    def is_valid(self, instance: Any) -> bool:
        return next(self.iter_errors(instance), None) is None

    def descend(self, instance: Any, schema: Any, *path: str | int) -> Problems:
        """The problems of `instance` under `schema`, located `path` below the current instance."""
        if schema is True:
            return
        if schema is False:
            yield SchemaProblem(tuple(path), f"False schema does not allow {instance!r}", "false")
            return
        for keyword, value in schema.items():
            rule = KEYWORDS.get(keyword)
            if rule is None:  # an annotation: unknown keywords were refused in __init__
                continue
            for problem in rule(self, value, instance, schema):
                yield problem.under(*path) if path else problem

    def resolve(self, ref: str) -> Any:
        return _lookup(self.schema, ref)  # checked to exist in __init__

    def regex(self, pattern: str) -> re.Pattern[str]:
        compiled = self._regexes.get(pattern)
        if compiled is None:
            compiled = self._regexes[pattern] = re.compile(pattern)
        return compiled
