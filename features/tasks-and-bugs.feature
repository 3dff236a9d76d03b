Feature: Tasks and bugs
  A task belongs to exactly one epic; a bug may be reported in several.

  Background:
    Given the backlog:
      """
      { "EpicA": {}, "EpicB": { "Epics": ["EpicA"] } }
      """

  Scenario: Adding a task makes the epic wip and blocks its parents
    When I add the task "TaskA1" to "EpicA"
    Then the answer is 201
    And the epic "EpicA" is wip
    And the epic "EpicB" is blocked
    And the task "TaskA1" belongs to "EpicA"

  Scenario: Completing the last task completes the epic
    Given the task "TaskA1" in "EpicA"
    When I complete the task "TaskA1"
    Then the answer is 200
    And the epic "EpicA" is completed

  Scenario: A task cannot be in two epics
    Given the task "TaskA1" in "EpicA"
    When I add the task "TaskA1" to "EpicB"
    Then the answer is a problem with status 409
    And the problem detail contains "already belongs to epic \"EpicA\""

  Scenario: One bug reported in several epics is fixed everywhere at once
    When I report the bug "Bug1" in "EpicA"
    And I report the bug "Bug1" in "EpicB"
    Then the bug "Bug1" is reported in "EpicA, EpicB"
    And the epic "EpicB" is pending_validation
    When I fix the bug "Bug1"
    Then the answer is 200
    And the epic "EpicA" is completed
    And the epic "EpicB" is completed

  Scenario: A bug cannot be reported twice in one epic
    Given the bug "Bug1" in "EpicA"
    When I report the bug "Bug1" in "EpicA"
    Then the answer is a problem with status 409

  Scenario: Completing an unknown task is a 404
    When I complete the task "Ghost"
    Then the answer is a problem with status 404
