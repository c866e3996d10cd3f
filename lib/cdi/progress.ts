// Transfer progress as CDI writes it in status.progress ("47.13%"), and the
// speed and time-left line the console shows under a running import
// ("3.2 MiB/s, about 2 min left").
import { formatBytes } from '../k8s';

/** status.progress before anything is known. */
export const PROGRESS_UNKNOWN = 'N/A';
/** status.progress of a finished transfer: CDI writes one decimal here, two while running. */
export const PROGRESS_DONE = '100.0%';

/**
 * `done` of `total` bytes as a percentage with two decimals ("47.13%"),
 * "N/A" when the total is unknown. Truncated, not rounded: 99.999% reads
 * "99.99%", so a running transfer never shows 100.00% before it is done.
 */
export function formatProgress(done: number, total: number | undefined): string {
  if (total === undefined || !Number.isFinite(total) || total < 1 || !Number.isFinite(done)) return PROGRESS_UNKNOWN;
  const clamped = Math.min(Math.max(done, 0), total);
  // Hundredths of a percent, exactly: bigint, since done × 10⁴ passes 2⁵³ for big disks.
  const hundredths = (BigInt(Math.floor(clamped)) * 10_000n) / BigInt(Math.floor(total));
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}%`;
}

/** The number in a status.progress string ("47.13%" → 47.13), undefined for "N/A" or anything else. */
export function parseProgress(progress: string | undefined | null): number | undefined {
  const m = typeof progress === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(progress.trim()) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 100 ? n : undefined;
}

/** Bytes transferred so far, observed at a moment (milliseconds since the epoch). */
export interface TransferSample {
  at: number;
  bytes: number;
}

/** The smoothed speed after a run of samples; pass it back in with the next sample. */
export interface TransferRate {
  at: number;
  bytes: number;
  /** Bytes per second, exponentially smoothed; undefined until two samples are in. */
  bytesPerSecond?: number;
}

/**
 * How quickly old samples fade from the smoothed speed: a sample's weight
 * falls to 1/e after 5 s. Short enough to follow a real change of speed,
 * long enough that the jitter of a 1 s polling interval does not show.
 */
export const RATE_TIME_CONSTANT_MS = 5_000;

/**
 * Folds one sample into the speed: an exponentially weighted average whose
 * weight depends on the time since the previous sample (so irregular
 * polling does not skew it). Samples out of order are ignored; fewer bytes
 * than before (a retried transfer starting again) start a new measurement.
 */
export function nextTransferRate(prev: TransferRate | undefined, sample: TransferSample, timeConstantMs = RATE_TIME_CONSTANT_MS): TransferRate {
  if (!prev || sample.bytes < prev.bytes) return { at: sample.at, bytes: sample.bytes };
  const dt = sample.at - prev.at;
  if (dt <= 0) return prev;
  const instant = ((sample.bytes - prev.bytes) * 1000) / dt;
  if (prev.bytesPerSecond === undefined) return { at: sample.at, bytes: sample.bytes, bytesPerSecond: instant };
  const alpha = 1 - Math.exp(-dt / timeConstantMs);
  return { at: sample.at, bytes: sample.bytes, bytesPerSecond: prev.bytesPerSecond + alpha * (instant - prev.bytesPerSecond) };
}

/** Below this a transfer counts as stalled: no useful time left can be given. */
export const STALLED_BYTES_PER_SECOND = 1;

/** Milliseconds left at the current speed, undefined when the speed or the total is unknown or the transfer stalled. */
export function timeLeftMs(doneBytes: number, totalBytes: number | undefined, bytesPerSecond: number | undefined): number | undefined {
  if (totalBytes === undefined || bytesPerSecond === undefined || !(bytesPerSecond >= STALLED_BYTES_PER_SECOND)) return undefined;
  return (Math.max(0, totalBytes - doneBytes) / bytesPerSecond) * 1000;
}

/** "3.2 MiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.max(0, bytesPerSecond))}/s`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "less than a minute left", "about 2 min left", "about 1 h 5 min left", "about 3 days left". */
export function formatTimeLeft(ms: number): string {
  if (ms < 1000) return 'almost done';
  if (ms < MINUTE) return 'less than a minute left';
  if (ms < 90 * MINUTE) return `about ${Math.max(1, Math.round(ms / MINUTE))} min left`;
  if (ms < 2 * DAY) {
    const minutes = Math.round(ms / MINUTE);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `about ${h} h left` : `about ${h} h ${m} min left`;
  }
  return `about ${Math.round(ms / DAY)} days left`;
}

export interface TransferView {
  doneBytes: number;
  totalBytes?: number;
  bytesPerSecond?: number;
}

/**
 * One line for the console under a running transfer: "3.2 MiB/s, about
 * 2 min left"; "3.2 MiB/s, 1.5 GiB so far" without a total; "stalled"
 * when nothing moves; "starting" before the speed is known.
 */
export function describeTransfer(t: TransferView): string {
  if (t.bytesPerSecond === undefined) return 'starting';
  if (t.bytesPerSecond < STALLED_BYTES_PER_SECOND) return t.doneBytes > 0 ? `stalled at ${formatBytes(t.doneBytes)}` : 'stalled';
  const rate = formatRate(t.bytesPerSecond);
  const left = timeLeftMs(t.doneBytes, t.totalBytes, t.bytesPerSecond);
  if (left === undefined) return `${rate}, ${formatBytes(t.doneBytes)} so far`;
  return `${rate}, ${formatTimeLeft(left)}`;
}
