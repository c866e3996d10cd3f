'use client';
// This browser's unfinished uploads, kept in localStorage so a reloaded page
// can offer to resume them (lib/cdi-ui/pendingUploads holds the rules).
import { useSyncExternalStore } from 'react';
import { parsePendingUploads, PENDING_UPLOADS_KEY, type PendingUpload, withoutPendingUpload, withPendingUpload } from '@/lib/cdi-ui';

const listeners = new Set<() => void>();
const EMPTY: readonly PendingUpload[] = [];
let cachedText: string | null = null;
let cached: readonly PendingUpload[] = EMPTY;

function read(): readonly PendingUpload[] {
  if (typeof window === 'undefined') return EMPTY;
  const text = window.localStorage.getItem(PENDING_UPLOADS_KEY);
  // Same text, same array: useSyncExternalStore needs a stable snapshot.
  if (text !== cachedText) {
    cachedText = text;
    cached = parsePendingUploads(text);
  }
  return cached;
}

function write(list: readonly PendingUpload[]): void {
  if (typeof window === 'undefined') return;
  try {
    if (list.length) window.localStorage.setItem(PENDING_UPLOADS_KEY, JSON.stringify(list));
    else window.localStorage.removeItem(PENDING_UPLOADS_KEY);
  } catch {
    // Storage full or refused: the upload goes on, it just cannot be offered for resuming.
  }
  listeners.forEach((l) => l());
}

export function rememberUpload(entry: PendingUpload): void {
  write(withPendingUpload(read(), entry));
}

export function forgetUpload(namespace: string, dvName: string): void {
  const list = read();
  const next = withoutPendingUpload(list, namespace, dvName);
  if (next !== list) write(next);
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  const onStorage = (e: StorageEvent) => e.key === PENDING_UPLOADS_KEY && l();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(l);
    window.removeEventListener('storage', onStorage);
  };
}

/** The unfinished uploads this browser remembers. */
export function usePendingUploads(): readonly PendingUpload[] {
  return useSyncExternalStore(subscribe, read, () => EMPTY);
}
