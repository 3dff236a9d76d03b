// Helpers for the deployment-file checks: test/deploy/*.test.ts (vitest, no tools needed)
// and test/deploy/tools.test.ts (run by scripts/suites/deploy.sh on docker-compose's merged output).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml'] as const;
/** The service's name in every compose file and its container's name in k8s. */
export const API = 'api';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function readText(path: string): string {
  return readFileSync(resolve(ROOT, path), 'utf8');
}

export function readYaml(path: string): JsonObject {
  return parse(readText(path)) as JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The Compose Specification JSON schema, as embedded in docker-compose v5.6.1
// (github.com/compose-spec/compose-go/v2 v2.16.1, schema/compose-spec.json, Apache-2.0).
let composeValidator: ReturnType<Ajv2020['compile']> | undefined;

/** Problems of a compose document against the Compose Specification schema; empty when it validates. */
export function composeSchemaProblems(document: unknown): string[] {
  if (!composeValidator) {
    const schema = JSON.parse(readText('test/deploy/schemas/compose-spec.json'));
    // strict off: the upstream schema uses `properties` without `type` in places, which ajv's strict mode refuses.
    composeValidator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  }
  if (composeValidator(document)) return [];
  return (composeValidator.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
  );
}

/** Variable names of a compose `environment` (map or list of NAME=value / NAME). */
export function composeEnvNames(environment: Json | undefined): string[] {
  if (environment === undefined || environment === null) return [];
  if (Array.isArray(environment)) return environment.map((entry) => String(entry).split('=')[0] ?? '');
  if (isObject(environment)) return Object.keys(environment);
  throw new Error(`unexpected environment: ${JSON.stringify(environment)}`);
}

/** Names that are not among the service's configuration variables (a misspelling, a stale name). */
export function unknownEnvNames(names: Iterable<string>, known: readonly string[]): string[] {
  const knownSet = new Set(known);
  return [...new Set(names)].filter((name) => !knownSet.has(name)).sort();
}

/** Keys of a dotenv-style file as kustomize reads it (KEY=value lines, # comments). */
export function envFileNames(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => line.split('=')[0]?.trim() ?? '');
}

export function walkFiles(dir: string): string[] {
  return readdirSync(resolve(ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(resolve(ROOT, path)).isDirectory() ? walkFiles(path) : [path];
  });
}

export interface EnvNameUse {
  readonly file: string;
  readonly name: string;
}

/**
 * Every environment variable name that k8s/ hands the api: keys of the env files that feed the
 * api-config ConfigMap and api-secrets Secret generators, `literals` of those generators, and
 * `env` entries of containers named `api` in any manifest or patch.
 */
export function k8sApiEnvNames(dir = 'k8s'): EnvNameUse[] {
  const uses: EnvNameUse[] = [];
  for (const file of walkFiles(dir)) {
    if (/\.env$/.test(file)) {
      // MongoDB's credentials (secrets/mongodb*.env) go to the mongodb-auth Secret, not the api.
      if (/\/mongodb(\.example)?\.env$/.test(file)) continue;
      // Every other env file feeds the api's generators; *.env other than *.example.env are local
      // secrets (git-ignored) and are checked too when present.
      for (const name of envFileNames(readText(file))) uses.push({ file, name });
      continue;
    }
    if (!/\.ya?ml$/.test(file)) continue;
    for (const document of parseAllDocuments(readText(file))) {
      collectFromManifest(document.toJS() as Json, file, uses);
    }
  }
  return uses;
}

function collectFromManifest(node: Json, file: string, uses: EnvNameUse[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectFromManifest(item, file, uses);
    return;
  }
  if (!isObject(node)) {
    // Inline patches (`patch: |- ...`) are YAML inside a string.
    if (typeof node === 'string' && /\n/.test(node) && /\bname:\s*api\b/.test(node)) {
      for (const document of parseAllDocuments(node)) collectFromManifest(document.toJS() as Json, file, uses);
    }
    return;
  }
  const generatorNames = ['api-config', 'api-secrets'];
  if (typeof node.name === 'string' && generatorNames.includes(node.name) && Array.isArray(node.literals)) {
    for (const literal of node.literals) uses.push({ file, name: String(literal).split('=')[0] ?? '' });
  }
  if (node.name === API && Array.isArray(node.env)) {
    for (const entry of node.env) if (isObject(entry)) uses.push({ file, name: String(entry.name) });
  }
  for (const value of Object.values(node)) collectFromManifest(value, file, uses);
}

export interface DockerfileInstruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface DockerfileStage {
  readonly name: string;
  readonly from: string;
  readonly instructions: DockerfileInstruction[];
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): DockerfileStage[] {
  const instructions: DockerfileInstruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending !== '' && line.startsWith('#')) return;
    if (pending === '') startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/s.exec(full);
    if (match) instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '', line: startLine });
  });
  const stages: DockerfileStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args);
      stages.push({ from: match?.[1] ?? '', name: match?.[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON array of an exec-form instruction (CMD ["node", "x"]), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  const json = args.replace(/^(--\S+\s+)*(CMD\s+)?/i, '');
  if (!json.startsWith('[')) return undefined;
  return JSON.parse(json) as string[];
}
