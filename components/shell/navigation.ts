// The sidebar: what a user of a VM-and-storage console looks for, grouped as
// they think of it. Each entry opens the list of one kind.
import {
  DataSourceModel,
  DataVolumeModel,
  EventModel,
  type K8sModel,
  modelRef,
  NodeModel,
  PersistentVolumeClaimModel,
  PersistentVolumeModel,
  StorageClassModel,
  VirtualMachineClusterInstancetypeModel,
  VirtualMachineModel,
  VolumeSnapshotClassModel,
  VolumeSnapshotModel,
} from '@/lib/k8s/models';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';

export interface NavEntry {
  label: string;
  model: K8sModel;
}

export interface NavSection {
  title: string;
  entries: NavEntry[];
}

export const navSections: NavSection[] = [
  {
    title: 'Virtualization',
    entries: [
      { label: 'VirtualMachines', model: VirtualMachineModel },
      { label: 'InstanceTypes', model: VirtualMachineClusterInstancetypeModel },
      { label: 'Bootable volumes', model: DataSourceModel },
    ],
  },
  {
    title: 'Storage',
    entries: [
      { label: 'PersistentVolumeClaims', model: PersistentVolumeClaimModel },
      { label: 'DataVolumes', model: DataVolumeModel },
      { label: 'VolumeSnapshots', model: VolumeSnapshotModel },
      { label: 'StorageClasses', model: StorageClassModel },
      { label: 'VolumeSnapshotClasses', model: VolumeSnapshotClassModel },
      { label: 'PersistentVolumes', model: PersistentVolumeModel },
    ],
  },
  {
    title: 'Cluster',
    entries: [
      { label: 'Nodes', model: NodeModel },
      { label: 'Events', model: EventModel },
    ],
  },
];

/** URL of a kind's list page in a namespace (ALL_NAMESPACES for all); cluster-scoped kinds ignore it. */
export function listHref(model: K8sModel, namespace: string): string {
  if (!model.namespaced) return `/k8s/cluster/${modelRef(model)}`;
  if (namespace === ALL_NAMESPACES) return `/k8s/all-namespaces/${modelRef(model)}`;
  return `/k8s/ns/${encodeURIComponent(namespace)}/${modelRef(model)}`;
}

/** URL of one object's page. */
export function objectHref(model: K8sModel, name: string, namespace?: string): string {
  const base = model.namespaced && namespace ? `/k8s/ns/${encodeURIComponent(namespace)}` : '/k8s/cluster';
  return `${base}/${modelRef(model)}/${encodeURIComponent(name)}`;
}
