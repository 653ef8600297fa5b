// The environment variables of the local stack, read in one place by both `npm start` (local/start.ts) and
// `edgepass dev` (cli/dev.ts), so the two cannot drift. Untrusted text: a bad value is named by its variable,
// every problem at once. Light on purpose: the CLI's `token` and `sign-url` read the state folder from here too.
import { ConfigError } from '../common/errors.ts';

/** Which variable moves each port: also the name a "port in use" message tells the user to change. */
export const PORT_VARIABLES = {
  port: 'PORT',
  s3Port: 'S3_PORT',
  apiPort: 'API_PORT',
  idpPort: 'IDP_PORT',
} as const;

const APP_ORIGINS_VARIABLE = 'APP_ORIGINS';
const STATE_DIR_VARIABLE = 'EDGEPASS_STATE_DIR';

/** The CDN's port when PORT is unset; the other ports default to 0 (a free port). */
export const DEFAULT_CDN_PORT = 8080;
export const DEFAULT_STATE_DIR = '.edgepass';
/** App origins a browser app may call the local stack from, when APP_ORIGINS is unset. */
export const DEFAULT_APP_ORIGINS: readonly string[] = ['http://localhost:5173'];

export interface StackEnvironment {
  readonly port: number;
  readonly s3Port: number;
  readonly apiPort: number;
  readonly idpPort: number;
  readonly appOrigins: readonly string[];
  /** As given: relative to the working directory unless absolute. */
  readonly stateDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function portFrom(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = /^[0-9]{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port <= 65_535)) {
    problems.push(`${name} must be a port number from 0 to 65535 (0 picks a free port)`);
    return fallback;
  }
  return port;
}

/** APP_ORIGINS: comma-separated; the config's own checks (parseConfig) judge each origin. */
function appOriginsFrom(env: Env): readonly string[] {
  const value = env[APP_ORIGINS_VARIABLE];
  if (value === undefined || value.trim() === '') return DEFAULT_APP_ORIGINS;
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/** EDGEPASS_STATE_DIR, else `.edgepass`: the dev keys, config, S3 data and template. */
export function stateDirFrom(env: Env): string {
  const value = env[STATE_DIR_VARIABLE];
  return value === undefined || value === '' ? DEFAULT_STATE_DIR : value;
}

/** PORT, S3_PORT, API_PORT, IDP_PORT, APP_ORIGINS and EDGEPASS_STATE_DIR; one ConfigError names every bad one. */
export function stackEnvironment(env: Env): StackEnvironment {
  const problems: string[] = [];
  const port = portFrom(env, PORT_VARIABLES.port, DEFAULT_CDN_PORT, problems);
  const s3Port = portFrom(env, PORT_VARIABLES.s3Port, 0, problems);
  const apiPort = portFrom(env, PORT_VARIABLES.apiPort, 0, problems);
  const idpPort = portFrom(env, PORT_VARIABLES.idpPort, 0, problems);
  if (problems.length > 0) throw new ConfigError(problems, 'environment');
  return { port, s3Port, apiPort, idpPort, appOrigins: appOriginsFrom(env), stateDir: stateDirFrom(env) };
}
