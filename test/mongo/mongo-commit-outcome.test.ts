import { ClientSession, MongoServerError } from 'mongodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectProblem } from '../helpers/test-app.js';
import { exported, seededReplicas } from '../hostile/replicas.js';

// Issue 12, case 4: any commitTransaction error was answered "nothing was written", even
// when the commit had been applied and only its acknowledgement was lost.

/** The error the driver gives when a commit's acknowledgement is lost (its label says so). */
function lostAcknowledgement(): MongoServerError {
  const error = new MongoServerError({ message: 'injected: the commit acknowledgement was lost', code: 50 });
  error.addErrorLabel('UnknownTransactionCommitResult');
  return error;
}

/**
 * Fault injection on the next commit: it is applied on the server, then reported as
 * unknown; the next `repeats` commits of the same transaction are reported unknown too
 * (after being sent, so a re-commit reaches the server as it would).
 */
function loseNextCommitAcknowledgement(repeats: number): { calls: () => number } {
  const commit = ClientSession.prototype.commitTransaction;
  let faulty: ClientSession | undefined;
  let calls = 0;
  vi.spyOn(ClientSession.prototype, 'commitTransaction').mockImplementation(async function (
    this: ClientSession,
    ...args
  ) {
    faulty ??= this;
    if (this !== faulty) return commit.apply(this, args);
    calls++;
    await commit.apply(this, args).catch(() => undefined);
    if (calls <= 1 + repeats) throw lostAcknowledgement();
  });
  return { calls: () => calls };
}

describe('a MongoDB commit whose outcome is unknown (issue 12, case 4)', () => {
  const replicas = seededReplicas({ E1: {} });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('commits again when the acknowledgement is lost once, and answers 201 for a write that is stored', async () => {
    const fault = loseNextCommitAcknowledgement(0);
    const answer = await replicas().writer.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { id: 'T1', epic: 'E1' },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(fault.calls()).toBe(2);
    vi.restoreAllMocks();
    expect(await exported(await replicas().readBack())).toEqual({ E1: { Tasks: ['T1'], Bugs: [], Epics: [] } });
  });

  it('answers 503 saying the outcome is unknown, never "nothing was written", when it stays unknown', async () => {
    const fault = loseNextCommitAcknowledgement(10);
    const answer = await replicas().writer.inject({
      method: 'POST',
      url: '/v1/tasks',
      payload: { id: 'T1', epic: 'E1' },
    });
    const problem = expectProblem(answer, 503);
    expect(problem.detail).toMatch(/outcome is unknown/);
    expect(problem.detail).not.toMatch(/nothing was written/);
    expect(fault.calls()).toBeGreaterThan(1);
    vi.restoreAllMocks();
    // The write was applied: the 503 did not report an acknowledged write as refused.
    expect(await exported(await replicas().readBack())).toEqual({ E1: { Tasks: ['T1'], Bugs: [], Epics: [] } });
  });
});
