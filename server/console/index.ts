// The console backend (BFF): health, sign-in, sessions and the Kubernetes
// proxy. Everything else is a page, handed to Next once the visitor is signed in.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Config } from '../config';
import { logger } from '../log';
import { type ClusterProbe, type ClusterTarget } from './cluster';
import { checkCsrf, checkOrigin, isSecure } from './guards';
import { BodyError, parseCookies, readJson, sendJson, sendStatus } from './http';
import { TokenRejected, whoAmI } from './identity';
import { PROXY_PREFIX, proxyToCluster } from './proxy';
import { SESSION_COOKIE, type Session, SessionStore } from './sessions';
import type { UploadHandler } from '../upload/service';
import { UPLOAD_PATH, relayUpload, uploadProxyFor } from './upload';
import { redeemSignInLink } from './signInLinks';

const log = logger('console');

export interface ClusterState {
  target?: ClusterTarget;
  /** Why there is no target, in words for the page and the log. */
  problem?: string;
  /** The embedded upload service, when it runs in this process. */
  uploads?: UploadHandler;
}

export interface ConsoleDeps {
  config: Config;
  cluster: () => ClusterState;
  probe: ClusterProbe;
  /** Next's request handler for pages and assets. */
  pages: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

// Pages and assets anyone may load: the sign-in screens and what they need to render.
const publicPaths = [/^\/login\/?$/, /^\/auth\/link\/?$/, /^\/_next\//, /^\/__nextjs/, /^\/favicon\.ico$/, /^\/kura\.svg$/];

/** Load or create the 32-byte key that seals session cookies. */
export function sessionKey(config: Config): Buffer {
  const fromEnv = process.env.KURA_SESSION_SECRET;
  if (fromEnv) return crypto.createHash('sha256').update(fromEnv).digest();
  const file = path.join(config.dataDirAbs, 'console', 'session.key');
  try {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
  } catch {
    /* first start: create it below */
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

export function createConsole(deps: ConsoleDeps) {
  const { config } = deps;
  const sessions = new SessionStore({
    key: sessionKey(config),
    idleMs: config.sessionIdleMinutes * 60_000,
    absoluteMs: 24 * 60 * 60_000,
  });

  const cookieHeader = (req: IncomingMessage, value: string, maxAge?: number) =>
    [
      `${SESSION_COOKIE}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      isSecure(req, config.publicUrl) ? 'Secure' : '',
      maxAge !== undefined ? `Max-Age=${maxAge}` : '',
    ]
      .filter(Boolean)
      .join('; ');

  const sessionOf = (req: IncomingMessage): Session | undefined => sessions.lookup(parseCookies(req.headers.cookie)[SESSION_COOKIE]);

  const clusterInfo = async () => {
    const state = deps.cluster();
    const health = await deps.probe.check();
    return {
      mode: config.cluster,
      name: state.target?.name ?? (config.cluster === 'embedded' ? 'embedded' : 'none'),
      server: state.target?.server.origin,
      reachable: health.reachable,
      version: health.version,
      problem: state.problem ?? (health.reachable ? undefined : health.error),
    };
  };

  /** Check a token with the cluster and start a session for it. */
  async function signIn(req: IncomingMessage, res: ServerResponse, token: string, how: string): Promise<void> {
    const state = deps.cluster();
    if (!state.target) {
      sendStatus(res, 503, `cannot sign in: ${state.problem ?? 'there is no cluster yet'}`);
      return;
    }
    try {
      const who = await whoAmI(state.target, token);
      const { session, cookie } = sessions.create({ token, ...who });
      log.info('signed in', { user: who.username, how });
      sendJson(res, 200, { username: session.username }, { 'set-cookie': cookieHeader(req, cookie) });
    } catch (e) {
      if (e instanceof TokenRejected) sendStatus(res, 401, e.message);
      else sendStatus(res, 503, `cannot check the token with the cluster at ${state.target.server.origin}: ${(e as Error).message}`);
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const originProblem = checkOrigin(req, config.publicUrl);
    if (originProblem) {
      sendStatus(res, 403, originProblem);
      return;
    }
    if (pathname === '/api/auth/login' || pathname === '/api/auth/link') {
      if (req.method !== 'POST') return sendStatus(res, 405, `${req.method} is not allowed here; use POST`);
      const body = (await readJson(req)) as { token?: unknown; secret?: unknown } | null;
      if (pathname === '/api/auth/login') {
        const token = typeof body?.token === 'string' ? body.token.trim() : '';
        if (!token) return sendStatus(res, 400, 'paste a bearer token to sign in');
        if (token.length > 16_384 || /\s/.test(token)) return sendStatus(res, 400, 'that does not look like a bearer token: it has spaces or is too long');
        return signIn(req, res, token, 'token');
      }
      const secret = typeof body?.secret === 'string' ? body.secret : '';
      const admin = deps.cluster().target?.embeddedAdminToken;
      if (!admin) return sendStatus(res, 400, 'sign-in links work only with the embedded cluster');
      if (!redeemSignInLink(config.dataDirAbs, secret)) {
        return sendStatus(res, 401, 'this sign-in link was already used or has expired; run `npm run kura -- sign-in-link` for a new one');
      }
      return signIn(req, res, admin, 'link');
    }
    const session = sessionOf(req);
    if (pathname === '/api/session') {
      if (!session) return sendJson(res, 401, { authenticated: false, cluster: await clusterInfo() });
      return sendJson(res, 200, {
        authenticated: true,
        username: session.username,
        groups: session.groups,
        csrfToken: session.csrfToken,
        cluster: await clusterInfo(),
      });
    }
    if (!session) return sendStatus(res, 401, 'sign in to Kura first');
    const csrfProblem = checkCsrf(req, session);
    if (csrfProblem) return sendStatus(res, 403, csrfProblem);
    if (pathname === '/api/auth/logout') {
      if (req.method !== 'POST') return sendStatus(res, 405, `${req.method} is not allowed here; use POST`);
      sessions.destroy(session.id);
      log.info('signed out', { user: session.username });
      return sendJson(res, 200, { signedOut: true }, { 'set-cookie': cookieHeader(req, '', 0) });
    }
    if (pathname === UPLOAD_PATH) {
      const state = deps.cluster();
      if (!state.target) return sendStatus(res, 503, state.problem ?? 'there is no cluster yet');
      return relayUpload(req, res, uploadProxyFor(config, state.uploads), state.target);
    }
    if (pathname.startsWith(PROXY_PREFIX + '/')) {
      const state = deps.cluster();
      if (!state.target) return sendStatus(res, 503, state.problem ?? 'there is no cluster yet');
      return proxyToCluster(req, res, state.target, session.token);
    }
    sendStatus(res, 404, `no such console API: ${pathname}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0]!;
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    try {
      if (pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        return;
      }
      if (pathname === '/readyz') {
        const health = await deps.probe.check();
        const problem = deps.cluster().problem ?? health.error;
        if (health.reachable) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        else res.writeHead(503, { 'content-type': 'text/plain' }).end(`not ready: ${problem}\n`);
        return;
      }
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        await handleApi(req, res, pathname);
        return;
      }
      res.setHeader('content-security-policy', "frame-ancestors 'self'");
      if (!publicPaths.some((re) => re.test(pathname)) && !sessionOf(req)) {
        const next = encodeURIComponent(url);
        res.writeHead(302, { location: pathname === '/' ? '/login' : `/login?next=${next}`, 'cache-control': 'no-store' }).end();
        return;
      }
      await deps.pages(req, res);
    } catch (e) {
      if (e instanceof BodyError) {
        sendStatus(res, e.code, e.message);
        return;
      }
      log.error('request failed', { method: req.method, path: pathname, error: e });
      if (!res.headersSent) sendStatus(res, 500, 'the console failed to handle this request; see the Kura log');
      else res.destroy();
    }
  }

  return { handle, sessions };
}
