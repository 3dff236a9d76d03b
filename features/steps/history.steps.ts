import assert from 'node:assert/strict';
import { type DataTable, Then, When } from '@cucumber/cucumber';
import type { BacklogWorld } from '../support/world.js';

interface HistoryEntry {
  seq: number;
  at: string;
  from: string | null;
  to: string | null;
  actor: string | null;
}

/** The epic's history since the scenario started (a shared server holds earlier scenarios' too). */
async function historyOf(world: BacklogWorld, id: string): Promise<HistoryEntry[]> {
  const answer = await world.sendOk('GET', `/v1/epics/${encodeURIComponent(id)}/history`);
  return (JSON.parse(answer.text) as HistoryEntry[]).filter((entry) => entry.seq > world.startRevision);
}

When('I ask for the history of {string}', async function (this: BacklogWorld, id: string) {
  await this.send('GET', `/v1/epics/${encodeURIComponent(id)}/history`);
});

Then('the history of {string} is:', async function (this: BacklogWorld, id: string, table: DataTable) {
  // An empty cell is null: no status before the epic was created, none after it was deleted.
  const expected = table.hashes().map((row) => ({
    from: row.from || null,
    to: row.to || null,
    actor: row.by === 'me' ? this.actor : row.by || null,
  }));
  const history = await historyOf(this, id);
  assert.deepEqual(
    history.map(({ from, to, actor }) => ({ from, to, actor })),
    expected,
  );
});

Then(
  'each step of the history of {string} says when it happened, in order',
  async function (this: BacklogWorld, id: string) {
    const history = await historyOf(this, id);
    assert.ok(history.length > 1);
    for (const [index, entry] of history.entries()) {
      assert.match(entry.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const previous = history[index - 1];
      if (previous) {
        assert.ok(entry.seq > previous.seq, `seq ${entry.seq} after ${previous.seq}`);
        assert.ok(entry.at >= previous.at, `${entry.at} after ${previous.at}`);
      }
    }
  },
);
