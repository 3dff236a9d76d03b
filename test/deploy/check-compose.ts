// Checks compose files, run by scripts/suites/deploy.sh:
//   node --import tsx test/deploy/check-compose.ts NAME=FILE...
// FILE is either one compose file as written (*.yml: checked alone) or docker-compose's merged,
// interpolated output (`docker-compose -f ... config --format json`). Each must validate against the
// Compose Specification schema and hand the api only names from src/config.ts CONFIG_ENV_NAMES;
// a merged project must also keep what its variant (base, development, production) is for.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONFIG_ENV_NAMES } from '../../src/config.js';
import { API, composeEnvNames, composeSchemaProblems, isObject, type JsonObject, unknownEnvNames } from './lib.js';

function check(name: string, project: JsonObject, merged: boolean): string[] {
  const problems = composeSchemaProblems(project).map((p) => `schema: ${p}`);
  const services = isObject(project.services) ? project.services : {};
  const api = services[API];
  if (!isObject(api)) return [...problems, 'no api service'];
  for (const unknown of unknownEnvNames(composeEnvNames(api.environment), CONFIG_ENV_NAMES)) {
    problems.push(`api environment: ${unknown} is not one of CONFIG_ENV_NAMES`);
  }
  if (!merged) return problems;
  const environment = isObject(api.environment) ? api.environment : {};
  const published = (service: string) => {
    const s = services[service];
    return isObject(s) && Array.isArray(s.ports) ? s.ports.length : 0;
  };
  if (environment.MONGODB_URI !== 'mongodb://mongo:27017/?replicaSet=rs0') problems.push('api MONGODB_URI');
  if (
    !isObject(api.depends_on) ||
    !isObject(api.depends_on.mongo) ||
    api.depends_on.mongo.condition !== 'service_healthy'
  ) {
    problems.push('api must wait for a healthy mongo');
  }
  const target = isObject(api.build) ? api.build.target : undefined;
  if (name === 'development') {
    if (environment.NODE_ENV !== 'development' || target !== 'dev') problems.push('development: NODE_ENV/target');
    if (!isObject(services['mongo-express'])) problems.push('development: mongo-express');
    for (const s of [API, 'mongo', 'mongo-express'])
      if (published(s) === 0) problems.push(`development: ${s} has no port`);
  }
  if (name === 'production') {
    if (environment.NODE_ENV !== 'production' || target !== 'runtime') problems.push('production: NODE_ENV/target');
    if (published('mongo') > 0 || published(API) > 0) problems.push('production: only traefik publishes ports');
    if (published('traefik') !== 2) problems.push('production: traefik publishes 80 and 443');
    for (const [service, s] of Object.entries(services)) {
      if (!isObject(s) || s.restart !== 'unless-stopped') problems.push(`production: ${service} restart policy`);
    }
  }
  return problems;
}

let failed = 0;
for (const arg of process.argv.slice(2)) {
  const [name = '', path = ''] = arg.split('=');
  const merged = path.endsWith('.json');
  let problems: string[];
  try {
    const text = readFileSync(path, 'utf8');
    problems = check(name, (merged ? JSON.parse(text) : parse(text)) as JsonObject, merged);
  } catch (error) {
    problems = [`cannot read ${path} (did docker-compose config fail?): ${String(error)}`];
  }
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${name}`);
    for (const problem of problems) console.log(`  - ${problem}`);
  } else {
    const what = merged ? 'merged project' : 'file alone';
    console.log(`ok   ${name}: ${what} validates against the Compose Specification schema; api env names known`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
