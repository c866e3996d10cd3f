// Core v1 kinds Kura serves: what kube-apiserver prints for them, which field
// selectors it accepts, and the validation and defaults a user would meet.
import {
  ConfigMapModel,
  EventModel,
  NamespaceModel,
  NodeModel,
  PersistentVolumeClaimModel,
  PersistentVolumeModel,
  ResourceQuotaModel,
  SecretModel,
  ServiceAccountModel,
} from '@/lib/k8s/models';
import type { K8sObject, StatusCause } from '@/lib/k8s/types';
import { humanDuration } from '@/lib/format';
import type { ResourceDef } from '../types';
import { accessModes, ageColumn, at, col, nameColumn, orNone, orUnset } from '../printers';
import { builtin, invalidValue, notSupported, required, validateQuantities } from './common';

const pvAccessModes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const volumeModes = ['Block', 'Filesystem'];

function validateAccessModes(modes: unknown, field: string, causes: StatusCause[]): void {
  if (!Array.isArray(modes) || modes.length === 0) {
    causes.push(required(field));
    return;
  }
  for (const m of modes) if (!pvAccessModes.includes(String(m))) causes.push(notSupported(field, m, pvAccessModes));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    causes.push(invalidValue(field, modes, 'may not use ReadWriteOncePod with other access modes'));
  }
}

function validateStorageRequest(map: unknown, field: string, causes: StatusCause[]): void {
  const storage = (map as Record<string, unknown> | undefined)?.storage;
  if (storage === undefined) {
    causes.push(required(`${field}[storage]`));
    return;
  }
  validateQuantities(map, field, causes);
}

const pvc = builtin(PersistentVolumeClaimModel, {
  subresources: ['status'],
  columns: [
    col('Status', (o) => at(o, 'status.phase') ?? ''),
    col('Volume', (o) => at(o, 'spec.volumeName') ?? ''),
    col('Capacity', (o) => at(o, 'status.capacity.storage') ?? ''),
    col('Access Modes', (o) => accessModes(at(o, 'status.accessModes'))),
    col('StorageClass', (o) => at(o, 'spec.storageClassName') ?? ''),
    col('VolumeAttributesClass', (o) => orUnset(at(o, 'spec.volumeAttributesClassName'))),
    ageColumn,
    col('VolumeMode', (o) => at(o, 'spec.volumeMode') ?? '', { priority: 1 }),
  ],
  strategy: {
    defaults(o) {
      const spec = (o.spec ??= {}) as Record<string, unknown>;
      spec.volumeMode ??= 'Filesystem';
    },
    validate(o, ctx) {
      const causes: StatusCause[] = [];
      const spec = (o.spec ?? {}) as Record<string, unknown>;
      validateAccessModes(spec.accessModes, 'spec.accessModes', causes);
      const resources = spec.resources as Record<string, unknown> | undefined;
      validateStorageRequest(resources?.requests, 'spec.resources.requests', causes);
      validateQuantities(resources?.limits, 'spec.resources.limits', causes);
      if (spec.volumeMode !== undefined && !volumeModes.includes(String(spec.volumeMode))) causes.push(notSupported('spec.volumeMode', spec.volumeMode, volumeModes));
      if (ctx.old) {
        // Only the storage request (expansion) and a few binding fields may change after creation.
        const oldSpec = (ctx.old.spec ?? {}) as Record<string, unknown>;
        const comparable = (s: Record<string, unknown>) =>
          JSON.stringify({ ...s, resources: { ...(s.resources as object), requests: undefined }, volumeName: undefined, volumeAttributesClassName: undefined });
        if (comparable(spec) !== comparable(oldSpec)) {
          causes.push({ reason: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' });
        }
        if (oldSpec.volumeName && spec.volumeName !== oldSpec.volumeName) causes.push({ reason: 'FieldValueForbidden', field: 'spec.volumeName', message: 'Forbidden: field is immutable once bound' });
      }
      return causes;
    },
  },
});

const pv = builtin(PersistentVolumeModel, {
  subresources: ['status'],
  columns: [
    col('Capacity', (o) => at(o, 'spec.capacity.storage') ?? ''),
    col('Access Modes', (o) => accessModes(at(o, 'spec.accessModes'))),
    col('Reclaim Policy', (o) => at(o, 'spec.persistentVolumeReclaimPolicy') ?? ''),
    col('Status', (o) => at(o, 'status.phase') ?? ''),
    col('Claim', (o) => {
      const ref = at(o, 'spec.claimRef') as { namespace?: string; name?: string } | undefined;
      return ref?.name ? `${ref.namespace}/${ref.name}` : '';
    }),
    col('StorageClass', (o) => at(o, 'spec.storageClassName') ?? ''),
    col('VolumeAttributesClass', (o) => orUnset(at(o, 'spec.volumeAttributesClassName'))),
    col('Reason', (o) => at(o, 'status.reason') ?? ''),
    ageColumn,
    col('VolumeMode', (o) => at(o, 'spec.volumeMode') ?? '', { priority: 1 }),
  ],
  strategy: {
    defaults(o) {
      const spec = (o.spec ??= {}) as Record<string, unknown>;
      spec.persistentVolumeReclaimPolicy ??= 'Retain';
      spec.volumeMode ??= 'Filesystem';
      o.status ??= { phase: 'Pending' };
    },
    validate(o) {
      const causes: StatusCause[] = [];
      const spec = (o.spec ?? {}) as Record<string, unknown>;
      validateAccessModes(spec.accessModes, 'spec.accessModes', causes);
      validateStorageRequest(spec.capacity, 'spec.capacity', causes);
      const policies = ['Delete', 'Recycle', 'Retain'];
      if (!policies.includes(String(spec.persistentVolumeReclaimPolicy))) causes.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, policies));
      const sources = ['csi', 'hostPath', 'local', 'nfs', 'iscsi', 'fc', 'rbd', 'cephfs'].filter((k) => spec[k] !== undefined);
      if (sources.length === 0) causes.push({ reason: 'FieldValueRequired', field: 'spec', message: 'Required value: must specify a volume type' });
      if (sources.length > 1) causes.push({ reason: 'FieldValueForbidden', field: `spec.${sources[1]}`, message: 'Forbidden: may not specify more than 1 volume type' });
      return causes;
    },
  },
});

const namespace = builtin(NamespaceModel, {
  subresources: ['status', 'finalize'],
  columns: [col('Status', (o) => at(o, 'status.phase') ?? '')],
  fieldSelectors: { 'status.phase': (o) => at(o, 'status.phase') as string | undefined },
  strategy: {
    defaults(o) {
      const spec = (o.spec ??= {}) as Record<string, unknown>;
      spec.finalizers ??= ['kubernetes'];
      o.status = { ...(o.status as object), phase: (o.status as { phase?: string } | undefined)?.phase ?? 'Active' };
      // Kubernetes labels every namespace with its own name, for namespace selectors.
      o.metadata = { ...o.metadata, labels: { ...o.metadata?.labels, 'kubernetes.io/metadata.name': o.metadata?.name ?? '' } };
    },
  },
});

function nodeStatus(o: K8sObject): string {
  const conditions = (at(o, 'status.conditions') ?? []) as { type?: string; status?: string }[];
  const ready = conditions.find((c) => c.type === 'Ready');
  let s = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  if (at(o, 'spec.unschedulable')) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(o: K8sObject): string {
  const roles = Object.keys(o.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

function nodeAddress(o: K8sObject, type: string): string {
  const addrs = (at(o, 'status.addresses') ?? []) as { type?: string; address?: string }[];
  return addrs.find((a) => a.type === type)?.address ?? '<none>';
}

const node = builtin(NodeModel, {
  subresources: ['status'],
  columns: [
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    ageColumn,
    col('Version', (o) => at(o, 'status.nodeInfo.kubeletVersion') ?? ''),
    col('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), { priority: 1 }),
    col('External-IP', (o) => nodeAddress(o, 'ExternalIP'), { priority: 1 }),
    col('OS-Image', (o) => orNone(at(o, 'status.nodeInfo.osImage')), { priority: 1 }),
    col('Kernel-Version', (o) => orNone(at(o, 'status.nodeInfo.kernelVersion')), { priority: 1 }),
    col('Container-Runtime', (o) => orNone(at(o, 'status.nodeInfo.containerRuntimeVersion')), { priority: 1 }),
  ],
  fieldSelectors: { 'spec.unschedulable': (o) => String(Boolean(at(o, 'spec.unschedulable'))) },
});

const eventTime = (o: K8sObject): string | undefined =>
  (at(o, 'lastTimestamp') as string | undefined) ?? (at(o, 'eventTime') as string | undefined) ?? (at(o, 'firstTimestamp') as string | undefined) ?? o.metadata?.creationTimestamp;

const since = (ts: string | undefined, now: number) => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');

const eventBase = builtin(EventModel, {
  columns: [],
  fieldSelectors: Object.fromEntries(
    ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'].map((f) => [
      f,
      (o: K8sObject) => {
        const v = f === 'source' ? (at(o, 'source.component') ?? at(o, 'reportingComponent')) : at(o, f);
        return v === undefined ? '' : String(v);
      },
    ]),
  ),
  strategy: {
    validate(o) {
      const causes: StatusCause[] = [];
      if (!at(o, 'involvedObject.name') && !at(o, 'involvedObject.kind')) causes.push(required('involvedObject'));
      const type = at(o, 'type');
      if (type !== undefined && type !== 'Normal' && type !== 'Warning') causes.push(notSupported('type', type, ['Normal', 'Warning']));
      return causes;
    },
  },
});

// Events print when and what first, as `kubectl get events` does; the name only with -o wide.
const event = {
  ...eventBase,
  printerColumns: [
    col('Last Seen', (o, now) => since(eventTime(o), now)),
    col('Type', (o) => at(o, 'type') ?? ''),
    col('Reason', (o) => at(o, 'reason') ?? ''),
    col('Object', (o) => `${String(at(o, 'involvedObject.kind') ?? '').toLowerCase()}/${at(o, 'involvedObject.name') ?? ''}`),
    col('Subobject', (o) => at(o, 'involvedObject.fieldPath') ?? '', { priority: 1 }),
    col('Source', (o) => at(o, 'source.component') ?? at(o, 'reportingComponent') ?? '', { priority: 1 }),
    col('Message', (o) => String(at(o, 'message') ?? '').trim()),
    col('First Seen', (o, now) => since((at(o, 'firstTimestamp') as string | undefined) ?? eventTime(o), now), { priority: 1 }),
    col('Count', (o) => at(o, 'count') ?? 1, { type: 'integer', priority: 1 }),
    { ...nameColumn, priority: 1 },
  ],
};

const secretData = (o: K8sObject) => Object.keys((at(o, 'data') as object | undefined) ?? {}).length + Object.keys((at(o, 'stringData') as object | undefined) ?? {}).length;

const secret = builtin(SecretModel, {
  columns: [col('Type', (o) => at(o, 'type') ?? ''), col('Data', secretData, { type: 'integer' })],
  fieldSelectors: { type: (o) => at(o, 'type') as string | undefined },
  strategy: {
    defaults(o) {
      o.type ??= 'Opaque';
      // stringData is write-only: folded into data (base64) like kube-apiserver does.
      const stringData = o.stringData as Record<string, string> | undefined;
      if (stringData) {
        const data = { ...((o.data as Record<string, string> | undefined) ?? {}) };
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        o.data = data;
        delete o.stringData;
      }
    },
    validate(o) {
      const causes: StatusCause[] = [];
      for (const [k, v] of Object.entries((o.data as Record<string, unknown> | undefined) ?? {})) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) causes.push(invalidValue(`data[${k}]`, '<secret>', 'must be base64-encoded'));
      }
      return causes;
    },
  },
});

const configMap = builtin(ConfigMapModel, {
  columns: [col('Data', (o) => Object.keys((at(o, 'data') as object | undefined) ?? {}).length + Object.keys((at(o, 'binaryData') as object | undefined) ?? {}).length, { type: 'integer' })],
});

const serviceAccount = builtin(ServiceAccountModel, {
  columns: [col('Secrets', (o) => ((at(o, 'secrets') as unknown[] | undefined) ?? []).length, { type: 'integer' })],
});

const resourceQuota = builtin(ResourceQuotaModel, {
  subresources: ['status'],
  columns: [
    col('Request', (o) => {
      const hard = (at(o, 'status.hard') ?? at(o, 'spec.hard') ?? {}) as Record<string, string>;
      const used = (at(o, 'status.used') ?? {}) as Record<string, string>;
      return Object.keys(hard)
        .filter((k) => !k.startsWith('limits.'))
        .sort()
        .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
        .join(', ');
    }),
    col('Limit', (o) => {
      const hard = (at(o, 'status.hard') ?? at(o, 'spec.hard') ?? {}) as Record<string, string>;
      const used = (at(o, 'status.used') ?? {}) as Record<string, string>;
      return Object.keys(hard)
        .filter((k) => k.startsWith('limits.'))
        .sort()
        .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
        .join(', ');
    }),
  ],
  strategy: {
    validate(o) {
      const causes: StatusCause[] = [];
      validateQuantities(at(o, 'spec.hard'), 'spec.hard', causes);
      return causes;
    },
  },
});

export const coreResources: ResourceDef[] = [namespace, node, pv, pvc, event, secret, configMap, serviceAccount, resourceQuota];
