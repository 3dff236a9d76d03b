Feature: History and progress
  A manager asks of an epic: since when has it had its status, who moved it, and how far
  along is it. Every change is recorded with the name of the key that made it.

  Background:
    Given the backlog:
      """
      {
        "Launch": { "Tasks": ["Plan"], "Epics": ["Build"] },
        "Build":  { "Tasks": ["Code", "Test"], "Bugs": ["Crash"] }
      }
      """

  Scenario: The history of an epic says since when it has its status, and who moved it
    When I complete the task "Plan"
    And I complete the task "Code"
    And I complete the task "Test"
    And I fix the bug "Crash"
    Then the history of "Launch" is:
      | from               | to                 | by |
      |                    | wip                | me |
      | wip                | blocked            | me |
      | blocked            | pending_validation | me |
      | pending_validation | completed          | me |
    And each step of the history of "Launch" says when it happened, in order

  Scenario: A change that moves no status leaves the history as it was
    When I report the bug "Typo" in "Build"
    Then the history of "Build" is:
      | from | to  | by |
      |      | wip | me |

  Scenario: A deleted epic keeps its history
    When I delete the epic "Build"
    Then the history of "Build" is:
      | from | to  | by |
      |      | wip | me |
      | wip  |     | me |

  Scenario: An epic that never existed has no history
    When I ask for the history of "Ghost"
    Then the answer is a problem with status 404

  Scenario: Progress counts what is done over the epics an epic reaches
    When I complete the task "Code"
    And I fix the bug "Crash"
    Then the progress of "Launch" is 1 of 3 tasks done and 1 of 1 bugs fixed
    And the progress of "Build" is 1 of 2 tasks done and 1 of 1 bugs fixed

  Scenario: A task added again is open again
    When I complete the task "Code"
    And I add the task "Code" to "Build"
    Then the progress of "Build" is 0 of 2 tasks done and 0 of 1 bugs fixed

  Scenario: A linked epic brings its progress along
    Given the epic "Ops"
    And the task "Deploy" in "Ops"
    When I complete the task "Deploy"
    And I link "Launch" to "Ops"
    Then the progress of "Launch" is 1 of 4 tasks done and 0 of 1 bugs fixed
