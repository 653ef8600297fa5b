// Public API of the local CloudFront Functions runtime (cloudfront-js-2.0): read functions from the synthesized
// template, compile once, translate each viewer request into the event, run, and read the outcome. Dev only.
export { toFunctionEvent } from './event.ts';
export { exceedsComputeBudget, MAX_FUNCTION_BYTES, MAX_RUN_ATTEMPTS, WALL_CLOCK_GUARD_MS } from './limits.ts';
export { applyFunctionResult } from './result.ts';
export { compileFunction, runFunction } from './runtime.ts';
export type { CompiledFunction } from './runtime.ts';
export { readTemplateFunctions } from './template.ts';
export type { TemplateFunction } from './template.ts';
export type * from './types.ts';
