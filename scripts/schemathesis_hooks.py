"""Schemathesis hooks for scripts/suites/schemathesis.sh (named by `hooks` in schemathesis.toml).

1. Ids with Unicode edge cases: a generated body's valid `id` is sometimes swapped for
   one of EDGE_IDS (combining marks, astral characters, the last code point, line and
   zero-width separators inside an id, characters that are special in a URL).
2. A check, `ids_read_back_as_sent`: an id a 201 acknowledged is in the answer exactly
   as sent, and a new epic reads back under its id with that very id (SPEC section 1:
   an id is stored, answered and matched exactly as sent).
3. GET /v1/events: a generated `after` is mostly moved to the last few revisions
   (before_call), or nearly every request would be a 410.
4. Each stateful scenario starts from an empty backlog. Without it the backlog keeps
whatever earlier scenarios left, the same generated steps get different answers
when Hypothesis replays a prefix (an epic id taken: 409 instead of 201), and
Hypothesis ends the phase early on "inconsistent data generation" after a dozen
scenarios. The CLI offers no per-scenario hook, so this wraps the state machine's
constructor, which runs once per scenario (schemathesis is pinned in
scripts/requirements-schemathesis.txt). The reset is an ordinary authenticated
`PUT /v1/backlog {}`; a failed reset fails the run.
"""

import os
import unicodedata
from urllib.parse import quote

import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis.generation.stateful.state_machine import APIStateMachine

_BASE_URL = os.environ["SCHEMATHESIS_BASE_URL"]
_API_KEY = os.environ["SCHEMATHESIS_API_KEY"]
_init = APIStateMachine.__init__


def _init_with_empty_backlog(self) -> None:
    _init(self)
    response = requests.put(
        f"{_BASE_URL}/v1/backlog",
        json={},
        headers={"Authorization": f"Bearer {_API_KEY}"},
        timeout=10,
    )
    response.raise_for_status()


APIStateMachine.__init__ = _init_with_empty_backlog


# Valid ids (SPEC section 1) that a careless store, router or client would change.
EDGE_IDS = [
    "e\u0301",  # e + combining acute: not normalised to é
    "\u00e9",  # é, precomposed: a different id from the one above
    "\U0001f680",  # astral: a surrogate pair in UTF-16, one code point
    "\U0010ffff",  # the last code point
    "\U0001d518\U0001d52b\U0001d526",  # mathematical letters
    "a\u2028b",  # a line separator inside: legal in JSON, once illegal in JavaScript strings
    "a\u200bb",  # a zero-width space inside
    "\u200b",  # a zero-width space alone: not white space to trim()
    "\ufb00",  # a ligature, which case folding would expand
    "a b",
    "%2F/?#&=+",  # special in a URL path or query
    "\u05d0\u05d1",  # right-to-left letters
    "x" * 200,  # the longest id
    "\U0001f600" * 200,  # the longest id in astral characters
]


def _is_valid_id(value: object) -> bool:
    """The id rule of src/domain/ids.ts, for deciding whether swapping keeps a case's validity."""
    if not isinstance(value, str) or not 1 <= len(value) <= 200 or value == "blocked":
        return False
    # Stricter than the rule (Python strips more than JavaScript's trim()), which is enough here.
    if value.strip() != value or value.strip("\ufeff") != value:
        return False
    return not any(unicodedata.category(char) in ("Cc", "Cs") for char in value)


@schemathesis.hook
def flatmap_body(context, body):
    # Only a valid id is swapped, for another valid one: a positive case stays positive,
    # and a negative one stays negative for the reason it was generated.
    if isinstance(body, dict) and _is_valid_id(body.get("id")):
        return st.one_of(st.just(body), st.sampled_from(EDGE_IDS).map(lambda edge: {**body, "id": edge}))
    return st.just(body)


@schemathesis.hook
def before_call(context, case, kwargs):
    # A generated If-Match names no revision the backlog is at, so nearly every mutation
    # would be a 412 and the rest of the request would go untested (and read as rejected).
    # `*` (any revision) keeps the header in play and the case about its body, in every
    # phase; 412 has its own tests (test/http/revisions.test.ts, the MongoDB replicas).
    for name in [name for name in (case.headers or {}) if name.lower() == "if-match"]:
        case.headers[name] = "*"
    # A generated `after` of GET /v1/events is nearly always below the service's first
    # revision (the clock's milliseconds at start), hence a 410, and schemathesis warned
    # that the operation "mostly rejected generated data". Three valid `after`s in four are
    # moved to the last few revisions (pages with events, and empty ones); the fourth stays,
    # so 410 is still asked. Values outside the schema (negative, too large, not a number)
    # are left as they are: a negative case stays negative.
    if case.path == "/v1/events" and isinstance(case.query, dict):
        after = _as_seq(case.query.get("after"))
        if after is not None and after % 4 != 0:
            case.query["after"] = max(0, _current_revision() - after % 5)


_MAX_SEQ = 2**53 - 1


def _as_seq(value: object):
    """The value as a valid `after` (0 to 2^53 - 1), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= _MAX_SEQ else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value) if int(value) <= _MAX_SEQ else None
    return None


def _current_revision() -> int:
    """The backlog's revision now, from its ETag."""
    response = requests.get(
        f"{_BASE_URL}/v1/backlog", headers={"Authorization": f"Bearer {_API_KEY}"}, timeout=10
    )
    response.raise_for_status()
    return int(response.headers["etag"].strip('"'))


@schemathesis.check
def ids_read_back_as_sent(ctx, response, case):
    """An id acknowledged with 201 is answered, and read back, exactly as sent."""
    if case.method.upper() != "POST" or response.status_code != 201 or not isinstance(case.body, dict):
        return None
    sent = case.body.get("id")
    if not isinstance(sent, str):
        return None
    epics = response.json().get("epics", [])
    answered = {epic["id"] for epic in epics} | {item for epic in epics for item in epic["tasks"] + epic["bugs"]}
    if sent not in answered:
        raise AssertionError(f"id {sent!r} was acknowledged with 201, but the answer holds no such id")
    if case.path == "/v1/epics":
        read = requests.get(
            f"{_BASE_URL}/v1/epics/{quote(sent, safe='')}",
            headers={"Authorization": f"Bearer {_API_KEY}"},
            timeout=10,
        )
        if read.status_code != 200 or read.json().get("id") != sent:
            raise AssertionError(f"epic {sent!r} reads back as {read.status_code} {read.text[:200]!r}")
    return None
