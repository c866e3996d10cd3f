'use client';
// Bootable volumes, live: DataSources, and the DataVolumes and claims marked
// as boot sources (kura.dev/bootable=true, a DataImportCron's, or a default
// preference), with whether each is ready, its size and its preference.
import { Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useMemo } from 'react';
import type { DataSource, DataVolume } from '@/lib/cdi';
import { type BootableRow, bootableRows } from '@/lib/cdi-ui';
import { age } from '@/lib/format';
import { DataSourceModel, DataVolumeModel, type K8sModel, PersistentVolumeClaimModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s/types';
import { formatSize } from '@/lib/provisioning';
import { StatusLabel } from '../common/StatusLabel';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { useK8sList, type WatchState } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';
import { objectHref } from '../shell/navigation';
import { AccessButton } from '../storage/AccessButton';
import { createFormHref } from '../storage/links';
import { SortableHead } from '../storage/SortableHead';
import { StorageListFrame } from '../storage/StorageListFrame';
import { type SortableColumn, useSortedRows } from '../storage/useSortedRows';

const MODELS: Record<BootableRow['kind'], K8sModel> = { DataSource: DataSourceModel, DataVolume: DataVolumeModel, PersistentVolumeClaim: PersistentVolumeClaimModel };
const TONE_ORDER = { danger: 0, warning: 1, neutral: 2, info: 3, success: 4 } as const;

function columns(allNs: boolean): SortableColumn<BootableRow>[] {
  return [
    { key: 'name', label: 'Name', sort: (r) => r.name },
    ...(allNs ? [{ key: 'namespace', label: 'Namespace', sort: (r: BootableRow) => `${r.namespace}/${r.name}` }] : []),
    { key: 'kind', label: 'Kind', sort: (r) => r.kind },
    { key: 'status', label: 'Ready', sort: (r) => TONE_ORDER[r.status.tone] },
    { key: 'source', label: 'Source', sort: (r) => r.source },
    { key: 'size', label: 'Size', sort: (r) => r.sizeBytes ?? 0 },
    { key: 'preference', label: 'Preference', sort: (r) => r.preference ?? '', info: 'The VirtualMachinePreference a VM booting from it uses by default (label instancetype.kubevirt.io/default-preference).' },
    { key: 'age', label: 'Age', sort: (r) => -Date.parse(r.created ?? '0') },
  ];
}

/** Live only when every list it is made of is. */
function combined(states: WatchState[]): WatchState {
  if (states.every((s) => s === 'live')) return 'live';
  if (states.includes('reconnecting')) return 'reconnecting';
  if (states.includes('off')) return 'off';
  return 'connecting';
}

export function BootableVolumesPage({ namespace, title }: { namespace?: string; title: string }) {
  const allNs = namespace === ALL_NAMESPACES;
  const listNs = allNs ? undefined : namespace;
  const createNs = listNs ?? 'default';
  const dataSources = useK8sList<DataSource & K8sResource>(DataSourceModel, { namespace: listNs });
  const dvs = useK8sList<DataVolume & K8sResource>(DataVolumeModel, { namespace: listNs });
  const claims = useK8sList(PersistentVolumeClaimModel, { namespace: listNs });
  const now = useNow();
  const rows = useMemo(
    () => bootableRows({ dataSources: dataSources.items ?? [], dataVolumes: dvs.items ?? [], claims: claims.items ?? [] }),
    [dataSources.items, dvs.items, claims.items],
  );
  const cols = useMemo(() => columns(allNs), [allNs]);
  const { rows: shown, filter, setFilter, thSort } = useSortedRows(rows, cols, rowName);
  // A user who may not list claims still sees DataSources and DataVolumes.
  const parts = claims.error ? [dataSources, dvs] : [dataSources, dvs, claims];

  return (
    <StorageListFrame
      title={title}
      model={DataSourceModel}
      list={{
        watchState: combined(parts.map((p) => p.watchState)),
        error: dataSources.error ?? dvs.error,
        isLoading: parts.some((p) => p.isLoading),
        refetch: () => parts.forEach((p) => void p.refetch()),
      }}
      filter={filter}
      onFilter={setFilter}
      shown={shown.length}
      total={rows.length}
      where={allNs ? ' in any namespace' : ` in namespace ${namespace}`}
      actions={
        <ToolbarItem>
          <AccessButton access={{ group: DataVolumeModel.apiGroup, resource: DataVolumeModel.plural, verb: 'create', namespace: createNs }} kindPlural="DataVolumes" href={`${createFormHref(DataVolumeModel, createNs)}?bootable=1`}>
            Add bootable volume
          </AccessButton>
        </ToolbarItem>
      }
    >
      <Table aria-label={title} variant="compact">
        <SortableHead columns={cols} thSort={thSort} actions={false} />
        <Tbody>
          {shown.map((r) => (
            <Tr key={`${r.kind}/${r.namespace}/${r.name}`}>
              <Td dataLabel="Name">
                <NextLink href={objectHref(MODELS[r.kind], r.name, r.namespace)}>{r.name}</NextLink>
              </Td>
              {allNs && <Td dataLabel="Namespace">{r.namespace}</Td>}
              <Td dataLabel="Kind">
                <Tooltip content={r.why}>
                  <Label isCompact variant="outline" tabIndex={0}>
                    {MODELS[r.kind].abbr}
                  </Label>
                </Tooltip>{' '}
                {r.kind}
              </Td>
              <Td dataLabel="Ready">
                <StatusLabel status={r.status} />
              </Td>
              <Td dataLabel="Source">
                <div style={{ maxWidth: '22rem', overflowWrap: 'anywhere' }}>{r.source}</div>
              </Td>
              <Td dataLabel="Size">{r.sizeBytes !== undefined ? formatSize(r.sizeBytes) : '-'}</Td>
              <Td dataLabel="Preference">{r.preference ?? '-'}</Td>
              <Td dataLabel="Age">
                <Tooltip content={r.created ?? 'unknown'}>
                  <span>{age(r.created, now)}</span>
                </Tooltip>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </StorageListFrame>
  );
}

const rowName = (r: BootableRow) => r.name;
