// storage.k8s.io/v1: StorageClass and CSIStorageCapacity.
import { CSIStorageCapacityModel, StorageClassModel } from '@/lib/k8s/models';
import type { K8sObject, StatusCause } from '@/lib/k8s/types';
import type { ResourceDef } from '../types';
import { at, col, nameColumn } from '../printers';
import { builtin, notSupported, required, validateQuantities } from './common';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

const isDefault = (o: K8sObject) => o.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';

const storageClass = builtin(StorageClassModel, {
  columns: [
    col('Provisioner', (o) => at(o, 'provisioner') ?? ''),
    col('ReclaimPolicy', (o) => at(o, 'reclaimPolicy') ?? ''),
    col('VolumeBindingMode', (o) => at(o, 'volumeBindingMode') ?? ''),
    col('AllowVolumeExpansion', (o) => Boolean(at(o, 'allowVolumeExpansion')), { type: 'boolean' }),
  ],
  strategy: {
    defaults(o) {
      o.reclaimPolicy ??= 'Delete';
      o.volumeBindingMode ??= 'Immediate';
    },
    validate(o) {
      const causes: StatusCause[] = [];
      if (!o.provisioner) causes.push(required('provisioner'));
      const policies = ['Delete', 'Retain'];
      if (!policies.includes(String(o.reclaimPolicy))) causes.push(notSupported('reclaimPolicy', o.reclaimPolicy, policies));
      const modes = ['Immediate', 'WaitForFirstConsumer'];
      if (!modes.includes(String(o.volumeBindingMode))) causes.push(notSupported('volumeBindingMode', o.volumeBindingMode, modes));
      for (const [k, v] of Object.entries((o.parameters as Record<string, unknown> | undefined) ?? {})) {
        if (typeof v !== 'string') causes.push({ reason: 'FieldValueInvalid', field: `parameters[${k}]`, message: `Invalid value: ${JSON.stringify(v)}: must be a string` });
      }
      return causes;
    },
    immutable: ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'],
  },
});
// kubectl marks the default class in the Name column.
storageClass.printerColumns[0] = { ...nameColumn, value: (o) => `${o.metadata?.name ?? ''}${isDefault(o) ? ' (default)' : ''}` };

const csiStorageCapacity = builtin(CSIStorageCapacityModel, {
  columns: [col('StorageClassName', (o) => at(o, 'storageClassName') ?? ''), col('Capacity', (o) => at(o, 'capacity') ?? '')],
  strategy: {
    validate(o) {
      const causes: StatusCause[] = [];
      if (!o.storageClassName) causes.push(required('storageClassName'));
      validateQuantities({ capacity: o.capacity, maximumVolumeSize: o.maximumVolumeSize }, '', causes);
      return causes.map((c) => ({ ...c, field: c.field?.replace(/^\[(\w+)\]$/, '$1') }));
    },
  },
});

export const storageResources: ResourceDef[] = [storageClass, csiStorageCapacity];
