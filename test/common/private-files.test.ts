// Files and folders for private keys: owner-only modes, also over a file or folder an older version left open, and a
// tree narrowed without following symbolic links out of it.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePrivateDir, restrictTree, writePrivateFile } from '../../common/private-files.ts';

const root = mkdtempSync(join(tmpdir(), 'edgepass-private-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('private files', () => {
  it('writes a new file with mode 0600', () => {
    const file = join(root, 'new.pem');
    writePrivateFile(file, 'key');
    expect([modeOf(file), readFileSync(file, 'utf8')]).toEqual([0o600, 'key']);
  });

  it('narrows an existing world-readable file to 0600 and replaces its content', () => {
    const file = join(root, 'old.pem');
    writeFileSync(file, 'a longer old content', { mode: 0o644 });
    chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect([modeOf(file), readFileSync(file, 'utf8')]).toEqual([0o600, 'new']);
  });

  it('creates a folder and its missing parents with mode 0700', () => {
    const dir = join(root, 'a', 'b');
    makePrivateDir(dir);
    expect([modeOf(join(root, 'a')), modeOf(dir)]).toEqual([0o700, 0o700]);
  });

  it('narrows an existing open folder to 0700', () => {
    const dir = join(root, 'open');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    makePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  it('narrows every folder of a tree, and its files when asked, leaving what a link points to alone', () => {
    const tree = join(root, 'tree');
    const outside = join(root, 'outside.txt');
    mkdirSync(join(tree, 'asset.1'), { recursive: true, mode: 0o755 });
    for (const dir of [tree, join(tree, 'asset.1')]) chmodSync(dir, 0o755);
    writeFileSync(join(tree, 'asset.1', 'index.mjs'), 'code', { mode: 0o644 });
    writeFileSync(outside, 'not ours', { mode: 0o644 });
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(tree, 'link'));
    restrictTree(tree);
    expect([modeOf(tree), modeOf(join(tree, 'asset.1')), modeOf(join(tree, 'asset.1', 'index.mjs'))]).toEqual([
      0o700, 0o700, 0o644,
    ]);
    restrictTree(tree, 0o600);
    expect([modeOf(join(tree, 'asset.1', 'index.mjs')), modeOf(outside)]).toEqual([0o600, 0o644]);
  });
});
