// What a new cluster holds before anyone writes to it: the RBAC policy, the
// usual namespaces and the CRDs of KubeVirt, CDI and the snapshotter. Written
// straight to the store at start-up, and refreshed when Kura's defaults change.
import crypto from 'node:crypto';
import type { K8sObject } from '@/lib/k8s/types';
import { logger } from '../../log';
import { bootstrapPolicy } from '../auth';
import type { Registry } from '../registry';
import { storageKey } from '../registry';
import { timestamp } from '../rest/lifecycle';
import type { Store } from '../store';
import { isStoreError } from '../store';
import { BOOTSTRAP_CRD_REVISION, bootstrapCRDs } from './crds';
import type { JSONSchemaProps } from '../registry';

const log = logger('bootstrap');

function keyOf(registry: Registry, obj: K8sObject): string {
  const [group, version] = obj.apiVersion!.includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion!];
  const def = registry.all().find((d) => d.model.apiGroup === group && d.model.apiVersion === version && d.model.kind === obj.kind);
  if (!def) throw new Error(`bootstrap object of unknown kind ${obj.apiVersion}/${obj.kind}`);
  return storageKey(def, obj.metadata?.namespace, obj.metadata!.name!);
}

async function createOrRefresh(store: Store, key: string, obj: K8sObject, now: number, needsRefresh: (current: K8sObject) => boolean): Promise<void> {
  const current = store.get<K8sObject>(key);
  if (!current) {
    const generation = obj.kind === 'CustomResourceDefinition' ? { generation: 1 } : {};
    const fresh = { ...obj, metadata: { ...obj.metadata, uid: crypto.randomUUID(), creationTimestamp: timestamp(now), ...generation } };
    try {
      await store.create(key, fresh);
    } catch (e) {
      if (!(isStoreError(e) && e.code === 'AlreadyExists')) throw e;
    }
    return;
  }
  if (!needsRefresh(current.object)) return;
  await store.update<K8sObject>(key, (cur) => {
    const { metadata: _m, status: _s, ...body } = obj;
    return {
      ...cur.object,
      ...body,
      metadata: { ...cur.object.metadata, labels: { ...cur.object.metadata?.labels, ...obj.metadata?.labels }, annotations: { ...cur.object.metadata?.annotations, ...obj.metadata?.annotations }, ...(cur.object.metadata?.generation ? { generation: cur.object.metadata.generation + 1 } : {}) },
    };
  });
}

const policyBody = (o: K8sObject) => JSON.stringify({ rules: o.rules, subjects: o.subjects, roleRef: o.roleRef });

export async function ensureBootstrap(store: Store, registry: Registry, schemas: Map<string, JSONSchemaProps>, now: number): Promise<void> {
  for (const obj of bootstrapPolicy() as K8sObject[]) {
    await createOrRefresh(store, keyOf(registry, obj), obj, now, (cur) => cur.metadata?.annotations?.['rbac.authorization.kubernetes.io/autoupdate'] !== 'false' && policyBody(cur) !== policyBody(obj));
  }
  let refreshed = 0;
  for (const crd of bootstrapCRDs(schemas)) {
    await createOrRefresh(store, keyOf(registry, crd), crd, now, (cur) => {
      const stale = cur.metadata?.annotations?.['kura.dev/bootstrap-revision'] !== BOOTSTRAP_CRD_REVISION && cur.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'kura';
      if (stale) refreshed++;
      return stale;
    });
  }
  if (refreshed) log.info('updated built-in CRDs to this version of Kura', { count: refreshed });
}
