'use client';
// The CDI pages, by kind: DataVolumes (list, create form, one DataVolume)
// and the bootable volumes list shown for DataSources.
import type { K8sModel } from '@/lib/k8s/models';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { NEW_OBJECT_SEGMENT } from '../storage/links';
import { BootableVolumesPage } from './BootableVolumesPage';
import { DataVolumeCreatePage } from './DataVolumeCreatePage';
import { DataVolumeDetailsPage } from './DataVolumeDetailsPage';
import { DataVolumeListPage } from './DataVolumeListPage';
import { cdiPageOf } from './links';

export interface CdiPageProps {
  model: K8sModel;
  /** The URL's namespace (ALL_NAMESPACES for all). */
  namespace?: string;
  name?: string;
  title: string;
}

export function CdiPage({ model, namespace, name, title }: CdiPageProps) {
  const one = namespace && namespace !== ALL_NAMESPACES ? namespace : undefined;
  switch (cdiPageOf(model)) {
    case 'DataVolume':
      if (name === NEW_OBJECT_SEGMENT) return <DataVolumeCreatePage namespace={one ?? 'default'} />;
      if (name) return <DataVolumeDetailsPage key={`${namespace}/${name}`} model={model} name={name} namespace={one} />;
      return <DataVolumeListPage namespace={namespace} title={title} />;
    case 'BootableVolumes':
      return <BootableVolumesPage namespace={namespace} title={title} />;
    default:
      return null;
  }
}
