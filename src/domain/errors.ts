/** Every rule of the backlog that a request can break, with a stable code and no HTTP status. */
export type DomainErrorCode =
  | 'INVALID_ID'
  | 'EPIC_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'BUG_NOT_FOUND'
  | 'LINK_NOT_FOUND'
  | 'EPIC_EXISTS'
  | 'TASK_EXISTS'
  | 'BUG_EXISTS'
  | 'LINK_EXISTS'
  | 'UNKNOWN_EPIC_LINK'
  | 'CYCLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class InvalidId extends DomainError {
  constructor(
    readonly id: string,
    readonly reason: string,
  ) {
    super('INVALID_ID', `Invalid id ${JSON.stringify(id)}: ${reason}`);
  }
}

export class EpicNotFound extends DomainError {
  constructor(readonly epicId: string) {
    super('EPIC_NOT_FOUND', `Epic ${JSON.stringify(epicId)} does not exist`);
  }
}

export class TaskNotFound extends DomainError {
  constructor(readonly taskId: string) {
    super('TASK_NOT_FOUND', `Task ${JSON.stringify(taskId)} does not exist`);
  }
}

export class BugNotFound extends DomainError {
  constructor(readonly bugId: string) {
    super('BUG_NOT_FOUND', `Bug ${JSON.stringify(bugId)} does not exist`);
  }
}

export class LinkNotFound extends DomainError {
  constructor(
    readonly parentId: string,
    readonly childId: string,
  ) {
    super('LINK_NOT_FOUND', `Epic ${JSON.stringify(parentId)} does not link to ${JSON.stringify(childId)}`);
  }
}

export class EpicExists extends DomainError {
  constructor(readonly epicId: string) {
    super('EPIC_EXISTS', `Epic ${JSON.stringify(epicId)} already exists`);
  }
}

export class TaskExists extends DomainError {
  constructor(
    readonly taskId: string,
    readonly epicId: string,
  ) {
    super('TASK_EXISTS', `Task ${JSON.stringify(taskId)} already belongs to epic ${JSON.stringify(epicId)}`);
  }
}

export class BugExists extends DomainError {
  constructor(
    readonly bugId: string,
    readonly epicId: string,
  ) {
    super('BUG_EXISTS', `Bug ${JSON.stringify(bugId)} is already reported in epic ${JSON.stringify(epicId)}`);
  }
}

export class LinkExists extends DomainError {
  constructor(
    readonly parentId: string,
    readonly childId: string,
  ) {
    super('LINK_EXISTS', `Epic ${JSON.stringify(parentId)} already links to ${JSON.stringify(childId)}`);
  }
}

export class UnknownEpicLink extends DomainError {
  constructor(
    readonly parentId: string,
    readonly childId: string,
  ) {
    super(
      'UNKNOWN_EPIC_LINK',
      `Epic ${JSON.stringify(parentId)} links to ${JSON.stringify(childId)}, which exists neither in the request nor in the backlog`,
    );
  }
}

export class CycleDetected extends DomainError {
  constructor(readonly path: readonly string[]) {
    super('CYCLE', `Links would form a cycle: ${path.join(' -> ')}`);
  }
}
