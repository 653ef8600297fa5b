// A taken port at start-up is one clear error naming the variable that moves it (PORT, S3_PORT, API_PORT,
// IDP_PORT), never a stack trace, and whatever had already started is stopped. The same through `npm start`:
// test/local/npm-start.test.ts; through `edgepass dev`: test/cli/dev.test.ts.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOn } from '../../local/listen.ts';
import { startStack } from '../../local/start.ts';
import { freePorts, listening, occupy } from '../helpers/ports.ts';

let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edgepass-ports-'));
  // One full start synthesizes the template for this state folder; the cases below reuse it and fail fast.
  const stack = await startStack({ port: 0, stateDir });
  await stack.stop();
}, 180_000);

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const CASES = [
  { option: 'port', variable: 'PORT', server: 'the CDN' },
  { option: 's3Port', variable: 'S3_PORT', server: 'the S3 gate' },
  { option: 'apiPort', variable: 'API_PORT', server: 'the origin API function URL' },
  { option: 'idpPort', variable: 'IDP_PORT', server: 'the dev identity provider' },
] as const;

describe('starting the stack on a taken port', () => {
  it.each(CASES)(
    'names $variable when $server cannot listen, and stops what had started',
    async (c) => {
      const [port, s3Port, apiPort, idpPort] = await freePorts(4);
      const ports = { port, s3Port, apiPort, idpPort } as Record<(typeof CASES)[number]['option'], number>;
      const taken = ports[c.option];
      const blocker = await occupy(taken);
      try {
        await expect(startStack({ ...ports, stateDir })).rejects.toMatchObject({
          code: 'port_in_use',
          message: `port ${taken} (${c.variable}) is in use on 127.0.0.1; set ${c.variable} to a free port, or 0 to pick one`,
        });
        expect(await listening(Object.values(ports).filter((p) => p !== taken))).toEqual([]);
      } finally {
        await blocker.close();
      }
    },
    60_000,
  );

  it('names the variable when the port needs privileges', async () => {
    const server = http.createServer();
    server.listen = function deniedListen(this: http.Server) {
      process.nextTick(() => this.emit('error', Object.assign(new Error('listen EACCES'), { code: 'EACCES' })));
      return this;
    } as typeof server.listen;
    await expect(listenOn(server, 80, '127.0.0.1', 'PORT')).rejects.toMatchObject({
      code: 'port_denied',
      message: 'port 80 (PORT) needs privileges on 127.0.0.1; set PORT to a port above 1023, or 0',
    });
  });
});
