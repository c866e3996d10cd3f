'use client';
// The namespace the user is working in: taken from the URL when the page has
// one, otherwise the last one chosen (remembered in this browser).
import { useCallback, useSyncExternalStore } from 'react';

export const ALL_NAMESPACES = '#ALL_NS#';
const STORAGE_KEY = 'kura.namespace';
const listeners = new Set<() => void>();

function read(): string {
  if (typeof window === 'undefined') return 'default';
  return window.localStorage.getItem(STORAGE_KEY) ?? 'default';
}

export function rememberNamespace(ns: string): void {
  if (typeof window === 'undefined' || read() === ns) return;
  window.localStorage.setItem(STORAGE_KEY, ns);
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  const onStorage = (e: StorageEvent) => e.key === STORAGE_KEY && l();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(l);
    window.removeEventListener('storage', onStorage);
  };
}

/** The remembered namespace (or ALL_NAMESPACES) and a setter that remembers. */
export function useRememberedNamespace(): [string, (ns: string) => void] {
  const ns = useSyncExternalStore(subscribe, read, () => 'default');
  const set = useCallback((value: string) => rememberNamespace(value), []);
  return [ns, set];
}
