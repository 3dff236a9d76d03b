// Deployment files checked with the real tools, offline (no Docker engine, no cluster), run by
// scripts/suites/deploy.sh, which provides them (DEPLOY_VENV: hadolint, docker-compose and
// kubernetes-validate from PyPI; KUSTOMIZE: the command that renders a kustomization):
//   - the Dockerfile passes hadolint, and its runtime stage is rehearsed without an engine;
//   - docker-compose's own `config` validates and merges each variant as it is used, the merged
//     result validates against the Compose Specification schema and keeps what the variant is for;
//     production refuses to start without its required variables;
//   - every kustomize overlay renders (development from a fresh clone, with no extra step; staging
//     and production only once their git-ignored secret files exist), and test/deploy/check_k8s.py
//     validates the renderings against the Kubernetes API schemas (strict) and the policy.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_NAMES } from '../../src/config.js';
import { freePort } from '../helpers/free-port.js';
import {
  API,
  composeEnvNames,
  composeSchemaProblems,
  execForm,
  isObject,
  type JsonObject,
  parseDockerfile,
  ROOT,
  readText,
  unknownEnvNames,
} from './lib.js';

const VENV = process.env.DEPLOY_VENV ?? '';
const KUSTOMIZE = (process.env.KUSTOMIZE ?? '').split(' ').filter(Boolean);
const work = mkdtempSync(join(tmpdir(), 'backlog-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a tool; its output is shown when an assertion on the result fails. */
function tool(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: options.cwd ?? ROOT, env: options.env });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Dockerfile', () => {
  it('passes hadolint', () => {
    const { status, output } = tool(`${VENV}/bin/hadolint`, ['Dockerfile']);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  // What the runtime stage holds (production dependencies from `npm ci --omit=dev`, the compiled
  // dist/, public/), started as its CMD, probed with its HEALTHCHECK, stopped as `docker stop` does.
  it('runtime stage rehearsed: CMD serves, HEALTHCHECK passes, SIGTERM exits 0', async () => {
    const runtime = parseDockerfile(readText('Dockerfile')).find((s) => s.name === 'runtime');
    const last = (keyword: string) =>
      execForm(runtime?.instructions.findLast((i) => i.keyword === keyword)?.args ?? '');
    const [command = '', ...args] = last('CMD') ?? [];
    const healthcheck = last('HEALTHCHECK') ?? [];
    expect(command).toBe('node');
    const rt = join(work, 'runtime');
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', join(rt, 'dist')], { cwd: ROOT });
    for (const file of ['package.json', 'package-lock.json', 'public'])
      cpSync(join(ROOT, file), join(rt, file), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: rt,
    });

    const port = String(await freePort());
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: port,
      DATA_DIR: join(rt, 'data'),
      API_KEYS: 'rehearsal-key',
    };
    const server: ChildProcess = spawn(process.execPath, args, { cwd: rt, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    const probe = () => spawnSync(process.execPath, healthcheck.slice(1), { env: { PORT: port } }).status;
    try {
      for (let i = 0; i < 80 && probe() !== 0 && server.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 250));
      expect(probe(), 'HEALTHCHECK').toBe(0);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('still running 10 s after SIGTERM'), 10_000)),
    ]);
    if (code !== 0) server.kill('SIGKILL');
    expect(code).toBe(0);
  }, 300_000);
});

describe('docker compose', () => {
  const prodEnv = {
    DOMAIN: 'backlog.example.com',
    ACME_EMAIL: 'ops@example.com',
    API_KEYS: 'check-key',
    MONGO_ROOT_PASSWORD: 'check-password',
  };
  // docker-compose in a clean environment: no COMPOSE_* or deployment variables from the caller's shell.
  const compose = (env: Record<string, string>, args: string[]) =>
    tool(`${VENV}/bin/docker-compose`, ['--project-directory', ROOT, ...args], {
      env: { PATH: process.env.PATH, HOME: work, ...env },
    });
  const merged = (files: string[], env: Record<string, string> = {}) => {
    const { status, output } = compose(env, [...files.flatMap((f) => ['-f', f]), 'config', '--format', 'json']);
    expect(status, output).toBe(0);
    return JSON.parse(output) as JsonObject;
  };

  it('development: a plain `docker compose` merges the override; the dev target, ports and mongo-express', () => {
    const development = merged([]);
    expect(development).toEqual(merged(['docker-compose.yml', 'docker-compose.override.yml']));
    const problems = composeProblems(development);
    const api = service(development, API);
    if (api.environment?.NODE_ENV !== 'development' || api.build?.target !== 'dev') problems.push('NODE_ENV/target');
    for (const s of [API, 'mongo', 'mongo-express'])
      if (!service(development, s).ports?.length) problems.push(`${s} has no port`);
    expect(problems).toEqual([]);
  });

  it('production: runtime target behind Traefik only, restart policies, no development password', () => {
    const production = merged(['docker-compose.yml', 'docker-compose.prod.yml'], prodEnv);
    const problems = composeProblems(production);
    const api = service(production, API);
    if (api.environment?.NODE_ENV !== 'production' || api.build?.target !== 'runtime') problems.push('NODE_ENV/target');
    if (service(production, 'mongo').ports || api.ports) problems.push('only traefik publishes ports');
    if (service(production, 'traefik').ports?.length !== 2) problems.push('traefik publishes 80 and 443');
    for (const [name, s] of Object.entries(production.services as JsonObject)) {
      if (!isObject(s) || s.restart !== 'unless-stopped') problems.push(`${name} restart policy`);
    }
    expect(problems).toEqual([]);
    expect(JSON.stringify(production)).not.toContain('development-only');
  });

  it.each(Object.keys(prodEnv))('production refuses to start without %s', (missing) => {
    const env = Object.fromEntries(Object.entries(prodEnv).filter(([name]) => name !== missing));
    const { status, output } = compose(env, [
      '-f',
      'docker-compose.yml',
      '-f',
      'docker-compose.prod.yml',
      'config',
      '-q',
    ]);
    expect(status).not.toBe(0);
    expect(output).toContain(missing);
  });

  it('base alone validates', () => {
    expect(composeProblems(merged(['docker-compose.yml']))).toEqual([]);
  });
});

interface Service {
  environment?: Record<string, string>;
  build?: { target?: string };
  ports?: unknown[];
  restart?: string;
  depends_on?: { mongo?: { condition?: string } };
}
function service(project: JsonObject, name: string): Service {
  return ((project.services as JsonObject)[name] ?? {}) as Service;
}

/** The Compose Specification schema, the api's variable names, and the api waiting for mongo. */
function composeProblems(project: JsonObject): string[] {
  const problems = composeSchemaProblems(project).map((p) => `schema: ${p}`);
  const api = service(project, API);
  for (const unknown of unknownEnvNames(composeEnvNames(api.environment), CONFIG_ENV_NAMES)) {
    problems.push(`api environment: ${unknown} is not one of CONFIG_ENV_NAMES`);
  }
  if (
    !/^mongodb:\/\/root:[^@]+@mongo:27017\/\?replicaSet=rs0&authSource=admin$/.test(api.environment?.MONGODB_URI ?? '')
  ) {
    problems.push(`api MONGODB_URI ${api.environment?.MONGODB_URI}: mongo's replica set, as root`);
  }
  if (api.depends_on?.mongo?.condition !== 'service_healthy') problems.push('api must wait for a healthy mongo');
  return problems;
}

describe('kustomize', () => {
  // A copy of k8s/ as a fresh clone has it: no secret file.
  const k8s = join(work, 'k8s');
  cpSync(join(ROOT, 'k8s'), k8s, {
    recursive: true,
    filter: (source) => !/\/secrets\/[^/]+\.env$/.test(source) || source.endsWith('.example.env'),
  });
  const render = (overlay: string) => tool(KUSTOMIZE[0] ?? '', [...KUSTOMIZE.slice(1), join(k8s, 'overlays', overlay)]);
  const rendered: string[] = [];
  const keep = (name: string, overlay = name) => {
    const { status, output } = render(overlay);
    expect(status, output).toBe(0);
    writeFileSync(join(work, `${name}.yaml`), output);
    rendered.push(`${name}=${join(work, `${name}.yaml`)}`);
  };

  it('development renders from a fresh clone, with no extra step', () => keep('development'));

  it.each(['staging', 'production'])('%s refuses to render until its secret files exist, then renders', (overlay) => {
    const { status, output } = render(overlay);
    expect(status).not.toBe(0);
    expect(output).toMatch(/secrets\/(api|mongodb)\.env/);
    const secrets = join(k8s, 'overlays', overlay, 'secrets');
    for (const example of readdirSync(secrets).filter((f) => f.endsWith('.example.env'))) {
      cpSync(join(secrets, example), join(secrets, example.replace('.example.env', '.env')));
    }
    keep(overlay);
  });

  it('production-external-mongodb and the component on staging render', () => {
    keep('production-external-mongodb');
    const overlay = join(k8s, 'overlays', 'staging-external-mongodb');
    cpSync(join(k8s, 'overlays', 'staging'), overlay, { recursive: true });
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      `${readFileSync(join(overlay, 'kustomization.yaml'), 'utf8')}components:\n  - ../../components/external-mongodb\n`,
    );
    keep('staging-external-mongodb');
  });

  it('renderings: Kubernetes 1.30 and 1.37 schemas (strict), CONFIG_ENV_NAMES and policy (check_k8s.py)', () => {
    expect(rendered.length).toBe(5);
    const names = join(work, 'env-names.json');
    writeFileSync(names, JSON.stringify(CONFIG_ENV_NAMES));
    const { status, output } = tool(`${VENV}/bin/python`, [
      'test/deploy/check_k8s.py',
      names,
      '1.30.0,1.37.0',
      ...rendered,
    ]);
    console.log(output);
    expect(status, output).toBe(0);
  });

  it('staging and production secret files are git-ignored; only examples are committed', () => {
    if (!existsSync(join(ROOT, '.git'))) return; // the Docker test stage has no repository
    for (const overlay of ['staging', 'production']) {
      for (const file of ['api', 'mongodb']) {
        const path = `k8s/overlays/${overlay}/secrets/${file}`;
        expect(tool('git', ['check-ignore', '-q', `${path}.env`]).status, `${path}.env ignored`).toBe(0);
        expect(tool('git', ['check-ignore', '-q', `${path}.example.env`]).status, `${path}.example.env kept`).toBe(1);
      }
    }
    const tracked = execFileSync('git', ['ls-files', '--', 'k8s/*.env'], { cwd: ROOT, encoding: 'utf8' });
    expect(tracked.split('\n').filter((f) => f.includes('/secrets/') && !f.endsWith('.example.env'))).toEqual([]);
  });
});
