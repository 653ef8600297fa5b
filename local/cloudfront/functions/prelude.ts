// Sandbox-side source (JavaScript, evaluated once inside each function's vm context before the function's code):
// the globals of cloudfront-js-2.0 and the runner the host drives. Only strings cross back to the host; the single
// host function it receives (the bridge) stays in this closure, out of the function code's reach.
import { MODULES_SOURCE } from './prelude-modules.ts';

const CORE_HEAD = String.raw`
  'use strict';
  var G = globalThis;
  var JSONparse = JSON.parse, JSONstringify = JSON.stringify;
  var defineProperty = Object.defineProperty, freeze = Object.freeze, hasOwn = Object.prototype.hasOwnProperty;
  var RealDate = Date, RealPromise = Promise, promiseThen = Promise.prototype.then;
  var apply = Reflect.apply, construct = Reflect.construct, fromCharCode = String.fromCharCode;
  var ErrorCtor = Error, TypeErrorCtor = TypeError, RangeErrorCtor = RangeError;

  // Every host call goes through here: a host error is dropped unseen and a failure becomes this realm's error.
  function hostCall(op, a, b, c) {
    var out;
    try {
      out = bridge(op, a, b === undefined ? '' : b, c === undefined ? '' : c);
    } catch (hostError) {
      out = undefined;
    }
    if (typeof out !== 'string') throw new ErrorCtor('the runtime could not complete ' + op);
    if (out.charCodeAt(0) === 0) throw new TypeErrorCtor(out.slice(1));
    return out;
  }
`;

const CORE_TAIL = String.raw`
  // console: log() only, and one argument ("Console": the comma syntax is not supported); cut at the log limit.
  var logs = [], logChars = 0, logsTruncated = false;
  function show(message) {
    if (typeof message === 'string') return message;
    try { var json = JSONstringify(message); if (typeof json === 'string') return json; } catch (e) {}
    try { return String(message); } catch (e) { return '[unprintable value]'; }
  }
  var consoleObject = freeze({
    log: function log(message) {
      if (logsTruncated) return;
      var line = show(message);
      if (logChars + line.length > maxLogChars) {
        line = line.slice(0, maxLogChars - logChars);
        logsTruncated = true;
      }
      logChars += line.length;
      logs[logs.length] = line;
    },
  });

  // Date: every query of the current time returns the run's start time ("Restricted features": date and timestamps).
  var frozenMs = startMs;
  function FrozenDate() {
    if (new.target === undefined) return new RealDate(frozenMs).toString();
    return construct(RealDate, arguments.length === 0 ? [frozenMs] : arguments, new.target);
  }
  FrozenDate.prototype = RealDate.prototype;
  defineProperty(RealDate.prototype, 'constructor', { value: FrozenDate, writable: true, configurable: true });
  FrozenDate.now = function now() { return frozenMs; };
  FrozenDate.parse = RealDate.parse;
  FrozenDate.UTC = RealDate.UTC;

  // require: the four built-in modules; any other name throws, as there is no file system ("Restricted features").
  var builtins = { buffer: bufferModule, cloudfront: cloudfrontModule, crypto: cryptoModule, querystring: querystringModule };
  function require(name) {
    if (typeof name === 'string' && apply(hasOwn, builtins, [name])) return builtins[name];
    throw new ErrorCtor("Cannot find module '" + String(name) + "': cloudfront-js-2.0 has buffer, cloudfront, crypto, querystring");
  }

  // Not part of cloudfront-js-2.0 and able to block or outlive a run: removed from the context.
  ['WebAssembly', 'SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry'].forEach(function (name) {
    delete G[name];
  });
  function install(name, value) {
    defineProperty(G, name, { value: value, writable: true, configurable: true, enumerable: false });
  }
  install('console', consoleObject);
  install('require', require);
  install('Buffer', Buffer);
  install('atob', atob);
  install('btoa', btoa);
  install('TextEncoder', TextEncoder);
  install('TextDecoder', TextDecoder);
  install('Date', FrozenDate);

  // The runner: run() calls handler (a sync or async function) and records how it settled; the context's own
  // microtask queue is drained before the host's evaluation returns. finish() reports as one JSON string.
  // The run is timed from the handler call to its settling with process.hrtime.bigint() through the bridge, so the
  // host's timeout watchdog (a thread started per evaluation) stays out of the measure.
  var state = { settled: true, threw: false, value: undefined }, startedNs = '', settledNs = '';
  function clock() {
    try { return hostCall('clock', ''); } catch (e) { return ''; }
  }
  function settle(threw, value) {
    settledNs = clock();
    state.settled = true;
    state.threw = threw;
    state.value = value;
  }
  function nameOf(error) {
    try {
      var name = error !== null && typeof error === 'object' ? error.name : undefined;
      return typeof name === 'string' ? name.slice(0, 64) : 'a value that is not an Error';
    } catch (e) {
      return 'an error';
    }
  }
  function run(eventJson, nowMs) {
    frozenMs = nowMs;
    logs = [];
    logChars = 0;
    logsTruncated = false;
    state = { settled: false, threw: false, value: undefined };
    settledNs = '';
    var out;
    startedNs = clock();
    try {
      out = handler(JSONparse(eventJson));
    } catch (error) {
      settle(true, nameOf(error));
      return;
    }
    if (!(out instanceof RealPromise)) return settle(false, out);
    apply(promiseThen, out, [
      function (value) { settle(false, value); },
      function (error) { settle(true, nameOf(error)); },
    ]);
  }
  function finish() {
    var s = state, report;
    var result = !s.settled ? { status: 'pending' } : s.threw ? { status: 'threw', error: s.value } : { status: 'returned', value: s.value };
    var timing = { startedNs: startedNs, settledNs: settledNs };
    try { report = JSONstringify({ result: result, logs: logs, logsTruncated: logsTruncated, timing: timing }); } catch (e) { report = undefined; }
    if (typeof report !== 'string') {
      report = JSONstringify({ result: { status: 'unserialisable' }, logs: logs, logsTruncated: logsTruncated, timing: timing });
    }
    return report;
  }
  defineProperty(G, runName, { value: freeze({ run: run, finish: finish }), writable: false, configurable: false });
`;

/** Evaluates to `function (bridge, runName, startMs, maxLogChars)`, called once by the host to set the context up. */
export const PRELUDE_SOURCE = `(function (bridge, runName, startMs, maxLogChars) {${CORE_HEAD}${MODULES_SOURCE}${CORE_TAIL}})`;
