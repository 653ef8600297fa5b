// Bundle budget: builds the edge bundle (tsx runs esbuild.config.mjs, with EDGEPASS_CONFIG or the dev config) and
// fails when it exceeds 64 KiB minified. `--no-build` measures the existing dist/edge/index.mjs; `--file <path>`
// measures another file without building.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 64 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fileArg = process.argv.indexOf('--file');
const given = fileArg === -1 ? undefined : process.argv[fileArg + 1];
const bundle = given === undefined ? resolve(root, 'dist/edge/index.mjs') : resolve(given);

if (given === undefined && !process.argv.includes('--no-build')) {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'esbuild.config.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('size: the build failed');
    process.exit(1);
  }
}
if (!existsSync(bundle)) {
  console.error(`size: ${bundle} does not exist (run npm run build)`);
  process.exit(1);
}
const bytes = readFileSync(bundle);
const gzip = gzipSync(bytes, { level: 9 }).length;
const verdict = bytes.length <= BUDGET_BYTES ? 'within' : 'OVER';
console.log(
  `edge bundle: ${bytes.length} bytes minified, ${gzip} bytes gzip; budget ${BUDGET_BYTES} bytes minified: ${verdict}`,
);
if (bytes.length > BUDGET_BYTES) process.exit(1);
