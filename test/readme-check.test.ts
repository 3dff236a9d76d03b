// The parser of scripts/readme-check.ts, which the fresh-clone suite runs against the README.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedBlocks } from '../scripts/readme-check.js';

describe('README curl examples are all checked', () => {
  it('finds the open and the keyed blocks, every command with its documented status', () => {
    const blocks = checkedBlocks(readFileSync('README.md', 'utf8'));
    expect(blocks.map((b) => b.env)).toEqual([{}, { API_KEYS: 'alice:secret1,secret2' }]);
    const examples = blocks.flatMap((b) => b.examples);
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const example of examples) {
      expect(example.command).toMatch(/^curl /);
      expect(example.status).toBeGreaterThanOrEqual(200);
    }
    expect(examples.map((e) => e.status)).toEqual(expect.arrayContaining([200, 201, 401, 404]));
  });

  it('joins continued and quoted lines, and keeps a body written out in full', () => {
    const [block] = checkedBlocks(
      '```sh readme-check\ncurl -s -X POST localhost:3000/v1/x \\\n  -d \'{\n}\'\n# → 201 {"a":[1]}\ncurl -s localhost:3000/y\n# → 404 not found\n```\n',
    );
    expect(block?.examples).toEqual([
      { line: 2, command: "curl -s -X POST localhost:3000/v1/x \\\n  -d '{\n}'", status: 201, body: { a: [1] } },
      { line: 6, command: 'curl -s localhost:3000/y', status: 404, body: undefined },
    ]);
  });

  it('refuses a curl example outside a checked block, and a command without its status', () => {
    expect(() => checkedBlocks('```sh\ncurl -s localhost:3000/v1/epics\n```\n')).toThrow(/readme-check block/);
    expect(() => checkedBlocks('```sh readme-check\ncurl -s localhost:3000/v1/epics\n```\n')).toThrow(
      /no "# → STATUS" line/,
    );
  });
});

describe('documentation links work from a clone', () => {
  const documents = [
    'README.md',
    ...readdirSync('docs')
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  it.each(documents)('%s: every relative link names a file in the repository', (document) => {
    const links = [...readFileSync(document, 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1] ?? '');
    const relative = links.filter((link) => !/^[a-z]+:/.test(link));
    const root = resolve('.');
    const broken = relative.filter((link) => {
      const target = resolve(dirname(document), link);
      return !target.startsWith(`${root}/`) || !existsSync(target);
    });
    expect(broken).toEqual([]);
  });
});
