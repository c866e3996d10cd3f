// Uploads that have not finished, as this browser remembers them (in
// localStorage), so a reloaded page can offer to resume: which DataVolume,
// which file (name, size, last modified: a File cannot be kept), how far.
import { formatBytes } from '../k8s';

/** The localStorage key holding the list. */
export const PENDING_UPLOADS_KEY = 'kura.pendingUploads';

export interface PendingUpload {
  namespace: string;
  dvName: string;
  fileName: string;
  size: number;
  /** File.lastModified, milliseconds since the epoch. */
  lastModified: number;
  /** Bytes the server had stored when this browser last heard. */
  offset?: number;
}

export interface FileIdentity {
  name: string;
  size: number;
  lastModified: number;
}

const isEntry = (v: unknown): v is PendingUpload => {
  const e = v as Partial<PendingUpload> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.namespace === 'string' &&
    typeof e.dvName === 'string' &&
    typeof e.fileName === 'string' &&
    typeof e.size === 'number' &&
    typeof e.lastModified === 'number' &&
    (e.offset === undefined || typeof e.offset === 'number')
  );
};

/** The stored list; anything unreadable counts as none. */
export function parsePendingUploads(text: string | null | undefined): PendingUpload[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter(isEntry) : [];
  } catch {
    return [];
  }
}

const same = (e: PendingUpload, namespace: string, dvName: string) => e.namespace === namespace && e.dvName === dvName;

/** The list with `entry` added, replacing any earlier one for the same DataVolume. */
export function withPendingUpload(list: readonly PendingUpload[], entry: PendingUpload): PendingUpload[] {
  return [...list.filter((e) => !same(e, entry.namespace, entry.dvName)), entry];
}

/** The list without the DataVolume's entry (the same array when it had none). */
export function withoutPendingUpload(list: readonly PendingUpload[], namespace: string, dvName: string): readonly PendingUpload[] {
  return list.some((e) => same(e, namespace, dvName)) ? list.filter((e) => !same(e, namespace, dvName)) : list;
}

export function findPendingUpload(list: readonly PendingUpload[], namespace: string, dvName: string): PendingUpload | undefined {
  return list.find((e) => same(e, namespace, dvName));
}

/** Why a chosen file is not the one the upload started with; undefined when it is. */
export function fileMismatch(entry: PendingUpload, file: FileIdentity): string | undefined {
  const diffs: string[] = [];
  if (file.name !== entry.fileName) diffs.push(`it is called ${file.name}, not ${entry.fileName}`);
  if (file.size !== entry.size) diffs.push(`it has ${formatBytes(file.size)}, not ${formatBytes(entry.size)}`);
  if (file.lastModified !== entry.lastModified) diffs.push('it was modified since the upload started');
  if (!diffs.length) return undefined;
  return `That is not the file the upload started with: ${diffs.join('; ')}. Choose ${entry.fileName} as it was, or delete the DataVolume and start again.`;
}

/** Whole percent of the file stored, from the freshest figure known. */
export function pendingPercent(entry: PendingUpload, storedBytes?: number): number {
  const done = storedBytes ?? entry.offset ?? 0;
  if (entry.size <= 0) return 0;
  return Math.min(100, Math.floor((done / entry.size) * 100));
}

/** "Upload of disk.qcow2 to fedora was interrupted at 42% — choose the same file to resume". */
export function interruptedMessage(entry: PendingUpload, storedBytes?: number): string {
  return `Upload of ${entry.fileName} to ${entry.dvName} was interrupted at ${pendingPercent(entry, storedBytes)}% — choose the same file to resume`;
}
