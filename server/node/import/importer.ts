// importImage: fills a volume's file from an http(s), S3, registry or local source. Files that can be
// read in place (uncompressed, Range support, or local) go to qemu-img through an NBD proxy or
// directly (no scratch copy); the rest stream through a scratch file. Every image is checked with
// lib/cdi assessImage before and after qemu-img reads it, retried as lib/cdi retryDecision says,
// and resumed from the scratch directory's state after a dropped connection or a restart.
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_IMAGE_BOMB_LIMITS,
  DETECT_HEAD_BYTES,
  DETECT_TAIL_BYTES,
  type DetectedFormat,
  type ImageBombLimits,
  assessImage,
  detectFormat,
  retryDecision,
} from '@/lib/cdi';
import { MiB } from '@/lib/provisioning';
import { logger, type Logger } from '@/server/log';
import { ByteReader, type ByteStream, fileChunks, tap } from './bytes';
import { decompress } from './decompress';
import { keptDownload } from './download';
import { AbortedError, Failure, ImportError, asFailure, errorCode, imageFailure, invalidSource, reasonOf } from './errors';
import { NbdServer } from './nbd';
import { GrowingFile } from './growing';
import { Connector, type Credentials, isSensitiveHeader } from './net';
import { type Location, QemuRunner, type SlicePlan } from './qemu';
import { RangeCache } from './rangecache';
import { type Layer, RegistryClient, parseRegistryUrl } from './registry';
import { RemoteFile, type Validators, wholeBody } from './remote';
import { Retrier, sleep } from './retry';
import { s3Request } from './s3';
import { type Staged, guardExpansion, refuseEarly, stageImage } from './stage';
import { IMAGE_FILE, type ImportState, PART_FILE, StateStore, stateKey } from './state';
import { currentBootId } from '../files';
import { tarEntries } from './tar';
import type { HttpSource, ImportOptions, ImportPhase, ImportResult, ImportSource, ImportTarget, RegistrySource } from './types';

const DEFAULT_SLICE = 256 * MiB;

type DiskDetected = Extract<DetectedFormat, { kind: 'disk' }>;

function sameFile(a: Validators | undefined, b: Validators): boolean {
  if (!a || a.size !== b.size || (!a.etag && !a.lastModified)) return false;
  return a.etag === b.etag && a.lastModified === b.lastModified;
}

function httpRequest(source: HttpSource): { url: string; plain: Record<string, string>; credentials?: Credentials } {
  const { url, headers = {}, basicAuth } = source;
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) (isSensitiveHeader(k) ? secret : plain)[k.toLowerCase()] = v;
  if (basicAuth) secret.authorization = `Basic ${Buffer.from(`${basicAuth.user}:${basicAuth.password}`).toString('base64')}`;
  return { url, plain, ...(Object.keys(secret).length ? { credentials: { headers: secret } } : {}) };
}

/** Where a name in a containerDisk layer is the disk: the first regular file under disk/ (or /disk/). */
function isDiskPath(name: string): boolean {
  const n = name.replace(/^(\.\/|\/)+/, '');
  return n.startsWith('disk/') && n.length > 5 && !path.basename(n).startsWith('.wh.');
}

class Progress {
  private last = 0;
  private phase: ImportPhase | undefined;
  constructor(private readonly cb: ImportOptions['onProgress']) {}
  emit(phase: ImportPhase, doneBytes: number, totalBytes?: number, force = false): void {
    const now = Date.now();
    if (!this.cb || (!force && phase === this.phase && now - this.last < 250)) return;
    this.last = now;
    this.phase = phase;
    const done = Math.floor(totalBytes !== undefined ? Math.min(doneBytes, totalBytes) : doneBytes);
    this.cb({ phase, doneBytes: done, ...(totalBytes !== undefined ? { totalBytes } : {}) });
  }
}

class ImportRun {
  private readonly store: StateStore;
  private readonly key: string;
  private state: ImportState;
  private readonly retrier: Retrier;
  private readonly qemu: QemuRunner;
  private readonly connector: Connector;
  private readonly progress: Progress;
  private readonly limits: ImageBombLimits;
  private readonly log: Logger;
  private readonly signal: AbortSignal | undefined;
  private warnings: string[] = [];
  private resumedAt = 0;

  constructor(
    private readonly source: ImportSource,
    private readonly target: ImportTarget,
    private readonly opts: ImportOptions,
  ) {
    this.signal = opts.signal;
    this.store = new StateStore(opts.scratchDir);
    this.key = stateKey({ source: sourceIdentity(source), target: target.path });
    this.state = { v: 1, key: this.key };
    this.retrier = new Retrier(opts.retry, opts.signal, opts.onRetry);
    this.qemu = new QemuRunner(opts.qemuImg ?? 'qemu-img', opts.signal);
    const caPem = 'http' in source ? source.http.caPem : 's3' in source ? source.s3.caPem : 'registry' in source ? source.registry.caPem : undefined;
    this.connector = new Connector({ policy: opts.policy, ...(caPem ? { caPem } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.resolve ? { resolve: opts.resolve } : {}), idleTimeoutMs: opts.idleTimeoutMs ?? 60_000 });
    this.progress = new Progress(opts.onProgress);
    this.limits = opts.bombLimits ?? DEFAULT_IMAGE_BOMB_LIMITS;
    this.log = opts.log ?? logger('node/import');
  }

  async execute(): Promise<ImportResult> {
    await fsp.mkdir(this.opts.scratchDir, { recursive: true, mode: 0o700 });
    this.state = this.store.load(this.key) ?? { v: 1, key: this.key };
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await this.attempt();
          await this.store.clear();
          return { ...result, downloadedBytes: this.connector.received, resumedAt: this.resumedAt, warnings: this.warnings };
        } catch (err) {
          if (this.signal?.aborted || err instanceof AbortedError) throw await this.aborted();
          const f = asFailure(err);
          const policy = this.retrier.policy;
          const decision = retryDecision(f.failure, attempt, policy, Math.random());
          if (decision.retry) {
            this.log.warn('import attempt failed; retrying', { target: this.target.path, attempt, reason: decision.reason, delayMs: decision.delayMs });
            this.opts.onRetry?.({ attempt, delayMs: decision.delayMs, reason: decision.reason });
            await sleep(decision.delayMs, this.signal).catch(async () => {
              throw await this.aborted();
            });
            continue;
          }
          const retryable = retryDecision(f.failure, attempt, { ...policy, maxAttempts: undefined }).retry;
          await this.giveUp(retryable);
          throw new ImportError(reasonOf(f), `Disk import failed: ${decision.reason}`, retryable, { cause: err });
        }
      }
    } finally {
      this.connector.close();
    }
  }

  /** Abort keeps what a later call can resume from (unless told not to); the target is not complete either way. */
  private async aborted(): Promise<ImportError> {
    if (this.opts.keepOnAbort === false) await this.giveUp(false);
    return new ImportError('Aborted', 'Disk import failed: the import was cancelled', true);
  }

  /** The target goes back to empty; the scratch files go too unless a later call may resume from them. */
  private async giveUp(keepScratch: boolean): Promise<void> {
    try {
      await new QemuRunner(this.opts.qemuImg ?? 'qemu-img', undefined).resetTarget(this.target);
    } catch (err) {
      this.log.warn('could not empty the volume after a failed import', { target: this.target.path, err });
    }
    if (!keepScratch) return this.store.clear();
    delete this.state.convertedTo;
    await this.store.save(this.state).catch(() => undefined);
  }

  private async attempt(): Promise<ImportResult> {
    this.warnings = [];
    const s = this.source;
    if ('file' in s) return this.fromFile(s.file.path);
    if ('registry' in s) return this.fromRegistry(s.registry);
    const { url, plain, credentials } = 'http' in s ? httpRequest(s.http) : { ...s3Request(s.s3), plain: {} };
    const probe = await RemoteFile.probe(this.connector, url, credentials, plain);
    if (!probe.ranged) {
      // No Range support: nothing to resume from, the stream goes through the scratch file as it comes.
      this.state = { v: 1, key: this.key };
      return this.staged(wholeBody(probe.opened, probe.size), probe.size);
    }
    const remote = new RemoteFile(this.connector, probe.url, probe.credentialsDropped ? undefined : credentials, probe.validators, this.retrier, this.signal, plain);
    if (!sameFile(this.state.validators, probe.validators)) this.state = { v: 1, key: this.key, validators: probe.validators };
    let detected = detectFormat(probe.head);
    if (detected.kind === 'disk' && detected.format === 'raw' && probe.size >= DETECT_TAIL_BYTES) detected = detectFormat(probe.head, await remote.read(probe.size - DETECT_TAIL_BYTES, probe.size));
    refuseEarly(detected, undefined, this.target, probe.size);
    if (detected.kind === 'compressed') return this.staged(this.kept(remote), probe.size);
    if (detected.kind === 'disk' && (await this.throughScratch(detected, probe.size))) return this.saved(remote, detected);
    return this.direct(remote, detected);
  }

  /**
   * Whether an uncompressed file the server can serve in ranges is downloaded first. Raw images
   * never are (they can be as big as the disk); other formats are when the scratch space has room,
   * since on a busy node the NBD hop costs more CPU than it saves (see bench/import).
   */
  private async throughScratch(detected: DiskDetected, size: number): Promise<boolean> {
    const choice = this.opts.readInPlace ?? 'auto';
    if (choice !== 'auto') return choice === 'never';
    if (detected.format === 'raw' || detected.format === 'iso') return false;
    const st = await fsp.statfs(this.opts.scratchDir).catch(() => undefined);
    return st !== undefined && st.bavail * st.bsize >= size + size / 10 + 256 * MiB;
  }

  /**
   * Downloads the file into download.part (resumable to the byte) while qemu-img converts it slice
   * by slice from there: each slice reads the file once the download has passed its data, or
   * through the NBD proxy (each read waiting for the download) when its data is compressed. The
   * image is checked (qemu-img check) once the whole file is in, before the import counts as done.
   */
  private async saved(remote: RemoteFile, detected: DiskDetected): Promise<ImportResult> {
    const size = remote.size as number;
    const part = this.store.file(PART_FILE);
    this.resumedAt = this.state.partBytes ?? 0;
    const growing = new GrowingFile(part, size);
    const stop = new AbortController();
    let downloaded = false;
    let downloadFailure: { error: unknown } | undefined;
    const download = remote
      .saveTo(
        part,
        this.state.partBytes ?? 0,
        (have) => this.progress.emit('downloading', have, size),
        (bytes) => this.recordPart(bytes),
        { onFlushed: (n) => growing.grew(n), stop: stop.signal },
      )
      .then(
        () => {
          downloaded = true;
          growing.end();
        },
        (err: unknown) => {
          downloadFailure = { error: err };
          growing.end(err);
          throw err;
        },
      );
    // Awaited below or in the finally; never an unhandled rejection meanwhile.
    download.catch(() => undefined);
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kura-nbd-'));
    const server = await NbdServer.listen(path.join(dir, 'nbd.sock'), growing);
    const nbd = { nbd: server.socketPath };
    const file = { file: part };
    try {
      return await this.convertFrom(nbd, detected, {
        mode: 'staged',
        sourceBytes: size,
        resume: false,
        // The download is the better measure of progress until it is done.
        quietUntil: () => downloaded,
        sliceLoc: async (at, size) => {
          // Once the file is whole, qemu-img reads it directly, to the end in one go.
          if (downloaded) return { loc: file, size: Infinity };
          // Before that, qemu-img map finds where the slice's data lies in the file. It reads through
          // the proxy, so the metadata it needs (header, tables, wherever they are) is in the file
          // once it answers; the slice then waits for the download to pass its data and reads the
          // file directly too: the NBD hop costs about as much CPU as the conversion itself. Only
          // data stored otherwise (compressed clusters) goes through the proxy as it arrives.
          const end = await this.qemu.dataEnd(nbd, detected.format, at, size);
          if (end === undefined) return { loc: nbd, size };
          await growing.until(end);
          return { loc: file, size: downloaded ? Infinity : size };
        },
        checkWhenWhole: async () => {
          await download;
          return { file: part };
        },
      });
    } catch (err) {
      // qemu-img only says "Input/output error" when a read failed: the download knows why.
      throw downloadFailure ? downloadFailure.error : err;
    } finally {
      stop.abort();
      await download.catch(() => undefined);
      await server.close();
      await growing.close();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  /** The remote file through download.part, resuming from its durable length. */
  private kept(remote: RemoteFile): ByteStream {
    this.resumedAt = this.state.partBytes ?? 0;
    return keptDownload(remote, this.store.file(PART_FILE), this.state.partBytes ?? 0, (bytes) => this.recordPart(bytes));
  }

  private async recordPart(bytes: number): Promise<void> {
    this.state.partBytes = bytes;
    this.state.bootId = currentBootId();
    await this.store.save(this.state);
  }

  /** Uncompressed and ranged: qemu-img reads the remote file in place through the NBD proxy. */
  private async direct(remote: RemoteFile, detected: DetectedFormat): Promise<ImportResult> {
    const size = remote.size as number;
    const cache = new RangeCache({ size, read: (start, end) => remote.read(start, end) });
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kura-nbd-'));
    const server = await NbdServer.listen(path.join(dir, 'nbd.sock'), cache);
    const timer = setInterval(() => this.progress.emit('downloading', cache.fetchedBytes, size), 500);
    try {
      return await this.convertFrom({ nbd: server.socketPath }, detected, { mode: 'direct', sourceBytes: size, resume: true });
    } catch (err) {
      // qemu-img only says "Input/output error"; the proxy knows why (the server, the network, a changed file).
      if (server.failure !== undefined && !(err instanceof AbortedError)) throw asFailure(server.failure);
      throw err;
    } finally {
      clearInterval(timer);
      await server.close();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  /** A stream that must be read from its start: through a scratch image file, then converted locally. */
  private async staged(stream: ByteStream, declared: number | undefined, fileBase = this.store.file(IMAGE_FILE)): Promise<ImportResult> {
    const staged = await stageImage(stream, {
      fileBase,
      target: this.target,
      limits: this.limits,
      ...(this.signal ? { signal: this.signal } : {}),
      onInput: (n) => this.progress.emit('downloading', n, declared),
    });
    return this.fromStaged(staged, declared);
  }

  private async fromStaged(staged: Staged, declared: number | undefined): Promise<ImportResult> {
    try {
      const detected = staged.inner ?? staged.detected;
      return await this.convertFrom({ file: staged.file }, detected, {
        mode: 'staged',
        sourceBytes: declared ?? staged.sourceBytes,
        receivedBytes: staged.sourceBytes,
        imageBytes: staged.imageBytes,
        resume: false,
        ...(staged.compression ? { compression: staged.compression, outer: staged.detected } : {}),
      });
    } finally {
      await fsp.rm(staged.file, { force: true });
    }
  }

  /** Checks the image where qemu-img reads it, converts it into the target slice by slice, checks the result. */
  private async convertFrom(
    loc: Location,
    detected: DetectedFormat,
    o: {
      mode: 'direct' | 'staged';
      sourceBytes: number;
      receivedBytes?: number;
      imageBytes?: number;
      resume: boolean;
      compression?: ImportResult['compression'];
      outer?: DetectedFormat;
      /** The source is still arriving: convert first, and run qemu-img check where this says, once it is whole. */
      checkWhenWhole?: () => Promise<Location>;
      /** Where qemu-img reads each slice, when that can change during the conversion (`loc` otherwise). */
      sliceLoc?: SlicePlan;
      /** Conversion progress is reported only once this is true (something else reports until then). */
      quietUntil?: () => boolean;
    },
  ): Promise<ImportResult> {
    if (detected.kind !== 'disk') throw imageFailure('NotADiskImage', 'the file is not a disk image');
    const format = detected.format;
    if (!o.quietUntil) this.progress.emit('checking', 0, undefined, true);
    const info = await this.qemu.sourceInfo(loc, format);
    const fileBytes = o.imageBytes ?? o.sourceBytes;
    const judge = (check: Awaited<ReturnType<QemuRunner['sourceCheck']>>) => {
      // qemu counts the image's end in whole clusters; the last compressed cluster takes only part
      // of one, so a compressed image may end up to a cluster short of it.
      const cluster = info.clusterSize ?? 512;
      const fileEnd = check?.compressedClusters ? Math.ceil(fileBytes / cluster) * cluster : fileBytes;
      if (check?.imageEndOffset !== undefined && check.imageEndOffset > fileEnd) {
        throw new Failure({ kind: 'image', reason: 'Corrupt', message: `the ${format} image is truncated: its tables point ${check.imageEndOffset} bytes into a file of ${fileBytes}` }, 'Truncated');
      }
      const facts = {
        detected: o.outer ?? detected,
        ...(o.outer ? { inner: detected } : {}),
        info: { ...info, actualSize: fileBytes },
        ...(check ? { check } : {}),
        ...(o.receivedBytes !== undefined ? { receivedBytes: o.receivedBytes } : {}),
        target: { usableBytes: this.target.usableBytes, overhead: this.target.overhead ?? 0 },
      };
      const verdict = assessImage(facts, this.limits);
      if (!verdict.accept) throw imageFailure(verdict.reason, verdict.message);
      return verdict;
    };
    // Before converting: what info shows (backing or data files, sizes, a bomb) is refused at once.
    const early = judge(o.checkWhenWhole ? undefined : await this.qemu.sourceCheck(loc, format));

    const ino = (await fsp.stat(this.target.path)).ino;
    let from = o.resume && this.state.targetIno === ino ? (this.state.convertedTo ?? 0) : 0;
    const targetSize = from > 0 ? (await this.qemu.targetSize(this.target)).virtualSize : await this.qemu.resetTarget(this.target);
    if (targetSize < info.virtualSize) {
      throw new Failure({ kind: 'policy', message: `the volume file holds ${targetSize} bytes, less than the image's ${info.virtualSize} (usableBytes says ${this.target.usableBytes})` }, 'InvalidTarget');
    }
    if (from > info.virtualSize) from = 0;
    if (from > 0) this.resumedAt = from;
    this.state.convertedTo = from;
    this.state.targetIno = ino;
    if (o.resume) await this.store.save(this.state);
    const checkWhole = async () => judge(await this.qemu.sourceCheck(await (o.checkWhenWhole as () => Promise<Location>)(), format));
    try {
      await this.qemu.convert({ loc: o.sliceLoc ?? loc, format }, this.target, {
        virtualSize: info.virtualSize,
        from,
        sliceBytes: this.opts.sliceBytes ?? DEFAULT_SLICE,
        onSlice: async (to) => {
          this.state.convertedTo = to;
          if (o.resume) await this.store.save(this.state);
        },
        onProgress: (done) => o.mode === 'staged' && (o.quietUntil?.() ?? true) && this.progress.emit('converting', done, info.virtualSize),
      });
    } catch (err) {
      // Not checked yet: a conversion that failed on a damaged image is refused as that (Corrupt), not retried.
      if (o.checkWhenWhole && !(err instanceof AbortedError)) await checkWhole();
      throw err;
    }
    this.progress.emit('checking', info.virtualSize, info.virtualSize, true);
    const verdict = o.checkWhenWhole ? await checkWhole() : early;
    this.warnings.push(...verdict.warnings);
    await this.qemu.checkTarget(this.target);
    return {
      format: info.format === 'vpc' ? 'vhd' : format,
      ...(o.compression ? { compression: o.compression } : {}),
      virtualSize: info.virtualSize,
      mode: o.mode,
      sourceBytes: o.sourceBytes,
      downloadedBytes: 0,
      resumedAt: 0,
      warnings: [],
    };
  }

  /** An upload staged on this node: read in place when uncompressed, else through the scratch file. */
  private async fromFile(file: string): Promise<ImportResult> {
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch (err) {
      throw invalidSource(`the file ${file} cannot be read (${errorCode(err) ?? String(err)})`);
    }
    const fh = await fsp.open(file, 'r');
    const head = Buffer.alloc(Math.min(size, DETECT_HEAD_BYTES));
    const tail = Buffer.alloc(Math.min(size, DETECT_TAIL_BYTES));
    try {
      await fh.read(head, 0, head.length, 0);
      await fh.read(tail, 0, tail.length, size - tail.length);
    } finally {
      await fh.close();
    }
    const detected = detectFormat(head, tail);
    refuseEarly(detected, undefined, this.target, size);
    if (detected.kind === 'compressed') return this.staged(fileChunks(file), size);
    return this.convertFrom({ file }, detected, { mode: 'direct', sourceBytes: size, resume: true });
  }

  private async fromRegistry(src: RegistrySource): Promise<ImportResult> {
    const client = new RegistryClient(this.connector, parseRegistryUrl(src.url, src.insecureHttp), src);
    const layers = await client.layers();
    for (const layer of layers) {
      if (this.state.emptyLayers?.includes(layer.digest)) continue;
      const found = await this.searchLayer(client, layer);
      if (found) return found;
      this.state = { v: 1, key: this.key, emptyLayers: [...(this.state.emptyLayers ?? []), layer.digest] };
      await this.store.save(this.state);
    }
    throw imageFailure('NotADiskImage', `the container image ${src.url} has no file under /disk/, where a containerDisk keeps its disk image`);
  }

  /** Streams one layer (kept in download.part for resuming), unpacks it and stages the first file under disk/. */
  private async searchLayer(client: RegistryClient, layer: Layer): Promise<ImportResult | undefined> {
    const probe = await RemoteFile.probe(this.connector, client.blobUrl(layer.digest), client.credentials());
    let blob: ByteStream;
    if (probe.ranged) {
      const remote = new RemoteFile(this.connector, probe.url, probe.credentialsDropped ? undefined : client.credentials(), probe.validators, this.retrier, this.signal);
      if (this.state.layer !== layer.digest) this.state = { v: 1, key: this.key, layer: layer.digest, ...(this.state.emptyLayers ? { emptyLayers: this.state.emptyLayers } : {}) };
      blob = this.kept(remote);
    } else {
      blob = wholeBody(probe.opened, probe.size);
    }
    const hash = createHash('sha256');
    let blobBytes = 0;
    const reader = new ByteReader(
      tap(blob, (c) => {
        hash.update(c);
        blobBytes += c.length;
      }),
    );
    const head = detectFormat(await reader.peek(DETECT_HEAD_BYTES));
    const tar = head.kind === 'compressed' ? guardExpansion(decompress(head.compression, reader, this.signal), () => blobBytes, this.limits) : reader;
    let staged: Staged | undefined;
    try {
      for await (const entry of tarEntries(tar)) {
        if (staged || entry.type !== 'file' || !isDiskPath(entry.name)) continue;
        staged = await stageImage(entry.body, {
          fileBase: this.store.file(IMAGE_FILE),
          target: this.target,
          limits: this.limits,
          ...(this.signal ? { signal: this.signal } : {}),
          onInput: () => this.progress.emit('downloading', blobBytes, layer.size || undefined),
        });
      }
      // The rest of the layer is read too, so its digest can be checked.
      for await (const _ of tar) {
        // drained
      }
      const digest = `sha256:${hash.digest('hex')}`;
      if (digest !== layer.digest || (layer.size > 0 && blobBytes !== layer.size)) {
        throw new Failure({ kind: 'checksum', message: `layer ${layer.digest} does not match its digest (got ${digest}, ${blobBytes} bytes): the registry sent something else` });
      }
    } catch (err) {
      if (staged) await fsp.rm(staged.file, { force: true });
      throw err;
    }
    return staged && this.fromStaged(staged, undefined);
  }
}

/** What identifies a source across restarts, without its credentials. */
function sourceIdentity(s: ImportSource): unknown {
  if ('http' in s) return { http: s.http.url };
  if ('s3' in s) return { s3: s.s3.url };
  if ('registry' in s) return { registry: s.registry.url, insecure: s.registry.insecureHttp === true };
  return { file: s.file.path };
}

function checkArguments(source: ImportSource, target: ImportTarget, opts: ImportOptions): void {
  const bad = (reason: 'InvalidSource' | 'InvalidTarget', m: string) => new ImportError(reason, `Disk import failed: ${m}`, false);
  const kinds = ['http', 's3', 'registry', 'file'].filter((k) => k in source);
  if (kinds.length !== 1) throw bad('InvalidSource', 'the source must name exactly one of http, s3, registry or file');
  if (!path.isAbsolute(target.path)) throw bad('InvalidTarget', `the volume file path ${target.path} is not absolute`);
  if (target.format !== 'qcow2' && target.format !== 'raw') throw bad('InvalidTarget', `the volume format ${String(target.format)} is not qcow2 or raw`);
  if (!Number.isSafeInteger(target.usableBytes) || target.usableBytes <= 0) throw bad('InvalidTarget', 'usableBytes must be a positive whole number of bytes');
  if (!path.isAbsolute(opts.scratchDir)) throw bad('InvalidTarget', `the scratch directory ${opts.scratchDir} is not absolute`);
}

/**
 * Imports an image into `target` (an existing, empty volume file). Resolves once the volume holds the
 * image, durably; rejects with an ImportError whose message is ready for the DataVolume's status.
 * On a refusal the target is emptied again and the scratch directory removed; after an abort or a
 * retryable failure the scratch directory keeps what the next call with it resumes from.
 */
export async function importImage(source: ImportSource, target: ImportTarget, opts: ImportOptions): Promise<ImportResult> {
  checkArguments(source, target, opts);
  return new ImportRun(source, target, opts).execute();
}
