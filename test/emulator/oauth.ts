import type { EmulatorCore } from './core';
import { jsonResponse } from './http';
import type { Router } from './server';

export function createOAuthRouter(_core: EmulatorCore): Router {
  return async () => jsonResponse(404, { error_code: 'NOT_FOUND', message: 'OAuth endpoints are not ready yet.' });
}
