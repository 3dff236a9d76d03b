import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { idList } from '../support/parameters.js';
import type { BacklogWorld } from '../support/world.js';

interface EpicDetail {
  id: string;
  status: string;
  tasks: string[];
  bugs: string[];
  epics: string[];
  parents: string[];
  progress: { tasksDone: number; tasksOpen: number; bugsFixed: number; bugsOpen: number };
}

const path = (id: string) => encodeURIComponent(id);

async function epic(world: BacklogWorld, id: string): Promise<EpicDetail> {
  return JSON.parse((await world.sendOk('GET', `/v1/epics/${path(id)}`)).text) as EpicDetail;
}

Given('the epic {string}', async function (this: BacklogWorld, id: string) {
  await this.sendOk('POST', '/v1/epics', { body: { id } });
  this.savedExport = (await this.sendOk('GET', '/v1/export')).text;
});

When('I link {string} to {string}', async function (this: BacklogWorld, parent: string, child: string) {
  await this.send('POST', `/v1/epics/${path(parent)}/epics`, { body: { id: child } });
});

When('I unlink {string} from {string}', async function (this: BacklogWorld, child: string, parent: string) {
  await this.send('DELETE', `/v1/epics/${path(parent)}/epics/${path(child)}`);
});

When('I delete the epic {string}', async function (this: BacklogWorld, id: string) {
  await this.send('DELETE', `/v1/epics/${path(id)}`);
});

When('I list the epics that are blocked', async function (this: BacklogWorld) {
  await this.send('GET', '/v1/epics?status=blocked');
});

Then('the epics listed are {string}', function (this: BacklogWorld, ids: string) {
  assert.deepEqual(
    this.lastJson<{ id: string }[]>().map((listed) => listed.id),
    idList(ids),
  );
});

Then('the epic {string} is {status}', async function (this: BacklogWorld, id: string, status: string) {
  assert.equal((await epic(this, id)).status, status);
});

Then('the epic {string} links to {string}', async function (this: BacklogWorld, id: string, children: string) {
  assert.deepEqual((await epic(this, id)).epics, idList(children));
});

Then('the epic {string} has the tasks {string}', async function (this: BacklogWorld, id: string, tasks: string) {
  assert.deepEqual((await epic(this, id)).tasks, idList(tasks));
});

Then('the parents of {string} are {string}', async function (this: BacklogWorld, id: string, parents: string) {
  assert.deepEqual((await epic(this, id)).parents, idList(parents));
});

Then(
  'the progress of {string} is {int} of {int} tasks done and {int} of {int} bugs fixed',
  async function (this: BacklogWorld, id: string, done: number, tasks: number, fixed: number, bugs: number) {
    const { progress } = await epic(this, id);
    assert.deepEqual({ done: progress.tasksDone, tasks: progress.tasksDone + progress.tasksOpen }, { done, tasks });
    assert.deepEqual({ fixed: progress.bugsFixed, bugs: progress.bugsFixed + progress.bugsOpen }, { fixed, bugs });
  },
);
