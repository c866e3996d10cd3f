// Test helpers for the store: a temporary directory per test and stores that are closed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { Store } from './store';
import type { StoreOptions } from './types';

export interface TempStores {
  dir: () => string;
  dbPath: () => string;
  open: (opts?: Partial<StoreOptions>) => Store;
}

/** Registers beforeEach/afterEach hooks: each test gets a fresh directory, removed with its stores. */
export function useTempStores(): TempStores {
  let dir = '';
  let opened: Store[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-store-test-'));
    opened = [];
  });
  afterEach(() => {
    for (const store of opened) store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const dbPath = () => path.join(dir, 'cluster.db');
  return {
    dir: () => dir,
    dbPath,
    open: (opts = {}) => {
      const store = Store.open({ path: dbPath(), compactIntervalMs: 0, ...opts });
      opened.push(store);
      return store;
    },
  };
}

/** The store's own SQLite connection, for tests that need to provoke storage failures. */
export function connectionOf(store: Store): Database.Database {
  return (store as unknown as { db: Database.Database }).db;
}

export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export function configMap(name: string, data: Record<string, string> = {}): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

export function key(name: string, namespace = 'default'): string {
  return `/registry/configmaps/${namespace}/${name}`;
}
