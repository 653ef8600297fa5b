// Bundle entry of the Lambda@Edge function. Lambda@Edge has no environment variables (Developer Guide, "Restrictions
// on Lambda@Edge"), so the build bakes in the configuration that parseConfig validated; keys are imported here, once.
import baked from 'edgepass:config';
import type { EdgeConfig } from './config.ts';
import { createHandler } from './handler.ts';

export { createHandler } from './handler.ts';

// Only buildEdgeBundle provides this module, from parseConfig's output; createRuntime re-imports every key and
// throws at cold start on anything unusable, so a bad bundle never serves.
const run = createHandler(baked as EdgeConfig, {
  clock: () => Date.now(),
  logger: (line) => {
    console.log(line);
  },
});

export const handler: typeof run = async (event) => run(event);
