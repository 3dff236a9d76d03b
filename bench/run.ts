import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  type Backlog,
  backlogFromDictionary,
  backlogView,
  computeStatuses,
  reachableFrom,
  type Status,
  toDictionary,
} from '../src/domain/index.js';
import { generateBacklog, generateChain, generateDiamondLadder } from './backlog-generator.js';
import { median, timeRuns } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

/** Median wall time in milliseconds of `runs` calls, after one warm-up call. */
function measure(name: string, task: () => unknown, runs = RUNS): number {
  const result = median(timeRuns(task, runs));
  console.log(`${name.padEnd(58)} median ${result.toFixed(2).padStart(9)} ms  (${runs} runs)`);
  return result;
}

/** SPEC section 2's closed form, by plain reachability from every epic: the reference the real pass is checked against. */
function closedFormStatuses(backlog: Backlog): Map<string, Status> {
  const statuses = new Map<string, Status>();
  for (const epic of backlog.epics.values()) {
    const reachable = [...reachableFrom(backlog, epic.id)].map((id) => backlog.epics.get(id));
    const anyTasks = reachable.some((e) => (e?.tasks.length ?? 0) > 0);
    const anyBugs = reachable.some((e) => (e?.bugs.length ?? 0) > 0);
    statuses.set(
      epic.id,
      epic.tasks.length > 0 ? 'wip' : anyTasks ? 'blocked' : anyBugs ? 'pending_validation' : 'completed',
    );
  }
  return statuses;
}

console.log(`Backlog status service benchmark (node ${process.version}, ${RUNS} runs each)\n`);
// Statuses are cached per backlog object: `fresh` wraps the same epics in a new object, so
// each run computes them again, as after a mutation.
const fresh = (backlog: Backlog): Backlog => ({ epics: backlog.epics });
const large = generateBacklog(100_000);
const statusesMs = measure('computeStatuses, 100,000-epic generated DAG', () => computeStatuses(fresh(large)));
measure('computeStatuses again on the same backlog (cached)', () => computeStatuses(large));
measure('backlogView + JSON.stringify, 100,000 epics (a mutation answer)', () =>
  JSON.stringify(backlogView(fresh(large))),
);
measure('import (backlogFromDictionary), 100,000 epics', () => backlogFromDictionary(toDictionary(large)), 5);
measure('computeStatuses, chain 100,000 epics deep', () => computeStatuses(generateChain(100_000)), 5);
measure('computeStatuses, diamond ladder of 40 levels (2^40 paths)', () => computeStatuses(generateDiamondLadder(40)));

const small = generateBacklog(2_000);
const onePass = measure('computeStatuses, 2,000 epics', () => computeStatuses(fresh(small)));
const closedForm = measure(
  'closed form by reachability from every epic, 2,000 epics',
  () => closedFormStatuses(small),
  3,
);
console.log(`\nratio closed form / one pass on 2,000 epics: ${(closedForm / onePass).toFixed(0)}x`);
console.log(`all statuses of 100,000 epics: median ${statusesMs.toFixed(1)} ms`);

// The store and HTTP benchmarks live in their own scripts (the HTTP one starts the server as a
// process, BENCH_SIZES / BENCH_STORES choose what it measures); BENCH_SKIP_HTTP=true skips both.
if (process.env.BENCH_SKIP_HTTP !== 'true') {
  for (const script of ['./delete-task-latency.ts', './http-bench.ts']) {
    if (!existsSync(new URL(script, import.meta.url))) continue;
    console.log('');
    const result = spawnSync(process.execPath, ['--import', 'tsx', new URL(script, import.meta.url).pathname], {
      stdio: 'inherit',
    });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
  }
}
