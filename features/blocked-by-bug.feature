Feature: Blocked by a bug
  An epic is blocked by a bug when the bug is among the bugs of the epic or of any
  epic it reaches; the highest such epics are those no other blocked epic links to.

  Background:
    Given the backlog:
      """
      {
        "Leaf":  { "Bugs": ["Bug1"] },
        "Left":  { "Epics": ["Leaf"] },
        "Right": { "Tasks": ["t"], "Epics": ["Leaf"] },
        "Top":   { "Epics": ["Left", "Right"] },
        "Side":  { "Epics": ["Right"] },
        "Alone": { "Bugs": ["Bug2"] }
      }
      """

  Scenario: Every epic above the bug is blocked; the tops are highest
    When I ask which epics the bug "Bug1" blocks
    Then the answer is 200
    And the blocked epics are "Leaf, Left, Right, Top, Side"
    And the highest blocked epics are "Top, Side"

  Scenario: Both ways of asking give the same answer
    When I ask which epics the bug "Bug1" blocks
    Then asking through the bug gives the same answer

  Scenario: A bug reported in several unrelated epics has several highest
    Given the bug "Bug2" in "Leaf"
    When I ask which epics the bug "Bug2" blocks
    Then the highest blocked epics are "Top, Side, Alone"

  Scenario: The bugs of an epic are its own and those of every epic below, each once
    Given the bug "Bug3" in "Left"
    And the bug "Bug1" in "Top"
    When I ask for the bugs of "Top"
    Then the bugs are:
      | bug  | epics     |
      | Bug1 | Leaf, Top |
      | Bug3 | Left      |

  Scenario: An unknown bug blocks nothing
    When I ask which epics the bug "Ghost" blocks
    Then the answer is a problem with status 404
