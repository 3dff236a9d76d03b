Feature: Status rules
  The status of an epic rolls up over the epics it reaches through links.

  Scenario Outline: <case>
    Given the backlog:
      """
      <backlog>
      """
    Then the epic "Top" is <status>

    Examples:
      | case                                  | backlog                                                                        | status             |
      | own tasks make it wip                 | { "Top": { "Tasks": ["t"], "Bugs": ["b"] } }                                   | wip                |
      | tasks below block it                  | { "Low": { "Tasks": ["t"] }, "Top": { "Epics": ["Low"] } }                     | blocked            |
      | tasks two levels below block it       | { "L2": { "Tasks": ["t"] }, "L1": { "Epics": ["L2"] }, "Top": { "Epics": ["L1"] } } | blocked       |
      | work below wins over its own bugs     | { "Low": { "Tasks": ["t"] }, "Top": { "Bugs": ["b"], "Epics": ["Low"] } }      | blocked            |
      | bugs below leave it pending           | { "Low": { "Bugs": ["b"] }, "Top": { "Epics": ["Low"] } }                      | pending_validation |
      | its own bugs leave it pending         | { "Top": { "Bugs": ["b"] } }                                                   | pending_validation |
      | nothing left anywhere completes it    | { "Low": {}, "Top": { "Epics": ["Low"] } }                                     | completed          |

  Scenario: A diamond rolls up through both sides
    Given the backlog:
      """
      { "D": { "Tasks": ["t"] }, "B": { "Epics": ["D"] }, "C": { "Epics": ["D"] }, "A": { "Epics": ["B", "C"] } }
      """
    Then the statuses are:
      | epic | status  |
      | D    | wip     |
      | B    | blocked |
      | C    | blocked |
      | A    | blocked |
    When I complete the task "t"
    Then the statuses are:
      | epic | status    |
      | D    | completed |
      | B    | completed |
      | C    | completed |
      | A    | completed |

  Scenario: Only blocked epics are listed as blocked
    Given the backlog:
      """
      { "Low": { "Tasks": ["t"] }, "Mid": { "Epics": ["Low"] }, "Top": { "Epics": ["Mid"] }, "Other": {} }
      """
    When I list the epics that are blocked
    Then the epics listed are "Mid, Top"
