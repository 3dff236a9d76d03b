import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CycleDetected,
  EpicNotFound,
  InvalidId,
  LinkExists,
  StoreCorrupted,
  StoreUnavailable,
} from '../../src/domain/index.js';
import { HttpProblem, RequestInvalid } from '../../src/http/http-errors.js';
import { problemHandler } from '../../src/http/problem-handler.js';
import { buildTestApp, expectProblem } from '../helpers/test-app.js';

let app: FastifyInstance;
afterEach(() => app.close());

/** A bare app whose one route throws the given error (CONVENTIONS 22). */
async function throwing(error: Error): Promise<FastifyInstance> {
  app = Fastify({ logger: false });
  await app.register(problemHandler);
  app.get('/boom', async () => {
    throw error;
  });
  await app.ready();
  return app;
}

describe('the problem handler', () => {
  it.each([
    [new EpicNotFound('E'), 404, 'Epic not found', '/problems/epic-not-found'],
    [new LinkExists('A', 'B'), 409, 'Link already exists', '/problems/link-already-exists'],
    [new CycleDetected(['A', 'B', 'A']), 409, 'Links would form a cycle', '/problems/links-would-form-a-cycle'],
    [new InvalidId(' x', 'must not start or end with white space'), 400, 'Invalid id', '/problems/invalid-id'],
  ])('maps the domain error %s to its status, title and type', async (error, status, title, type) => {
    const response = await (await throwing(error)).inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type, title, status, detail: error.message });
  });

  it('answers an HttpProblem with its status and headers', async () => {
    const response = await (
      await throwing(new HttpProblem(405, 'Method not allowed', 'use GET', { allow: 'GET' }))
    ).inject({ method: 'GET', url: '/boom' });
    expect(expectProblem(response, 405).detail).toBe('use GET');
    expect(response.headers.allow).toBe('GET');
  });

  it('answers RequestInvalid with 400 and every invalid field', async () => {
    const error = new RequestInvalid([
      { in: 'body', path: '/a', message: 'is bad' },
      { in: 'querystring', path: '/b', message: 'is worse' },
    ]);
    const problem = expectProblem(await (await throwing(error)).inject({ method: 'GET', url: '/boom' }), 400);
    expect(problem.errors).toEqual([
      { in: 'body', path: '/a', message: 'is bad' },
      { in: 'querystring', path: '/b', message: 'is worse' },
    ]);
    expect(problem.detail).toBe('body/a: is bad; querystring/b: is worse');
  });

  it('answers StoreUnavailable with a retryable 503 that hides the cause', async () => {
    const response = await (await throwing(new StoreUnavailable('mongodb://admin:pw@db:27017 timed out'))).inject({
      method: 'GET',
      url: '/boom',
    });
    expect(expectProblem(response, 503).detail).not.toMatch(/admin|pw|27017/);
    expect(response.headers['retry-after']).toBe('1');
  });

  it.each([
    new Error('secret internals at /srv/app.js:12'),
    new TypeError("Cannot read properties of undefined (reading 'epics')"),
    new StoreCorrupted('the data file /data/backlog.json is damaged'),
  ])('answers an unexpected %s with a 500 problem that leaks nothing', async (error) => {
    const response = await (await throwing(error)).inject({ method: 'GET', url: '/boom' });
    const problem = expectProblem(response, 500);
    expect(problem.detail).toBe('The request could not be completed.');
    expect(response.body).not.toContain(error.message);
  });

  it('keeps the 4xx status of a client error Fastify raises', async () => {
    const error = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    const problem = expectProblem(await (await throwing(error)).inject({ method: 'GET', url: '/boom' }), 413);
    expect(problem.title).toBe('Payload too large');
  });

  it('lists the body as the invalid field of a malformed JSON body', async () => {
    app = Fastify({ logger: false });
    await app.register(problemHandler);
    app.post('/echo', async (request) => request.body);
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"a":',
    });
    const problem = expectProblem(response, 400);
    expect(problem.title).toBe('Malformed JSON');
    expect(problem.errors).toEqual([{ in: 'body', path: '/', message: problem.detail }]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await (await throwing(new Error('unused'))).inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(expectProblem(response, 404).detail).toBe('No route GET /nowhere');
  });
});

describe('requests Node cannot parse', () => {
  it('answers a malformed header with a problem and closes the connection', async () => {
    const app = await buildTestApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /v1/backlog HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      title: 'Malformed request',
    });
  });
});
