// Reads a PEM key file named on the command line, size-bounded. Trust boundary: the text is handed to
// common/cloudfront/keys.ts for import and never printed; errors name the path and the errno code only.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EdgepassError } from '../common/errors.ts';

const MAX_KEY_FILE_BYTES = 16_384;

export async function readKeyFile(cwd: string, file: string): Promise<string> {
  const path = resolve(cwd, file);
  const bytes = await readFile(path).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    throw new EdgepassError('cli_read_failed', `cannot read key file ${path} (${String(code)})`);
  });
  if (bytes.length > MAX_KEY_FILE_BYTES) throw new EdgepassError('cli_key_invalid', `${path} is too large for a key`);
  return bytes.toString('utf8');
}
