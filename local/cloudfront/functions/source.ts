// Checks function code before it is compiled (size quota, runtime, import forms) and rewrites the one module form
// cloudfront-js-2.0 code uses, `import name from 'module'`, into a require() call. The code is our own (from the
// synthesized template); the checks catch what CloudFront would refuse, and keep dynamic import() out of the sandbox.
import { EdgepassError } from '../../../common/errors.ts';
import { MAX_FUNCTION_BYTES, SUPPORTED_RUNTIME } from './limits.ts';

/** The code of one CloudFront Function, as in CloudFormation: FunctionCode and FunctionConfig.Runtime. */
export interface FunctionSource {
  readonly name: string;
  readonly code: string;
  readonly runtime: string;
}

// `import crypto from 'crypto';` and `import cf from 'cloudfront';`, as in AWS's KeyValueStore examples.
const DEFAULT_IMPORT = /^([ \t]*)import[ \t]+([A-Za-z_$][\w$]*)[ \t]+from[ \t]*(['"])([\w-]+)\3[ \t]*;?/gm;
// Any other `import` keyword must be a static declaration: what follows it starts a name, `*` or `{`. Dynamic
// import() would settle its promise with a host-realm error (node:vm without --experimental-vm-modules), so it is
// refused before compiling. Conservative: `x.import(…)` and the word in a string are refused too.
const IMPORT_KEYWORD = /(?<![\w$])import(?![\w$])\s*(.?)/g;

function rewriteImports(name: string, code: string): string {
  const rewritten = code.replace(DEFAULT_IMPORT, (_m, indent: string, local: string, quote: string, module: string) => {
    return `${indent}const ${local} = require(${quote}${module}${quote});`;
  });
  for (const match of rewritten.matchAll(IMPORT_KEYWORD)) {
    if (!/^[A-Za-z_$*{]$/.test(match[1] ?? '')) {
      throw new EdgepassError(
        'function_dynamic_import',
        `CloudFront Function ${name}: import() and import.meta are not available in ${SUPPORTED_RUNTIME}`,
      );
    }
  }
  return rewritten;
}

/** The code to compile, or an EdgepassError with a stable code and a reason that quotes no code. */
export function prepareSource(source: FunctionSource): string {
  if (source.runtime !== SUPPORTED_RUNTIME) {
    throw new EdgepassError(
      'function_runtime_unsupported',
      `CloudFront Function ${source.name}: runtime ${source.runtime} is not emulated (only ${SUPPORTED_RUNTIME})`,
    );
  }
  const bytes = Buffer.byteLength(source.code, 'utf8');
  if (bytes > MAX_FUNCTION_BYTES) {
    throw new EdgepassError(
      'function_too_large',
      `CloudFront Function ${source.name} is ${bytes} bytes; the maximum function size is 10 KB (${MAX_FUNCTION_BYTES} bytes)`,
    );
  }
  return rewriteImports(source.name, source.code);
}
