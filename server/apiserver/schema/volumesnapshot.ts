// Schemas of the CSI snapshot kinds (snapshot.storage.k8s.io/v1, from the
// external-snapshotter project), which no installed package describes. Written
// for Kura from the v1 API's fields; the descriptions are our own words.
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { bool, customResourceRoot, dateTime, int64, mapOf, object, quantity, str } from './common';

const DELETION_POLICY = str(
  'What happens to the storage snapshot when its VolumeSnapshotContent is deleted: "Delete" removes it, "Retain" keeps it.',
  { enum: ['Delete', 'Retain'] },
);

const SNAPSHOT_ERROR = object(
  {
    message: str('What went wrong. It may be shown to users, so it holds no secrets.'),
    time: dateTime('When the error was seen.'),
  },
  'The last error met while taking the snapshot, if any. Cleared once the snapshot succeeds.',
);

export function volumeSnapshotSchema(): JSONSchemaProps {
  return customResourceRoot(
    'A user\'s request for a point-in-time snapshot of a PersistentVolumeClaim, or a claim on a snapshot that already exists.',
    {
      spec: object(
        {
          source: object(
            {
              persistentVolumeClaimName: str(
                'Name of the PersistentVolumeClaim, in this namespace, to take a snapshot of (dynamic snapshot). Cannot be changed.',
              ),
              volumeSnapshotContentName: str(
                'Name of an existing VolumeSnapshotContent that stands for a snapshot already taken (pre-provisioned snapshot). Cannot be changed.',
              ),
            },
            'Where the snapshot comes from. Exactly one of the two fields must be set, and the source cannot change later.',
            {
              oneOf: [{ required: ['persistentVolumeClaimName'] }, { required: ['volumeSnapshotContentName'] }],
            },
          ),
          volumeSnapshotClassName: str(
            'The VolumeSnapshotClass to use. When empty, the default class for the volume\'s CSI driver is used, if there is one.',
          ),
        },
        'What the user asks for. Required.',
        { required: ['source'] },
      ),
      status: object(
        {
          boundVolumeSnapshotContentName: str('Name of the VolumeSnapshotContent this snapshot is bound to.'),
          creationTime: dateTime('When the storage system cut the snapshot.'),
          error: SNAPSHOT_ERROR,
          readyToUse: bool('Whether the snapshot can be used to restore a volume.'),
          restoreSize: quantity('The smallest size a volume restored from this snapshot may have.'),
          volumeGroupSnapshotName: str('Name of the VolumeGroupSnapshot this snapshot belongs to, if any.'),
        },
        'What the snapshot controller observed.',
      ),
    },
    ['spec'],
  );
}

export function volumeSnapshotClassSchema(): JSONSchemaProps {
  return customResourceRoot(
    'A class of snapshots: which CSI driver takes them, with which parameters, and what happens to them on deletion.',
    {
      driver: str('Name of the CSI driver that takes snapshots of this class.'),
      parameters: mapOf({ type: 'string' }, 'Driver-specific settings passed to the CSI driver when a snapshot is taken.'),
      deletionPolicy: DELETION_POLICY,
    },
    ['deletionPolicy', 'driver'],
  );
}

export function volumeSnapshotContentSchema(): JSONSchemaProps {
  return customResourceRoot(
    'A snapshot that exists on the storage system, taken on request or imported by an administrator; cluster-scoped.',
    {
      spec: object(
        {
          deletionPolicy: DELETION_POLICY,
          driver: str('Name of the CSI driver that holds the snapshot.'),
          source: object(
            {
              snapshotHandle: str('Storage-side ID of a snapshot that already exists (pre-provisioned). Cannot be changed.'),
              volumeHandle: str('Storage-side ID of the volume to take a snapshot of (dynamic). Cannot be changed.'),
            },
            'Where the snapshot comes from. Exactly one of the two fields must be set.',
            { oneOf: [{ required: ['snapshotHandle'] }, { required: ['volumeHandle'] }] },
          ),
          sourceVolumeMode: str('Mode of the volume the snapshot was taken from: "Filesystem" or "Block".'),
          volumeSnapshotClassName: str('Name of the VolumeSnapshotClass the snapshot was taken with.'),
          volumeSnapshotRef: object(
            {
              apiVersion: str('API version of the referent.'),
              fieldPath: str('A field inside the referent, if the reference points at part of it.'),
              kind: str('Kind of the referent.'),
              name: str('Name of the referent.'),
              namespace: str('Namespace of the referent.'),
              resourceVersion: str('The referent\'s resource version this reference was made against.'),
              uid: str('UID of the referent.'),
            },
            'The VolumeSnapshot this content is bound to (name and namespace; uid once bound).',
            { 'x-kubernetes-map-type': 'atomic' },
          ),
        },
        'What the snapshot is and who it belongs to. Required.',
        { required: ['deletionPolicy', 'driver', 'source', 'volumeSnapshotRef'] },
      ),
      status: object(
        {
          creationTime: int64('When the storage system cut the snapshot, in nanoseconds since the Unix epoch.'),
          error: SNAPSHOT_ERROR,
          readyToUse: bool('Whether the snapshot can be used to restore a volume.'),
          restoreSize: int64('The smallest size, in bytes, a volume restored from this snapshot may have.', { minimum: 0 }),
          snapshotHandle: str('Storage-side ID of the snapshot.'),
          volumeGroupSnapshotHandle: str('Storage-side ID of the group snapshot this snapshot belongs to, if any.'),
        },
        'What the snapshot controller observed.',
      ),
    },
    ['spec'],
  );
}
