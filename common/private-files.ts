// Files and folders that hold private keys (dev keys, edge bundles with the signing key baked in, the cloud
// assemblies that copy them): the owner's only. Trust boundary: the other users of the same machine.
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` and any missing parent with mode 0700, and makes `dir` itself 0700 when it already existed (a state
 * folder made by an older version, say). Only for folders the project owns: it never widens, but it does narrow.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Writes `data` to `path` readable by its owner only (0600), also over an existing file: writeFile's `mode` applies
 * to new files alone, so the mode is set on the open descriptor before a byte is written.
 */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes `dir` and every folder under it 0700 and, given `fileMode`, every file that mode. Symbolic links are left
 * alone (chmod would follow them out of the tree).
 */
export function restrictTree(dir: string, fileMode?: number): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) restrictTree(path, fileMode);
    else if (entry.isFile() && fileMode !== undefined) chmodSync(path, fileMode);
  }
}
