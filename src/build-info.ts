import { readFileSync } from 'node:fs';

export interface BuildInfo {
  /** The service's version, from package.json. */
  readonly version: string;
  /** The Node.js version running it. */
  readonly node: string;
}

/**
 * Read once, when the app is built: package.json sits one level above both src/ and
 * dist/, and `npm start` is not the only way to start (npm_package_version is unset
 * under `node dist/server.js`).
 */
export function readBuildInfo(): BuildInfo {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return { version, node: process.versions.node };
}
