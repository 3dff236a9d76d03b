Feature: Errors
  Every error is an application/problem+json answer; a 400 lists each invalid field.

  Scenario Outline: A bad id is refused with 400, naming the field
    When I send POST "/v1/epics" with the body:
      """
      { "id": <id> }
      """
    Then the answer is a problem with status 400
    And the problem lists the invalid field "/id"

    Examples:
      | id                |
      | ""                |
      | " EpicA"          |
      | "EpicA "          |
      | "Epic\u0000A"     |
      | "blocked"         |
      | 42                |

  Scenario: An unknown key is refused with 400
    When I send POST "/v1/epics" with the body:
      """
      { "id": "EpicA", "colour": "red" }
      """
    Then the answer is a problem with status 400

  Scenario: Malformed JSON is refused with 400
    When I send POST "/v1/backlog" with the body:
      """
      { "EpicA": {
      """
    Then the answer is a problem with status 400

  Scenario: A body that is not JSON is refused with 415
    When I send POST "/v1/epics" with a "text/plain" body:
      """
      EpicA
      """
    Then the answer is a problem with status 415

  Scenario: An unknown epic is a 404
    When I send GET "/v1/epics/Ghost"
    Then the answer is a problem with status 404
    And the problem detail contains "Ghost"

  Scenario: An unsupported method is a 405 with Allow
    When I send PATCH "/v1/backlog"
    Then the answer is a problem with status 405
    And the answer has the header "allow" containing "PUT"

  Scenario: An unknown route is a 404
    When I send GET "/v2/nothing"
    Then the answer is a problem with status 404

  Scenario: An epic id taken is a 409
    Given the epic "EpicA"
    When I send POST "/v1/epics" with the body:
      """
      { "id": "EpicA" }
      """
    Then the answer is a problem with status 409
