// The custom resources Kura serves (KubeVirt, CDI, CSI snapshots) and where each
// one's schema comes from.
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION, deepFreeze, str } from './common';
import { gvkKey } from './builtin';
import { type KubevirtApiFile, schemaForKubevirtType } from './kubevirt';
import { storageProfileSchema } from './storageprofile';
import { volumeSnapshotClassSchema, volumeSnapshotContentSchema, volumeSnapshotSchema } from './volumesnapshot';

/** [group, version, kind, declaration file, interface]. */
export const KUBEVIRT_KINDS: ReadonlyArray<readonly [string, string, string, KubevirtApiFile, string]> = [
  ['kubevirt.io', 'v1', 'VirtualMachine', 'kubevirt', 'V1VirtualMachine'],
  ['kubevirt.io', 'v1', 'VirtualMachineInstance', 'kubevirt', 'V1VirtualMachineInstance'],
  ['kubevirt.io', 'v1', 'VirtualMachineInstanceMigration', 'kubevirt', 'V1VirtualMachineInstanceMigration'],
  ['snapshot.kubevirt.io', 'v1beta1', 'VirtualMachineSnapshot', 'kubevirt', 'V1beta1VirtualMachineSnapshot'],
  ['snapshot.kubevirt.io', 'v1beta1', 'VirtualMachineSnapshotContent', 'kubevirt', 'V1beta1VirtualMachineSnapshotContent'],
  ['snapshot.kubevirt.io', 'v1beta1', 'VirtualMachineRestore', 'kubevirt', 'V1beta1VirtualMachineRestore'],
  ['instancetype.kubevirt.io', 'v1beta1', 'VirtualMachineInstancetype', 'kubevirt', 'V1beta1VirtualMachineInstancetype'],
  ['instancetype.kubevirt.io', 'v1beta1', 'VirtualMachineClusterInstancetype', 'kubevirt', 'V1beta1VirtualMachineClusterInstancetype'],
  ['instancetype.kubevirt.io', 'v1beta1', 'VirtualMachinePreference', 'kubevirt', 'V1beta1VirtualMachinePreference'],
  ['instancetype.kubevirt.io', 'v1beta1', 'VirtualMachineClusterPreference', 'kubevirt', 'V1beta1VirtualMachineClusterPreference'],
  ['cdi.kubevirt.io', 'v1beta1', 'DataVolume', 'cdi', 'V1beta1DataVolume'],
  ['cdi.kubevirt.io', 'v1beta1', 'DataSource', 'cdi', 'V1beta1DataSource'],
  ['upload.cdi.kubevirt.io', 'v1beta1', 'UploadTokenRequest', 'cdi', 'V1beta1UploadTokenRequest'],
];

/** Schemas Kura writes itself: kinds no installed package describes. */
const HAND_WRITTEN: ReadonlyArray<readonly [string, string, string, () => JSONSchemaProps]> = [
  ['snapshot.storage.k8s.io', 'v1', 'VolumeSnapshot', volumeSnapshotSchema],
  ['snapshot.storage.k8s.io', 'v1', 'VolumeSnapshotClass', volumeSnapshotClassSchema],
  ['snapshot.storage.k8s.io', 'v1', 'VolumeSnapshotContent', volumeSnapshotContentSchema],
  ['cdi.kubevirt.io', 'v1beta1', 'StorageProfile', storageProfileSchema],
];

/**
 * A generated kind as its CustomResourceDefinition has it at the top: the
 * metadata is only `type: object` (the server owns ObjectMeta), apiVersion and
 * kind are strings.
 */
function asCustomResourceRoot(schema: JSONSchemaProps): JSONSchemaProps {
  const root: JSONSchemaProps = {
    ...schema,
    type: 'object',
    properties: {
      apiVersion: str(API_VERSION_DESCRIPTION),
      kind: str(KIND_DESCRIPTION),
      ...schema.properties,
      metadata: { type: 'object' },
    },
  };
  // The generator marks metadata and status required where Go has no omitempty;
  // no CRD asks a client for them.
  const required = schema.required?.filter((f) => f !== 'metadata' && f !== 'status');
  if (required?.length) root.required = required;
  else delete root.required;
  return root;
}

let customs: ReadonlyMap<string, JSONSchemaProps> | undefined;

/** Schemas of the custom resources, keyed "kubevirt.io/v1/VirtualMachine"… (built once). */
export function customResourceSchemas(): ReadonlyMap<string, JSONSchemaProps> {
  if (!customs) {
    const map = new Map<string, JSONSchemaProps>();
    for (const [group, version, kind, file, typeName] of KUBEVIRT_KINDS) {
      map.set(gvkKey(group, version, kind), deepFreeze(asCustomResourceRoot(schemaForKubevirtType(file, typeName))));
    }
    for (const [group, version, kind, build] of HAND_WRITTEN) {
      map.set(gvkKey(group, version, kind), deepFreeze(build()));
    }
    customs = map;
  }
  return customs;
}
