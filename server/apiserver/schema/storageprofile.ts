// Schema of CDI's StorageProfile (cdi.kubevirt.io/v1beta1), which the installed
// kubevirt-api package does not describe. Written for Kura from the v1beta1
// API's fields; the descriptions are our own words.
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { arrayOf, customResourceRoot, object, str } from './common';

function profileFields(): Record<string, JSONSchemaProps> {
  return {
    claimPropertySets: arrayOf(
      object(
        {
          accessModes: arrayOf(str(), 'Access modes a volume of this class should ask for, e.g. ReadWriteOnce.', {
            'x-kubernetes-list-type': 'atomic',
          }),
          volumeMode: str('Volume mode to ask for: "Filesystem" or "Block".'),
        },
        'One combination of access modes and volume mode that works with the storage class.',
      ),
      'Combinations of access modes and volume mode to use, best first, when a DataVolume does not say.',
    ),
    cloneStrategy: str('How CDI clones volumes of this class: "copy", "snapshot" or "csi-clone".'),
    dataImportCronSourceFormat: str('Format of the sources DataImportCrons keep for this class: "pvc" or "snapshot".'),
    snapshotClass: str('VolumeSnapshotClass to use for snapshots of volumes of this class.'),
  };
}

export function storageProfileSchema(): JSONSchemaProps {
  return customResourceRoot('Advice CDI follows when it makes volumes of one storage class; one per StorageClass.', {
    spec: object(profileFields(), 'Settings an administrator chose, overriding what CDI found out.'),
    status: object(
      {
        ...profileFields(),
        provisioner: str('The storage class\'s provisioner.'),
        storageClass: str('Name of the StorageClass this profile is about.'),
      },
      'The settings in effect: the spec where set, otherwise what CDI knows of the provisioner.',
    ),
  });
}
