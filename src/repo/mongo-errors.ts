import { MongoError, MongoNetworkError, MongoNetworkTimeoutError, MongoServerSelectionError } from 'mongodb';

const WRITE_CONFLICT = 112;
const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;

/** The database is unreachable or timed out (not a refusal by a live server). */
export function isConnectionError(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    (error instanceof MongoError && /timed out|closed|ECONNREFUSED|ECONNRESET/i.test(error.message))
  );
}

/**
 * Another writer got there first: re-read and try again. A network error also
 * carries TransientTransactionError, but retrying it here would only wait on a
 * database that is down, so it is left to the caller.
 */
export function isCommitConflict(error: unknown): boolean {
  if (!(error instanceof MongoError) || isConnectionError(error)) return false;
  return (
    error.code === WRITE_CONFLICT || error.code === DUPLICATE_KEY || error.hasErrorLabel('TransientTransactionError')
  );
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoError && error.code === DUPLICATE_KEY;
}

export function isNamespaceExists(error: unknown): boolean {
  return error instanceof MongoError && error.code === NAMESPACE_EXISTS;
}

/**
 * The server cannot be reached at all (refused, reset, no server to select): not
 * worth waiting on. A timeout is not one: the server may be alive and busy.
 */
export function isServerGone(error: unknown): boolean {
  return (
    error instanceof MongoServerSelectionError ||
    (error instanceof MongoNetworkError && !(error instanceof MongoNetworkTimeoutError))
  );
}
