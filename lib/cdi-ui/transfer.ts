// Speed and time left of a running DataVolume, folded from successive watch
// updates. Kura's embedded CDI publishes bytes (progress.kura.dev/bytes):
// speed and ETA come from them. A real CDI only writes status.progress ("47%"):
// the rate of the percentage gives an ETA, and no speed is claimed.
import { type DataVolume, type TransferRate, describeTransfer, formatTimeLeft, nextTransferRate, parseProgress, timeLeftMs } from '../cdi';
import { humanDuration } from '../format';
import { formatBytes, getResourceVersion } from '../k8s';
import { dataVolumePhaseView } from './phase';
import { getDataVolumeProgressBytes } from './selectors';

/** Percent is folded as millionths so the byte-rate arithmetic keeps its precision. */
const PERCENT_UNIT = 1_000_000;
/**
 * Samples closer together than this are skipped: a figure is as old as the
 * controller's last write, not as the moment the page saw it, so two samples
 * a few hundred ms apart (a list, then the first watch event) would count a
 * second's bytes as arriving in a tenth of one.
 */
export const MIN_SAMPLE_INTERVAL_MS = 2_000;

export interface TransferEstimate {
  /** What the samples count: bytes (from the annotation) or percent × PERCENT_UNIT (from status.progress). */
  basis: 'bytes' | 'percent';
  rate: TransferRate;
  /** The resourceVersion last folded: the same object seen twice is one sample. */
  resourceVersion?: string;
}

/**
 * Fold the DataVolume as seen at `now` into the estimate. Returns undefined
 * when no transfer is running, and `prev` itself when nothing new was seen.
 */
export function nextTransferEstimate(prev: TransferEstimate | undefined, dv: DataVolume, now: number): TransferEstimate | undefined {
  if (!dataVolumePhaseView(dv).active) return undefined;
  const rv = getResourceVersion(dv);
  if (prev && rv !== undefined && prev.resourceVersion === rv) return prev;
  const bytes = getDataVolumeProgressBytes(dv);
  const percent = parseProgress(dv.status?.progress);
  let basis: TransferEstimate['basis'];
  let value: number;
  if (bytes) [basis, value] = ['bytes', bytes.done];
  else if (percent !== undefined) [basis, value] = ['percent', Math.round(percent * PERCENT_UNIT)];
  else return prev && { ...prev, resourceVersion: rv };
  const base = prev?.basis === basis ? prev.rate : undefined;
  if (base && value >= base.bytes && now - base.at < MIN_SAMPLE_INTERVAL_MS) return prev;
  return { basis, rate: nextTransferRate(base, { at: now, bytes: value }), resourceVersion: rv };
}

export interface TransferDisplay {
  /** 0–100 for the bar; undefined when nothing says how far it is. */
  percent?: number;
  /** "1.2 GiB of 4 GiB" when bytes are known. */
  amount?: string;
  /** "3.2 MiB/s, about 2 min left", "about 2 min left", "starting"… */
  line?: string;
}

/** With no new figure for this long, the speed measured before is no longer told: the transfer may have stopped. */
export const STALE_ESTIMATE_MS = 30_000;

/** What the progress cell shows for a DataVolume, from its object and the estimate so far (as of `now`, when given). */
export function describeDataVolumeTransfer(dv: DataVolume, est: TransferEstimate | undefined, now?: number): TransferDisplay {
  const bytes = getDataVolumeProgressBytes(dv);
  let percent = parseProgress(dv.status?.progress);
  if (bytes?.total) percent = Math.min(100, (bytes.done / bytes.total) * 100);
  const out: TransferDisplay = {};
  if (percent !== undefined) out.percent = percent;
  if (bytes) out.amount = bytes.total ? `${formatBytes(bytes.done)} of ${formatBytes(bytes.total)}` : `${formatBytes(bytes.done)} so far`;
  if (est && now !== undefined && now - est.rate.at > STALE_ESTIMATE_MS) {
    out.line = `no progress reported for ${humanDuration(now - est.rate.at)}`;
    return out;
  }
  // Nothing is said about speed until two samples measured it: "starting" would be wrong for a stalled upload.
  if (est?.basis === 'bytes' && bytes && est.rate.bytesPerSecond !== undefined) {
    out.line = describeTransfer({ doneBytes: bytes.done, ...(bytes.total ? { totalBytes: bytes.total } : {}), bytesPerSecond: est.rate.bytesPerSecond });
  } else if (est?.basis === 'percent' && percent !== undefined) {
    // Percent per second in PERCENT_UNITs: an ETA, never a speed in bytes.
    const left = timeLeftMs(percent * PERCENT_UNIT, 100 * PERCENT_UNIT, est.rate.bytesPerSecond);
    if (left !== undefined) out.line = formatTimeLeft(left);
  }
  return out;
}
