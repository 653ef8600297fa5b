// The cloudfront-js-2.0 sandbox: only the runtime's globals and modules, no way out to the host realm, CloudFront's
// size quota, a wall-clock guard standing in for its compute limit, and failures reported as CloudFront would.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EdgepassError } from '../../common/errors.ts';
import {
  MAX_FUNCTION_BYTES,
  MAX_RUN_ATTEMPTS,
  WALL_CLOCK_GUARD_MS,
  compileFunction,
  exceedsComputeBudget,
  runFunction,
} from '../../local/cloudfront/functions/index.ts';
import { PASS_THROUGH, answering, bodyOf, compile, eventOf, runOnce, viewer } from './cloudfront-functions-fixture.ts';

/** The stable code of the EdgepassError that compiling `code` throws. */
function compileErrorOf(code: string, runtime = 'cloudfront-js-2.0'): { code: string; message: string } {
  try {
    compileFunction({ name: 'probe', code, runtime });
  } catch (error) {
    const { code: errorCode, message } = error as EdgepassError;
    return { code: errorCode, message };
  }
  throw new Error('the code compiled');
}

/** Runs `statement` in a handler and reports the name of what it threw, or "ran" when it did not throw. */
const attempt = (statement: string): string =>
  bodyOf(
    runOnce(`function handler(event) {
    try { ${statement}; return { statusCode: 200, body: 'ran' }; }
    catch (e) { return { statusCode: 200, body: e.name }; }
  }`),
  );

describe('the globals of cloudfront-js-2.0', () => {
  it.each([
    'fetch',
    'XMLHttpRequest',
    'WebSocket',
    'setTimeout',
    'setInterval',
    'setImmediate',
    'queueMicrotask',
    'process',
    'global',
    'module',
    'WebAssembly',
    'SharedArrayBuffer',
    'Atomics',
    'performance',
  ])('has no %s', (name) => {
    expect(bodyOf(runOnce(answering(`typeof ${name}`)))).toBe('undefined');
  });

  it.each(['Buffer', 'require', 'atob', 'btoa', 'TextEncoder', 'TextDecoder', 'encodeURIComponent'])(
    'has %s',
    (name) => {
      expect(bodyOf(runOnce(answering(`typeof ${name}`)))).toBe('function');
    },
  );

  it('gives console only log', () => {
    expect(bodyOf(runOnce(answering("Object.keys(console).join(',')")))).toBe('log');
  });

  it.each(['fs', 'http', 'net', 'child_process', 'node:fs'])('throws on require(%j)', (module) => {
    const code = `function handler() {
      try { require('${module}'); return { statusCode: 200, body: 'loaded' }; }
      catch (e) { return { statusCode: 200, body: e.message }; }
    }`;
    expect(bodyOf(runOnce(code))).toBe(
      `Cannot find module '${module}': cloudfront-js-2.0 has buffer, cloudfront, crypto, querystring`,
    );
  });
});

describe('the way out to the host realm', () => {
  it.each([
    ["globalThis.constructor.constructor('return process')()"],
    ["console.log.constructor('return process')()"],
    ["Buffer.constructor('return process')()"],
    ["require('crypto').createHash.constructor('return process')()"],
    ["eval('1 + 1')"],
    ["new Function('return 1')()"],
    ["(async function () {}).constructor('return 1')()"],
  ])('is closed for %s (string code generation throws EvalError)', (statement) => {
    expect(attempt(statement)).toBe('EvalError');
  });

  it('is closed for the top-level this, the global object', () => {
    const code = `var top = this;
      function handler() {
        try { top.constructor.constructor('return process')(); return { statusCode: 200, body: 'ran' }; }
        catch (e) { return { statusCode: 200, body: e.name }; }
      }`;
    expect(bodyOf(runOnce(code))).toBe('EvalError');
  });

  it('keeps a failing host call from handing the function a host-realm error', () => {
    expect(attempt("try { atob('*'); } catch (e) { e.constructor.constructor('return process')(); }")).toBe(
      'EvalError',
    );
  });

  it('refuses dynamic import() at compile time', () => {
    expect(compileErrorOf("function handler() { return import('fs'); }")).toEqual({
      code: 'function_dynamic_import',
      message: 'CloudFront Function probe: import() and import.meta are not available in cloudfront-js-2.0',
    });
  });
});

describe('limits', () => {
  const sized = (bytes: number): string => {
    const code = `function handler(event) { return event.request; }\n//`;
    return code + 'x'.repeat(bytes - Buffer.byteLength(code));
  };

  it('compiles a function of exactly 10 KB', () => {
    expect(compile(sized(MAX_FUNCTION_BYTES)).codeBytes).toBe(10_240);
  });

  it('refuses a function of 10 KB + 1 byte at compile, with the reason', () => {
    expect(compileErrorOf(sized(MAX_FUNCTION_BYTES + 1))).toEqual({
      code: 'function_too_large',
      message: 'CloudFront Function probe is 10241 bytes; the maximum function size is 10 KB (10240 bytes)',
    });
  });

  it.each([
    ['an infinite loop', 'function handler() { while (true) {} }'],
    ['an infinite loop after await', 'async function handler() { await null; while (true) {} }'],
  ])('cuts off %s and reports CloudFront limit-exceeded', (_label, code) => {
    const run = runOnce(code);
    expect(run.outcome).toEqual({
      kind: 'failed',
      failure: 'limit-exceeded',
      reason: 'the function ran longer than the local guard of 250 ms',
    });
    expect(run.elapsedMicros).toBeGreaterThanOrEqual(WALL_CLOCK_GUARD_MS * 1_000);
  });

  // A fake CPU clock that never moves: the thread seems to have been descheduled for the whole run.
  const neverOnCpu = { cpuMicros: () => 0 };

  it('runs again a run cut off while its thread was off the CPU (a host stall), and counts the stall', () => {
    const firstRunLoops = `var runs = 0;
    function handler() { runs += 1; if (runs === 1) { while (true) {} } return { statusCode: 200, body: String(runs) }; }`;
    const run = runFunction(compile(firstRunLoops), eventOf(viewer({})), neverOnCpu);
    expect(run.outcome.kind).toBe('response');
    expect(bodyOf(run)).toBe('2');
    expect(run.hostStalls).toBe(1);
  });

  it('still cuts off a function after MAX_RUN_ATTEMPTS runs cut off as host stalls', () => {
    const run = runFunction(compile('function handler() { while (true) {} }'), eventOf(viewer({})), neverOnCpu);
    expect(run.outcome).toEqual({
      kind: 'failed',
      failure: 'limit-exceeded',
      reason: 'the function ran longer than the local guard of 250 ms',
    });
    expect(run.hostStalls).toBe(MAX_RUN_ATTEMPTS - 1);
  });

  it('runs a healthy function once', () => {
    expect(runOnce(PASS_THROUGH).hostStalls).toBe(0);
  });

  it('cuts off an infinite loop in top-level code at compile', () => {
    expect(compileErrorOf('while (true) {} function handler() {}')).toEqual({
      code: 'function_top_level_failed',
      message: 'CloudFront Function probe: top-level code ran over 250 ms',
    });
  });

  it('measures each run in microseconds', () => {
    const run = runOnce(PASS_THROUGH);
    expect(run.elapsedMicros).toBeGreaterThan(0);
    expect(run.elapsedMicros).toBeLessThan(WALL_CLOCK_GUARD_MS * 1_000);
  });

  it.each([
    [1_000, false],
    [1_000.5, true],
  ])('flags %d µs as over the compute budget: %s', (micros, over) => {
    expect(exceedsComputeBudget(micros)).toBe(over);
  });
});

describe('failures', () => {
  it('reports a throwing handler as an execution error, without its message', () => {
    const run = runOnce("function handler() { throw new TypeError('Bearer secret-token'); }");
    expect(run.outcome).toEqual({ kind: 'failed', failure: 'execution-error', reason: 'the function threw TypeError' });
  });

  it('reports a rejected async handler as an execution error', () => {
    const run = runOnce("async function handler() { await null; throw new RangeError('x'); }");
    expect(run.outcome).toEqual({
      kind: 'failed',
      failure: 'execution-error',
      reason: 'the function threw RangeError',
    });
  });

  it('reports a promise that never settles as an execution error', () => {
    const run = runOnce('function handler() { return new Promise(function () {}); }');
    expect(run.outcome).toEqual({
      kind: 'failed',
      failure: 'execution-error',
      reason: 'the handler returned a promise that never settled',
    });
  });

  it('reports a response with statusCode 99 as invalid', () => {
    expect(runOnce('function handler() { return { statusCode: 99 }; }').outcome).toEqual({
      kind: 'invalid',
      reason: 'statusCode must be an integer from 200 to 599',
    });
  });

  it('reports a request without uri as invalid', () => {
    const code = 'function handler(event) { delete event.request.uri; return event.request; }';
    expect(runOnce(code).outcome).toEqual({ kind: 'invalid', reason: 'uri must be a string starting with /' });
  });

  it.each([
    ['code without handler', 'function main() {}', 'cloudfront-js-2.0', 'function_no_handler'],
    ['a syntax error', 'function handler( {', 'cloudfront-js-2.0', 'function_syntax_error'],
    [
      'a throwing top level',
      "throw new Error('x'); function handler() {}",
      'cloudfront-js-2.0',
      'function_top_level_failed',
    ],
    [
      'a KeyValueStore handle',
      "import cf from 'cloudfront'; const kvs = cf.kvs('id'); function handler() {}",
      'cloudfront-js-2.0',
      'function_top_level_failed',
    ],
    ['runtime 1.0', PASS_THROUGH, 'cloudfront-js-1.0', 'function_runtime_unsupported'],
  ])('refuses %s at compile', (_label, code, runtime, errorCode) => {
    expect(compileErrorOf(code, runtime).code).toBe(errorCode);
  });
});

describe('running', () => {
  it('awaits an async handler and forwards the request it changed', () => {
    const code = `async function handler(event) {
      const value = await Promise.resolve('yes');
      event.request.headers['x-async'] = { value: value };
      return event.request;
    }`;
    expect(runOnce(code).outcome).toEqual({
      kind: 'request',
      request: {
        method: 'GET',
        uri: '/',
        querystring: '',
        headers: [
          ['Host', 'cdn.example.test'],
          ['X-Async', 'yes'],
        ],
      },
    });
  });

  it('returns a generated 403 with its status, headers and body', () => {
    const code = `function handler() {
      return { statusCode: 403, statusDescription: 'Forbidden',
        headers: { 'content-type': { value: 'text/plain' } }, body: 'no entry' };
    }`;
    expect(runOnce(code).outcome).toEqual({
      kind: 'response',
      response: {
        status: 403,
        statusDescription: 'Forbidden',
        headers: [['Content-Type', 'text/plain']],
        body: Buffer.from('no entry'),
      },
    });
  });

  it('runs top-level code once per compile, the handler once per run', () => {
    const fn = compile('var loaded = 0; var runs = 0; loaded++; ' + answering("loaded + '/' + (++runs)"));
    const event = eventOf(viewer({}));
    runFunction(fn, event);
    expect(bodyOf(runFunction(fn, event))).toBe('1/2');
  });

  it('gives the handler its own copy of the event on each run', () => {
    const fn = compile("function handler(event) { event.request.uri += 'x'; return event.request; }");
    const event = eventOf(viewer({ target: '/a' }));
    runFunction(fn, event);
    expect(runFunction(fn, event).outcome).toMatchObject({ request: { uri: '/ax' } });
  });

  it('keeps Date at the run start time', () => {
    const run = runOnce(
      answering("Date.now() + ' ' + new Date().getTime() + ' ' + (new Date() instanceof Date)"),
      viewer({}),
      1_764_633_600_000,
    );
    expect(bodyOf(run)).toBe('1764633600000 1764633600000 true');
  });

  it('captures console.log, one argument per line', () => {
    const run = runOnce(
      "function handler(event) { console.log('a', 'ignored'); console.log({ b: 1 }); return event.request; }",
    );
    expect(run.logs).toEqual(['a', '{"b":1}']);
  });

  it('truncates the log at 10 KB', () => {
    const run = runOnce(
      "function handler(event) { for (var i = 0; i < 30; i++) console.log('x'.repeat(1000)); return event.request; }",
    );
    expect({ bytes: run.logs.join('').length, truncated: run.logsTruncated }).toEqual({
      bytes: 10_240,
      truncated: true,
    });
  });
});

describe('built-in modules', () => {
  it("hashes with require('crypto').createHash('sha256')", () => {
    const body = bodyOf(runOnce(answering("require('crypto').createHash('sha256').update('edgepass').digest('hex')")));
    expect(body).toBe(createHash('sha256').update('edgepass').digest('hex'));
  });

  it("signs with createHmac and loads crypto through import … from 'crypto'", () => {
    const code =
      "import crypto from 'crypto';\n" +
      answering("crypto.createHmac('sha1', 'key').update('data').digest('base64url')");
    expect(bodyOf(runOnce(code))).toBe(createHmac('sha1', 'key').update('data').digest('base64url'));
  });

  it('returns a Buffer from digest() without an encoding', () => {
    const body = bodyOf(
      runOnce(
        answering(
          "(function (d) { return Buffer.isBuffer(d) + ' ' + d.length + ' ' + d.toString('hex'); })(require('crypto').createHash('md5').update('a').digest())",
        ),
      ),
    );
    expect(body).toBe(`true 16 ${createHash('md5').update('a').digest('hex')}`);
  });

  it('refuses digests the runtime does not list', () => {
    expect(attempt("require('crypto').createHash('sha512')")).toBe('Error');
  });

  it('parses and formats with querystring', () => {
    const body = bodyOf(
      runOnce(
        answering(
          "JSON.stringify(require('querystring').parse('a=1&a=2&b=x+y%21')) + ' ' + require('querystring').stringify({ q: 'a b', n: [1, 2] })",
        ),
      ),
    );
    expect(body).toBe('{"a":["1","2"],"b":"x y!"} q=a%20b&n=1&n=2');
  });

  it('converts with Buffer, atob and btoa', () => {
    const body = bodyOf(
      runOnce(
        answering(
          "Buffer.from('héllo').toString('base64url') + ' ' + Buffer.from('aGk', 'base64').toString() + ' ' + btoa('hi') + ' ' + atob('aGk=')",
        ),
      ),
    );
    expect(body).toBe(`${Buffer.from('héllo').toString('base64url')} hi aGk= hi`);
  });
});
