'use client';
// The purpose-built storage pages, by kind: lists of PersistentVolumeClaims,
// StorageClasses, VolumeSnapshots, VolumeSnapshotClasses, PersistentVolumes
// and Nodes, and the create forms of claims and classes. Other kinds keep the
// generic pages.
import type { K8sModel } from '@/lib/k8s/models';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { NEW_OBJECT_SEGMENT, storagePageOf } from './links';
import { NodeListPage } from './NodeListPage';
import { PvcCreatePage } from './PvcCreatePage';
import { PvcListPage } from './PvcListPage';
import { PvListPage } from './PvListPage';
import { StorageClassCreatePage } from './StorageClassCreatePage';
import { StorageClassListPage } from './StorageClassListPage';
import { VolumeSnapshotClassListPage } from './VolumeSnapshotClassListPage';
import { VolumeSnapshotListPage } from './VolumeSnapshotListPage';

export interface StoragePageProps {
  model: K8sModel;
  /** The URL's namespace (ALL_NAMESPACES for all), undefined for cluster scope. */
  namespace?: string;
  name?: string;
  title: string;
}

export function StoragePage({ model, namespace, name, title }: StoragePageProps) {
  const page = storagePageOf(model);
  const create = name === NEW_OBJECT_SEGMENT;
  switch (page) {
    case 'PersistentVolumeClaim':
      return create ? <PvcCreatePage namespace={namespace && namespace !== ALL_NAMESPACES ? namespace : 'default'} /> : <PvcListPage namespace={namespace} title={title} />;
    case 'StorageClass':
      return create ? <StorageClassCreatePage /> : <StorageClassListPage title={title} />;
    case 'VolumeSnapshot':
      return <VolumeSnapshotListPage namespace={namespace} title={title} />;
    case 'VolumeSnapshotClass':
      return <VolumeSnapshotClassListPage title={title} />;
    case 'PersistentVolume':
      return <PvListPage title={title} />;
    case 'Node':
      return <NodeListPage title={title} />;
    default:
      return null;
  }
}
