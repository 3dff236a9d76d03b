/** Errors raised by the HTTP layer itself, each carrying its status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export interface InvalidField {
  in: 'body' | 'params' | 'querystring' | 'headers';
  path: string;
  message: string;
}

/** A request that does not fit its schema, found outside the schema validator. */
export class RequestInvalid extends Error {
  constructor(readonly errors: readonly InvalidField[]) {
    super(errors.map((error) => `${error.in}${error.path}: ${error.message}`).join('; '));
    this.name = 'RequestInvalid';
  }
}
