'use client';
// PersistentVolumes (an admin's view), live: capacity, access modes, reclaim
// policy, status and why, the claim bound to each, class and node.
import { Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useState } from 'react';
import { age } from '@/lib/format';
import { NodeModel, PersistentVolumeClaimModel, PersistentVolumeModel, StorageClassModel } from '@/lib/k8s/models';
import { getCreationTimestamp, getName, getPvAccessModes, getPvCapacityStorage, getPvClaimRef, getPvPhase, getPvReclaimPolicy, getPvStatusMessage, isTerminating } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { formatSize, getVolumeClassName, parseBytes, type PersistentVolume, pinnedNodeOf } from '@/lib/provisioning';
import { StatusLabel } from '../common/StatusLabel';
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

type Pv = PersistentVolume & K8sResource;
const MODE_ABBR: Record<string, string> = { ReadWriteOnce: 'RWO', ReadWriteMany: 'RWX', ReadOnlyMany: 'ROX', ReadWriteOncePod: 'RWOP' };
const TONES: Record<string, 'success' | 'warning' | 'danger' | 'info' | 'neutral'> = { Bound: 'success', Available: 'info', Released: 'warning', Failed: 'danger', Pending: 'warning' };
const bytes = (pv: Pv) => parseBytes(getPvCapacityStorage(pv)).bytes ?? 0;

const COLUMNS: SortableColumn<Pv>[] = [
  { key: 'name', label: 'Name', sort: getName },
  { key: 'status', label: 'Status', sort: getPvPhase },
  { key: 'capacity', label: 'Capacity', sort: bytes },
  { key: 'modes', label: 'Access modes' },
  { key: 'reclaim', label: 'Reclaim policy', sort: getPvReclaimPolicy },
  { key: 'claim', label: 'Claim', sort: (pv) => (getPvClaimRef(pv) ? `${getPvClaimRef(pv)!.namespace}/${getPvClaimRef(pv)!.name}` : '') },
  { key: 'class', label: 'StorageClass', sort: getVolumeClassName },
  { key: 'node', label: 'Node', sort: (pv) => pinnedNodeOf(pv) ?? '', info: 'The one node the data lives on, from node affinity; "any" when every node reaches it.' },
  { key: 'age', label: 'Age', sort: (pv) => -Date.parse(getCreationTimestamp(pv) ?? '0') },
];
const ACCESS = { group: '', resource: 'persistentvolumes' } as const;

export function PvListPage({ title }: { title: string }) {
  const volumes = useK8sList<Pv>(PersistentVolumeModel);
  const now = useNow();
  const { rows, filter, setFilter, thSort } = useSortedRows(volumes.items, COLUMNS, getName);
  const [deleting, setDeleting] = useState<Pv>();
  return (
    <>
      <StorageListFrame
        title={title}
        model={PersistentVolumeModel}
        list={volumes}
        filter={filter}
        onFilter={setFilter}
        shown={rows.length}
        total={volumes.items?.length ?? 0}
        where=""
        actions={
          <ToolbarItem>
            <AccessButton access={{ ...ACCESS, verb: 'create' }} kindPlural="PersistentVolumes" href={importHref(PersistentVolumeModel, undefined)} variant="secondary">
              Create from YAML
            </AccessButton>
          </ToolbarItem>
        }
      >
        <Table aria-label={title} variant="compact">
          <SortableHead columns={COLUMNS} thSort={thSort} />
          <Tbody>
            {rows.map((pv) => {
              const name = getName(pv);
              const phase = isTerminating(pv) ? 'Terminating' : getPvPhase(pv);
              const claim = getPvClaimRef(pv);
              const node = pinnedNodeOf(pv);
              const cls = getVolumeClassName(pv);
              return (
                <Tr key={pv.metadata.uid ?? name}>
                  <Td dataLabel="Name">
                    <NextLink href={objectHref(PersistentVolumeModel, name)}>{name}</NextLink>
                  </Td>
                  <Td dataLabel="Status">
                    <StatusLabel status={{ text: phase, tone: TONES[phase] ?? 'warning', detail: getPvStatusMessage(pv) }} />
                  </Td>
                  <Td dataLabel="Capacity">{getPvCapacityStorage(pv) ? formatSize(bytes(pv)) : '-'}</Td>
                  <Td dataLabel="Access modes">{getPvAccessModes(pv).map((m) => MODE_ABBR[m] ?? m).join(', ') || '-'}</Td>
                  <Td dataLabel="Reclaim policy">{getPvReclaimPolicy(pv)}</Td>
                  <Td dataLabel="Claim">
                    {claim ? (
                      <>
                        <NextLink href={objectHref(PersistentVolumeClaimModel, claim.name, claim.namespace)}>{claim.name}</NextLink>
                        <div style={{ fontSize: 'var(--pf-t--global--font--size--sm)' }}>in {claim.namespace}</div>
                      </>
                    ) : (
                      '-'
                    )}
                  </Td>
                  <Td dataLabel="StorageClass">{cls ? <NextLink href={objectHref(StorageClassModel, cls)}>{cls}</NextLink> : <Label isCompact>none</Label>}</Td>
                  <Td dataLabel="Node">{node ? <NextLink href={objectHref(NodeModel, node)}>{node}</NextLink> : pv.spec?.nodeAffinity ? <Tooltip content="Its node affinity names more than one node."><span>several</span></Tooltip> : 'any'}</Td>
                  <Td dataLabel="Age">{age(getCreationTimestamp(pv), now)}</Td>
                  <Td isActionCell>
                    <RowKebab label={`Actions for ${name}`}>
                      <GuardedMenuItem access={{ ...ACCESS, verb: 'delete' }} kindPlural="PersistentVolumes" disabledReason={isTerminating(pv) ? 'It is being deleted.' : undefined} onClick={() => setDeleting(pv)} isDanger>
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
          model={PersistentVolumeModel}
          name={getName(deleting)}
          consequence={getPvReclaimPolicy(deleting) === 'Delete' ? 'Its provisioner deletes the data too (reclaim policy Delete).' : 'The data stays on the storage (reclaim policy Retain) but Kubernetes forgets it.'}
          warning={getPvPhase(deleting) === 'Bound' && getPvClaimRef(deleting) ? `It is bound to claim ${getPvClaimRef(deleting)!.namespace}/${getPvClaimRef(deleting)!.name}: that claim loses its volume (it turns Lost) and VMs using it lose the disk.` : undefined}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </>
  );
}
