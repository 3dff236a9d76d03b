import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** One Server-Sent Events message as a client parses it: a comment, or fields. */
export interface SseMessage {
  comment?: string;
  id?: string;
  event?: string;
  data?: string;
}

/** Splits SSE text into messages (blank-line separated); returns them and the unfinished rest. */
export function parseSse(text: string): { messages: SseMessage[]; rest: string } {
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  const messages = blocks.map((block) => {
    const message: SseMessage = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comment = line.slice(1).trim();
      else {
        const colon = line.indexOf(':');
        const field = line.slice(0, colon) as 'id' | 'event' | 'data';
        const value = line.slice(colon + 1).replace(/^ /, '');
        message[field] = message[field] === undefined ? value : `${message[field]}\n${value}`;
      }
    }
    return message;
  });
  return { messages, rest };
}

/** An open stream, read as it comes (unless paused): its status, headers and messages so far. */
export interface SseClient {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly messages: SseMessage[];
  /** The body as received, for answers that are not a stream (a problem). */
  readonly text: () => string;
  /** Resolves when a message passes `test` (looking at those received already too). */
  waitFor(test: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when the server ends or breaks the stream. */
  readonly ended: Promise<void>;
  close(): void;
  readonly request: ClientRequest;
  readonly response: IncomingMessage;
}

export function portOf(app: FastifyInstance): number {
  return (app.server.address() as AddressInfo).port;
}

/** Opens GET `path` on the app's server (listening on 127.0.0.1). `paused`: never reads the body. */
export function openSse(
  app: FastifyInstance,
  path = '/v1/events/stream',
  headers: Record<string, string> = {},
  { paused = false } = {},
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: portOf(app), path, headers }, (res) => {
      const messages: SseMessage[] = [];
      const waiters = new Set<() => void>();
      let body = '';
      let rest = '';
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
        // A paused client never reads to the end: the connection closing is the end.
        req.socket?.on('close', done);
      });
      if (!paused) {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          const parsed = parseSse(rest + chunk);
          rest = parsed.rest;
          messages.push(...parsed.messages);
          for (const waiter of waiters) waiter();
        });
      } else res.pause();
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        text: () => body,
        ended,
        request: req,
        response: res,
        close: () => req.destroy(),
        waitFor(test, timeoutMs = 5000) {
          return new Promise((found, fail) => {
            const check = () => {
              const match = messages.find(test);
              if (!match) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(match);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 500)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
            void ended.then(() => {
              if (waiters.has(check)) {
                check();
                if (waiters.has(check)) {
                  waiters.delete(check);
                  clearTimeout(timer);
                  fail(new Error(`the stream ended first; got ${JSON.stringify(messages).slice(0, 500)}`));
                }
              }
            });
          });
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The event a message carries. */
export function eventOfMessage<T = { seq: number }>(message: SseMessage): T {
  return JSON.parse(message.data ?? 'null') as T;
}
