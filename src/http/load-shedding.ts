import { getHeapStatistics } from 'node:v8';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { HttpProblem } from './http-errors.js';

const RETRY_AFTER_S = 2;

/**
 * Under overload the service sheds load rather than queueing without bound (SPEC
 * section 4): while the event loop lags or the heap is nearly full, every request
 * but the probes is answered 503 with Retry-After before any work is done. The
 * probes stay exempt: a busy replica is alive, and /readyz says whether it can write.
 */
async function registerLoadShedding(app: FastifyInstance, { pressure }: Pick<Config, 'pressure'>): Promise<void> {
  const maxHeapUsedBytes = pressure.maxHeapUsedBytes ?? Math.floor(getHeapStatistics().heap_size_limit * 0.9);
  await app.register(underPressure, {
    maxEventLoopDelay: pressure.maxEventLoopDelayMs,
    maxHeapUsedBytes,
    sampleInterval: 250,
    pressureHandler: async (request, _reply, type, value) => {
      if (request.routeOptions.config.probe) return;
      const reason =
        type === underPressure.TYPE_HEAP_USED_BYTES
          ? `its heap is nearly full (${Math.round((value ?? 0) / 2 ** 20)} MiB in use)`
          : `its event loop lags by ${Math.round(value ?? 0)} ms`;
      throw new HttpProblem(
        503,
        'Service unavailable',
        `The service is overloaded: ${reason}. Nothing was done; retry in ${RETRY_AFTER_S} s.`,
        { 'retry-after': String(RETRY_AFTER_S) },
      );
    },
  });
}

export const loadShedding = fp(registerLoadShedding, { name: 'load-shedding', dependencies: ['problem-handler'] });
