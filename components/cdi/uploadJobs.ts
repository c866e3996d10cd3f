'use client';
// Uploads running in this page, outside React so they go on while the user
// moves between pages: each waits for its DataVolume to be UploadReady, asks
// for a token and sends the file with lib/cdi-ui's UploadClient. Pages show
// them with useUploadJob; localStorage remembers them for a resume after a
// reload, and leaving the page while one runs asks first.
import { useSyncExternalStore } from 'react';
import { describeTransfer, nextTransferRate, type TransferRate } from '@/lib/cdi';
import { UploadClient, type UploadState, type UploadStatus } from '@/lib/cdi-ui';
import { forgetUpload, rememberUpload } from './pendingUploadStore';
import { requestUploadToken, waitForUploadReady } from './uploadApi';
import { xhrSend } from './xhrSend';

export interface UploadJobView {
  namespace: string;
  dvName: string;
  fileName: string;
  size: number;
  /** 'preparing' until the bytes flow (the DataVolume is not ready, or the token is on its way), then the client's state; 'failed' when it could not start. */
  state: 'preparing' | UploadState | 'failed';
  storedBytes: number;
  sentBytes: number;
  resumable: boolean;
  failures: number;
  message?: string;
  retryInMs?: number;
  /** "3.2 MiB/s, about 2 min left". */
  line?: string;
}

const ACTIVE: ReadonlySet<UploadJobView['state']> = new Set(['preparing', 'starting', 'sending', 'waiting']);
/** A progress-only change is shown at most this often. */
const REDRAW_MS = 200;
/** Speed samples are taken at most this often (browser progress events come every few ms). */
const SAMPLE_MS = 500;

const jobs = new Map<string, UploadJob>();
const listeners = new Set<() => void>();
let views: ReadonlyMap<string, UploadJobView> = new Map();

/** How jobs are keyed: "namespace/name" of the DataVolume. */
export const uploadJobKey = (namespace: string, dvName: string) => `${namespace}/${dvName}`;

function onBeforeUnload(e: BeforeUnloadEvent) {
  e.preventDefault();
}

function publish(): void {
  views = new Map([...jobs].map(([k, j]) => [k, j.view]));
  const busy = [...views.values()].some((v) => ACTIVE.has(v.state));
  // A reload while sending loses the page's copy of the file: the browser asks first.
  if (busy) window.addEventListener('beforeunload', onBeforeUnload);
  else window.removeEventListener('beforeunload', onBeforeUnload);
  listeners.forEach((l) => l());
}

export const isActiveUpload = (v: UploadJobView | undefined): boolean => Boolean(v && ACTIVE.has(v.state));

class UploadJob {
  view: UploadJobView;
  private client?: UploadClient;
  private readonly abort = new AbortController();
  private rate?: TransferRate;
  private lastDraw = 0;

  constructor(
    readonly namespace: string,
    readonly dvName: string,
    readonly file: File,
  ) {
    this.view = { namespace, dvName, fileName: file.name, size: file.size, state: 'preparing', storedBytes: 0, sentBytes: 0, resumable: true, failures: 0 };
    rememberUpload({ namespace, dvName, fileName: file.name, size: file.size, lastModified: file.lastModified });
  }

  private set(patch: Partial<UploadJobView>, force = true): void {
    const prev = this.view;
    this.view = { ...prev, ...patch };
    const now = Date.now();
    if (!force && prev.state === this.view.state && prev.storedBytes === this.view.storedBytes && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    publish();
  }

  private onStatus(s: UploadStatus): void {
    const now = Date.now();
    // Speed counts bytes sent by this page while sending: a resume starts measuring at the server's offset.
    if (s.state !== 'sending') this.rate = undefined;
    else if (!this.rate || now - this.rate.at >= SAMPLE_MS || s.sentBytes < this.rate.bytes) this.rate = nextTransferRate(this.rate, { at: now, bytes: s.sentBytes });
    const speed = this.rate?.bytesPerSecond;
    const line = s.state === 'sending' && speed !== undefined ? describeTransfer({ doneBytes: s.sentBytes, totalBytes: s.totalBytes, bytesPerSecond: speed }) : undefined;
    if (s.storedBytes !== this.view.storedBytes && s.state !== 'sent') {
      rememberUpload({ namespace: this.namespace, dvName: this.dvName, fileName: this.file.name, size: this.file.size, lastModified: this.file.lastModified, offset: s.storedBytes });
    }
    this.set({ state: s.state, storedBytes: s.storedBytes, sentBytes: s.sentBytes, resumable: s.resumable, failures: s.failures, message: s.message, retryInMs: s.retryInMs, line }, false);
  }

  private settle(s: UploadStatus): void {
    // Sent, refused or cancelled: nothing is left to resume. Interrupted stays remembered.
    if (s.state === 'sent' || s.state === 'refused' || s.state === 'cancelled') forgetUpload(this.namespace, this.dvName);
    this.set({ line: undefined });
  }

  async run(): Promise<void> {
    const signal = this.abort.signal;
    try {
      this.set({ state: 'preparing', message: `Waiting for DataVolume ${this.dvName} to accept the upload…` });
      await waitForUploadReady(this.namespace, this.dvName, signal);
      this.set({ message: 'Asking for an upload token…' });
      this.client = new UploadClient({
        send: xhrSend,
        file: this.file,
        token: () => requestUploadToken(this.namespace, this.dvName, signal),
        onChange: (s) => this.onStatus(s),
      });
      this.settle(await this.client.start());
    } catch (e) {
      if (signal.aborted) return;
      forgetUpload(this.namespace, this.dvName);
      this.set({ state: 'failed', message: (e as Error).message });
    }
  }

  /** After an interruption or a failed start: go on. */
  retry(): void {
    if (this.client && (this.view.state === 'interrupted' || this.view.state === 'refused')) void this.client.retry().then((s) => this.settle(s));
    else if (!this.client && this.view.state === 'failed') void this.run();
  }

  async cancel(): Promise<void> {
    this.abort.abort();
    if (this.client) await this.client.cancel();
    forgetUpload(this.namespace, this.dvName);
    this.set({ state: 'cancelled', line: undefined, message: undefined });
  }
}

/** Start sending `file` to the DataVolume (new, or resuming: the server says how much it has). Replaces a finished job for it. */
export function startUpload(namespace: string, dvName: string, file: File): void {
  const key = uploadJobKey(namespace, dvName);
  const old = jobs.get(key);
  if (old && ACTIVE.has(old.view.state)) return;
  const job = new UploadJob(namespace, dvName, file);
  jobs.set(key, job);
  publish();
  void job.run();
}

export function retryUpload(namespace: string, dvName: string): void {
  jobs.get(uploadJobKey(namespace, dvName))?.retry();
}

export function cancelUpload(namespace: string, dvName: string): Promise<void> {
  return jobs.get(uploadJobKey(namespace, dvName))?.cancel() ?? Promise.resolve();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => void listeners.delete(l);
}

const getViews = () => views;

/** Every upload of this page, by "namespace/name". */
export function useUploadJobs(): ReadonlyMap<string, UploadJobView> {
  return useSyncExternalStore(subscribe, getViews, getViews);
}

/** The upload of one DataVolume, when this page runs one. */
export function useUploadJob(namespace: string | undefined, dvName: string): UploadJobView | undefined {
  return useUploadJobs().get(uploadJobKey(namespace ?? '', dvName));
}

