// Checks every console request passes before it may change anything:
// same Origin, and (once signed in) the session's CSRF token.
import type { IncomingMessage } from 'node:http';
import type { Session } from './sessions';
import { safeEqual } from './sessions';

export const CSRF_HEADER = 'x-csrf-token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isMutating(method: string | undefined): boolean {
  return !safeMethods.has((method ?? 'GET').toUpperCase());
}

/** Whether the request reached Kura over TLS (directly, or via a proxy Kura was told about). */
export function isSecure(req: IncomingMessage, publicUrl?: string): boolean {
  if (publicUrl) return publicUrl.startsWith('https:');
  return Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

/** The origin the browser should be on: KURA_PUBLIC_URL's, or this request's own scheme and Host. */
export function expectedOrigin(req: IncomingMessage, publicUrl?: string): string | undefined {
  if (publicUrl) return new URL(publicUrl).origin;
  const host = req.headers.host;
  if (!host) return undefined;
  return `${isSecure(req) ? 'https' : 'http'}://${host}`;
}

/**
 * Refuse cross-site requests that could change something. Browsers send
 * Origin on every mutating fetch; a request without one (curl, scripts) must
 * then prove itself with the CSRF token.
 */
export function checkOrigin(req: IncomingMessage, publicUrl?: string): string | undefined {
  if (!isMutating(req.method)) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const want = expectedOrigin(req, publicUrl);
    if (origin !== want) return `cross-origin request refused: Origin ${origin} is not this console's origin (${want ?? 'unknown'})`;
    return undefined;
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'cross-site request refused';
  return undefined;
}

export function checkCsrf(req: IncomingMessage, session: Session): string | undefined {
  if (!isMutating(req.method)) return undefined;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sent) return `missing ${CSRF_HEADER} header: reload the page and try again`;
  if (!safeEqual(sent, session.csrfToken)) return `invalid ${CSRF_HEADER} header: reload the page and try again`;
  return undefined;
}
