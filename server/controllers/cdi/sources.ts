// What a DataVolume's source means on the embedded nodes: the importer's
// source with its credentials (Secrets) and CAs (ConfigMaps) read, or for a
// clone, the volume (or snapshot) to copy and whether the driver can make the
// copy itself (copy-on-write, through the claim's dataSource) or Kura copies.
import type { DataSource, DataVolume, DataVolumeSourceObjectRef } from '@/lib/cdi';
import type { K8sResource } from '@/lib/k8s';
import type { ImportSource } from '@/server/node/import';
import type { Informer } from '../runtime/informer';
import type { KubeClient } from '../runtime/client';
import { ConfigMapModel, SecretModel } from '@/lib/k8s/models';
import { isNotFound } from '../runtime/client';
import type { Claim, Volume, VolumeSnapshot, VolumeSnapshotContent } from '../storage/objects';

/** Why the source cannot be used yet (or at all): a reason and a sentence for the Bound condition. */
export interface Blocked {
  blocked: { reason: string; message: string };
}

export type CloneFrom =
  | { kind: 'pvc'; namespace: string; name: string; claim: Claim; volume: Volume }
  | { kind: 'snapshot'; namespace: string; name: string; snapshot: VolumeSnapshot; content: VolumeSnapshotContent };

export interface CloneWorld {
  claims: Informer<Claim>;
  volumes: Informer<Volume>;
  snapshots: Informer<VolumeSnapshot>;
  contents: Informer<VolumeSnapshotContent>;
  dataVolumes: Informer<DataVolume & K8sResource>;
  dataSources: Informer<DataSource & K8sResource>;
}

/** spec.source.pvc / snapshot, or what spec.sourceRef's DataSource points at. */
export function cloneRef(dv: DataVolume & K8sResource, world: CloneWorld): { kind: 'pvc' | 'snapshot'; ref: DataVolumeSourceObjectRef } | Blocked | undefined {
  const src = dv.spec?.source;
  if (src?.pvc) return { kind: 'pvc', ref: src.pvc };
  if (src?.snapshot) return { kind: 'snapshot', ref: src.snapshot };
  const sref = dv.spec?.sourceRef;
  if (!sref) return undefined;
  const ns = sref.namespace || dv.metadata.namespace;
  const ds = world.dataSources.get(ns, sref.name ?? '');
  if (!ds) return { blocked: { reason: 'DataSourceNotFound', message: `DataSource ${ns}/${sref.name} does not exist; the clone starts when it does` } };
  const s = ds.spec?.source;
  if (s?.pvc) return { kind: 'pvc', ref: { namespace: s.pvc.namespace || ns, name: s.pvc.name } };
  if (s?.snapshot) return { kind: 'snapshot', ref: { namespace: s.snapshot.namespace || ns, name: s.snapshot.name } };
  return { blocked: { reason: 'DataSourceNotReady', message: `DataSource ${ns}/${sref.name} names no source (spec.source.pvc or snapshot)` } };
}

/** The source object of a clone, once it is there and holds its data. */
export function resolveClone(dv: DataVolume & K8sResource, ref: { kind: 'pvc' | 'snapshot'; ref: DataVolumeSourceObjectRef }, world: CloneWorld): CloneFrom | Blocked {
  const namespace = ref.ref.namespace || dv.metadata.namespace!;
  const name = ref.ref.name ?? '';
  if (ref.kind === 'pvc') {
    const claim = world.claims.get(namespace, name);
    if (!claim) return { blocked: { reason: 'CloneSourceNotFound', message: `The source PVC ${namespace}/${name} does not exist; the clone starts when it does` } };
    const owner = world.dataVolumes.get(namespace, name);
    if (owner && owner.status?.phase !== 'Succeeded') {
      return { blocked: { reason: 'CloneSourceNotReady', message: `The source PVC ${namespace}/${name} is still being filled by its DataVolume (${owner.status?.phase || 'Pending'}); the clone starts when that succeeds` } };
    }
    if (claim.status?.phase !== 'Bound' || !claim.spec?.volumeName) return { blocked: { reason: 'CloneSourceNotBound', message: `The source PVC ${namespace}/${name} is not bound yet` } };
    const volume = world.volumes.get(undefined, claim.spec.volumeName);
    if (!volume) return { blocked: { reason: 'CloneSourceNotBound', message: `The source PVC ${namespace}/${name}'s volume ${claim.spec.volumeName} is missing` } };
    return { kind: 'pvc', namespace, name, claim, volume };
  }
  const snapshot = world.snapshots.get(namespace, name);
  if (!snapshot) return { blocked: { reason: 'CloneSourceNotFound', message: `The source VolumeSnapshot ${namespace}/${name} does not exist; the clone starts when it does` } };
  if (!snapshot.status?.readyToUse || !snapshot.status.boundVolumeSnapshotContentName) return { blocked: { reason: 'CloneSourceNotReady', message: `The source VolumeSnapshot ${namespace}/${name} is not ready to use yet` } };
  const content = world.contents.get(undefined, snapshot.status.boundVolumeSnapshotContentName);
  if (!content) return { blocked: { reason: 'CloneSourceNotReady', message: `The source VolumeSnapshot ${namespace}/${name}'s content is missing` } };
  return { kind: 'snapshot', namespace, name, snapshot, content };
}

/** The driver of a clone source (its PV's or its snapshot content's). */
export function sourceDriver(from: CloneFrom): string | undefined {
  return from.kind === 'pvc' ? from.volume.spec?.csi?.driver : (from.content.spec as { driver?: string } | undefined)?.driver;
}

// --- imports -----------------------------------------------------------------

interface SecretObj extends K8sResource {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

async function secretKeys(client: KubeClient, namespace: string, name: string, what: string): Promise<{ user: string; password: string }> {
  let s: SecretObj;
  try {
    s = await client.get<SecretObj>(SecretModel, namespace, name);
  } catch (e) {
    if (isNotFound(e)) throw new SourceProblem('SecretNotFound', `the ${what} Secret ${namespace}/${name} does not exist`);
    throw e;
  }
  const get = (k: string) => (s.data?.[k] !== undefined ? Buffer.from(s.data[k], 'base64').toString('utf8') : s.stringData?.[k]);
  const user = get('accessKeyId');
  const password = get('secretKey');
  if (user === undefined || password === undefined) throw new SourceProblem('SecretInvalid', `the ${what} Secret ${namespace}/${name} needs the keys accessKeyId and secretKey`);
  return { user, password };
}

async function caBundle(client: KubeClient, namespace: string, name: string): Promise<string> {
  let cm: K8sResource & { data?: Record<string, string> };
  try {
    cm = await client.get(ConfigMapModel, namespace, name);
  } catch (e) {
    if (isNotFound(e)) throw new SourceProblem('ConfigMapNotFound', `the CA ConfigMap ${namespace}/${name} does not exist`);
    throw e;
  }
  const pem = Object.values(cm.data ?? {}).filter((v) => v.includes('-----BEGIN CERTIFICATE-----')).join('\n');
  if (!pem) throw new SourceProblem('ConfigMapInvalid', `the ConfigMap ${namespace}/${name} holds no PEM certificate`);
  return pem;
}

/** A source that cannot be used as written: the DataVolume fails with this reason. */
export class SourceProblem extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The importer's source for an http, s3 or registry DataVolume, with its Secret and ConfigMap read. */
export async function importSource(client: KubeClient, dv: DataVolume & K8sResource, insecureRegistries: readonly string[]): Promise<ImportSource> {
  const ns = dv.metadata.namespace!;
  const src = dv.spec?.source ?? {};
  if (src.http) {
    const h = src.http;
    const headers: Record<string, string> = {};
    for (const line of h.extraHeaders ?? []) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    return {
      http: {
        url: h.url ?? '',
        ...(Object.keys(headers).length ? { headers } : {}),
        ...(h.secretRef ? { basicAuth: await secretKeys(client, ns, h.secretRef, 'basic-auth') } : {}),
        ...(h.certConfigMap ? { caPem: await caBundle(client, ns, h.certConfigMap) } : {}),
      },
    };
  }
  if (src.s3) {
    const s = src.s3;
    if (!s.secretRef) throw new SourceProblem('SecretNotFound', 'an S3 source needs secretRef: a Secret with accessKeyId and secretKey');
    const keys = await secretKeys(client, ns, s.secretRef, 'S3 credentials');
    return { s3: { url: s.url ?? '', accessKeyId: keys.user, secretKey: keys.password, ...(s.certConfigMap ? { caPem: await caBundle(client, ns, s.certConfigMap) } : {}) } };
  }
  if (src.registry) {
    const r = src.registry;
    const url = r.url ?? '';
    const host = /^docker:\/\/([^/]+)/.exec(url)?.[1] ?? '';
    return {
      registry: {
        url,
        ...(r.secretRef ? { auth: await secretKeys(client, ns, r.secretRef, 'registry pull') } : {}),
        ...(r.certConfigMap ? { caPem: await caBundle(client, ns, r.certConfigMap) } : {}),
        ...(insecureRegistries.includes(host) ? { insecureHttp: true } : {}),
      },
    };
  }
  throw new SourceProblem('InvalidSource', 'the DataVolume has no http, s3 or registry source');
}
