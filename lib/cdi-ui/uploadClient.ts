// The browser side of Kura's resumable upload protocol, over an injected
// `send` so it runs (and is tested) without a network:
//   HEAD   → Upload-Offset: bytes the server holds durably (501: no resuming,
//            send the whole file with one POST instead)
//   PATCH  one chunk at Upload-Offset → 204 with the new offset; 409 with the
//          server's offset (continue from there); 4xx with {message}: refused
//   DELETE → drop what was stored (cancel)
// A dropped connection or a 5xx is retried from a fresh HEAD after 1, 2, 4 …
// 30 s; after that the upload is "interrupted" until retry() is called.
// Chunks are sized to the link: each is about two seconds' worth at the rate the
// last one went (see nextChunkBytes), so a fast link is not held up by a round
// trip and a flush every 16 MiB, and a dropped connection on a slow one costs
// little to send again.
import { MiB } from '../provisioning';

/** How chunks are sized: the first, the bounds, and the time each should take. */
export interface ChunkSizing {
  firstBytes: number;
  minBytes: number;
  maxBytes: number;
  /** Time a chunk should take at the rate the last one went. */
  targetMs: number;
}

/** The console's chunking. The upload server takes chunks of up to 256 MiB. */
export const UPLOAD_CHUNKS: ChunkSizing = { firstBytes: 16 * MiB, minBytes: 4 * MiB, maxBytes: 128 * MiB, targetMs: 2_000 };
/** A chunk grows at most this many times over the one before: one quick answer is not a trend. */
const MAX_CHUNK_GROWTH = 4;

/**
 * The next chunk's size after one of `sentBytes` took `ms` (send and answer): `targetMs` worth at
 * that rate, at most four times the last chunk, within the bounds, in whole MiB once past one.
 */
export function nextChunkBytes(sizing: ChunkSizing, lastBytes: number, sentBytes: number, ms: number): number {
  const want = (sentBytes / Math.max(ms, 1)) * sizing.targetMs;
  const bounded = Math.min(sizing.maxBytes, Math.max(sizing.minBytes, Math.min(want, lastBytes * MAX_CHUNK_GROWTH)));
  return bounded >= MiB ? Math.max(sizing.minBytes, Math.floor(bounded / MiB) * MiB) : Math.floor(bounded);
}

/** Waits before each retry in a row; one failure more and the upload waits for the user. */
export const UPLOAD_BACKOFF_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
export const UPLOAD_TOKEN_HEADER = 'X-Upload-Token';
/** Waits before asking again to drop the bytes while the server still writes the last chunk. */
const CANCEL_RETRY_MS = [250, 500, 1_000, 2_000];
/** A server answering 409 this many times in a row without the upload moving is not followed further. */
const MAX_REALIGNMENTS = 5;

export interface UploadRequest {
  method: 'HEAD' | 'PATCH' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: Blob;
  /** Called as the body leaves, with the bytes of it sent so far. */
  onProgress?: (loaded: number) => void;
  signal?: AbortSignal;
}

export interface UploadResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** Sends one request to the upload relay. Rejects when the network fails, with an AbortError when the signal aborts. */
export type UploadSend = (request: UploadRequest) => Promise<UploadResponse>;

/** What is uploaded: a File, or any Blob. */
export interface UploadSource {
  size: number;
  slice(start: number, end: number): Blob;
}

export type UploadState = 'starting' | 'sending' | 'waiting' | 'interrupted' | 'refused' | 'sent' | 'cancelled';

export interface UploadStatus {
  state: UploadState;
  /** Bytes the server holds durably (its last Upload-Offset). */
  storedBytes: number;
  /** Bytes sent, counting the part of the chunk in flight. */
  sentBytes: number;
  totalBytes: number;
  /** False once the relay said it cannot resume (one POST of the whole file). */
  resumable: boolean;
  /** Why it was refused, interrupted, or is being retried. */
  message?: string;
  /** While waiting: milliseconds until the next attempt. */
  retryInMs?: number;
  /** Failed attempts in a row. */
  failures: number;
}

export interface UploadClientOptions {
  send: UploadSend;
  file: UploadSource;
  /** The upload token; `fresh` asks for a new one (the old one was refused with 401). */
  token: (fresh: boolean) => Promise<string>;
  onChange?: (status: UploadStatus) => void;
  /** Waits `ms`, rejecting when the signal aborts (tests pass one that does not wait). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Every chunk's size; without it chunks follow `chunking`. */
  chunkBytes?: number;
  chunking?: ChunkSizing;
  /** Milliseconds from some fixed point, to time chunks (default performance.now). */
  now?: () => number;
  backoffMs?: readonly number[];
}

type Outcome = { kind: 'sent' } | { kind: 'refused'; message: string } | { kind: 'failed'; message: string };

class Aborted extends Error {
  override name = 'AbortError';
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted('aborted'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Aborted('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The message of a JSON error body ({message}), or the text, or the status. */
export function responseMessage(res: UploadResponse): string {
  try {
    const v = JSON.parse(res.body) as { message?: unknown };
    if (typeof v?.message === 'string' && v.message) return v.message;
  } catch {
    // not JSON
  }
  const text = res.body.trim();
  return text && text.length < 300 ? text : `the server answered ${res.status}`;
}

function offsetHeader(res: UploadResponse): number | undefined {
  const v = res.headers['upload-offset'];
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

const isAbort = (e: unknown) => (e as Error)?.name === 'AbortError';
/** 4xx answers are final, except those that mean "not now". */
const isRetryable = (status: number) => status >= 500 || status === 408 || status === 429 || status === 0;

export class UploadClient {
  private status: UploadStatus;
  private readonly sizing: ChunkSizing;
  private readonly backoff: readonly number[];
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private abort = new AbortController();
  private cancelled = false;
  private running: Promise<UploadStatus> | undefined;
  private token: string | undefined;

  constructor(private readonly opts: UploadClientOptions) {
    const fixed = opts.chunkBytes;
    this.sizing = fixed !== undefined ? { firstBytes: fixed, minBytes: fixed, maxBytes: fixed, targetMs: 1 } : (opts.chunking ?? UPLOAD_CHUNKS);
    this.backoff = opts.backoffMs ?? UPLOAD_BACKOFF_MS;
    this.sleep = opts.sleep ?? defaultSleep;
    this.status = { state: 'starting', storedBytes: 0, sentBytes: 0, totalBytes: opts.file.size, resumable: true, failures: 0 };
  }

  get current(): UploadStatus {
    return this.status;
  }

  /** Sends the file (from wherever the server is) until every byte is stored, it is refused, interrupted or cancelled. */
  start(): Promise<UploadStatus> {
    if (this.running) return this.running;
    if (this.cancelled || this.status.state === 'sent') return Promise.resolve(this.status);
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** After an interruption (or a refusal that may have passed): start again from a fresh HEAD. */
  retry(): Promise<UploadStatus> {
    if (this.status.state === 'interrupted' || this.status.state === 'refused') this.update({ failures: 0, message: undefined });
    return this.start();
  }

  /** Stops sending and asks the server to drop what it stored. */
  async cancel(): Promise<void> {
    if (this.cancelled || this.status.state === 'sent') return;
    this.cancelled = true;
    this.abort.abort();
    await this.running?.catch(() => undefined);
    const signal = new AbortController().signal;
    // The server may still be storing the chunk the abort cut (409): ask again shortly.
    for (const wait of [0, ...CANCEL_RETRY_MS]) {
      try {
        if (wait) await this.sleep(wait, signal);
        const res = await this.request({ method: 'DELETE', headers: {} }, signal);
        if (res.status !== 409) break;
      } catch {
        // Best effort: staged bytes of an abandoned upload go with the DataVolume.
        break;
      }
    }
    this.update({ state: 'cancelled', retryInMs: undefined });
  }

  private update(patch: Partial<UploadStatus>): void {
    this.status = { ...this.status, ...patch };
    this.opts.onChange?.(this.status);
  }

  /** One request with the token; a 401 gets one fresh token and one more try. */
  private async request(req: UploadRequest, signal: AbortSignal): Promise<UploadResponse> {
    this.token ??= await this.opts.token(false);
    const go = () => this.opts.send({ ...req, signal, headers: { ...req.headers, [UPLOAD_TOKEN_HEADER]: this.token ?? '' } });
    let res = await go();
    if (res.status === 401) {
      this.token = await this.opts.token(true);
      res = await go();
    }
    return res;
  }

  private async loop(): Promise<UploadStatus> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    for (;;) {
      let outcome: Outcome;
      try {
        this.update({ state: 'starting', retryInMs: undefined });
        outcome = await this.attempt(signal);
      } catch (e) {
        if (this.cancelled || isAbort(e)) return this.status;
        outcome = { kind: 'failed', message: `the connection to Kura failed (${(e as Error).message || 'network error'})` };
      }
      if (outcome.kind === 'sent') {
        this.update({ state: 'sent', storedBytes: this.status.totalBytes, sentBytes: this.status.totalBytes, message: undefined, failures: 0 });
        return this.status;
      }
      if (outcome.kind === 'refused') {
        this.update({ state: 'refused', message: outcome.message, sentBytes: this.status.storedBytes });
        return this.status;
      }
      const failures = this.status.failures + 1;
      const delay = this.backoff[failures - 1];
      if (delay === undefined) {
        this.update({ state: 'interrupted', message: outcome.message, failures, sentBytes: this.status.storedBytes, retryInMs: undefined });
        return this.status;
      }
      this.update({ state: 'waiting', message: outcome.message, failures, retryInMs: delay, sentBytes: this.status.storedBytes });
      try {
        await this.sleep(delay, signal);
      } catch {
        return this.status;
      }
    }
  }

  private classify(res: UploadResponse): Outcome {
    return isRetryable(res.status) ? { kind: 'failed', message: responseMessage(res) } : { kind: 'refused', message: responseMessage(res) };
  }

  private async attempt(signal: AbortSignal): Promise<Outcome> {
    const size = this.opts.file.size;
    const head = await this.request({ method: 'HEAD', headers: {} }, signal);
    if (head.status === 501) return this.whole(signal);
    // The server refuses more bytes because it holds them all already.
    if (head.status === 409) return { kind: 'sent' };
    if (head.status < 200 || head.status >= 300) return this.classify(head);
    let offset = offsetHeader(head);
    if (offset === undefined) return { kind: 'failed', message: 'the upload server did not say how much it holds (no Upload-Offset)' };
    const length = head.headers['upload-length'];
    if (length !== undefined && /^\d+$/.test(length.trim()) && Number(length) !== size) {
      return { kind: 'refused', message: `the server holds part of another file (of ${length} bytes; this one has ${size}): choose that file, or cancel the upload to start over with this one` };
    }
    if (offset > size) return { kind: 'refused', message: `the server holds ${offset} bytes, more than this file has: it belongs to another file. Cancel the upload to start over.` };
    this.update({ state: 'sending', storedBytes: offset, sentBytes: offset, resumable: true });

    let realignments = 0;
    // Every attempt starts with the first size: after a failure the link is not what it was.
    let chunk = this.sizing.firstBytes;
    const now = this.opts.now ?? (() => performance.now());
    while (offset < size) {
      const start: number = offset;
      const end = Math.min(start + chunk, size);
      const began = now();
      const res = await this.request(
        {
          method: 'PATCH',
          headers: { 'Upload-Offset': String(start), 'Upload-Length': String(size), 'Content-Type': 'application/offset+octet-stream' },
          body: this.opts.file.slice(start, end),
          onProgress: (loaded) => this.update({ sentBytes: start + Math.min(loaded, end - start) }),
        },
        signal,
      );
      const told = offsetHeader(res);
      if (res.status >= 200 && res.status < 300) {
        offset = told ?? end;
        realignments = 0;
        chunk = nextChunkBytes(this.sizing, chunk, end - start, now() - began);
        this.update({ storedBytes: offset, sentBytes: offset, failures: 0, message: undefined });
      } else if (res.status === 409 && told !== undefined && told <= size) {
        // Our idea of the offset was wrong (another tab, a chunk stored before the answer was lost): go on from the server's.
        if (++realignments > MAX_REALIGNMENTS) return { kind: 'failed', message: responseMessage(res) };
        offset = told;
        this.update({ storedBytes: offset, sentBytes: offset });
      } else if (res.status === 409) {
        return { kind: 'failed', message: responseMessage(res) };
      } else {
        return this.classify(res);
      }
    }
    return { kind: 'sent' };
  }

  /** The relay cannot resume (a real CDI upload proxy): the whole file in one POST. */
  private async whole(signal: AbortSignal): Promise<Outcome> {
    const size = this.opts.file.size;
    this.update({ state: 'sending', resumable: false, storedBytes: 0, sentBytes: 0 });
    const res = await this.request(
      { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: this.opts.file.slice(0, size), onProgress: (loaded) => this.update({ sentBytes: Math.min(loaded, size) }) },
      signal,
    );
    if (res.status >= 200 && res.status < 300) return { kind: 'sent' };
    return this.classify(res);
  }
}
