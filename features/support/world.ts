import { After, Before, type IWorldOptions, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { BacklogStore } from '../../src/domain/index.js';
import { createTestStore } from '../../test/helpers/test-store.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  raw?: string;
  contentType?: string;
}

/** In process, every request is made with this key, named IN_PROCESS_ACTOR: events record the name. */
const IN_PROCESS_KEY = 'cucumber-features-key';
const IN_PROCESS_ACTOR = 'manager';

/**
 * One scenario: the service under test and its last answer. In process by default
 * (app.inject on a fresh app and store, every request made with a key named `manager`);
 * against a running server when BASE_URL is set, with `Authorization: Bearer $API_KEY`
 * when API_KEY is set (its name is API_ACTOR, by default `key-1`: the server's only key).
 */
export class BacklogWorld extends World {
  app: FastifyInstance | undefined;
  store: BacklogStore | undefined;
  readonly baseUrl = process.env.BASE_URL?.replace(/\/+$/, '');
  readonly apiKey = this.baseUrl ? process.env.API_KEY : IN_PROCESS_KEY;
  /** The name events record for the requests of this world (null: auth off). */
  readonly actor = this.baseUrl ? (process.env.API_ACTOR ?? (process.env.API_KEY ? 'key-1' : null)) : IN_PROCESS_ACTOR;
  /** The revision the scenario started from: on a shared server, earlier scenarios' events come before it. */
  startRevision = 0;
  last: Answer | undefined;
  /** The export saved by a Given step, to check that a refused request wrote nothing. */
  savedExport: string | undefined;

  constructor(options: IWorldOptions) {
    super(options);
  }

  async send(method: string, url: string, options: RequestOptions = {}): Promise<Answer> {
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (this.baseUrl) {
      const response = await fetch(`${this.baseUrl}${url}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
      });
      this.last = {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        text: await response.text(),
      };
    } else {
      const response = await (this.app as FastifyInstance).inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      const flat = Object.entries(response.headers).map(([name, value]) => [name, String(value)]);
      this.last = { status: response.statusCode, headers: Object.fromEntries(flat), text: response.body };
    }
    return this.last;
  }

  /** Sends and insists on a success: for Given steps that set the scene. */
  async sendOk(method: string, url: string, options: RequestOptions = {}): Promise<Answer> {
    const answer = await this.send(method, url, options);
    if (answer.status >= 300) throw new Error(`${method} ${url} answered ${answer.status}: ${answer.text}`);
    return answer;
  }

  lastAnswer(): Answer {
    if (!this.last) throw new Error('no request was sent yet');
    return this.last;
  }

  lastJson<T = unknown>(): T {
    return JSON.parse(this.lastAnswer().text) as T;
  }
}

setWorldConstructor(BacklogWorld);
setDefaultTimeout(10_000);

Before(async function (this: BacklogWorld) {
  if (this.baseUrl) {
    const reset = await this.sendOk('PUT', '/v1/backlog', { body: {} });
    this.startRevision = Number(JSON.parse(reset.headers.etag ?? '0'));
    return;
  }
  this.store = await createTestStore();
  this.app = await buildApp({
    // Load shedding off: a busy CI machine must not turn a scenario's request into a 503
    // (test/hostile/overload.test.ts tests the shedding itself).
    config: loadConfig({
      STORE: 'memory',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      API_KEYS: `${IN_PROCESS_ACTOR}:${IN_PROCESS_KEY}`,
    }),
    store: this.store,
  });
});

After(async function (this: BacklogWorld) {
  await this.app?.close();
  await this.store?.close();
});
