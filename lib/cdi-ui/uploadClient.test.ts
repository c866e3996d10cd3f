import { describe, expect, it } from 'vitest';
import { type ChunkSizing, nextChunkBytes, UploadClient, type UploadRequest, type UploadResponse, type UploadStatus } from './uploadClient';

const CHUNK = 1000;

/** Kura's upload server in miniature: bytes stored in order, with ways to misbehave. */
class FakeServer {
  stored = new Uint8Array(0);
  length?: number;
  requests: string[] = [];
  /** Answer HEAD with 501, as the relay does for a real CDI. */
  resumable = true;
  /** Called before each request is handled; returns an answer (or throws) to take over. */
  before?: (req: UploadRequest, n: number) => UploadResponse | undefined | Promise<UploadResponse | undefined>;
  /** Tokens it accepts. */
  tokens = new Set(['t1']);

  send = async (req: UploadRequest): Promise<UploadResponse> => {
    const n = this.requests.push(`${req.method}${req.headers['Upload-Offset'] ? ` ${req.headers['Upload-Offset']}` : ''}`) - 1;
    if (req.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    const taken = await this.before?.(req, n);
    if (taken) return taken;
    if (!this.tokens.has(req.headers['X-Upload-Token'] ?? '')) return json(401, 'the upload token has expired');
    switch (req.method) {
      case 'HEAD':
        if (!this.resumable) return json(501, 'cannot resume');
        return { status: 200, headers: { 'upload-offset': String(this.stored.length), ...(this.length !== undefined ? { 'upload-length': String(this.length) } : {}) }, body: '' };
      case 'DELETE':
        this.stored = new Uint8Array(0);
        this.length = undefined;
        return { status: 204, headers: {}, body: '' };
      case 'POST': {
        const bytes = new Uint8Array(await req.body!.arrayBuffer());
        req.onProgress?.(bytes.length);
        this.stored = bytes;
        return { status: 200, headers: {}, body: '' };
      }
      case 'PATCH': {
        const offset = Number(req.headers['Upload-Offset']);
        this.length = Number(req.headers['Upload-Length']);
        if (offset !== this.stored.length) return { ...json(409, `the server holds ${this.stored.length} bytes`), headers: { 'upload-offset': String(this.stored.length) } };
        await this.append(req);
        return { status: 204, headers: { 'upload-offset': String(this.stored.length) }, body: '' };
      }
    }
  };

  async append(req: UploadRequest, keep?: number): Promise<void> {
    const chunk = new Uint8Array(await req.body!.arrayBuffer()).subarray(0, keep);
    req.onProgress?.(chunk.length);
    const next = new Uint8Array(this.stored.length + chunk.length);
    next.set(this.stored);
    next.set(chunk, this.stored.length);
    this.stored = next;
  }
}

function json(status: number, message: string): UploadResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) };
}

function file(size: number): { blob: Blob; bytes: Uint8Array } {
  const bytes = new Uint8Array(size).map((_, i) => (i * 7) % 251);
  return { blob: new Blob([bytes]), bytes };
}

function client(server: FakeServer, blob: Blob, extra: { sleeps?: number[]; states?: UploadStatus[]; tokens?: string[] } = {}) {
  let issued = 0;
  return new UploadClient({
    send: server.send,
    file: blob,
    chunkBytes: CHUNK,
    token: async (fresh) => {
      extra.tokens?.push(fresh ? 'fresh' : 'first');
      issued += fresh ? 1 : 0;
      return `t${issued + 1}`;
    },
    sleep: async (ms) => {
      extra.sleeps?.push(ms);
    },
    onChange: (s) => extra.states?.push(s),
  });
}

describe('UploadClient', () => {
  it('sends the file in chunks and ends with every byte stored', async () => {
    const server = new FakeServer();
    const { blob, bytes } = file(2500);
    const states: UploadStatus[] = [];
    const result = await client(server, blob, { states }).start();
    expect(result).toMatchObject({ state: 'sent', storedBytes: 2500, sentBytes: 2500 });
    expect(server.requests).toEqual(['HEAD', 'PATCH 0', 'PATCH 1000', 'PATCH 2000']);
    expect(server.stored).toEqual(bytes);
    // Progress moves within a chunk and never backwards while sending.
    const sent = states.filter((s) => s.state === 'sending').map((s) => s.sentBytes);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
  });

  it('resumes from the server offset after the connection drops mid-chunk', async () => {
    const server = new FakeServer();
    const { blob, bytes } = file(3000);
    server.before = async (req, n) => {
      // The second chunk breaks after 400 bytes were stored.
      if (n === 2) {
        await server.append(req, 400);
        throw new TypeError('Failed to fetch');
      }
      return undefined;
    };
    const sleeps: number[] = [];
    const result = await client(server, blob, { sleeps }).start();
    expect(result.state).toBe('sent');
    expect(sleeps).toEqual([1000]);
    expect(server.requests).toEqual(['HEAD', 'PATCH 0', 'PATCH 1000', 'HEAD', 'PATCH 1400', 'PATCH 2400']);
    expect(server.stored).toEqual(bytes);
  });

  it('resumes an upload another page started, from HEAD', async () => {
    const server = new FakeServer();
    const { blob, bytes } = file(2000);
    server.stored = bytes.slice(0, 1500);
    expect((await client(server, blob).start()).state).toBe('sent');
    expect(server.requests).toEqual(['HEAD', 'PATCH 1500']);
    expect(server.stored).toEqual(bytes);
  });

  it('follows a 409 to the offset the server holds', async () => {
    const server = new FakeServer();
    const { blob, bytes } = file(3000);
    server.before = (req, n) => {
      // Right after HEAD said 0, another tab stores the first chunk.
      if (n === 1) server.stored = bytes.slice(0, 1000);
      return undefined;
    };
    const sleeps: number[] = [];
    expect((await client(server, blob, { sleeps }).start()).state).toBe('sent');
    expect(server.requests).toEqual(['HEAD', 'PATCH 0', 'PATCH 1000', 'PATCH 2000']);
    expect(sleeps).toEqual([]);
    expect(server.stored).toEqual(bytes);
  });

  it('stops at a refusal and shows its message', async () => {
    const server = new FakeServer();
    server.before = (req) => (req.method === 'PATCH' ? json(400, 'the file is HTML, not a disk image') : undefined);
    const sleeps: number[] = [];
    const result = await client(server, file(2000).blob, { sleeps }).start();
    expect(result).toMatchObject({ state: 'refused', message: 'the file is HTML, not a disk image', storedBytes: 0 });
    expect(sleeps).toEqual([]);
    expect(server.requests).toEqual(['HEAD', 'PATCH 0']);
  });

  it('retries 5xx with growing waits, then waits for the user; retry() goes on', async () => {
    const server = new FakeServer();
    let broken = true;
    server.before = () => (broken ? json(503, 'PVC ns/d does not accept an upload now') : undefined);
    const sleeps: number[] = [];
    const c = client(server, file(1500).blob, { sleeps });
    const stalled = await c.start();
    expect(stalled).toMatchObject({ state: 'interrupted', message: 'PVC ns/d does not accept an upload now', failures: 7 });
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    broken = false;
    expect((await c.retry()).state).toBe('sent');
    expect(server.stored).toHaveLength(1500);
  });

  it('cancels: stops sending and asks the server to drop what it holds', async () => {
    const server = new FakeServer();
    const { blob } = file(5000);
    const c = client(server, blob);
    let cancelling: Promise<void> | undefined;
    server.before = (req, n) => {
      if (n === 2) {
        cancelling = c.cancel();
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      }
      return undefined;
    };
    await c.start();
    await cancelling;
    expect(c.current.state).toBe('cancelled');
    expect(server.requests).toEqual(['HEAD', 'PATCH 0', 'PATCH 1000', 'DELETE']);
    expect(server.stored).toHaveLength(0);
  });

  it('asks again to drop the bytes while the server still writes the chunk the cancel cut', async () => {
    const server = new FakeServer();
    const { blob } = file(5000);
    const c = client(server, blob);
    let cancelling: Promise<void> | undefined;
    let busy = 0;
    server.before = (req, n) => {
      if (n === 2) {
        cancelling = c.cancel();
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      }
      if (req.method === 'DELETE' && busy++ < 2) return json(409, 'a chunk of this upload is being written; try again when it is stored');
      return undefined;
    };
    await c.start();
    await cancelling;
    expect(server.requests).toEqual(['HEAD', 'PATCH 0', 'PATCH 1000', 'DELETE', 'DELETE', 'DELETE']);
    expect(server.stored).toHaveLength(0);
  });

  it('sends the whole file in one POST when the relay cannot resume', async () => {
    const server = new FakeServer();
    server.resumable = false;
    const { blob, bytes } = file(2500);
    const result = await client(server, blob).start();
    expect(result).toMatchObject({ state: 'sent', resumable: false });
    expect(server.requests).toEqual(['HEAD', 'POST']);
    expect(server.stored).toEqual(bytes);
  });

  it('asks for a fresh token once when the server says it expired', async () => {
    const server = new FakeServer();
    server.tokens = new Set(['t2']);
    const tokens: string[] = [];
    expect((await client(server, file(500).blob, { tokens }).start()).state).toBe('sent');
    expect(tokens).toEqual(['first', 'fresh']);
  });

  it('refuses at once to go on with another file than the one the server holds part of', async () => {
    const server = new FakeServer();
    server.stored = new Uint8Array(100);
    server.length = 4000;
    const sleeps: number[] = [];
    const result = await client(server, file(2000).blob, { sleeps }).start();
    expect(result).toMatchObject({ state: 'refused' });
    expect(result.message).toContain('another file');
    expect(server.requests).toEqual(['HEAD']);
    expect(sleeps).toEqual([]);
  });

  it('counts an upload the server already completed as sent', async () => {
    const server = new FakeServer();
    server.before = (req) => (req.method === 'HEAD' ? json(409, 'this upload is complete') : undefined);
    expect((await client(server, file(500).blob).start()).state).toBe('sent');
  });

  it('sizes chunks to the link: bigger while they go fast, back to the first size after a failure', async () => {
    const server = new FakeServer();
    const { blob, bytes } = file(20_000);
    // 4 bytes per ms for the first three chunks, then 0.1; the fifth request breaks.
    let clock = 0;
    server.before = async (req, n) => {
      const len = req.body?.size ?? 0;
      clock += n < 4 ? len / 4 : len * 10;
      if (n === 5) throw new TypeError('Failed to fetch');
      return undefined;
    };
    const sizing: ChunkSizing = { firstBytes: 500, minBytes: 200, maxBytes: 4000, targetMs: 1500 };
    const c = new UploadClient({ send: server.send, file: blob, chunking: sizing, now: () => clock, token: async () => 't1', sleep: async () => undefined });
    expect((await c.start()).state).toBe('sent');
    expect(server.stored).toEqual(bytes);
    // 500 → 2000 (at most 4×) → 4000 (the largest) → 4000; slower: 200 (the smallest); broken; from 500 again.
    expect(server.requests.slice(0, 9)).toEqual(['HEAD', 'PATCH 0', 'PATCH 500', 'PATCH 2500', 'PATCH 6500', 'PATCH 10500', 'HEAD', 'PATCH 10500', 'PATCH 11000']);
  });
});

describe('nextChunkBytes', () => {
  const MiB = 2 ** 20;
  const console_: ChunkSizing = { firstBytes: 16 * MiB, minBytes: 4 * MiB, maxBytes: 128 * MiB, targetMs: 2000 };
  it.each([
    ['a fast link grows the chunk at most 4×', 16 * MiB, 16 * MiB, 20, 64 * MiB],
    ['…up to the largest', 64 * MiB, 64 * MiB, 50, 128 * MiB],
    ['the time\'s worth, in whole MiB', 16 * MiB, 16 * MiB, 1000, 32 * MiB],
    ['a slow link shrinks it at once', 64 * MiB, 64 * MiB, 64_000, 4 * MiB],
    ['never below the smallest', 16 * MiB, 16 * MiB, 1_000_000, 4 * MiB],
    ['a short last chunk counts by its bytes', 16 * MiB, 3 * MiB, 500, 12 * MiB],
    ['no time measured is not infinitely fast', 16 * MiB, 16 * MiB, 0, 64 * MiB],
  ])('%s', (_, last, sent, ms, want) => {
    expect(nextChunkBytes(console_, last, sent, ms)).toBe(want);
  });
});
