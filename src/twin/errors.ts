// Penpot's RPC errors as the twin raises them: the `ex-data` map that becomes the body, and the status that
// `app.http.errors` gives its type (§2).
import { kw } from '../transit/nodes';
import type { TransitMapObject } from '../transit/types';

export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly status: number;

  constructor(readonly body: TransitMapObject, readonly type: string, readonly code: string | undefined) {
    super(`${type}${code ? `/${code}` : ''}${typeof body.hint === 'string' ? `: ${body.hint}` : ''}`);
    this.status = statusOf(type, code);
  }
}

/** §2: the status follows the error type, with the two code exceptions. */
function statusOf(type: string, code: string | undefined): number {
  switch (type) {
    case 'validation': return code === 'request-body-too-large' ? 413 : 400;
    case 'restriction': return code === 'method-not-allowed' ? 405 : 400;
    case 'authentication': return 401;
    case 'authorization': return 403;
    case 'not-found': return 404;
    default: return 500;
  }
}

/** `{type, code?, hint?, …extra}` with keyword type and code, as `ex/raise` builds it. */
export function rpcError(type: string, code?: string, hint?: string, extra: TransitMapObject = {}): RpcError {
  const body: TransitMapObject = { type: kw(type) };
  if (code !== undefined) body.code = kw(code);
  if (hint !== undefined) body.hint = hint;
  return new RpcError({ ...body, ...extra }, type, code);
}

export const authenticationRequired = (): RpcError =>
  rpcError('authentication', 'authentication-required', 'authentication required for this endpoint');

/** Penpot's answer to a permission failure: 404, never 403 (§0.7). */
export const objectNotFound = (): RpcError => rpcError('not-found', 'object-not-found', 'not found');

/** `db/get` on a missing row (§2). */
export const rowNotFound = (table: string, params: TransitMapObject): RpcError =>
  rpcError('not-found', 'object-not-found', 'database object not found', { table: kw(table), params });

/** An exception the backend does not classify: 500 server-error/unexpected with the exception's message (§2). */
export const unexpected = (message: string): RpcError => rpcError('server-error', 'unexpected', message);
