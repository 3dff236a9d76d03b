import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/test-app.js';

// Issue 12, case 3: slow clients were held 60-90 s, answered 400, with no cap on connections.
// Short settings keep the suite fast; the bounds below allow Node's checking interval and a busy machine.
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 1500;
const MAX_CONNECTIONS = 20;
const LATE_MS = 1500;
const ENV = {
  HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  MAX_CONNECTIONS: String(MAX_CONNECTIONS),
};

interface Outcome {
  /** What the server sent before closing, '' when it reset or sent nothing. */
  response: string;
  /** From connecting to the close. */
  ms: number;
  reset: boolean;
}

/** Sends `head`, then one byte of `drip` every 100 ms until the server answers or closes. */
function slowClient(port: number, head: string, drip: string): { done: Promise<Outcome>; socket: Socket } {
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  let response = '';
  let reset = false;
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write(head);
    let i = 0;
    timer = setInterval(() => {
      if (!socket.writable) return;
      socket.write(drip[i % drip.length] as string);
      i++;
    }, 100);
  });
  socket.on('data', (chunk) => {
    response += String(chunk);
  });
  socket.on('error', () => {
    reset = true;
  });
  const done = new Promise<Outcome>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, ms: Date.now() - started, reset });
    });
  });
  return { done, socket };
}

async function listening(env: Record<string, string>): Promise<{ app: FastifyInstance; port: number }> {
  const app = await buildTestApp(env);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as { port: number }).port };
}

function expectTimeoutProblem(outcome: Outcome): void {
  expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /);
  expect(outcome.response).toMatch(/content-type: application\/problem\+json/i);
  const body = JSON.parse(outcome.response.slice(outcome.response.indexOf('\r\n\r\n') + 4));
  expect(body).toMatchObject({ status: 408, title: 'Request timeout' });
}

describe('slow clients (issue 12, case 3)', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
  });

  it('answers a request head sent too slowly with 408 at HEADERS_TIMEOUT_MS', async () => {
    const { port } = await listening(ENV);
    const client = slowClient(port, 'GET /v1/backlog HTTP/1.1\r\nHost: x\r\n', 'X-Slow: y\r\n');
    sockets.push(client.socket);
    const outcome = await client.done;
    expectTimeoutProblem(outcome);
    expect(outcome.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(outcome.ms).toBeLessThan(HEADERS_TIMEOUT_MS + LATE_MS);
  });

  it('answers a body sent too slowly with 408 at REQUEST_TIMEOUT_MS, and stores nothing', async () => {
    const { app, port } = await listening(ENV);
    const body = JSON.stringify({ id: 'Slow' });
    const head = `POST /v1/epics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 10}\r\n\r\n`;
    const client = slowClient(port, head, body);
    sockets.push(client.socket);
    const outcome = await client.done;
    expectTimeoutProblem(outcome);
    expect(outcome.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(outcome.ms).toBeLessThan(REQUEST_TIMEOUT_MS + LATE_MS);
    expect((await app.inject({ url: '/v1/backlog' })).json()).toEqual({ epics: [] });
  });

  it('caps connections: slow clients beyond MAX_CONNECTIONS are refused, and normal requests are served once they are cut', async () => {
    const { app, port } = await listening(ENV);
    let most = 0;
    const countConnections = () =>
      app.server.getConnections((_error, count) => {
        most = Math.max(most, count);
      });
    const watch = setInterval(countConnections, 20);
    const head = 'POST /v1/epics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const clients = Array.from({ length: 2 * MAX_CONNECTIONS }, () => slowClient(port, head, ' '));
    sockets.push(...clients.map((client) => client.socket));
    const started = Date.now();
    let served: number | undefined;
    while (served === undefined && Date.now() - started < REQUEST_TIMEOUT_MS + 3 * LATE_MS) {
      served = await fetch(`http://127.0.0.1:${port}/v1/backlog`).then(
        (response) => (response.status === 200 ? Date.now() - started : undefined),
        () => undefined,
      );
      if (served === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const outcomes = await Promise.all(clients.map((client) => client.done));
    clearInterval(watch);
    const answered = outcomes.filter((outcome) => outcome.response.startsWith('HTTP/1.1 408 '));
    expect(most).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThanOrEqual(MAX_CONNECTIONS);
    for (const outcome of answered) expect(outcome.ms).toBeLessThan(REQUEST_TIMEOUT_MS + LATE_MS);
    expect(served).toBeDefined();
    expect(served).toBeLessThan(REQUEST_TIMEOUT_MS + LATE_MS);
  });
});
