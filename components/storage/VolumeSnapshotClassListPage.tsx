'use client';
// VolumeSnapshotClasses, live: driver, deletion policy, and which one is each
// driver's default.
import { Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useState } from 'react';
import { age } from '@/lib/format';
import { VolumeSnapshotClassModel } from '@/lib/k8s/models';
import { getClassParameters, getCreationTimestamp, getName, getSnapshotClassDeletionPolicy, getSnapshotClassDriver, isDefaultSnapshotClass } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { useK8sList } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';
import { importHref } from '../resources/importHref';
import { objectHref } from '../shell/navigation';
import { AccessButton } from './AccessButton';
import { DeleteWithWarningModal } from './DeleteWithWarningModal';
import { GuardedMenuItem } from './GuardedMenuItem';
import { RowKebab } from './RowKebab';
import { SortableHead } from './SortableHead';
import { StorageListFrame } from './StorageListFrame';
import { type SortableColumn, useSortedRows } from './useSortedRows';

const COLUMNS: SortableColumn<K8sResource>[] = [
  { key: 'name', label: 'Name', sort: getName },
  { key: 'driver', label: 'Driver', sort: getSnapshotClassDriver },
  { key: 'policy', label: 'Deletion policy', sort: getSnapshotClassDeletionPolicy, info: 'Delete: the stored snapshot goes with the VolumeSnapshot. Retain: it stays until an admin deletes its content.' },
  { key: 'parameters', label: 'Parameters' },
  { key: 'age', label: 'Age', sort: (o) => -Date.parse(getCreationTimestamp(o) ?? '0') },
];
const ACCESS = { group: VolumeSnapshotClassModel.apiGroup, resource: VolumeSnapshotClassModel.plural } as const;

export function VolumeSnapshotClassListPage({ title }: { title: string }) {
  const classes = useK8sList(VolumeSnapshotClassModel);
  const now = useNow();
  const { rows, filter, setFilter, thSort } = useSortedRows(classes.items, COLUMNS, getName);
  const [deleting, setDeleting] = useState<string>();
  const items = classes.items ?? [];
  return (
    <>
      <StorageListFrame
        title={title}
        model={VolumeSnapshotClassModel}
        list={classes}
        filter={filter}
        onFilter={setFilter}
        shown={rows.length}
        total={items.length}
        where=""
        actions={
          <ToolbarItem>
            <AccessButton access={{ ...ACCESS, verb: 'create' }} kindPlural="VolumeSnapshotClasses" href={importHref(VolumeSnapshotClassModel, undefined)}>
              Create VolumeSnapshotClass
            </AccessButton>
          </ToolbarItem>
        }
      >
        <Table aria-label={title} variant="compact">
          <SortableHead columns={COLUMNS} thSort={thSort} wrap={false} />
          <Tbody>
            {rows.map((o) => {
              const name = getName(o);
              const params = Object.entries(getClassParameters(o));
              const sameDriver = items.filter((c) => getSnapshotClassDriver(c) === getSnapshotClassDriver(o) && isDefaultSnapshotClass(c));
              return (
                <Tr key={o.metadata.uid ?? name}>
                  <Td dataLabel="Name">
                    <NextLink href={objectHref(VolumeSnapshotClassModel, name)}>{name}</NextLink>{' '}
                    {isDefaultSnapshotClass(o) && (
                      <Tooltip content={sameDriver.length > 1 ? `Several classes of ${getSnapshotClassDriver(o)} are marked default: snapshots that name no class are refused until only one is.` : `Snapshots of ${getSnapshotClassDriver(o)} volumes that name no class use it.`}>
                        <Label isCompact color={sameDriver.length > 1 ? 'orange' : 'blue'}>
                          Default
                        </Label>
                      </Tooltip>
                    )}
                  </Td>
                  <Td dataLabel="Driver">{getSnapshotClassDriver(o) || '-'}</Td>
                  <Td dataLabel="Deletion policy">{getSnapshotClassDeletionPolicy(o) || '-'}</Td>
                  <Td dataLabel="Parameters">{params.length ? params.map(([k, v]) => `${k}=${v}`).join(', ') : '-'}</Td>
                  <Td dataLabel="Age">{age(getCreationTimestamp(o), now)}</Td>
                  <Td isActionCell>
                    <RowKebab label={`Actions for ${name}`}>
                      <GuardedMenuItem access={{ ...ACCESS, verb: 'delete' }} kindPlural="VolumeSnapshotClasses" onClick={() => setDeleting(name)} isDanger>
                        Delete
                      </GuardedMenuItem>
                    </RowKebab>
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      </StorageListFrame>
      {deleting && (
        <DeleteWithWarningModal
          model={VolumeSnapshotClassModel}
          name={deleting}
          consequence="Existing snapshots keep their data; new snapshots can no longer name this class."
          onClose={() => setDeleting(undefined)}
        />
      )}
    </>
  );
}
