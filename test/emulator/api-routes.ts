/**
 * API dispatch: matches the request to an operation of the operation table, checks the token, then the
 * scope header, then runs the operation's handler. Every failure becomes the contract's error body.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { matchOperation, OPERATIONS, type OperationId } from '../../src/api/operations';
import { authenticate, authorizeScope } from './api-auth';
import { param, type ApiHandler, type ApiRequest } from './api-request';
import { COMPUTE_HANDLERS } from './compute-routes';
import type { EmulatorCore } from './core';
import { ApiError, jsonResponse, notFound, parseJsonObject, type EmulatorResponse } from './http';
import { JOB_HANDLERS } from './job-routes';
import { NOTEBOOK_HANDLERS } from './notebook-routes';
import { pageBody, paginate } from './pagination';

const ACCOUNT_HANDLERS = {
  getCurrentUser: (request: ApiRequest) => {
    const user = request.core.state.users.get(request.token.user_id);
    if (user === undefined) {
      throw notFound(`The token's user ${request.token.user_id} does not exist.`);
    }
    return user;
  },
  listUsers: (request: ApiRequest) =>
    pageBody('users', paginate([...request.core.state.users.values()], request.query, 'users', '')),
  listWorkspaces: (request: ApiRequest) =>
    pageBody('workspaces', paginate([...request.core.state.workspaces.values()], request.query, 'workspaces', '')),
  getWorkspace: (request: ApiRequest) => {
    const id = param(request, 'id');
    const workspace = request.core.state.workspaces.get(id);
    if (workspace === undefined) {
      throw notFound(`Workspace ${id} does not exist.`);
    }
    return workspace;
  },
} satisfies Record<string, ApiHandler>;

/** One handler per operation; `satisfies` makes a missing operation a type error. */
const HANDLERS = {
  ...ACCOUNT_HANDLERS,
  ...COMPUTE_HANDLERS,
  ...JOB_HANDLERS,
  ...NOTEBOOK_HANDLERS,
} satisfies Record<OperationId, ApiHandler>;

export interface ApiCall {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Reads the request body; called only after the token and scope checks pass. */
  readBody: () => Promise<string>;
}

/** Returns the operation id an API request matches, for the request log. */
export function operationOf(method: string, pathname: string): OperationId | undefined {
  return matchOperation(method, pathname)?.operation;
}

/** Handles a request under `/v1/`. */
export async function handleApiRequest(core: EmulatorCore, call: ApiCall): Promise<EmulatorResponse> {
  try {
    const match = matchOperation(call.method, call.pathname);
    if (match === undefined) {
      throw notFound(`No API operation matches ${call.method} ${call.pathname}.`);
    }
    const token = authenticate(core, call.headers, call.query);
    authorizeScope(token, call.headers, OPERATIONS[match.operation].scope);
    const body = call.method === 'POST' ? parseJsonObject(await call.readBody()) : {};
    const handler: ApiHandler = HANDLERS[match.operation];
    const result = handler({ core, params: match.parameters, query: call.query, body, token });
    return jsonResponse(200, result);
  } catch (error) {
    if (error instanceof ApiError) {
      return error.toResponse();
    }
    console.error('DataStack emulator: an API handler failed:', error);
    return new ApiError('INTERNAL_ERROR', 'The emulator failed to handle the request.').toResponse();
  }
}
