Feature: Links and cycles
  Epics link child epics; the links form a DAG, so a cycle is refused and named.

  Background:
    Given the backlog:
      """
      { "EpicA": { "Epics": ["EpicB"] }, "EpicB": { "Epics": ["EpicC"] }, "EpicC": { "Tasks": ["TaskC1"] } }
      """

  Scenario: Linking a shared child
    Given the epic "EpicD"
    When I link "EpicD" to "EpicC"
    Then the answer is 201
    And the epic "EpicD" is blocked
    And the parents of "EpicC" are "EpicB, EpicD"

  Scenario Outline: A link that would close a cycle is refused and named
    When I link "<parent>" to "<child>"
    Then the answer is a problem with status 409
    And the problem detail contains "<cycle>"
    And the backlog is unchanged

    Examples:
      | parent | child | cycle                              |
      | EpicB  | EpicA | EpicB -> EpicA -> EpicB            |
      | EpicC  | EpicA | EpicC -> EpicA -> EpicB -> EpicC   |
      | EpicC  | EpicC | EpicC -> EpicC                     |

  Scenario: A link to an unknown epic is a 404
    When I link "EpicA" to "Ghost"
    Then the answer is a problem with status 404

  Scenario: A link twice is a 409
    When I link "EpicA" to "EpicB"
    Then the answer is a problem with status 409

  Scenario: Unlinking frees the parent
    When I unlink "EpicB" from "EpicA"
    Then the answer is 200
    And the epic "EpicA" is completed

  Scenario: Deleting an epic removes every link to it
    When I delete the epic "EpicB"
    Then the answer is 200
    And the epics are "EpicA, EpicC"
    And the epic "EpicA" links to "nothing"
