// A file on an HTTP(S) server read with Range requests: the probe that decides whether it can be read
// in place, range reads and a sequential stream that both resume where a dropped connection left
// off, and the checks that keep a changed or lying file out (ETag/Last-Modified, Content-Range).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { DETECT_HEAD_BYTES, assessImage } from '@/lib/cdi';
import { GatheringWriter } from '../writer';
import { AbortedError, Failure, asFailure, imageFailure, internalFailure, shownUrl } from './errors';
import type { LeanResult } from './lean';
import type { Connector, Credentials, Opened } from './net';
import type { Retrier } from './retry';

/** How often a download's length on disk is recorded for resuming (a small durable write each time). */
const RECORD_EVERY = 8 << 20;

export interface Validators {
  etag?: string;
  lastModified?: string;
  size?: number;
}

export type Probe =
  | { ranged: true; head: Buffer; size: number; validators: Validators; url: string; credentialsDropped: boolean }
  /** The server ignored Range: `opened` is the whole file, from byte 0. */
  | { ranged: false; opened: Opened; size?: number; validators: Validators };

function validatorsOf(o: Opened, size: number | undefined): Validators {
  const etag = o.res.headers.etag;
  const lastModified = o.res.headers['last-modified'];
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}), ...(size !== undefined ? { size } : {}) };
}

function contentRange(o: Opened): { start: number; end: number; total?: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(o.res.headers['content-range'] ?? '');
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), ...(m[3] !== '*' ? { total: Number(m[3]) } : {}) };
}

function declaredLength(o: Opened): number | undefined {
  const v = o.res.headers['content-length'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Truncated or LengthMismatch, in lib/cdi's words, when `received` differs from `declared`. */
export function transferFailure(declared: number | undefined, received: number): Failure | undefined {
  const a = assessImage({ detected: { kind: 'disk', format: 'raw' }, ...(declared !== undefined ? { declaredBytes: declared } : {}), receivedBytes: received });
  return a.accept ? undefined : imageFailure(a.reason, a.message);
}

/** The connection reported bytes after the body: the server sent more than its Content-Length. */
function sentMore(late: Error | undefined): boolean {
  return late !== undefined && /^HPE_/.test(String((late as { code?: string }).code));
}

function longer(url: string, declared: number): Failure {
  return imageFailure('LengthMismatch', `the server announced ${declared} bytes (Content-Length) for ${shownUrl(url)} but sent more: the file cannot be trusted`);
}

async function readAll(o: Opened, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of o.body()) {
    chunks.push(c);
    n += c.length;
    if (n > limit) break;
  }
  return Buffer.concat(chunks);
}

export class RemoteFile {
  constructor(
    private readonly connector: Connector,
    readonly url: string,
    private readonly credentials: Credentials | undefined,
    readonly validators: Validators,
    private readonly retrier: Retrier,
    private readonly signal: AbortSignal | undefined,
    /** Plain headers sent with every request (CDI's extraHeaders). */
    private readonly headers: Record<string, string> = {},
  ) {}

  get size(): number | undefined {
    return this.validators.size;
  }

  /**
   * Asks for the first DETECT_HEAD_BYTES with a Range request: a 206 means the file can be read in
   * place; a 200 is the whole file from a server without Range support.
   */
  static async probe(connector: Connector, url: string, credentials: Credentials | undefined, headers: Record<string, string> = {}): Promise<Probe> {
    // A connection of its own: when the answer is the whole file, bytes beyond its Content-Length show.
    const o = await connector.request(url, { headers: { ...headers, range: `bytes=0-${DETECT_HEAD_BYTES - 1}` }, credentials, accept: [416], fresh: true });
    if (o.status === 416) {
      o.res.destroy();
      const total = /\/(\d+)$/.exec(o.res.headers['content-range'] ?? '')?.[1];
      if (total === '0') throw imageFailure('Empty', 'the file is empty: the server sent no data');
      throw new Failure({ kind: 'http', status: 416, url: shownUrl(url) });
    }
    if (o.status === 206) {
      const range = contentRange(o);
      if (!range || range.start !== 0 || range.total === undefined) {
        o.res.destroy();
        throw internalFailure(`the server answered a Range request for ${shownUrl(url)} with a Content-Range Kura cannot read (${o.res.headers['content-range'] ?? 'none'})`, 'HttpError');
      }
      const head = await readAll(o, DETECT_HEAD_BYTES);
      if (head.length !== range.end + 1) throw transferFailure(range.end + 1, head.length) ?? internalFailure('short read');
      return { ranged: true, head, size: range.total, validators: validatorsOf(o, range.total), url: o.url, credentialsDropped: o.credentialsDropped };
    }
    const size = declaredLength(o);
    return { ranged: false, opened: o, ...(size !== undefined ? { size } : {}), validators: validatorsOf(o, size) };
  }

  /**
   * GETs bytes [start, end) (to the file's end without `end`) over a lean connection, checking in
   * the answer's head that the file is still the one probed; the body goes to `onData`.
   */
  private async range(start: number, end: number | undefined, onData: (piece: Buffer) => void | Promise<void>, graceMs = 0, stop?: AbortSignal): Promise<LeanResult> {
    const { etag, lastModified, size } = this.validators;
    const headers: Record<string, string> = { ...this.headers, range: `bytes=${start}-${end === undefined ? '' : end - 1}` };
    // If-Range: a changed file comes back whole (200) instead of as the range, which is caught below.
    const strong = etag && !etag.startsWith('W/') ? etag : undefined;
    if (strong ?? lastModified) headers['if-range'] = (strong ?? lastModified) as string;
    return this.connector.lean(this.url, {
      headers,
      credentials: this.credentials,
      graceMs,
      ...(stop ? { stop } : {}),
      onData,
      onHead: ({ status, headers: h }) => {
        if (status === 416) throw imageFailure('LengthMismatch', `the server announced ${size} bytes for ${shownUrl(this.url)} but has fewer: it refused a request from byte ${start}`);
        if (status >= 400) throw new Failure({ kind: 'http', status, url: shownUrl(this.url) });
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(h.get('content-range') ?? '');
        const changed =
          status !== 206 ||
          !m ||
          Number(m[1]) !== start ||
          (m[3] !== '*' && Number(m[3]) !== size) ||
          (etag !== undefined && h.has('etag') && h.get('etag') !== etag) ||
          (lastModified !== undefined && h.has('last-modified') && h.get('last-modified') !== lastModified);
        if (changed) {
          throw internalFailure(`${shownUrl(this.url)} changed on the server while it was being imported (its size, ETag or Last-Modified differ, or it stopped answering Range requests); starting again`, 'SourceChanged');
        }
      },
    });
  }

  /** The body of a range answer ended: a Failure when short (cut off) or long (lying). */
  private ended(r: LeanResult, expected: number): Failure | undefined {
    if (r.extra) return longer(this.url, r.declared ?? expected);
    if (r.bodyBytes < expected) return transferFailure(expected, r.bodyBytes) ?? asFailure(r.error);
    return undefined;
  }

  /** Bytes [start, end) exactly; a dropped connection resumes from the last byte received. */
  async read(start: number, end: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(end - start);
    let pos = start;
    let attempt = 0;
    while (pos < end) {
      try {
        const from = pos;
        const r = await this.range(from, end, (piece) => {
          pos += piece.copy(out, pos - start);
        });
        if (pos > from) attempt = 0;
        const f = this.ended(r, end - from);
        if (f) throw f;
      } catch (err) {
        await this.afterError(err, ++attempt);
      }
    }
    return out;
  }

  /**
   * The file from `from` to its end, resuming after drops; a few MiB are buffered ahead of the
   * reader. A reader that stops early (it failed, or has all it needs) ends the request at once.
   */
  async *stream(from: number): AsyncGenerator<Buffer> {
    const size = this.validators.size as number;
    const queue: Buffer[] = [];
    let queued = 0;
    let wake: (() => void) | undefined;
    let drained: (() => void) | undefined;
    let ended: { error?: unknown } | undefined;
    let pos = from;
    const stop = new AbortController();
    const pump = (async () => {
      let attempt = 0;
      while (pos < size) {
        try {
          const start = pos;
          const r = await this.range(
            start,
            undefined,
            (piece) => {
              queue.push(Buffer.from(piece));
              queued += piece.length;
              pos += piece.length;
              wake?.();
              if (queued >= 8 << 20) return new Promise<void>((resolve) => (drained = resolve));
            },
            1_000,
            stop.signal,
          );
          if (pos > start) attempt = 0;
          const f = this.ended(r, size - start);
          if (f) throw f;
        } catch (err) {
          if (stop.signal.aborted) return;
          await this.afterError(err, ++attempt);
        }
      }
    })().then(
      () => (ended = {}),
      (error: unknown) => (ended = { error }),
    );
    // The reader may be waiting for a piece when the pump ends without one (an abort, a failure,
    // or the connection closing after the last piece was already taken): wake it to see the end.
    void pump.then(() => wake?.());
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          queued -= next.length;
          if (queued < 4 << 20) drained?.();
          yield next;
          continue;
        }
        if (ended) {
          if (ended.error) throw ended.error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      if (!ended) stop.abort();
      drained?.();
      await pump;
    }
  }

  /**
   * Appends bytes [from, size) to `file` (cut back to `from` first), resuming after drops. Pieces
   * are gathered into 4 MiB writes, two at most in flight (reading pauses beyond that).
   * `onWritten` hears the length on disk every 8 MiB or so, when stopped, and at the end (for the
   * resume state); `onFlushed`, the length written without a gap after every write (for a reader
   * following the download). `stop` ends the download early, as an abort.
   */
  async saveTo(
    file: string,
    from: number,
    onBytes: (have: number) => void,
    onWritten: (bytes: number) => Promise<void>,
    opts: { onFlushed?: (bytes: number) => void; stop?: AbortSignal } = {},
  ): Promise<void> {
    const size = this.validators.size as number;
    // Not append mode: Linux ignores the position of a write to a file opened for appending, and
    // two writes in flight could then land in the order they finish rather than where they belong.
    const fh = await fsp.open(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    let have = Math.min(from, (await fh.stat()).size);
    let recorded = have;
    // Records run one after another and are all awaited before saveTo returns.
    let recording: Promise<void> = Promise.resolve();
    const record = (bytes: number): Promise<void> => {
      if (bytes <= recorded && bytes !== size) return recording;
      recorded = bytes;
      recording = recording.then(() => onWritten(bytes)).catch(() => undefined);
      return recording;
    };
    // Two writes in flight: the resume state records only lengths written without a gap.
    const writer = new GatheringWriter(fh.fd, have, {
      maxInFlight: 2,
      onWritten: (end, idle) => {
        opts.onFlushed?.(end);
        if (idle && end - recorded >= RECORD_EVERY) void record(end);
      },
    });
    const allWritten = async () => {
      try {
        await writer.flush();
      } catch (err) {
        throw asFailure(err);
      }
    };
    try {
      await fh.truncate(have);
      opts.onFlushed?.(have);
      let attempt = 0;
      while (have < size) {
        const start = have;
        try {
          const r = await this.range(start, undefined, (piece) => {
            have += piece.length;
            onBytes(have);
            try {
              return writer.write(piece)?.catch((err: unknown) => Promise.reject(asFailure(err)));
            } catch (err) {
              return Promise.reject(asFailure(err));
            }
          }, 1_000, opts.stop);
          await allWritten();
          if (have > start) attempt = 0;
          const f = this.ended(r, size - start);
          if (f) throw f;
        } catch (err) {
          await allWritten();
          have = writer.position;
          // Stopped (cancelled, or Kura stopping): what is on disk counts for the next call.
          if (this.signal?.aborted || err instanceof AbortedError) await record(have);
          await this.afterError(err, ++attempt);
        }
      }
      await record(size);
    } finally {
      await writer.settled();
      await recording;
      await fh.close();
    }
  }

  /** Drops and timeouts are retried (from where they stopped); anything else ends the attempt. */
  private async afterError(err: unknown, attempt: number): Promise<void> {
    if (this.signal?.aborted || err instanceof AbortedError) throw new AbortedError();
    const f = asFailure(err);
    const kind = f.failure.kind;
    const dropped = kind === 'network' || kind === 'timeout' || (kind === 'image' && f.failure.reason === 'Truncated') || (kind === 'http' && f.failure.status >= 500);
    if (!dropped) throw f;
    await this.retrier.backoff(f, attempt);
  }
}

/** A whole-file response (no Range support) as a stream whose length is checked against Content-Length. */
export async function* wholeBody(o: Opened, declared: number | undefined): AsyncGenerator<Buffer> {
  let received = 0;
  try {
    for await (const c of o.body()) {
      received += c.length;
      yield c;
    }
  } catch (err) {
    o.res.destroy();
    throw declared !== undefined && received < declared ? (transferFailure(declared, received) as Failure) : asFailure(err);
  }
  if (sentMore(await o.settled())) throw longer(o.url, declared ?? received);
  o.res.destroy();
  const f = transferFailure(declared, received);
  if (f) throw f;
}
