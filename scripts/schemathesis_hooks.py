"""Schemathesis hooks for scripts/suites/schemathesis.sh (named by `hooks` in schemathesis.toml).

Each stateful scenario starts from an empty backlog. Without it the backlog keeps
whatever earlier scenarios left, the same generated steps get different answers
when Hypothesis replays a prefix (an epic id taken: 409 instead of 201), and
Hypothesis ends the phase early on "inconsistent data generation" after a dozen
scenarios. The CLI offers no per-scenario hook, so this wraps the state machine's
constructor, which runs once per scenario (schemathesis is pinned in
scripts/requirements-schemathesis.txt). The reset is an ordinary authenticated
`PUT /v1/backlog {}`; a failed reset fails the run.
"""

import os

import requests
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
