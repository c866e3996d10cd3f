// Drivers the StorageClass form offers by name, each with its parameters
// explained; any other driver can be typed in. Kura's own kura.dev/*
// parameters apply to every driver Kura schedules for.
import {
  driverCapabilities,
  LOCAL_DRIVER,
  NO_PROVISIONER,
  PARAM_IMAGE_FORMAT,
  PARAM_OVERPROVISION_RATIO,
  PARAM_SCORE_DIVISOR,
  SHARED_DRIVER,
  type StorageClassView,
} from '../provisioning';

export interface ParameterDoc {
  key: string;
  /** What it does, in one or two sentences. */
  help: string;
  /** Allowed values, when it takes one of a few. */
  values?: readonly string[];
  placeholder?: string;
  /** The value the driver assumes when the parameter is left out, prefilled when it is added. */
  defaultValue?: string;
}

export interface DriverDoc {
  name: string;
  title: string;
  description: string;
  parameters: readonly ParameterDoc[];
}

export const KURA_PARAMETERS: readonly ParameterDoc[] = [
  {
    key: PARAM_OVERPROVISION_RATIO,
    help: 'How many times the pool size may be promised to volumes: "2.0" lets 200 GiB of thin volumes live in a 100 GiB pool. At least 1.0 (the default: never promise more than there is, because a full pool stops every VM writing to it).',
    placeholder: '1.0',
    defaultValue: '1.0',
  },
  {
    key: PARAM_SCORE_DIVISOR,
    help: 'Divisor of the capacity score log2(free GiB ÷ divisor) the scheduler uses to prefer emptier nodes (as TopoLVM does). Raise it on big pools so the scores spread. Greater than 0; default 1.',
    placeholder: '1',
    defaultValue: '1',
  },
  {
    key: PARAM_IMAGE_FORMAT,
    help: 'On-disk format of the volume files: qcow2 (the default: snapshots and clones are copy-on-write) or raw (a sparse file, slightly faster, but it cannot be snapshotted or cloned).',
    values: ['qcow2', 'raw'],
  },
];

const FSTYPE: ParameterDoc = { key: 'csi.storage.k8s.io/fstype', help: 'File system the driver makes on Filesystem volumes, such as ext4 or xfs.', placeholder: 'ext4' };

export const KNOWN_DRIVERS: readonly DriverDoc[] = [
  {
    name: LOCAL_DRIVER,
    title: 'Kura node-local',
    description: "Thin volumes in one node's storage pool: fast, ReadWriteOnce, pinned to their node. Snapshots, clones and expansion.",
    parameters: [...KURA_PARAMETERS, FSTYPE],
  },
  {
    name: SHARED_DRIVER,
    title: 'Kura shared',
    description: 'Thin volumes in a pool every node reaches: ReadWriteMany for live migration, any node can run the VM. Snapshots, clones and expansion.',
    parameters: [...KURA_PARAMETERS, FSTYPE],
  },
  {
    name: 'topolvm.io',
    title: 'TopoLVM',
    description: 'LVM logical volumes on each node, placed by free capacity.',
    parameters: [{ key: 'topolvm.io/device-class', help: 'The device class (volume group) to carve volumes from; the default class when left out.', placeholder: 'ssd' }, FSTYPE],
  },
  {
    name: 'driver.longhorn.io',
    title: 'Longhorn',
    description: 'Replicated block storage across nodes.',
    parameters: [
      { key: 'numberOfReplicas', help: 'How many copies of each volume Longhorn keeps, on different nodes.', placeholder: '3' },
      { key: 'staleReplicaTimeout', help: 'Minutes before a failed replica is given up and rebuilt elsewhere.', placeholder: '30' },
      { key: 'dataLocality', help: 'Keep a replica on the node that uses the volume.', values: ['disabled', 'best-effort', 'strict-local'] },
    ],
  },
  {
    name: 'rbd.csi.ceph.com',
    title: 'Ceph RBD',
    description: 'Ceph block images; ReadWriteMany in Block mode.',
    parameters: [
      { key: 'clusterID', help: 'The Ceph cluster, as named in the ceph-csi config map.' },
      { key: 'pool', help: 'The RBD pool volumes are created in.' },
      { key: 'imageFeatures', help: 'RBD image features, such as layering.', placeholder: 'layering' },
    ],
  },
  {
    name: 'cephfs.csi.ceph.com',
    title: 'CephFS',
    description: 'Ceph file system subvolumes; ReadWriteMany.',
    parameters: [
      { key: 'clusterID', help: 'The Ceph cluster, as named in the ceph-csi config map.' },
      { key: 'fsName', help: 'The CephFS file system volumes are created in.' },
    ],
  },
  {
    name: 'nfs.csi.k8s.io',
    title: 'NFS',
    description: 'Directories on an existing NFS server; ReadWriteMany.',
    parameters: [
      { key: 'server', help: 'The NFS server, by name or address.' },
      { key: 'share', help: 'The exported path new volumes are made under.', placeholder: '/exports' },
    ],
  },
  {
    name: NO_PROVISIONER,
    title: 'No provisioner',
    description: 'Makes no volumes: claims bind only to PersistentVolumes an admin creates by hand (local disks).',
    parameters: [],
  },
];

/** The documentation of a driver, when the form knows it. */
export function driverDoc(name: string): DriverDoc | undefined {
  return KNOWN_DRIVERS.find((d) => d.name === name);
}

/**
 * A class in one sentence, for a form's class picker: the admin's own
 * description when there is one, otherwise what its driver and settings mean.
 */
export function describeClass(sc: StorageClassView, annotated?: string): string {
  if (annotated) return annotated;
  const d = driverCapabilities(sc.provisioner);
  const what = d.known ? (d.locality === 'node-local' ? `Node-local volumes (${sc.provisioner}), pinned to one node` : `Shared volumes (${sc.provisioner}) every node reaches`) : `Volumes made by ${sc.provisioner}`;
  const when = sc.volumeBindingMode === 'WaitForFirstConsumer' ? 'made when a VM first uses them' : 'made as soon as the claim is created';
  const grow = sc.allowVolumeExpansion ? 'can grow' : 'cannot grow';
  const keep = sc.reclaimPolicy === 'Retain' ? '; data is kept when the claim is deleted' : '';
  return `${what}; ${when}; ${grow}${keep}.`;
}
