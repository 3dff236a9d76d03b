import { spawnSync } from 'node:child_process';
import {
  applyChange,
  type Backlog,
  backlogFromEpics,
  backlogView,
  computeStatuses,
  type Epic,
  numberLinks,
  reachableFrom,
  removeTask,
  type Status,
} from '../src/domain/index.js';
import { createBacklogBodies } from '../src/http/backlog-body.js';
import { chainEpics, diamondLadderEpics, generateBacklog } from './backlog-generator.js';
import { generateEpics } from './epic-generator.js';
import { median, timeRuns } from './stats.js';
import { indexDag, indexedStatuses } from './status-floor.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

/** Median wall time in milliseconds of `runs` calls, after one warm-up call. */
function measure(name: string, task: () => unknown, runs = RUNS): number {
  const result = median(timeRuns(task, runs));
  console.log(`${name.padEnd(64)} median ${result.toFixed(3).padStart(10)} ms  (${runs} runs)`);
  return result;
}

const ratio = (value: number, floor: number) => `${(value / floor).toFixed(2)}x`;

/** SPEC section 2's closed form, by plain reachability from every epic: the reference the real pass is checked against. */
function closedFormStatuses(backlog: Backlog): Map<string, Status> {
  const statuses = new Map<string, Status>();
  for (const epic of backlog.epics.values()) {
    const reachable = [...reachableFrom(backlog, epic.id)].map((id) => backlog.epic(id));
    const anyTasks = reachable.some((e) => e.tasks.length > 0);
    const anyBugs = reachable.some((e) => e.bugs.length > 0);
    statuses.set(
      epic.id,
      epic.tasks.length > 0 ? 'wip' : anyTasks ? 'blocked' : anyBugs ? 'pending_validation' : 'completed',
    );
  }
  return statuses;
}

/** The creation rank of each epic, as the backlog keeps it (built once, outside any timing). */
const numbered = (epics: readonly Epic[]) => new Map(epics.map((epic, index) => [epic.id, index]));
const pass = (epics: readonly Epic[], order: ReadonlyMap<string, number>) =>
  computeStatuses(epics, numberLinks(epics, order));

console.log(`Backlog status service benchmark (node ${process.version}, ${RUNS} runs each)\n`);

const SIZE = 100_000;
const epics: Epic[] = generateEpics(SIZE);
const dag = indexDag(epics);
console.log(`-- ${SIZE.toLocaleString('en')}-epic generated DAG`);
const floor = measure('floor: int-indexed status pass (numbered beforehand)', () => indexedStatuses(dag));
const order = numbered(epics);
const full = measure('full status pass (links numbered through the creation index)', () => pass(epics, order));
console.log(`   full pass / floor: ${ratio(full, floor)} (target <= 10x; <= 20 ms)`);
measure('build: invariant check + indexes + statuses (start-up, replace)', () => backlogFromEpics(epics), 5);

// A sequence of task deletes on one evolving backlog: each run plans and applies the next one.
let backlog = generateBacklog(SIZE);
const tasks = [...backlog.taskOwners.keys()];
let next = 0;
const incremental = measure(
  'task delete: plan (checks + incremental statuses) and apply',
  () => {
    backlog = applyChange(removeTask(backlog, tasks[next++] as string));
  },
  201,
);
console.log(`   incremental update after a task delete: ${incremental.toFixed(3)} ms (target < 1 ms)`);

const bodies = createBacklogBodies();
let revision = 1;
const stringifyFloor = measure(
  'floor: JSON.stringify of the whole view',
  () => JSON.stringify(backlogView(backlog)),
  5,
);
await bodies.answer({ backlog, revision }, undefined);
const answer = measure(
  'mutation answer: task delete, then the view (only changed epics serialised)',
  () => {
    backlog = applyChange(removeTask(backlog, tasks[next++] as string));
    revision++;
    return bodies.answer({ backlog, revision }, undefined);
  },
  21,
);
console.log(`   mutation answer / stringify floor: ${ratio(answer, stringifyFloor)}`);

console.log('\n-- shapes');
measure('build, chain 100,000 epics deep', () => backlogFromEpics(chainEpics(100_000)), 5);
measure('build, diamond ladder of 40 levels (2^40 paths)', () => backlogFromEpics(diamondLadderEpics(40)));
const small = generateBacklog(2_000);
const smallEpics = [...small.epics.values()];
const smallOrder = numbered(smallEpics);
const onePass = measure('full status pass, 2,000 epics', () => pass(smallEpics, smallOrder));
const closedForm = measure(
  'closed form by reachability from every epic, 2,000 epics',
  () => closedFormStatuses(small),
  3,
);
console.log(`   closed form / one pass on 2,000 epics: ${ratio(closedForm, onePass)}`);

// The HTTP benchmark starts the server as a process (BENCH_SIZES / BENCH_STORES choose what it
// measures); BENCH_SKIP_HTTP=true skips it.
if (process.env.BENCH_SKIP_HTTP !== 'true') {
  console.log('');
  const script = new URL('./http-bench.ts', import.meta.url).pathname;
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
}

// Event streams and the cost of events (bench/event-stream.ts, also `npm run bench:stream`);
// BENCH_SKIP_STREAM=true skips it.
if (process.env.BENCH_SKIP_STREAM !== 'true') {
  console.log('');
  const script = new URL('./event-stream.ts', import.meta.url).pathname;
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = result.status ?? 1;
}
