"""Reading the parts of xAPI statements that scoring needs, defensively."""

from urllib.parse import parse_qs, urlsplit

SUBCONTENT_EXTENSION = "http://h5p.org/x-api/h5p-subContentId"


def response_of(statement) -> str | None:
    result = statement.get("result") if isinstance(statement, dict) else None
    response = result.get("response") if isinstance(result, dict) else None
    return response if isinstance(response, str) else None


def report_children(report) -> list | None:
    """The children of a `getXAPIData()` report, each `{"statement": {...}}`."""
    children = report.get("children") if isinstance(report, dict) else None
    return children if isinstance(children, list) else None


def child_statement(child) -> dict | None:
    statement = child.get("statement") if isinstance(child, dict) else None
    return statement if isinstance(statement, dict) else None


def subcontent_id(statement: dict) -> str | None:
    """The child's subContentId from its extension or its object id's query."""
    target = statement.get("object")
    target = target if isinstance(target, dict) else {}
    definition = target.get("definition")
    extensions = definition.get("extensions") if isinstance(definition, dict) else None
    if isinstance(extensions, dict) and isinstance(
        extensions.get(SUBCONTENT_EXTENSION), str
    ):
        return extensions[SUBCONTENT_EXTENSION]
    object_id = target.get("id")
    if isinstance(object_id, str):
        found = parse_qs(urlsplit(object_id).query).get("subContentId")
        if found:
            return found[0]
    return None
