// Deployment files checked without any tool (fast; part of the main unit run):
// compose files against the Compose Specification schema, every environment variable name
// handed to the service against src/config.ts CONFIG_ENV_NAMES, and the Dockerfile's stages.
// Tool-based checks (hadolint, docker-compose merge, kustomize + Kubernetes schemas) are in
// test/deploy/tools.test.ts, run by scripts/suites/deploy.sh.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV_NAMES } from '../../src/config.js';
import {
  API,
  COMPOSE_FILES,
  composeEnvNames,
  composeSchemaProblems,
  type DockerfileStage,
  execForm,
  isObject,
  type Json,
  type JsonObject,
  k8sApiEnvNames,
  parseDockerfile,
  ROOT,
  readText,
  readYaml,
  unknownEnvNames,
  walkFiles,
} from './lib.js';

const compose = Object.fromEntries(COMPOSE_FILES.map((file) => [file, readYaml(file)])) as Record<
  (typeof COMPOSE_FILES)[number],
  JsonObject
>;

function service(file: (typeof COMPOSE_FILES)[number], name: string): JsonObject {
  const services = compose[file].services;
  const found = isObject(services) ? services[name] : undefined;
  if (!isObject(found)) throw new Error(`${file} has no service ${name}`);
  return found;
}

function object(value: Json | undefined): JsonObject {
  if (!isObject(value)) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value;
}

const stages = parseDockerfile(readText('Dockerfile'));
function stage(name: string): DockerfileStage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
}
function runs(s: DockerfileStage): string[] {
  return s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

describe('environment variable names match src/config.ts CONFIG_ENV_NAMES', () => {
  it('the list comes from src/config.ts', () => {
    expect(CONFIG_ENV_NAMES).toContain('MONGODB_URI');
    expect(CONFIG_ENV_NAMES).toContain('API_KEYS');
  });

  it('flags a misspelt name', () => {
    expect(unknownEnvNames(['MONGODB_URI', 'MONGO_URI', 'LOG_LVL'], CONFIG_ENV_NAMES)).toEqual([
      'LOG_LVL',
      'MONGO_URI',
    ]);
    expect(composeEnvNames(['NODE_ENV=production', 'API_KEY'])).toEqual(['NODE_ENV', 'API_KEY']);
  });

  it.each(COMPOSE_FILES)('%s: the api service sets only known names', (file) => {
    const api = service(file, API);
    expect(unknownEnvNames(composeEnvNames(api.environment), CONFIG_ENV_NAMES)).toEqual([]);
    expect(api.env_file).toBeUndefined();
  });

  it('k8s: ConfigMap and Secret sources, generator literals and api container env use only known names', () => {
    const uses = k8sApiEnvNames();
    expect(uses.map((use) => use.name)).toEqual(expect.arrayContaining(['NODE_ENV', 'MONGODB_URI', 'API_KEYS']));
    const unknown = uses.filter((use) => unknownEnvNames([use.name], CONFIG_ENV_NAMES).length > 0);
    expect(unknown).toEqual([]);
  });
});

describe('compose files', () => {
  it.each(COMPOSE_FILES)('%s validates against the Compose Specification schema', (file) => {
    expect(composeSchemaProblems(compose[file])).toEqual([]);
  });

  it('the schema check rejects an unknown key and a wrong type', () => {
    expect(composeSchemaProblems({ services: { api: { image: 'x', bogus: 1 } } })).not.toEqual([]);
    expect(composeSchemaProblems({ services: { api: { image: 'x', ports: 3000 } } })).not.toEqual([]);
  });

  it('base: the api talks to the mongo replica set as root and waits for it to be healthy', () => {
    const api = service('docker-compose.yml', API);
    expect(object(api.environment).MONGODB_URI).toBe(
      `mongodb://root:\${MONGO_ROOT_PASSWORD:-development-only-password}@mongo:27017/?replicaSet=rs0&authSource=admin`,
    );
    expect(object(api.environment).MONGODB_DB).toBe('backlog');
    expect(object(object(api.depends_on).mongo).condition).toBe('service_healthy');
    expect(object(api.build).target).toBe('runtime');
    expect(api.ports).toBeUndefined();
    expect(api.healthcheck).toBeDefined();

    const mongo = service('docker-compose.yml', 'mongo');
    expect(String(mongo.image)).toMatch(/^mongo:\d/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0', '--keyFile']));
    expect(object(mongo.environment).MONGO_INITDB_ROOT_USERNAME).toBe('root');
    // The entrypoint shim hands over to the image's entrypoint, which creates the root user.
    expect((mongo.entrypoint as string[]).join(' ')).toMatch(/exec docker-entrypoint\.sh "\$\$@"/);
    const volumes = (mongo.volumes as string[]).map((v) => v.split(':')[0]);
    expect(Object.keys(object(compose['docker-compose.yml'].volumes))).toEqual(expect.arrayContaining(volumes));
    const test = object(mongo.healthcheck).test as string[];
    const script = test.at(-1) ?? '';
    expect(script).toContain('rs.initiate(');
    expect(script).toContain("_id: 'rs0'");
    // mongosh runs plain JavaScript: it must at least parse (quit/rs/db are mongosh globals).
    expect(() => new Function('rs', 'db', 'quit', script)).not.toThrow();
  });

  it('override: development build target with dev dependencies, source mounted, npm run dev, ports, mongo-express', () => {
    const api = service('docker-compose.override.yml', API);
    const target = object(api.build).target;
    expect(stages.map((s) => s.name)).toContain(target);
    expect(runs(stage(String(target))).concat(runs(stage('deps')))).toContain('npm ci');
    const pkg = JSON.parse(readText('package.json')) as { scripts: Record<string, string> };
    // npm run dev execs node (no shell left between a signal and node); compose starts node directly.
    expect(['exec', ...(api.command as string[])].join(' ')).toBe(pkg.scripts.dev);
    expect(object(api.environment).NODE_ENV).toBe('development');
    expect(api.volumes).toEqual(expect.arrayContaining(['.:/app']));
    expect(api.ports).toEqual(['3000:3000']);
    expect(String(service('docker-compose.override.yml', 'mongo').ports)).toMatch(/:27017:27017$/);
    const express = service('docker-compose.override.yml', 'mongo-express');
    expect(String(express.image)).toMatch(/^mongo-express:/);
    expect(String(express.ports)).toMatch(/:8081:8081$/);
  });

  it('prod: Traefik v3 with Let’s Encrypt from the environment, no database port, restart policies, limits', () => {
    const prod = compose['docker-compose.prod.yml'];
    const traefik = service('docker-compose.prod.yml', 'traefik');
    expect(String(traefik.image)).toMatch(/^traefik:v3(\.|$)/);
    const command = (traefik.command as string[]).join('\n');
    expect(command).toContain('acme.email=${ACME_EMAIL');
    const labels = (service('docker-compose.prod.yml', API).labels as string[]).join('\n');
    expect(labels).toContain('Host(`${DOMAIN');
    expect(labels).toContain('tls.certresolver=letsencrypt');

    for (const name of Object.keys(object(prod.services))) {
      const s = service('docker-compose.prod.yml', name);
      expect(s.restart, name).toBe('unless-stopped');
      expect(object(object(object(s.deploy).resources).limits).memory, name).toBeDefined();
    }
    expect(service('docker-compose.prod.yml', 'mongo').ports).toBeUndefined();
    expect(service('docker-compose.yml', 'mongo').ports).toBeUndefined();

    const api = service('docker-compose.prod.yml', API);
    expect(object(api.environment).NODE_ENV).toBe('production');
    expect(api.secrets).toEqual(['api_keys']);
    expect(object(object(prod.secrets).api_keys).environment).toBe('API_KEYS');
    expect(api.command).toEqual(['node', 'dist/server.js']);
    // The entrypoint shim must exec the command, so that node stays PID 1 and receives SIGTERM.
    expect((api.entrypoint as string[]).join(' ')).toMatch(/exec "\$\$@"/);
  });
});

describe('Dockerfile', () => {
  it('has the dependency, build, test and runtime stages on the Node LTS that package.json engines allow', () => {
    expect(stages.map((s) => s.name)).toEqual(expect.arrayContaining(['deps', 'build', 'test', 'runtime']));
    const arg = /^ARG NODE_IMAGE=(\S+)$/m.exec(readText('Dockerfile'))?.[1];
    expect(arg).toMatch(/^node:24[-.]/);
    const pkg = JSON.parse(readText('package.json')) as { engines: { node: string }; scripts: Record<string, string> };
    expect(pkg.engines.node).toBe('>=22.12');
    expect(runs(stage('deps'))).toContain('npm ci');
    expect(runs(stage('build'))).toContain('npm run build');
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
  });

  it("the test stage runs the README's test command", () => {
    expect(runs(stage('test'))).toEqual(['npm test']);
    if (existsSync(`${ROOT}/README.md`)) expect(readText('README.md')).toContain('npm test');
  });

  it('the runtime stage is production-only, non-root, health-checked and starts node directly', () => {
    const runtime = stage('runtime');
    const all = runtime.instructions.map((i) => `${i.keyword} ${i.args}`).join('\n');
    expect(all).toMatch(/ENV [^\n]*NODE_ENV=production/);
    const user = runtime.instructions.findLast((i) => i.keyword === 'USER')?.args ?? '';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(user).not.toBe('');
    // Only production dependencies and the built output.
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((c) => /--from=build \/app\/dist/.test(c))).toBe(true);
    const depsFrom = /--from=(\S+) \/app\/node_modules/.exec(copies.join('\n'))?.[1];
    expect(runs(stage(String(depsFrom)))).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    const sources = copies.flatMap((c) =>
      c
        .replace(/--\S+\s+/g, '')
        .split(/\s+/)
        .slice(0, -1),
    );
    expect(sources.filter((source) => source === '.' || source.startsWith('src'))).toEqual([]);
    const cmd = runtime.instructions.findLast((i) => i.keyword === 'CMD');
    expect(execForm(cmd?.args ?? '')).toEqual(['node', 'dist/server.js']);
    expect(runtime.instructions.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
    const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toContain('/livez');
    expect(execForm(healthcheck?.args ?? '')?.[0]).toBe('node');
  });

  it('.dockerignore leaves out local state and secrets but keeps what the stages copy', () => {
    const ignore = readText('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', '.git', 'dist', '**/secrets/*.env']));
    for (const kept of ['package.json', 'package-lock.json', 'src', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(ignore).not.toContain(kept);
    }
  });
});

describe('health checks work as written', () => {
  let server: Server;
  let status = 200;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/livez' ? status : 404;
      res.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  function exitCode(argv: string[], env: Record<string, string>): Promise<number | null> {
    return new Promise((done, fail) => {
      const [command, ...args] = argv;
      const child = spawn(command === 'node' ? process.execPath : String(command), args, {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      });
      child.on('error', fail);
      child.on('exit', (code) => done(code));
    });
  }

  const dockerfile = execForm(
    stage('runtime').instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '',
  ) as string[];
  const composeTest = (object(service('docker-compose.yml', API).healthcheck).test as string[]).slice(1);

  it.each([
    ['Dockerfile HEALTHCHECK', dockerfile],
    ['docker-compose.yml api healthcheck', composeTest],
  ])('%s: 0 when /livez answers 200, 1 otherwise', async (_name, argv) => {
    status = 200;
    expect(await exitCode(argv, { PORT: String(port) })).toBe(0);
    status = 503;
    expect(await exitCode(argv, { PORT: String(port) })).toBe(1);
    server.closeAllConnections();
    const closed = await new Promise<number>((done) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => done(free));
      });
    });
    expect(await exitCode(argv, { PORT: String(closed) })).toBe(1);
  });
});

describe('k8s layout', () => {
  const files = walkFiles('k8s');
  it('has the base, the three overlays and the external-mongodb component', () => {
    for (const dir of ['base', 'overlays/development', 'overlays/staging', 'overlays/production']) {
      expect(files).toContain(`k8s/${dir}/kustomization.yaml`);
    }
    expect(files).toContain('k8s/components/external-mongodb/kustomization.yaml');
  });

  it('development generates its Secrets from committed literals: it applies from a fresh clone', () => {
    const generators = readYaml('k8s/overlays/development/kustomization.yaml').secretGenerator as JsonObject[];
    expect(generators.map((g) => g.name)).toEqual(['api-secrets', 'mongodb-auth']);
    for (const generator of generators) {
      expect(generator.envs).toBeUndefined();
      expect(generator.literals).toBeDefined();
    }
    expect(files.filter((f) => f.startsWith('k8s/overlays/development/secrets/'))).toEqual([]);
  });

  it('staging and production generate their Secrets from git-ignored files and ship examples of them', () => {
    for (const overlay of ['staging', 'production']) {
      const generators = readYaml(`k8s/overlays/${overlay}/kustomization.yaml`).secretGenerator as JsonObject[];
      expect(generators.map((g) => [g.name, g.envs])).toEqual([
        ['api-secrets', ['secrets/api.env']],
        ['mongodb-auth', ['secrets/mongodb.env']],
      ]);
      expect(files).toContain(`k8s/overlays/${overlay}/secrets/api.example.env`);
      expect(files).toContain(`k8s/overlays/${overlay}/secrets/mongodb.example.env`);
    }
  });

  it("every overlay pins the api image to package.json's version, never latest", () => {
    const { version } = JSON.parse(readText('package.json')) as { version: string };
    for (const overlay of ['development', 'staging', 'production']) {
      const images = readYaml(`k8s/overlays/${overlay}/kustomization.yaml`).images as JsonObject[];
      expect(images, overlay).toEqual([{ name: 'backlog-status-service', newTag: version }]);
    }
    expect(readYaml('k8s/base/kustomization.yaml').images).toBeUndefined();
    const composeImage = String(service('docker-compose.yml', API).image);
    expect(composeImage).toBe(`\${API_IMAGE:-backlog-status-service:${version}}`);
  });

  it('the public route (Ingress, Traefik) serves the API, the dashboard files and the problem pages only', () => {
    const ingress = readYaml('k8s/base/api/ingress.yaml');
    const rules = (ingress.spec as { rules: { http: { paths: { path: string; pathType: string }[] } }[] }).rules;
    const paths = rules.flatMap((r) => r.http.paths.map((p) => `${p.pathType} ${p.path}`));
    const publicFiles = readdirSync(`${ROOT}/public`).map((f) => `Exact /${f}`);
    expect(paths.sort()).toEqual(['Exact /', 'Prefix /problems', 'Prefix /v1', ...publicFiles].sort());
    const rule = (service('docker-compose.prod.yml', API).labels as string[]).find((l) => l.includes('.rule='));
    const traefik = [...String(rule).matchAll(/(PathPrefix|Path)\(`([^`]+)`\)/g)].map(
      ([, kind, path]) => `${kind === 'Path' ? 'Exact' : 'Prefix'} ${path}`,
    );
    expect(traefik.sort()).toEqual(paths.sort());
  });
});
