/**
 * The emulator's runtime settings. Tests change them through `emulator.configure(...)` or
 * `POST /_emulator/config`; `reset()` restores the values the emulator started with.
 */

export type CallbackStateMode = 'echo' | 'omit' | 'altered';

export interface EmulatorConfig {
  /** `GET /oauth2/authorize` redirects at once, without the consent page. */
  autoApprove: boolean;
  /** `expires_in` of issued access tokens. */
  accessTokenLifetimeSeconds: number;
  /** Delay of each lifecycle step (STARTING → RUNNING and so on). */
  lifecycleDelayMs: number;
  /** Latency added to every API and OAuth request (not to `/_emulator/` controls). */
  latencyMs: number;
  /** A refresh grant returns a new refresh token and retires the old one; off keeps the old one valid. */
  refreshTokenRotation: boolean;
  /** Scopes granted on approval instead of the requested ones (partial consent); `null` grants what was requested. */
  grantScopes: string[] | null;
  /** The `audience` the authorize endpoint requires. */
  audience: string;
  /** Known OAuth client ids (public clients, no secret). */
  clientIds: string[];
  /** Lifetime of an authorization code. */
  authorizationCodeLifetimeSeconds: number;
  /** `false` makes `POST /oauth2/revoke` answer 503. */
  revocationAvailable: boolean;
  /** When set, a valid authorize request redirects at once with this `error` (e.g. `server_error`). */
  authorizeError: string | null;
  /** What the authorize redirect does with `state`: return it, leave it out, or return a changed one. */
  callbackState: CallbackStateMode;
  /** The user that OAuth sign-ins act as. */
  oauthUserId: string;
}

export const DEFAULT_AUDIENCE = 'https://api.datastack.cloud';
export const DEFAULT_CLIENT_ID = 'datastack-vscode';

export function defaultConfig(): EmulatorConfig {
  return {
    autoApprove: false,
    accessTokenLifetimeSeconds: 3600,
    lifecycleDelayMs: 3000,
    latencyMs: 0,
    refreshTokenRotation: true,
    grantScopes: null,
    audience: DEFAULT_AUDIENCE,
    clientIds: [DEFAULT_CLIENT_ID],
    authorizationCodeLifetimeSeconds: 60,
    revocationAvailable: true,
    authorizeError: null,
    callbackState: 'echo',
    oauthUserId: 'u-1001',
  };
}

type FieldCheck = (value: unknown) => boolean;

const isNonNegativeInteger: FieldCheck = (value) => Number.isInteger(value) && (value as number) >= 0;
const isPositiveInteger: FieldCheck = (value) => Number.isInteger(value) && (value as number) > 0;
const isBoolean: FieldCheck = (value) => typeof value === 'boolean';
const isString: FieldCheck = (value) => typeof value === 'string' && value !== '';
const isStringArray: FieldCheck = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const FIELD_CHECKS: Record<keyof EmulatorConfig, [FieldCheck, string]> = {
  autoApprove: [isBoolean, 'a boolean'],
  accessTokenLifetimeSeconds: [isPositiveInteger, 'a positive integer'],
  lifecycleDelayMs: [isNonNegativeInteger, 'a non-negative integer'],
  latencyMs: [isNonNegativeInteger, 'a non-negative integer'],
  refreshTokenRotation: [isBoolean, 'a boolean'],
  grantScopes: [(value) => value === null || isStringArray(value), 'null or an array of strings'],
  audience: [isString, 'a non-empty string'],
  clientIds: [isStringArray, 'an array of strings'],
  authorizationCodeLifetimeSeconds: [isPositiveInteger, 'a positive integer'],
  revocationAvailable: [isBoolean, 'a boolean'],
  authorizeError: [(value) => value === null || isString(value), 'null or an OAuth error code'],
  callbackState: [(value) => value === 'echo' || value === 'omit' || value === 'altered', '"echo", "omit" or "altered"'],
  oauthUserId: [isString, 'a user id'],
};

/**
 * Checks an untrusted config patch (from `POST /_emulator/config`) and returns it typed.
 * Throws an `Error` naming the first unknown key or invalid value.
 */
export function parseConfigPatch(patch: Record<string, unknown>): Partial<EmulatorConfig> {
  for (const [key, value] of Object.entries(patch)) {
    const check = Object.hasOwn(FIELD_CHECKS, key) ? FIELD_CHECKS[key as keyof EmulatorConfig] : undefined;
    if (check === undefined) {
      throw new Error(`Unknown config key "${key}".`);
    }
    if (!check[0](value)) {
      throw new Error(`Invalid config value for "${key}": expected ${check[1]}.`);
    }
  }
  return patch as Partial<EmulatorConfig>;
}
