import assert from 'node:assert/strict';
import { type DataTable, Given, Then, When } from '@cucumber/cucumber';
import { idList } from '../support/parameters.js';
import type { BacklogWorld } from '../support/world.js';

interface BlockedEpics {
  bug: string | null;
  blocked: { id: string; status: string }[];
  highest: string[];
}

const path = (id: string) => encodeURIComponent(id);

Given('the bug {string} in {string}', async function (this: BacklogWorld, id: string, epic: string) {
  await this.sendOk('POST', '/v1/bugs', { body: { id, epic } });
});

When('I report the bug {string} in {string}', async function (this: BacklogWorld, id: string, epic: string) {
  await this.send('POST', '/v1/bugs', { body: { id, epic } });
});

When('I fix the bug {string}', async function (this: BacklogWorld, id: string) {
  await this.send('DELETE', `/v1/bugs/${path(id)}`);
});

When('I ask which epics the bug {string} blocks', async function (this: BacklogWorld, id: string) {
  await this.send('GET', `/v1/epics/blocked?bug_id=${path(id)}`);
});

When('I ask for the bugs of {string}', async function (this: BacklogWorld, epic: string) {
  await this.send('GET', `/v1/epics/${path(epic)}/bugs`);
});

Then('the bug {string} is reported in {string}', async function (this: BacklogWorld, id: string, epics: string) {
  const bugs = JSON.parse((await this.sendOk('GET', '/v1/bugs')).text) as { id: string; epics: string[] }[];
  assert.deepEqual(
    bugs.find((bug) => bug.id === id),
    { id, epics: idList(epics) },
  );
});

Then('the blocked epics are {string}', function (this: BacklogWorld, ids: string) {
  assert.deepEqual(
    this.lastJson<BlockedEpics>().blocked.map((epic) => epic.id),
    idList(ids),
  );
});

Then('the highest blocked epics are {string}', function (this: BacklogWorld, ids: string) {
  assert.deepEqual(this.lastJson<BlockedEpics>().highest, idList(ids));
});

Then('asking through the bug gives the same answer', async function (this: BacklogWorld) {
  const byQuery = this.lastJson<BlockedEpics>();
  assert.ok(byQuery.bug !== null, 'the last answer was not about a bug');
  const byBug = await this.sendOk('GET', `/v1/bugs/${path(byQuery.bug)}/blocked-epics`);
  assert.deepEqual(JSON.parse(byBug.text), byQuery);
});

Then('the bugs are:', function (this: BacklogWorld, table: DataTable) {
  assert.deepEqual(
    this.lastJson(),
    table.hashes().map((row) => ({ id: row.bug, epics: idList(row.epics ?? '') })),
  );
});
