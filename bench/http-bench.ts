/**
 * The service over HTTP on a real socket: the server is a separate process
 * (`node --import tsx src/server.ts`) started from BENCH_SERVER_DIR (default:
 * this checkout), so the same script measures the code before and after a
 * change. For each store and size, sequential requests (not a load test) on one
 * keep-alive connection: median and p90 of each figure, and ratios to floors
 * measured in the same run, a few samples of each before every phase of a case:
 *   - `JSON.stringify` of the same BacklogView (the GET body, parsed here once);
 *   - an int-indexed status pass over the same DAG (bench/status-floor.ts);
 *   - `GET /livez`.
 *
 *   npm run bench:http
 *   BENCH_SIZES=1000,20000 BENCH_STORES=memory,file npm run bench:http
 *   BENCH_SERVER_DIR=../other-checkout npm run bench:http
 *
 * Settings (environment):
 *   BENCH_SERVER_DIR       checkout whose server is started (default: this one)
 *   BENCH_SIZES            epic counts (default 1000,20000,100000)
 *   BENCH_STORES           memory,file,mongodb (default all three)
 *   BENCH_RUNS             runs of each mutation and of GET /v1/backlog (default 15)
 *   BENCH_FAST_RUNS        runs of the 304 and GET /v1/epics/{id} (default 50)
 *   BENCH_FLOOR_SAMPLES    samples of each floor before each phase (default 5; 4x that of /livez)
 *   BENCH_IMPORT_RUNS      imports per size (default 5 up to 1,000 epics, 3 up to 20,000 but 1 on
 *                          MongoDB, then 1)
 *   BENCH_REQUEST_TIMEOUT_MS  a request not answered by then fails its case (default 15 minutes)
 *   MONGODB_URI            a MongoDB to use; otherwise SecantusDB from SECANTUS_CMD or
 *                          .tools/venv (bash scripts/suites/mongo.sh installs it)
 *   BENCH_MONGO_MAX_EPICS  largest size run on MongoDB (default 20000 on SecantusDB, none on MONGODB_URI)
 *   BENCH_MONGODB_TIMEOUT_MS  the server's MONGODB_TIMEOUT_MS (default 600000, so that a slow
 *                          import is measured rather than refused; "" keeps the service's default)
 * The results also go to reports/http-bench-<time>.json and, as one line, to stdout (BENCH_HTTP_JSON).
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import {
  type Answer,
  type BenchServer,
  bytesWritten,
  folderState,
  type StoreKind,
  startServer,
} from './bench-server.js';
import { generateDictionary, LINK_SPAN } from './epic-generator.js';
import { SECANTUS_CMD, startSecantus } from './secantus.js';
import { median, percentile, timeOnce } from './stats.js';
import { type IndexedDag, indexDag, indexedStatuses, STATUS_NAMES } from './status-floor.js';

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER_DIR = path.resolve(process.env.BENCH_SERVER_DIR || PROJECT_DIR);
const SIZES = listOf(process.env.BENCH_SIZES, '1000,20000,100000').map(Number);
const STORES = listOf(process.env.BENCH_STORES, 'memory,file,mongodb') as StoreKind[];
const RUNS = Number(process.env.BENCH_RUNS || 15);
const FAST_RUNS = Number(process.env.BENCH_FAST_RUNS || 50);
const WARM_UP = 2;
/** Samples of each in-process floor per block (and four times as many of /livez); seven blocks per case. */
const FLOOR_SAMPLES = Number(process.env.BENCH_FLOOR_SAMPLES || 5);
const MONGO_TIMEOUT_MS =
  process.env.BENCH_MONGODB_TIMEOUT_MS === '' ? undefined : Number(process.env.BENCH_MONGODB_TIMEOUT_MS ?? 600_000);

function listOf(value: string | undefined, fallback: string): string[] {
  return (value || fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

for (const size of SIZES) if (!Number.isInteger(size) || size < 100) throw new Error(`BENCH_SIZES: ${size}?`);
for (const store of STORES)
  if (!['memory', 'file', 'mongodb'].includes(store)) throw new Error(`BENCH_STORES: unknown store ${store}`);

interface Figure {
  runs: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
}

/** Bytes written into the data folder per mutation (file store only). */
interface Bytes {
  median: number;
  mean: number;
  max: number;
}

interface CaseResult {
  store: StoreKind;
  epics: number;
  figures: Record<string, Figure>;
  bytes: Record<string, Bytes>;
  getBodyBytes?: number;
  dataFolderBytesAfterImport?: number;
  rssAfterImport?: number;
  rssAtEnd?: number;
  rssPeak?: number;
  notes: string[];
  error?: string;
}

const FIGURES: [key: string, label: string][] = [
  ['import', 'import (POST /v1/backlog, into empty)'],
  ['get', 'GET /v1/backlog (whole body)'],
  ['get304', 'GET /v1/backlog, If-None-Match (304)'],
  ['epic', 'GET /v1/epics/{id}'],
  ['deleteTask', 'DELETE /v1/tasks/{id}'],
  ['deleteTaskMinimal', 'DELETE /v1/tasks/{id}, return=minimal'],
  ['link', 'POST /v1/epics/{id}/epics (link)'],
  ['stringify', 'floor: JSON.stringify(same view)'],
  ['statusPass', 'floor: int-indexed status pass'],
  ['livez', 'floor: GET /livez'],
];

function figureOf(times: number[]): Figure {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    p50: median(sorted),
    p90: percentile(sorted, 90),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

function bytesOf(values: number[]): Bytes {
  return {
    median: median(values),
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    max: Math.max(...values),
  };
}

function expectStatus(answer: Answer, wanted: number[], what: string): Answer {
  if (!wanted.includes(answer.status)) {
    throw new Error(
      `${what}: answered ${answer.status}, expected ${wanted.join(' or ')}: ${answer.body.toString().slice(0, 300)}`,
    );
  }
  return answer;
}

/** `count` items spread evenly over the list (deterministic), so no run favours one end of the backlog. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length < count) throw new Error(`need ${count} items, the backlog has ${items.length}`);
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

interface ViewEpic {
  id: string;
  status: string;
  tasks: string[];
  bugs: string[];
  epics: string[];
}

async function runCase(
  server: BenchServer,
  store: StoreKind,
  epics: number,
  importBody: string,
  dataDir: string | undefined,
): Promise<CaseResult> {
  const result: CaseResult = { store, epics, figures: {}, bytes: {}, notes: [] };
  const times: Record<string, number[]> = {};
  const bytes: Record<string, number[]> = {};

  let floors: { view: { epics: ViewEpic[] }; dag: IndexedDag } | undefined;
  /**
   * A few samples of each floor, taken before each phase rather than once: on a shared
   * machine the load drifts within minutes, and a ratio is only fair when a figure and its
   * floor were measured under the same load. The pause first lets the server finish the
   * aftermath of the last request (a collection after a 10 MB answer), so /livez
   * measures an idle server, as a floor should.
   */
  const floorBlock = async (): Promise<void> => {
    if (!floors) return;
    const { view, dag } = floors;
    await sleep(250);
    for (let i = 0; i < FLOOR_SAMPLES; i++) {
      append(
        times,
        'stringify',
        timeOnce(() => JSON.stringify(view)),
      );
      append(
        times,
        'statusPass',
        timeOnce(() => indexedStatuses(dag)),
      );
    }
    for (let i = 0; i < 4 * FLOOR_SAMPLES; i++) {
      append(times, 'livez', expectStatus(await server.request('GET', '/livez'), [200], 'GET /livez').ms);
    }
  };

  /** One request, measured when `key` is given; on the file store also the bytes it wrote into the data folder. */
  const timed = async (
    key: string | undefined,
    method: string,
    url: string,
    wanted: number[],
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const before = dataDir && method !== 'GET' ? await folderState(dataDir) : undefined;
    const answer = expectStatus(await server.request(method, url, options), wanted, `${method} ${url}`);
    if (key) {
      append(times, key, answer.ms);
      if (before && dataDir) append(bytes, key, bytesWritten(before, await folderState(dataDir)));
    }
    return answer;
  };

  for (let i = 0; i < 10; i++) await timed(undefined, 'GET', '/livez', [200]);

  // Repeating an import needs a PUT {} over the whole backlog first, which MongoDB on the
  // test server could not finish at 20,000 epics: one import there.
  const importRuns = Number(
    process.env.BENCH_IMPORT_RUNS || (epics <= 1_000 ? 5 : epics <= 20_000 && store !== 'mongodb' ? 3 : 1),
  );
  for (let run = 0; run < importRuns; run++) {
    // Each import goes into an empty backlog: importing the same document again would change nothing.
    if (run > 0) await timed(undefined, 'PUT', '/v1/backlog', [200], { body: '{}' });
    await timed('import', 'POST', '/v1/backlog', [200], { body: importBody });
  }
  if (dataDir)
    result.dataFolderBytesAfterImport = [...(await folderState(dataDir)).values()].reduce((s, f) => s + f.size, 0);
  result.rssAfterImport = (await server.memory()).rss;

  // The floors work on the view the server answered, parsed here once.
  let get = await timed(undefined, 'GET', '/v1/backlog', [200]);
  const view = JSON.parse(get.body.toString()) as { epics: ViewEpic[] };
  if (view.epics.length !== epics) throw new Error(`the backlog holds ${view.epics.length} epics, not ${epics}`);
  const dag = indexDag(view.epics);
  const statuses = indexedStatuses(dag);
  const differing = view.epics.filter((epic, i) => STATUS_NAMES[statuses[i] as number] !== epic.status);
  if (differing.length > 0) {
    result.notes.push(
      `the status floor disagrees with the server on ${differing.length} epics, e.g. ${differing[0]?.id}`,
    );
  }
  JSON.stringify(view); // warm-up
  floors = { view, dag };

  for (let i = 1; i < WARM_UP; i++) await timed(undefined, 'GET', '/v1/backlog', [200]);
  await floorBlock();
  for (let i = 0; i < RUNS; i++) get = await timed('get', 'GET', '/v1/backlog', [200]);
  result.getBodyBytes = get.body.length;
  const etag = get.headers.etag;
  if (etag) {
    const headers = { 'if-none-match': etag };
    await floorBlock();
    for (let i = 0; i < WARM_UP; i++) await timed(undefined, 'GET', '/v1/backlog', [304], { headers });
    for (let i = 0; i < FAST_RUNS; i++) await timed('get304', 'GET', '/v1/backlog', [304], { headers });
  } else result.notes.push('GET /v1/backlog carries no ETag: no 304 measured');

  await floorBlock();
  for (const [i, id] of spread(view.epics, WARM_UP + FAST_RUNS).entries()) {
    await timed(i < WARM_UP ? undefined : 'epic', 'GET', `/v1/epics/${encodeURIComponent(id.id)}`, [200]);
  }

  // A different task each time, spread over the backlog; the second half with Prefer: return=minimal.
  const tasks = spread(
    view.epics.flatMap((epic) => epic.tasks),
    2 * (WARM_UP + RUNS),
  );
  for (const [i, task] of tasks.entries()) {
    const minimal = i >= WARM_UP + RUNS;
    const warm = i % (WARM_UP + RUNS) < WARM_UP;
    const key = warm ? undefined : minimal ? 'deleteTaskMinimal' : 'deleteTask';
    const headers: Record<string, string> = minimal ? { prefer: 'return=minimal' } : {};
    if (i % (WARM_UP + RUNS) === 0) await floorBlock();
    await timed(key, 'DELETE', `/v1/tasks/${encodeURIComponent(task)}`, minimal ? [200, 204] : [200], { headers });
  }

  // Generated links only go forward, at most LINK_SPAN epics ahead: a link from epic i to an epic
  // further ahead than that is new and cannot close a cycle. One link per parent, so none repeats.
  const parents = spread(
    view.epics.slice(0, epics - LINK_SPAN - 10).map((_, i) => i),
    WARM_UP + RUNS,
  );
  await floorBlock();
  for (const [run, parent] of parents.entries()) {
    const child = view.epics[parent + LINK_SPAN + 10]?.id;
    const url = `/v1/epics/${encodeURIComponent(view.epics[parent]?.id ?? '')}/epics`;
    await timed(run < WARM_UP ? undefined : 'link', 'POST', url, [201], { body: JSON.stringify({ id: child }) });
  }

  await floorBlock();
  const memory = await server.memory();
  result.rssAtEnd = memory.rss;
  result.rssPeak = memory.peak;
  for (const [key, values] of Object.entries(times)) result.figures[key] = figureOf(values);
  for (const [key, values] of Object.entries(bytes)) result.bytes[key] = bytesOf(values);
  return result;
}

function append(samples: Record<string, number[]>, key: string, value: number): void {
  const list = samples[key] ?? [];
  list.push(value);
  samples[key] = list;
}

const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1);
const ratio = (value: number | undefined, floor: number | undefined) =>
  value === undefined || !floor ? '-' : `${(value / floor).toFixed(value / floor < 1 ? 2 : 1)}x`;
const mb = (value: number | undefined) => (value === undefined ? '-' : `${(value / 1024 / 1024).toFixed(1)} MB`);
const size = (value: number | undefined) =>
  value === undefined ? '-' : value < 10_240 ? `${Math.round(value)} B` : `${(value / 1024).toFixed(0)} KB`;

function printCase(result: CaseResult): void {
  const f = result.figures;
  const stringify = f.stringify?.p50;
  const livez = f.livez?.p50;
  console.log(`\n== ${result.store} store, ${result.epics.toLocaleString('en')} epics ==`);
  if (result.error) {
    console.log(`!! FAILED: ${result.error}`);
    return;
  }
  console.log(
    `GET body ${mb(result.getBodyBytes)}; RSS after import ${mb(result.rssAfterImport)}, at the end ${mb(result.rssAtEnd)} (peak ${mb(result.rssPeak)})` +
      (result.dataFolderBytesAfterImport === undefined
        ? ''
        : `; data folder after import ${mb(result.dataFolderBytesAfterImport)}`),
  );
  console.log(
    `${'figure'.padEnd(40)}${'runs'.padStart(5)}${'p50 ms'.padStart(10)}${'p90 ms'.padStart(10)}${'/stringify'.padStart(11)}${'/livez'.padStart(9)}   bytes written per op (median / mean / max)`,
  );
  for (const [key, label] of FIGURES) {
    const figure = f[key];
    if (!figure) continue;
    const written = result.bytes[key];
    console.log(
      `${label.padEnd(40)}${String(figure.runs).padStart(5)}${ms(figure.p50).padStart(10)}${ms(figure.p90).padStart(10)}` +
        `${ratio(figure.p50, stringify).padStart(11)}${ratio(figure.p50, livez).padStart(9)}` +
        (written ? `   ${size(written.median)} / ${size(written.mean)} / ${size(written.max)}` : ''),
    );
  }
  for (const note of result.notes) console.log(`note: ${note}`);
}

/** One markdown table of every case, p50s, for before/after notes. */
function printSummary(results: CaseResult[]): void {
  console.log('\n== Summary (p50 ms; ratios to floors measured in the same run) ==\n');
  console.log(
    '| store | epics | import | GET | GET/stringify | 304 | 304/livez | epic | epic/livez | task delete | delete/stringify | delete minimal | link | stringify | status pass | livez | bytes/delete | RSS import/end |',
  );
  console.log(`|${' --- |'.repeat(18)}`);
  for (const r of results) {
    const f = r.figures;
    const cells = r.error
      ? ['failed', ...Array(15).fill('')]
      : [
          ms(f.import?.p50),
          ms(f.get?.p50),
          ratio(f.get?.p50, f.stringify?.p50),
          ms(f.get304?.p50),
          ratio(f.get304?.p50, f.livez?.p50),
          ms(f.epic?.p50),
          ratio(f.epic?.p50, f.livez?.p50),
          ms(f.deleteTask?.p50),
          ratio(f.deleteTask?.p50, f.stringify?.p50),
          ms(f.deleteTaskMinimal?.p50),
          ms(f.link?.p50),
          ms(f.stringify?.p50),
          ms(f.statusPass?.p50),
          ms(f.livez?.p50),
          r.bytes.deleteTask ? size(r.bytes.deleteTask.median) : '-',
          `${mb(r.rssAfterImport)} / ${mb(r.rssAtEnd)}`,
        ];
    console.log(`| ${r.store} | ${r.epics.toLocaleString('en')} | ${cells.join(' | ')} |`);
  }
}

/** The targets at 100,000 epics on the file store, from this run. */
function printTargets(results: CaseResult[]): void {
  const large = results.find((r) => r.store === 'file' && r.epics === 100_000 && !r.error);
  const small = results.find((r) => r.store === 'file' && r.epics === 1_000 && !r.error);
  console.log('\n== Targets at 100,000 epics, file store ==');
  if (!large) {
    console.log('n/a: the file store at 100,000 epics was not measured in this run');
    return;
  }
  const f = large.figures;
  const check = (label: string, value: number | undefined, limit: number, unit: string) => {
    const shown = value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(unit === 'B' ? 0 : 2)}${unit}`;
    const verdict = value === undefined || Number.isNaN(value) ? 'n/a ' : value <= limit ? 'MET ' : 'MISSED';
    console.log(`${verdict.padEnd(7)} ${label.padEnd(56)} ${shown.padStart(12)}  (target <= ${limit}${unit})`);
  };
  const over = (a: Figure | undefined, b: Figure | undefined) => (a && b ? a.p50 / b.p50 : undefined);
  check('task delete p50 / JSON.stringify floor', over(f.deleteTask, f.stringify), 2, 'x');
  check('GET /v1/backlog p50 / JSON.stringify floor', over(f.get, f.stringify), 1.5, 'x');
  check('304 p50 / GET /livez p50', over(f.get304, f.livez), 3, 'x');
  check('GET /v1/epics/{id} p50 / GET /livez p50', over(f.epic, f.livez), 5, 'x');
  check('bytes written per task delete (median)', large.bytes.deleteTask?.median, 4096, 'B');
  check(
    'task delete return=minimal p50, 100,000 / 1,000 epics',
    over(f.deleteTaskMinimal, small?.figures.deleteTaskMinimal),
    3,
    'x',
  );
  console.log('(the full status pass <= 20 ms and the incremental update < 1 ms are in-process figures: bench/run.ts)');
}

function describeCheckout(dir: string): string {
  try {
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim();
    return `${commit}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

async function main(): Promise<void> {
  const checkout = describeCheckout(SERVER_DIR);
  const version = JSON.parse(readFileSync(path.join(SERVER_DIR, 'package.json'), 'utf8')).version;
  console.log(`HTTP benchmark: server ${SERVER_DIR} (${checkout}, version ${version}), node ${process.version}`);
  console.log(
    `sizes ${SIZES.join(', ')}; stores ${STORES.join(', ')}; ${RUNS} runs per mutation and GET, ${FAST_RUNS} per 304 and epic GET, floors sampled before each phase; sequential, one keep-alive connection on 127.0.0.1`,
  );
  const scratch = await mkdtemp(path.join(tmpdir(), 'backlog-http-bench-'));
  const results: CaseResult[] = [];
  let secantus: { uri: string; process: ChildProcess } | undefined;
  let mongoUri = process.env.MONGODB_URI;
  let mongoMax = Number(process.env.BENCH_MONGO_MAX_EPICS || Number.POSITIVE_INFINITY);
  try {
    if (STORES.includes('mongodb') && !mongoUri) {
      secantus = await startSecantus(path.join(scratch, 'secantus'));
      mongoUri = secantus?.uri;
      if (secantus) {
        // SecantusDB (a Python test server) is far slower than MongoDB: 100,000 epics would take too long.
        mongoMax = Number(process.env.BENCH_MONGO_MAX_EPICS || 20_000);
        console.log(
          `MongoDB: SecantusDB (${SECANTUS_CMD}, --sync-on-commit), sizes up to ${mongoMax.toLocaleString('en')} epics`,
        );
      } else {
        console.log('\n############################################################');
        console.log('## MongoDB SKIPPED: no MONGODB_URI and no SecantusDB at');
        console.log(`## ${SECANTUS_CMD} (bash scripts/suites/mongo.sh installs it)`);
        console.log('############################################################');
      }
    } else if (mongoUri && STORES.includes('mongodb')) console.log('MongoDB: MONGODB_URI from the environment');
    if (mongoUri && STORES.includes('mongodb')) {
      console.log(
        `MongoDB: the server runs with MONGODB_TIMEOUT_MS=${MONGO_TIMEOUT_MS ?? 'its default'} so that slow commits are measured, not refused`,
      );
    }

    for (const epics of SIZES) {
      const importBody = JSON.stringify(generateDictionary(epics));
      for (const store of STORES) {
        if (store === 'mongodb' && (!mongoUri || epics > mongoMax)) {
          if (mongoUri)
            console.log(
              `\n== mongodb store, ${epics.toLocaleString('en')} epics: SKIPPED (over BENCH_MONGO_MAX_EPICS=${mongoMax}) ==`,
            );
          continue;
        }
        const name = `${store}-${epics}`;
        const dataDir = store === 'file' ? path.join(scratch, name) : undefined;
        const dbName = `bench_http_${process.pid}_${epics}`;
        const logFile = path.join(scratch, `${name}.log`);
        let server: BenchServer | undefined;
        let result: CaseResult;
        try {
          server = await startServer({
            serverDir: SERVER_DIR,
            store,
            logFile,
            ...(dataDir ? { dataDir } : {}),
            ...(store === 'mongodb' && mongoUri
              ? { mongo: { uri: mongoUri, dbName, timeoutMs: MONGO_TIMEOUT_MS } }
              : {}),
          });
          result = await runCase(server, store, epics, importBody, dataDir);
        } catch (error) {
          result = { store, epics, figures: {}, bytes: {}, notes: [], error: (error as Error).message };
          const log = await readFile(logFile, 'utf8').catch(() => '');
          if (log) result.notes.push(`server log tail: ${log.slice(-1500)}`);
        } finally {
          await server?.stop();
          if (dataDir) await rm(dataDir, { recursive: true, force: true });
          if (store === 'mongodb' && mongoUri) await dropDatabase(mongoUri, dbName);
        }
        results.push(result);
        printCase(result);
        for (const note of result.error ? result.notes : []) console.log(note);
      }
    }
  } finally {
    secantus?.process.kill('SIGTERM');
    await rm(scratch, { recursive: true, force: true });
  }

  printSummary(results);
  printTargets(results);
  const report = {
    at: new Date().toISOString(),
    server: { dir: SERVER_DIR, checkout, version },
    node: process.version,
    runs: RUNS,
    fastRuns: FAST_RUNS,
    mongo: secantus ? 'SecantusDB' : mongoUri ? 'MONGODB_URI' : 'skipped',
    results,
  };
  const reportsDir = path.join(PROJECT_DIR, 'reports');
  await mkdir(reportsDir, { recursive: true });
  const file = path.join(reportsDir, `http-bench-${report.at.replaceAll(':', '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nreport: ${file}`);
  console.log(`BENCH_HTTP_JSON ${JSON.stringify(report)}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

/** Best effort, bounded: a scratch database on a test server that may still be busy with an abandoned commit. */
async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  const timer = new Promise((resolve) => setTimeout(resolve, 60_000).unref());
  try {
    await Promise.race([client.db(dbName).dropDatabase(), timer]);
  } catch {
    // left for the test server's scratch folder to take away
  } finally {
    await client.close(true);
  }
}

await main();
