import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { BacklogWorld } from '../support/world.js';

Given('the task {string} in {string}', async function (this: BacklogWorld, id: string, epic: string) {
  await this.sendOk('POST', '/v1/tasks', { body: { id, epic } });
});

When('I add the task {string} to {string}', async function (this: BacklogWorld, id: string, epic: string) {
  await this.send('POST', '/v1/tasks', { body: { id, epic } });
});

When('I complete the task {string}', async function (this: BacklogWorld, id: string) {
  await this.send('DELETE', `/v1/tasks/${encodeURIComponent(id)}`);
});

Then('the task {string} belongs to {string}', async function (this: BacklogWorld, id: string, epic: string) {
  const tasks = JSON.parse((await this.sendOk('GET', '/v1/tasks')).text) as { id: string; epic: string }[];
  assert.deepEqual(
    tasks.filter((task) => task.id === id),
    [{ id, epic }],
  );
});
