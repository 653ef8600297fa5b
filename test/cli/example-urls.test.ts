// Every local attraction URL an example names (the CLI's --help texts, the npm start banner, README.md, docs/cli.md
// and docs/local-stack.md) is an object the local stack seeds, or a pattern that covers some: an example that
// answers 404 (a folder, a file that was renamed) fails here, without starting anything.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dev } from '../../cli/dev.ts';
import { keygen } from '../../cli/keygen.ts';
import { signCookies } from '../../cli/sign-cookies.ts';
import { signUrl } from '../../cli/sign-url.ts';
import { token } from '../../cli/token.ts';
import { verify } from '../../cli/verify.ts';
import { demoObjects } from '../../local/demo-content.ts';
import { banner } from '../../local/start.ts';
import { ROOT } from '../helpers/doc-examples.ts';

const CDN = 'http://localhost:8080';
const DOCS = ['README.md', 'docs/cli.md', 'docs/local-stack.md'];

const fakeStack = {
  urls: { cdn: CDN, s3: 'http://127.0.0.1:1', api: 'http://127.0.0.1:2', idp: 'http://127.0.0.1:3' },
  bundleBytes: 0,
  appOrigins: [],
  stateDir: '/state',
  synthesis: { reused: true, elapsedMs: 0 },
  stop: () => Promise.resolve(),
};

const sources: [string, string][] = [
  ...DOCS.map((file): [string, string] => [file, readFileSync(resolve(ROOT, file), 'utf8')]),
  ...[keygen, token, signUrl, signCookies, verify, dev].map((c): [string, string] => [`${c.name} --help`, c.help]),
  ['the npm start banner', banner(fakeStack)],
];

/** Local attraction paths (the CDN's own, or `$C` in a shell example), without query or fragment. */
function attractionPaths(text: string): string[] {
  const found = text.matchAll(/(?:http:\/\/localhost:8080|\$C)(\/attractions\/[^\s"'`)<>?#]*)/g);
  return [...found].map((m) => m[1] ?? '');
}

const keys = new Set(demoObjects().map((o) => o.key));
const examples = sources.flatMap(([where, text]) => attractionPaths(text).map((path) => ({ where, path })));

function seeded(path: string): boolean {
  const key = path.slice(1);
  const wildcard = key.search(/[*]/);
  if (wildcard < 0) return keys.has(key);
  const prefix = key.slice(0, wildcard);
  return [...keys].some((k) => k.startsWith(prefix));
}

describe('local URLs in examples', () => {
  it('finds examples in every source', () => {
    expect(examples.length).toBeGreaterThan(15);
    const expected = [...DOCS, 'token --help', 'sign-cookies --help', 'verify --help', 'the npm start banner'];
    for (const where of expected)
      expect(
        examples.some((e) => e.where === where),
        where,
      ).toBe(true);
  });

  it.each(examples)('$where: $path is seeded', ({ path }) => {
    expect(seeded(path)).toBe(true);
  });
});
