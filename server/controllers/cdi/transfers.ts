// The transfers running on the embedded nodes for DataVolumes (imports,
// upload conversions, clone copies): at most a few at once, each with its
// state as lib/cdi's WorkerObservation, progress in bytes, and a restart
// after a failure that may heal. The DataVolume controller reads the state;
// changes poke its queue (progress at most once a second).
import type { WorkerObservation } from '@/lib/cdi';
import { logger } from '@/server/log';
import { ImportError } from '@/server/node/import';

const log = logger('cdi-transfers');

export type TransferKind = 'import' | 'upload' | 'clone';

export interface TransferReport {
  /** Bytes done of the current stage and its total; `fraction` the share of the whole job done. */
  progress(fraction: number, bytes: { done: number; total?: number }): void;
  /** An attempt failed and is retried (by the worker itself). */
  retrying(reason: string, message: string): void;
}

export type TransferJob = (signal: AbortSignal, report: TransferReport) => Promise<void>;

export interface TransferView {
  kind: TransferKind;
  /** The claim it fills: a claim deleted and made again is a new target, and the old transfer stops. */
  claimUid: string;
  state: WorkerObservation;
  /** How many times the job was started. */
  attempts: number;
  bytes?: { done: number; total?: number };
}

interface Transfer extends TransferView {
  key: string;
  job: TransferJob;
  abort: AbortController;
  restartTimer?: NodeJS.Timeout;
  lastPoke: number;
  pokeTimer?: NodeJS.Timeout;
}

const FRACTION_SCALE = 1_000_000;
/** A failure the worker may get over is tried again after this long (doubling, up to 5 min). */
const RESTART_BASE_MS = 5_000;

export class Transfers {
  private readonly all = new Map<string, Transfer>();
  private readonly waiting: string[] = [];
  private running = 0;
  /** Jobs under way, so stop() can wait for them to clean up. */
  private readonly runs = new Set<Promise<void>>();

  constructor(
    private readonly poke: (key: string) => void,
    private readonly maxRunning = 3,
  ) {}

  get(uid: string): TransferView | undefined {
    return this.all.get(uid);
  }

  /** Starts a job for a DataVolume unless one is there already (then nothing changes). */
  start(uid: string, key: string, kind: TransferKind, claimUid: string, job: TransferJob): void {
    if (this.all.has(uid)) return;
    const t: Transfer = { key, kind, claimUid, job, state: { state: 'pending', reason: 'Pending', message: 'waiting for a free transfer slot' }, attempts: 0, abort: new AbortController(), lastPoke: 0 };
    this.all.set(uid, t);
    this.waiting.push(uid);
    this.pump();
  }

  /** Stops a job (the DataVolume is gone, or starts over) and forgets it. */
  cancel(uid: string): void {
    const t = this.all.get(uid);
    if (!t) return;
    this.all.delete(uid);
    clearTimeout(t.restartTimer);
    clearTimeout(t.pokeTimer);
    t.abort.abort();
    const i = this.waiting.indexOf(uid);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** Forgets a finished job once its outcome is written down. */
  forget(uid: string): void {
    const t = this.all.get(uid);
    if (t && (t.state.state === 'succeeded' || (t.state.state === 'failed' && t.state.final))) this.cancel(uid);
  }

  /** Cancels every job and resolves once those under way have stopped (their scratch state saved). */
  async stop(): Promise<void> {
    for (const uid of [...this.all.keys()]) this.cancel(uid);
    await Promise.allSettled([...this.runs]);
  }

  private pump(): void {
    while (this.running < this.maxRunning && this.waiting.length > 0) {
      const uid = this.waiting.shift()!;
      const t = this.all.get(uid);
      if (!t) continue;
      const run = this.run(uid, t);
      this.runs.add(run);
      void run.finally(() => this.runs.delete(run));
    }
  }

  private async run(uid: string, t: Transfer): Promise<void> {
    this.running++;
    t.attempts++;
    t.state = { state: 'running' };
    t.bytes = undefined;
    this.changed(t, true);
    const report: TransferReport = {
      progress: (fraction, bytes) => {
        if (this.all.get(uid) !== t) return;
        t.state = { state: 'running', doneBytes: Math.round(Math.min(1, Math.max(0, fraction)) * FRACTION_SCALE), totalBytes: FRACTION_SCALE };
        t.bytes = bytes;
        this.changed(t, false);
      },
      retrying: (reason, message) => {
        if (this.all.get(uid) !== t) return;
        t.attempts++;
        t.state = { state: 'failed', reason, message, final: false };
        this.changed(t, true);
      },
    };
    try {
      await t.job(t.abort.signal, report);
      if (this.all.get(uid) === t) t.state = { state: 'succeeded' };
    } catch (e) {
      if (this.all.get(uid) === t) {
        const err = e instanceof ImportError ? e : new ImportError('Internal', `Transfer failed: ${e instanceof Error ? e.message : String(e)}`, true);
        if (!(e instanceof ImportError)) log.error('transfer failed unexpectedly', { key: t.key, err: e });
        t.state = { state: 'failed', reason: err.reason, message: err.message, final: !err.retryable };
        if (err.retryable && !t.abort.signal.aborted) {
          const delay = Math.min(300_000, RESTART_BASE_MS * 2 ** Math.min(6, t.attempts - 1));
          t.restartTimer = setTimeout(() => {
            if (this.all.get(uid) !== t) return;
            t.abort = new AbortController();
            this.waiting.push(uid);
            this.pump();
          }, delay);
        }
      }
    } finally {
      this.running--;
      if (this.all.get(uid) === t) this.changed(t, true);
      this.pump();
    }
  }

  /** Pokes the controller: at once for a change of state, at most once a second for progress. */
  private changed(t: Transfer, now: boolean): void {
    const since = Date.now() - t.lastPoke;
    if (now || since >= 1000) {
      clearTimeout(t.pokeTimer);
      t.pokeTimer = undefined;
      t.lastPoke = Date.now();
      this.poke(t.key);
      return;
    }
    t.pokeTimer ??= setTimeout(() => {
      t.pokeTimer = undefined;
      t.lastPoke = Date.now();
      this.poke(t.key);
    }, 1000 - since);
  }
}
