/** What an API operation handler receives once the token and the scope header have been checked. */
import type { EmulatorCore } from './core';
import { invalidParameter } from './http';
import type { TokenRecord } from './types';

export interface ApiRequest {
  readonly core: EmulatorCore;
  /** Decoded path parameters, e.g. `{cluster_id: '...'}`. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; `{}` for an empty body. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly token: TokenRecord;
}

/** An operation handler returns the JSON body of a 200 response or throws an `ApiError`. */
export type ApiHandler = (request: ApiRequest) => unknown;

/** Returns the path parameter `name`; the operation table guarantees it is present. */
export function param(request: ApiRequest, name: string): string {
  return request.params[name] ?? '';
}

/** Returns the email of the token's user, used as `creator` of new resources. */
export function creatorOf(request: ApiRequest): string {
  return request.core.state.users.get(request.token.user_id)?.email ?? request.token.user_id;
}

export function requireString(body: Readonly<Record<string, unknown>>, key: string, maxLength: number): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    throw invalidParameter(`Invalid ${key}: expected a non-empty string of at most ${maxLength} characters.`);
  }
  return value;
}

export function requireInteger(
  body: Readonly<Record<string, unknown>>,
  key: string,
  minimum: number,
  maximum: number,
): number {
  const value = body[key];
  if (!Number.isInteger(value) || (value as number) < minimum || (value as number) > maximum) {
    throw invalidParameter(`Invalid ${key}: expected an integer from ${minimum} to ${maximum}.`);
  }
  return value as number;
}
