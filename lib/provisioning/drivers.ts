// What a provisioner (CSI driver) can do. Kura knows its two embedded drivers
// exactly; for any other driver every capability is "unknown", so the rules
// that use this never refuse what they cannot know.
import type { AccessMode, VolumeMode } from './types';

export const LOCAL_DRIVER = 'local.kura.dev';
export const SHARED_DRIVER = 'shared.kura.dev';
/** The topology key local.kura.dev puts in PV node affinity (as TopoLVM's topology.topolvm.io/node). */
export const NODE_TOPOLOGY_KEY = 'topology.kura.dev/node';
/** Classes whose volumes are only ever made by hand (static local PVs). */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** A populator (dataSourceRef kind) a driver can fill volumes from. */
export interface PopulatorKind {
  apiGroup: string;
  kind: string;
}

export interface KnownDriver {
  known: true;
  name: string;
  /** "node-local" volumes live on one node's pool; "shared" ones in a pool every node reaches. */
  locality: 'node-local' | 'shared';
  accessModes: readonly AccessMode[];
  volumeModes: readonly VolumeMode[];
  /** Topology key of PV node affinity, or undefined when volumes have no topology. */
  topologyKey: string | undefined;
  /** Volumes are thin (sparse files): promises may exceed the pool up to the class's overprovision ratio. */
  thin: boolean;
  expansion: boolean;
  snapshots: boolean;
  clones: boolean;
  populators: readonly PopulatorKind[];
}

export interface UnknownDriver {
  known: false;
  name: string;
  /** False only for kubernetes.io/no-provisioner; otherwise unknown means "assume it provisions". */
  provisions: boolean;
}

export type DriverCapabilities = KnownDriver | UnknownDriver;

// CDI's populators: Kura's embedded CDI fills volumes through these on both drivers.
const CDI_POPULATORS: readonly PopulatorKind[] = [
  { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeImportSource' },
  { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeUploadSource' },
  { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeCloneSource' },
];

const KNOWN: Readonly<Record<string, KnownDriver>> = {
  [LOCAL_DRIVER]: {
    known: true,
    name: LOCAL_DRIVER,
    locality: 'node-local',
    // One node's disk: a second node cannot mount it, whatever the mode says.
    accessModes: ['ReadWriteOnce', 'ReadWriteOncePod'],
    volumeModes: ['Filesystem', 'Block'],
    topologyKey: NODE_TOPOLOGY_KEY,
    thin: true,
    expansion: true,
    snapshots: true,
    clones: true,
    populators: CDI_POPULATORS,
  },
  [SHARED_DRIVER]: {
    known: true,
    name: SHARED_DRIVER,
    locality: 'shared',
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeModes: ['Filesystem', 'Block'],
    topologyKey: undefined,
    thin: true,
    expansion: true,
    snapshots: true,
    clones: true,
    populators: CDI_POPULATORS,
  },
};

/** The capabilities of a provisioner: exact for Kura's drivers, unknown for every other. */
export function driverCapabilities(provisioner: string): DriverCapabilities {
  const known = Object.hasOwn(KNOWN, provisioner) ? KNOWN[provisioner] : undefined;
  return known ?? { known: false, name: provisioner, provisions: provisioner !== NO_PROVISIONER };
}

/** True for Kura's embedded drivers. */
export function isKuraDriver(provisioner: string): boolean {
  return Object.hasOwn(KNOWN, provisioner);
}
