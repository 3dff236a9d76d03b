import assert from 'node:assert/strict';
import { type DataTable, Given, Then, When } from '@cucumber/cucumber';
import { idList } from '../support/parameters.js';
import type { BacklogWorld } from '../support/world.js';

interface BacklogView {
  epics: { id: string; status: string; tasks: string[]; bugs: string[]; epics: string[] }[];
}

/** The current export, leaving the last answer as it was. */
async function currentExport(world: BacklogWorld): Promise<string> {
  const last = world.last;
  const answer = await world.sendOk('GET', '/v1/export');
  world.last = last;
  return answer.text;
}

Given('the backlog:', async function (this: BacklogWorld, dictionary: string) {
  await this.sendOk('PUT', '/v1/backlog', { raw: dictionary });
  this.savedExport = await currentExport(this);
});

When('I import:', async function (this: BacklogWorld, dictionary: string) {
  await this.send('POST', '/v1/backlog', { raw: dictionary });
});

When('I replace the backlog with:', async function (this: BacklogWorld, dictionary: string) {
  await this.send('PUT', '/v1/backlog', { raw: dictionary });
});

When('I export the backlog and import it into an empty backlog', async function (this: BacklogWorld) {
  const exported = (await this.sendOk('GET', '/v1/export')).text;
  await this.sendOk('PUT', '/v1/backlog', { body: {} });
  await this.sendOk('POST', '/v1/backlog', { raw: exported });
});

Then('the backlog is unchanged', async function (this: BacklogWorld) {
  assert.ok(this.savedExport !== undefined, 'no backlog was given');
  assert.equal(await currentExport(this), this.savedExport);
});

Then('the statuses are:', async function (this: BacklogWorld, table: DataTable) {
  const listed = JSON.parse((await this.sendOk('GET', '/v1/epics')).text) as { id: string; status: string }[];
  const statuses = Object.fromEntries(listed.map((epic) => [epic.id, epic.status]));
  const expected = Object.fromEntries(table.hashes().map((row) => [row.epic, row.status]));
  const actual = Object.fromEntries(Object.keys(expected).map((id) => [id, statuses[id]]));
  assert.deepEqual(actual, expected);
});

Then('the epics are {string}', async function (this: BacklogWorld, ids: string) {
  const view = JSON.parse((await this.sendOk('GET', '/v1/backlog')).text) as BacklogView;
  assert.deepEqual(
    view.epics.map((epic) => epic.id),
    idList(ids),
  );
});
