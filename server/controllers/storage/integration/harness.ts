// A real embedded API server in a temporary directory with the storage
// controllers running against it, for the storage tests and benchmark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventModel, PersistentVolumeClaimModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s';
import { startApiServer, type RunningApiServer } from '@/server/apiserver';
import { KubeClient } from '../../runtime/client';
import { type RunningStorage, startStorageControllers } from '..';
import type { StorageOptions } from '../context';
import type { Claim } from '../objects';

export interface StorageCluster {
  api: RunningApiServer;
  dir: string;
  client: KubeClient;
  storage: RunningStorage;
  /** A claim in `namespace` (default "default"). */
  claim(name: string, spec: Record<string, unknown>, meta?: Record<string, unknown>, namespace?: string): Promise<Claim>;
  /** Events about one object, by reason. */
  events(name: string, namespace?: string): Promise<{ reason: string; message: string; type: string; count: number }[]>;
  stop(): Promise<void>;
}

export type EventRecord = K8sResource & { reason: string; message: string; type: string; count: number; involvedObject: { name: string } };

/** Starts the API server (in `dir`, or a fresh temporary one) and the storage controllers over the given pools. */
export async function startStorageCluster(opts: StorageOptions, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-storage-'))): Promise<StorageCluster> {
  const api = await startApiServer({ dataDir: dir, addr: '127.0.0.1:0', storageProtection: true });
  const ca = fs.readFileSync(path.join(dir, 'pki', 'ca.crt'), 'utf8');
  const storage = await startStorageControllers({ server: api.url, ca, token: api.adminToken }, { pollMs: 500, ...opts });
  const client = new KubeClient({ server: api.url, ca, token: api.adminToken, userAgent: 'kura-storage-test' });
  const cluster: StorageCluster = {
    api,
    dir,
    client,
    storage,
    claim: (name, spec, meta = {}, namespace = 'default') =>
      client.create(PersistentVolumeClaimModel, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace, ...meta },
        spec: { accessModes: ['ReadWriteOnce'], ...spec },
      }) as Promise<Claim>,
    async events(name, namespace = 'default') {
      const list = await client.list<EventRecord>(EventModel, { namespace });
      return list.items.filter((e) => e.involvedObject.name === name).map(({ reason, message, type, count }) => ({ reason, message, type, count }));
    },
    async stop() {
      // The controllers of the moment (a test may have restarted them).
      await cluster.storage.stop();
      client.close();
      await api.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Runs qemu-io on an image: writes or checks a byte pattern as a guest would see it through its chain. */
export async function qemuIo(file: string, command: string, readOnly = false): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('qemu-io', [...(readOnly ? ['-r', '-U'] : []), '-f', 'qcow2', '-c', command, file], (err, stdout, stderr) => {
      resolve(!err && !/failed|error/i.test(stdout + stderr));
    });
  });
}
