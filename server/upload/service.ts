// The embedded upload proxy and upload server in one: what CDI's
// cdi-uploadproxy and per-claim upload pods do, reached with an upload token.
//
// CDI's endpoints (virtctl image-upload works against them):
//   POST /v1beta1/upload         the whole file as the body; answers once the volume holds it
//   POST /v1beta1/upload-async   the same, answering once every byte is stored
// Kura's resumable protocol (the console's relay uses it; offsets are bytes stored durably):
//   HEAD   /kura/v1/upload       -> Upload-Offset (and Upload-Length once known)
//   PATCH  /kura/v1/upload       Upload-Offset, Upload-Length, a chunk -> 204 with the new Upload-Offset;
//                                409 with the server's Upload-Offset when they differ
//   DELETE /kura/v1/upload       drops what was stored (the upload starts over)
// Every request carries `Authorization: Bearer <token>` from an UploadTokenRequest. A
// token opens a session that outlives its ten minutes until the upload completes.
// The first bytes are checked at once: not a disk image, or bigger than the volume,
// is refused before the rest is sent.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { DETECT_HEAD_BYTES, assessImage, detectFormat } from '@/lib/cdi';
import { logger } from '../log';
import { currentBootId, fsyncFile, writeJsonAtomic } from '../node/files';
import { BufferPool, GatheringWriter, openDirect, pageAlignedBuffer } from '../node/writer';
import { verifyUploadToken } from './token';

const log = logger('upload');

const PART = 'upload.part';
const STATE = 'upload.json';
/** A PATCH longer than this is refused: the console's chunks are 4–128 MiB (lib/cdi-ui/uploadClient.ts). */
const MAX_CHUNK = 256 << 20;
/** Bytes per write to the staged file. */
const WRITE_BYTES = 16 << 20;

export interface UploadTarget {
  /** The DataVolume's uid: one upload per DataVolume. */
  uid: string;
  /** A directory of this upload's own for the staged bytes. */
  dir: string;
  /** The largest image the volume holds. */
  usableBytes: number;
  /** Bytes stored so far, after each chunk (for the DataVolume's progress). */
  onBytes?(received: number, total: number | undefined): void;
  /** Every byte has arrived, durably: convert them into the volume. Resolves when that is done. */
  complete(file: string): Promise<void>;
}

/** The service's request handler: the upload listener's, and the console relay's in the same process. */
export type UploadHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export type TargetLookup = UploadTarget | { status: number; message: string };

export interface UploadTargets {
  lookup(namespace: string, pvc: string): TargetLookup;
}

interface SessionState {
  jti: string;
  /** The file's size, as the client declared it. */
  length?: number;
  complete?: boolean;
  /** Bytes made durable by the last fsync, and the boot that wrote the rest (see storedBytes). */
  durable?: number;
  bootId?: string;
}

/** Bytes between fsyncs of the staged file (and always at the end). */
const SYNC_EVERY = 256 << 20;

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function readState(dir: string): SessionState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STATE), 'utf8')) as SessionState;
  } catch {
    return undefined;
  }
}

function writeState(dir: string, s: SessionState): Promise<void> {
  return writeJsonAtomic(path.join(dir, STATE), s, 0o600);
}

/**
 * Bytes of the upload that are stored: the staged file's length. Chunks are acknowledged once
 * written, not each fsynced; after a restart of Kura the page cache still holds them, but after a
 * reboot only what the last fsync covered is trusted, and the file is cut back to it.
 */
function storedBytes(dir: string, state: SessionState | undefined): number {
  const file = path.join(dir, PART);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return 0;
  }
  if (state?.bootId && state.bootId === currentBootId()) return size;
  const trusted = Math.min(size, state?.durable ?? 0);
  if (trusted < size) fs.truncateSync(file, trusted);
  return trusted;
}

/** Whether the upload for a DataVolume has every byte staged (after a restart: convert without asking again). */
export function stagedUpload(dir: string): string | undefined {
  const s = readState(dir);
  return s?.complete ? path.join(dir, PART) : undefined;
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  const req = res.req;
  if (!req.readableEnded) {
    // Answered before the body was read (a refusal): say so, close once the answer is out, and
    // read no more than it takes for the client to see it.
    headers = { ...headers, connection: 'close' };
    res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
    req.resume();
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'cache-control': 'no-store', ...(text ? { 'content-type': 'application/json' } : {}), ...headers });
  res.end(text);
}

function numberHeader(req: http.IncomingMessage, name: string): number | undefined {
  const v = req.headers[name];
  if (typeof v !== 'string') return undefined;
  if (!/^\d+$/.test(v)) throw new Refusal(400, `${name} must be a whole number of bytes`);
  return Number(v);
}

export class UploadService {
  /** Uploads with a request writing right now: one writer per upload. */
  private readonly busy = new Set<string>();
  /** By upload: the newest background fsync (each chained after the one before) and the length it records as durable. */
  private readonly syncing = new Map<string, { done: Promise<void>; to: number }>();
  /** Write buffers the chunks reuse, one request after another (page-aligned, for O_DIRECT; at most 4 × 16 MiB kept). */
  private readonly buffers = new BufferPool(WRITE_BYTES, 4, pageAlignedBuffer);

  constructor(
    private readonly key: Buffer,
    private readonly targets: UploadTargets,
  ) {}

  readonly handle: UploadHandler = (req, res) => {
    void this.serve(req, res).catch((e: unknown) => {
      if (e instanceof Refusal) return send(res, e.status, { message: e.message }, e.headers);
      // The client went away in the middle of a chunk: nobody to answer, and it resumes from HEAD.
      if (!req.complete && req.socket.destroyed) return log.info('upload chunk cut short by the client; it resumes from the stored offset', { url: req.url });
      log.error('upload request failed', { url: req.url, err: e });
      const nospace = (e as NodeJS.ErrnoException).code === 'ENOSPC';
      send(res, nospace ? 507 : 500, { message: nospace ? 'the disk holding uploads is full: free space, then resume' : `upload failed: ${(e as Error).message}` });
    });
  };

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://upload');
    if (url.pathname === '/healthz') return send(res, 200, { ok: true });
    const cdi = url.pathname === '/v1beta1/upload' || url.pathname === '/v1beta1/upload-async';
    const kura = url.pathname === '/kura/v1/upload';
    if (!cdi && !kura) throw new Refusal(404, `no upload endpoint at ${url.pathname}`);
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (!token) throw new Refusal(401, 'an upload needs an upload token (Authorization: Bearer …) from an UploadTokenRequest');
    const check = verifyUploadToken(this.key, token);
    if (!check.ok) throw new Refusal(401, check.message);
    const found = this.targets.lookup(check.claims.namespace, check.claims.pvc);
    if ('status' in found) throw new Refusal(found.status, found.message);
    const target = found;
    await fsp.mkdir(target.dir, { recursive: true, mode: 0o700 });
    const state = readState(target.dir);
    // A session opened by this token may go on after the token expired; a new session needs a fresh token.
    if (check.expired && state?.jti !== check.claims.jti) throw new Refusal(401, 'the upload token has expired: ask for a new one with an UploadTokenRequest');
    if (state?.complete) throw new Refusal(409, 'this upload is complete: every byte arrived and the volume is being filled');

    if (cdi) {
      if (req.method !== 'POST') throw new Refusal(405, `${url.pathname} takes POST`);
      return this.whole(req, res, target, check.claims.jti, url.pathname.endsWith('-async'));
    }
    switch (req.method) {
      case 'HEAD': {
        const have = storedBytes(target.dir, state);
        return send(res, 200, undefined, { 'upload-offset': String(have), ...(state?.length !== undefined ? { 'upload-length': String(state.length) } : {}) });
      }
      case 'DELETE':
        if (this.busy.has(target.uid)) throw new Refusal(409, 'a chunk of this upload is being written; try again when it is stored');
        await fsp.rm(path.join(target.dir, PART), { force: true });
        await fsp.rm(path.join(target.dir, STATE), { force: true });
        target.onBytes?.(0, undefined);
        return send(res, 204);
      case 'PATCH':
        return this.chunk(req, res, target, state, check.claims.jti);
      default:
        throw new Refusal(405, `${url.pathname} takes HEAD, PATCH or DELETE`);
    }
  }

  /** Refuses at once what is not a disk image, or an image the volume cannot hold. */
  private firstBytes(head: Buffer, length: number | undefined, target: UploadTarget): void {
    const detected = detectFormat(head.subarray(0, DETECT_HEAD_BYTES));
    const verdict = assessImage({
      detected,
      ...(length !== undefined && detected.kind === 'disk' && detected.format === 'raw' ? { receivedBytes: length } : {}),
      target: { usableBytes: target.usableBytes, overhead: 0 },
    });
    if (!verdict.accept) throw new Refusal(verdict.reason === 'TooLarge' ? 413 : 400, verdict.message);
  }

  private async chunk(req: http.IncomingMessage, res: http.ServerResponse, target: UploadTarget, state: SessionState | undefined, jti: string): Promise<void> {
    const offset = numberHeader(req, 'upload-offset');
    const length = numberHeader(req, 'upload-length');
    if (offset === undefined) throw new Refusal(400, 'a chunk needs Upload-Offset: where it starts in the file');
    if (length === undefined) throw new Refusal(400, 'a chunk needs Upload-Length: the size of the whole file');
    if (state?.length !== undefined && state.length !== length) throw new Refusal(409, `this upload is of a file of ${state.length} bytes, not ${length}; cancel it to send another file`);
    if (this.busy.has(target.uid)) throw new Refusal(409, 'another request is writing this upload', { 'upload-offset': String(storedBytes(target.dir, state)) });
    this.busy.add(target.uid);
    try {
      const have = storedBytes(target.dir, state);
      if (offset !== have) throw new Refusal(409, `the server holds ${have} bytes of this upload; send from there`, { 'upload-offset': String(have) });
      if (offset > length) throw new Refusal(400, 'Upload-Offset is past the end of the file');
      const boot = currentBootId();
      let latest = readState(target.dir);
      if (!latest || latest.jti !== jti || latest.length === undefined || latest.bootId !== boot) {
        // A new session's state: an fsync of an earlier stretch still running must not overwrite it afterwards.
        await this.syncing.get(target.uid)?.done;
        latest = readState(target.dir);
        await writeState(target.dir, { jti, length, durable: offset === 0 ? 0 : Math.min(latest?.durable ?? 0, offset), bootId: boot });
      }
      // Where the last sync (done, or still running) leaves the durable length.
      const durable = offset === 0 ? 0 : Math.min(this.syncing.get(target.uid)?.to ?? readState(target.dir)?.durable ?? 0, offset);
      const written = await this.append(req, target, offset, length, MAX_CHUNK, false);
      const now = offset + written;
      const record = () => fsyncFile(path.join(target.dir, PART)).then(() => writeState(target.dir, { jti, length, durable: now, bootId: boot, ...(now === length ? { complete: true } : {}) }));
      if (now === length) {
        await this.afterSyncs(target.uid, now, record);
      } else if (now - durable >= SYNC_EVERY) {
        // In the background: the next chunks arrive while this stretch reaches the disk.
        void this.afterSyncs(target.uid, now, record).catch((e: unknown) => log.warn('could not make an upload durable; a reboot would resend from the last synced byte', { dir: target.dir, err: e }));
      }
      target.onBytes?.(now, length);
      if (now === length) {
        log.info('upload received', { dir: target.dir, bytes: length });
        send(res, 204, undefined, { 'upload-offset': String(now) });
        void target.complete(path.join(target.dir, PART)).catch(() => undefined);
        return;
      }
      send(res, 204, undefined, { 'upload-offset': String(now) });
    } finally {
      this.busy.delete(target.uid);
    }
  }

  /** Runs `record` (an fsync and the state it makes true) after the syncs already under way for this upload. */
  private afterSyncs(uid: string, to: number, record: () => Promise<void>): Promise<void> {
    const run = (this.syncing.get(uid)?.done ?? Promise.resolve()).catch(() => undefined).then(record);
    const tracked = run
      .catch(() => undefined)
      .finally(() => {
        if (this.syncing.get(uid)?.done === tracked) this.syncing.delete(uid);
      });
    this.syncing.set(uid, { done: tracked, to });
    return run;
  }

  /**
   * Appends the request body at `offset` (durably when `sync`); checks the head of the file as it
   * passes. The body's pieces are gathered into large writes through reused buffers while the
   * next bytes arrive (a write per network read measured several times slower in bench/import,
   * and a fresh buffer per write costs a page fault per 4 KiB). One write at a time: the file's
   * length is what the upload counts as stored, so it must never run past a gap. Whole blocks go
   * to the disk with O_DIRECT where the filesystem allows (see writer.ts): an upload is read once,
   * by the conversion, and need not push everything else out of the page cache on its way.
   */
  private async append(req: http.IncomingMessage, target: UploadTarget, offset: number, length: number, maxChunk = MAX_CHUNK, sync = true): Promise<number> {
    const file = path.join(target.dir, PART);
    if (offset === 0) await fsp.writeFile(file, '', { mode: 0o600 });
    let pos = offset;
    let head: Buffer[] | undefined = offset === 0 ? [] : undefined;
    let headBytes = 0;
    const checkHead = (whole: boolean) => {
      if (!head || (!whole && headBytes < Math.min(DETECT_HEAD_BYTES, length)) || headBytes === 0) return;
      this.firstBytes(Buffer.concat(head), whole ? pos : length === Number.MAX_SAFE_INTEGER ? undefined : length, target);
      head = undefined;
    };
    const fh = await fsp.open(file, 'r+');
    const direct = await openDirect(file).catch(async (e: unknown) => {
      await fh.close();
      throw e;
    });
    const writer = new GatheringWriter(fh.fd, offset, { pool: this.buffers, direct: direct?.fd });
    try {
      await new Promise<void>((resolve, reject) => {
        let over = false;
        const fail = (e: unknown) => {
          if (over) return;
          over = true;
          req.off('data', onData);
          reject(e);
        };
        const onData = (c: Buffer) => {
          if (over) return;
          try {
            if (pos + c.length > length) throw new Refusal(400, `more bytes arrived than Upload-Length says (${length})`);
            if (pos - offset + c.length > maxChunk) throw new Refusal(413, `a chunk may be at most ${maxChunk} bytes`);
            if (head) {
              head.push(c);
              headBytes += c.length;
              checkHead(false);
            }
            pos += c.length;
            const busy = writer.write(c);
            if (busy) {
              req.pause();
              busy.then(() => over || req.resume(), fail);
            }
          } catch (e) {
            fail(e);
          }
        };
        req.on('data', onData);
        req.once('end', () => {
          try {
            checkHead(true);
          } catch (e) {
            return fail(e);
          }
          writer.flush().then(() => {
            over = true;
            resolve();
          }, fail);
        });
        req.once('error', fail);
        req.once('close', () => req.complete || fail(new Error('the connection closed before the chunk ended')));
      });
      if (sync) await fsyncFile(file);
    } catch (e) {
      // A refused or broken chunk leaves the file as it was before it: the client resends from there.
      await writer.abandon();
      await fsp.truncate(file, offset).catch(() => undefined);
      if (offset === 0) await fsp.rm(path.join(target.dir, STATE), { force: true });
      throw e;
    } finally {
      await writer.settled();
      await direct?.close();
      await fh.close();
    }
    return pos - offset;
  }

  /** CDI's single-request upload: the body is the whole file. */
  private async whole(req: http.IncomingMessage, res: http.ServerResponse, target: UploadTarget, jti: string, async: boolean): Promise<void> {
    if (this.busy.has(target.uid)) throw new Refusal(409, 'another request is writing this upload');
    const declared = numberHeader(req, 'content-length');
    this.busy.add(target.uid);
    let written: number;
    try {
      await writeState(target.dir, { jti, ...(declared !== undefined ? { length: declared } : {}) });
      written = await this.appendWhole(req, target, declared);
      await writeState(target.dir, { jti, length: written, complete: true });
    } finally {
      this.busy.delete(target.uid);
    }
    const filled = target.complete(path.join(target.dir, PART));
    if (async) {
      void filled.catch(() => undefined);
      return send(res, 200, undefined);
    }
    await filled.then(
      () => send(res, 200, undefined),
      (e: unknown) => send(res, 400, { message: e instanceof Error ? e.message : String(e) }),
    );
  }

  private async appendWhole(req: http.IncomingMessage, target: UploadTarget, declared: number | undefined): Promise<number> {
    // Without a length the head check still runs; the size check waits for qemu-img.
    return this.append(req, target, 0, declared ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }
}
