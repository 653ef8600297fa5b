#!/usr/bin/env node
// Package bin (`npx edgepass …`): registers tsx so the TypeScript CLI runs from source, builds the real Io from
// this process, and hands over to cli/main.ts. The only file of the CLI that touches process.*.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Our own tsconfig, whatever the working directory: a tsconfig.json in the user's folder must not change how the
// CLI's sources compile.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../cli/main.ts', import.meta.url).href);

// The first SIGINT or SIGTERM asks `dev` to stop. Ctrl-C can deliver one twice (the terminal's process group, and
// npm forwarding it): a repeat within a second is ignored, a later one exits at once.
// `npx edgepass dev` runs us under `sh -c`, and npm's SIGTERM ends that shell without reaching us: we would be left
// serving, reparented. So the parent going away (our ppid changes) asks `dev` to stop as a signal does.
const PARENT_POLL_MS = 500;
const interrupted = () =>
  new Promise((resolveStop) => {
    let firstAtMs;
    const onSignal = () => {
      if (firstAtMs === undefined) {
        firstAtMs = Date.now();
        resolveStop();
      } else if (Date.now() - firstAtMs >= 1000) process.exit(1);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      onSignal();
    }, PARENT_POLL_MS);
    watch.unref();
  });

const io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  nowMs: () => Date.now(),
  interrupted,
};

process.exitCode = await main(process.argv.slice(2), io);
