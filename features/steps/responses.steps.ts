import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import type { BacklogWorld } from '../support/world.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { in: string; path: string; message: string }[];
}

When('I send {word} {string}', async function (this: BacklogWorld, method: string, url: string) {
  await this.send(method, url);
});

When(
  'I send {word} {string} with the body:',
  async function (this: BacklogWorld, method: string, url: string, body: string) {
    await this.send(method, url, { raw: body });
  },
);

When(
  'I send {word} {string} with a {string} body:',
  async function (this: BacklogWorld, method: string, url: string, contentType: string, body: string) {
    await this.send(method, url, { raw: body, contentType });
  },
);

Then('the answer is {int}', function (this: BacklogWorld, status: number) {
  const answer = this.lastAnswer();
  assert.equal(answer.status, status, answer.text);
});

Then('the answer is a problem with status {int}', function (this: BacklogWorld, status: number) {
  const answer = this.lastAnswer();
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers['content-type'] ?? '', /^application\/problem\+json/);
  const problem = this.lastJson<Problem>();
  assert.equal(problem.status, status);
  for (const field of ['type', 'title', 'detail'] as const) assert.equal(typeof problem[field], 'string', field);
  if (status === 400) assert.ok((problem.errors?.length ?? 0) > 0, 'a 400 lists its invalid fields');
});

Then('the problem detail contains {string}', function (this: BacklogWorld, text: string) {
  assert.ok(this.lastJson<Problem>().detail.includes(text), this.lastAnswer().text);
});

Then('the problem lists the invalid field {string}', function (this: BacklogWorld, path: string) {
  const errors = this.lastJson<Problem>().errors ?? [];
  assert.ok(
    errors.some((error) => error.path === path),
    this.lastAnswer().text,
  );
});

Then(
  'the answer has the header {string} containing {string}',
  function (this: BacklogWorld, name: string, text: string) {
    assert.ok(
      (this.lastAnswer().headers[name.toLowerCase()] ?? '').includes(text),
      JSON.stringify(this.lastAnswer().headers),
    );
  },
);
