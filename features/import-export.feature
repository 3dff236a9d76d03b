Feature: Import and export
  Users exchange whole backlogs in the dictionary format: importing merges into the
  current backlog, replacing swaps it whole, and an export imports back as it was.

  Scenario: The SPEC example imports as it stands, blank link included
    When I import:
      """
      {
        "EpicA": { "Tasks": ["TaskA1", "TaskA2"], "Bugs": [],        "Epics": ["EpicB"] },
        "EpicB": { "Tasks": ["TaskB1", "TaskB2"], "Bugs": ["BugB1"], "Epics": [""] },
        "EpicC": { "Tasks": [],                   "Bugs": [],        "Epics": [] },
        "EpicD": { "Tasks": [],                   "Bugs": [],        "Epics": ["EpicC"] },
        "EpicE": { "Tasks": [],                   "Bugs": ["BugE1"], "Epics": [] }
      }
      """
    Then the answer is 200
    And the statuses are:
      | epic  | status             |
      | EpicA | wip                |
      | EpicB | wip                |
      | EpicC | completed          |
      | EpicD | completed          |
      | EpicE | pending_validation |

  Scenario: Importing the same document twice changes nothing
    Given the backlog:
      """
      { "EpicA": { "Tasks": ["TaskA1"], "Epics": ["EpicB"] }, "EpicB": { "Bugs": ["BugB1"] } }
      """
    When I import:
      """
      { "EpicA": { "Tasks": ["TaskA1"], "Epics": ["EpicB"] }, "EpicB": { "Bugs": ["BugB1"] } }
      """
    Then the answer is 200
    And the backlog is unchanged

  Scenario: An import merges lists and appends new epics
    Given the backlog:
      """
      { "EpicA": { "Tasks": ["TaskA1"] } }
      """
    When I import:
      """
      { "EpicZ": { "Bugs": ["BugZ1"] }, "EpicA": { "Tasks": ["TaskA2", "TaskA1"], "Epics": ["EpicZ"] } }
      """
    Then the epics are "EpicA, EpicZ"
    And the epic "EpicA" has the tasks "TaskA1, TaskA2"
    And the epic "EpicA" links to "EpicZ"

  Scenario: Replacing the backlog drops what was there
    Given the backlog:
      """
      { "EpicA": { "Tasks": ["TaskA1"] } }
      """
    When I replace the backlog with:
      """
      { "EpicB": {} }
      """
    Then the answer is 200
    And the epics are "EpicB"

  Scenario: An export imports back into an empty backlog as the same backlog
    Given the backlog:
      """
      { "__proto__": { "Tasks": ["t1"], "Epics": ["constructor"] }, "constructor": { "Bugs": ["b1"] } }
      """
    When I export the backlog and import it into an empty backlog
    Then the backlog is unchanged

  Scenario: A refused import leaves the backlog exactly as it was
    Given the backlog:
      """
      { "EpicA": { "Tasks": ["TaskA1"] } }
      """
    When I import:
      """
      { "EpicN": { "Tasks": ["TaskN1"] }, "EpicB": { "Tasks": ["TaskA1"] } }
      """
    Then the answer is a problem with status 409
    And the backlog is unchanged
