// `edgepass versions list|prune`: the authorizer's Lambda@Edge versions, what uses each, and the pruning of the
// unused ones (dry run unless --yes). Trust boundary: argv is untrusted; AWS is reached only through aws.ts.
import { flag, integerOption, parse, stringOption, UsageError } from '../args.ts';
import type { Parsed } from '../args.ts';
import type { Command } from '../command.ts';
import type { ExitCode, Io } from '../io.ts';
import { awsClients, deleteVersion, functionOfStack, listDistributions, listVersions } from './aws.ts';
import type { AwsClients, AwsTarget, DeleteOutcome } from './aws.ts';
import { planVersions, toDelete } from './plan.ts';
import { renderPlan, renderSummary } from './render.ts';
import type { Mode } from './render.ts';

const DEFAULT_KEEP = 3;

const help = `Usage: edgepass versions list  (--stack NAME | --function NAME|ARN) [--keep N] [--region REGION]
       edgepass versions prune (--stack NAME | --function NAME|ARN) [--keep N] [--yes] [--region REGION]

Lists the versions of the edgepass Lambda@Edge authorizer with what uses them (every CloudFront distribution of
the account whose behaviours name a version), and prunes the ones nothing uses. prune is a dry run unless --yes.

Never deleted: $LATEST, a version any distribution behaviour names, the version the stack last deployed (output
AuthorizerVersionArn), and the newest N versions. A version whose replicas CloudFront has not removed yet (hours
after its last association went) is reported and left for a later run.

Options:
  --stack NAME          the edgepass stack name (deployment.stackName): reads AuthorizerFunctionName and
                        AuthorizerVersionArn from NAME-edge, or from NAME when the app region is us-east-1
  --function NAME|ARN   the function itself, instead of --stack
  --keep N              keep the newest N numbered versions whatever uses them (default: ${DEFAULT_KEEP}, at least 1)
  --yes                 prune: really delete (without it, prune only shows what it would delete)
  --region REGION       where the function and its stack live (default: us-east-1, where Lambda@Edge lives)
  --profile NAME        a profile of the shared AWS config files (default: the SDK's credential chain)
  --endpoint-url URL    send every AWS call to URL (a local emulator; http only on loopback)
  -h, --help            show this help

Exit codes: 0 done (replicas that remain are not a failure), 1 an AWS call failed or a deletion failed, 2 usage.

Examples:
  edgepass versions list --stack EdgePass
  edgepass versions prune --stack EdgePass --keep 5
  edgepass versions prune --stack EdgePass --yes`;

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:function:[A-Za-z0-9_-]{1,64}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const PROFILE = /^[A-Za-z0-9_.@+=-]{1,128}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function endpointOption(parsed: Parsed): string | undefined {
  const text = stringOption(parsed, 'endpoint-url');
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--endpoint-url must be an absolute http(s) URL');
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!ok || url.username !== '' || url.password !== '') {
    throw new UsageError('--endpoint-url must be https (http only on localhost or 127.0.0.1), without credentials');
  }
  return url.origin;
}

function checked(parsed: Parsed, name: string, pattern: RegExp, hint: string): string | undefined {
  const value = stringOption(parsed, name);
  if (value !== undefined && !pattern.test(value)) throw new UsageError(`--${name} must be ${hint}`);
  return value;
}

interface Options {
  readonly mode: Mode;
  readonly keep: number;
  readonly target: AwsTarget;
  readonly source: { readonly stack: string } | { readonly functionName: string };
}

function readOptions(parsed: Parsed): Options {
  const sub = parsed.positionals[0];
  if (sub !== 'list' && sub !== 'prune') throw new UsageError('say "versions list" or "versions prune"');
  const yes = flag(parsed, 'yes');
  if (sub === 'list' && yes) throw new UsageError('--yes belongs to "versions prune"');
  const stack = checked(parsed, 'stack', STACK_NAME, 'a CloudFormation stack name');
  const fn = stringOption(parsed, 'function');
  const arn = fn === undefined ? null : FUNCTION_ARN.exec(fn);
  if (fn !== undefined && arn === null && !FUNCTION_NAME.test(fn)) {
    throw new UsageError('--function must be a function name or an unqualified function ARN (no :version)');
  }
  if ((stack === undefined) === (fn === undefined)) throw new UsageError('give either --stack or --function');
  const region = checked(parsed, 'region', REGION, 'an AWS region such as us-east-1') ?? arn?.[1] ?? 'us-east-1';
  if (arn?.[1] !== undefined && arn[1] !== region) throw new UsageError('--region differs from the function ARN');
  const target = { region, endpoint: endpointOption(parsed), profile: checked(parsed, 'profile', PROFILE, 'a name') };
  const keep = integerOption(parsed, 'keep', 1, 10_000) ?? DEFAULT_KEEP;
  const mode: Mode = sub === 'list' ? 'list' : yes ? 'deleted' : 'dry-run';
  return { mode, keep, target, source: fn === undefined ? { stack: stack ?? '' } : { functionName: fn } };
}

/** The function to work on, where it came from, and the stack's current version when a stack named it. */
async function resolveFunction(clients: AwsClients, options: Options, io: Io) {
  if ('functionName' in options.source) {
    return { functionName: options.source.functionName, stackName: undefined, versionArn: undefined };
  }
  const found = await functionOfStack(clients.cloudformation, options.source.stack);
  io.err(`edgepass versions: function ${found.functionName} from stack ${found.stackName}\n`);
  return found;
}

async function prune(clients: AwsClients, functionArn: string, versions: readonly string[], io: Io) {
  const outcomes = new Map<string, DeleteOutcome>();
  for (const version of versions) {
    const outcome = await deleteVersion(clients.lambda, functionArn, version);
    io.err(`edgepass versions: version ${version}: ${outcome.kind}\n`);
    outcomes.set(version, outcome);
  }
  return outcomes;
}

async function runVersions(options: Options, io: Io): Promise<ExitCode> {
  const clients = awsClients(options.target);
  try {
    const fn = await resolveFunction(clients, options, io);
    const versions = await listVersions(clients.lambda, fn.functionName);
    // All distributions, before any deletion: if they cannot be read, nothing is deleted.
    const distributions = await listDistributions(clients.cloudfront);
    const plan = planVersions({ versions, ...distributions, stackVersionArn: fn.versionArn, keep: options.keep });
    // The unqualified ARN, from Lambda's own answer (`…:function:name:$LATEST` less its qualifier).
    const any = versions[0];
    const functionArn = any === undefined ? fn.functionName : any.arn.slice(0, -(any.version.length + 1));
    io.out(`Function:      ${functionArn}\n`);
    io.out(`Distributions: ${distributions.count} in the account (ListDistributions)\n\n`);
    const deleting = options.mode === 'deleted' ? toDelete(plan).map((v) => v.version) : [];
    const outcomes = await prune(clients, functionArn, deleting, io);
    const rendered = { plan, mode: options.mode, keep: options.keep, stackName: fn.stackName, outcomes };
    io.out(renderPlan(rendered));
    io.out(`\n${renderSummary(rendered)}`);
    return [...outcomes.values()].some((o) => o.kind === 'failed') ? 1 : 0;
  } finally {
    clients.close();
  }
}

export const versions: Command = {
  name: 'versions',
  help,
  run: async (args, io) => {
    const options = {
      stack: { type: 'string' },
      function: { type: 'string' },
      keep: { type: 'string' },
      yes: { type: 'boolean' },
      region: { type: 'string' },
      profile: { type: 'string' },
      'endpoint-url': { type: 'string' },
    } as const;
    const parsed = parse(args, options, 1);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    return runVersions(readOptions(parsed), io);
  },
};
