'use client';
// PersistentVolumeClaims, live: status with the reason a claim is Pending,
// sizes, access modes, class, volume, node and the VMs using it; per-row
// expand, clone, snapshot and delete, each checked against the user's rights.
import { Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useMemo, useState } from 'react';
import { age } from '@/lib/format';
import { PersistentVolumeClaimModel, PersistentVolumeModel, StorageClassModel, VirtualMachineModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { getCreationTimestamp, isTerminating } from '@/lib/k8s/selectors';
import { formatSize, getClaimAccessModes, getClaimVolumeMode } from '@/lib/provisioning';
import { suggestedName } from '@/lib/storage-ui';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { useNow } from '../hooks/useNow';
import { importHref } from '../resources/importHref';
import { objectHref } from '../shell/navigation';
import { StatusLabel } from '../common/StatusLabel';
import { AccessButton } from './AccessButton';
import { CopyClaimModal } from './CopyClaimModal';
import { DeleteWithWarningModal } from './DeleteWithWarningModal';
import { ExpandPvcModal } from './ExpandPvcModal';
import { GuardedMenuItem } from './GuardedMenuItem';
import { createFormHref } from './links';
import { RowKebab } from './RowKebab';
import { SnapshotPvcModal } from './SnapshotPvcModal';
import { SortableHead } from './SortableHead';
import { StorageListFrame } from './StorageListFrame';
import { type SortableColumn, useSortedRows } from './useSortedRows';
import { type PvcRow, usePvcRows } from './usePvcRows';

const MODE_ABBR: Record<string, string> = { ReadWriteOnce: 'RWO', ReadWriteMany: 'RWX', ReadOnlyMany: 'ROX', ReadWriteOncePod: 'RWOP' };
const STATUS_ORDER: Record<string, number> = { Pending: 0, Lost: 1, Terminating: 2, Bound: 3 };

type Action = { kind: 'expand' | 'clone' | 'snapshot' | 'delete'; row: PvcRow; name?: string };

function columns(allNs: boolean): SortableColumn<PvcRow>[] {
  return [
    { key: 'name', label: 'Name', sort: (r) => r.name },
    ...(allNs ? [{ key: 'namespace', label: 'Namespace', sort: (r: PvcRow) => `${r.namespace}/${r.name}` }] : []),
    { key: 'status', label: 'Status', sort: (r) => STATUS_ORDER[r.status.text] ?? 9 },
    { key: 'size', label: 'Size', sort: (r) => r.currentBytes ?? r.requestedBytes ?? 0, info: 'What the claim asks for, and what its volume holds when that differs.' },
    { key: 'modes', label: 'Access modes' },
    { key: 'class', label: 'StorageClass', sort: (r) => r.className ?? '' },
    { key: 'volume', label: 'Volume', sort: (r) => r.volume ?? '' },
    { key: 'node', label: 'Node', sort: (r) => r.node ?? '', info: "The node holding the data (the volume's node affinity), or the node chosen for the VM that will use it." },
    { key: 'usedBy', label: 'Used by' },
    { key: 'age', label: 'Age', sort: (r) => -Date.parse(getCreationTimestamp(r.obj) ?? '0') },
  ];
}

function RowActions({ row, open }: { row: PvcRow; open: (a: Action) => void }) {
  const ns = row.namespace;
  const gone = isTerminating(row.obj) ? 'It is being deleted.' : undefined;
  const notBound = row.status.text !== 'Bound' ? `${row.name} is not bound to a volume yet.` : undefined;
  return (
    <RowKebab label={`Actions for ${row.name}`}>
      <GuardedMenuItem access={{ group: '', resource: 'persistentvolumeclaims', verb: 'patch', namespace: ns }} kindPlural="PersistentVolumeClaims" disabledReason={gone} onClick={() => open({ kind: 'expand', row })}>
        Expand
      </GuardedMenuItem>
      <GuardedMenuItem
        access={{ group: '', resource: 'persistentvolumeclaims', verb: 'create', namespace: ns }}
        kindPlural="PersistentVolumeClaims"
        disabledReason={gone ?? notBound}
        onClick={() => open({ kind: 'clone', row, name: suggestedName(row.name, 'clone', new Date()) })}
      >
        Clone
      </GuardedMenuItem>
      <GuardedMenuItem
        access={{ group: VolumeSnapshotModel.apiGroup, resource: VolumeSnapshotModel.plural, verb: 'create', namespace: ns }}
        kindPlural="VolumeSnapshots"
        disabledReason={gone ?? notBound}
        onClick={() => open({ kind: 'snapshot', row, name: suggestedName(row.name, 'snapshot', new Date()) })}
      >
        Snapshot
      </GuardedMenuItem>
      <GuardedMenuItem access={{ group: '', resource: 'persistentvolumeclaims', verb: 'delete', namespace: ns }} kindPlural="PersistentVolumeClaims" disabledReason={gone} onClick={() => open({ kind: 'delete', row })} isDanger>
        Delete
      </GuardedMenuItem>
    </RowKebab>
  );
}

export function PvcListPage({ namespace, title }: { namespace?: string; title: string }) {
  const allNs = namespace === ALL_NAMESPACES;
  const listNs = allNs ? undefined : namespace;
  const createNs = listNs ?? 'default';
  const { claims, rows, pools } = usePvcRows(listNs);
  const now = useNow();
  const cols = useMemo(() => columns(allNs), [allNs]);
  const { rows: shown, filter, setFilter, thSort } = useSortedRows(rows, cols, rowName);
  const [action, setAction] = useState<Action>();
  const close = () => setAction(undefined);

  const actions = (
    <>
      <ToolbarItem>
        <AccessButton access={{ group: '', resource: 'persistentvolumeclaims', verb: 'create', namespace: createNs }} kindPlural="PersistentVolumeClaims" href={createFormHref(PersistentVolumeClaimModel, createNs)}>
          Create PersistentVolumeClaim
        </AccessButton>
      </ToolbarItem>
      <ToolbarItem>
        <AccessButton access={{ group: '', resource: 'persistentvolumeclaims', verb: 'create', namespace: createNs }} kindPlural="PersistentVolumeClaims" href={importHref(PersistentVolumeClaimModel, createNs)} variant="secondary">
          Create from YAML
        </AccessButton>
      </ToolbarItem>
    </>
  );

  return (
    <>
      <StorageListFrame
        title={title}
        model={PersistentVolumeClaimModel}
        list={claims}
        filter={filter}
        onFilter={setFilter}
        shown={shown.length}
        total={rows.length}
        where={allNs ? ' in any namespace' : ` in namespace ${namespace}`}
        actions={actions}
      >
        <Table aria-label={title} variant="compact">
          <SortableHead columns={cols} thSort={thSort} />
          <Tbody>
            {shown.map((r) => (
              <Tr key={r.obj.metadata.uid ?? `${r.namespace}/${r.name}`}>
                <Td dataLabel="Name">
                  <NextLink href={objectHref(PersistentVolumeClaimModel, r.name, r.namespace)}>{r.name}</NextLink>
                  {r.dataVolume && (
                    <div style={{ fontSize: 'var(--pf-t--global--font--size--xs)' }}>
                      of DataVolume {r.dataVolume}
                    </div>
                  )}
                </Td>
                {allNs && <Td dataLabel="Namespace">{r.namespace}</Td>}
                <Td dataLabel="Status" data-testid="pvc-status">
                  <StatusLabel status={{ text: r.status.text, tone: r.status.tone, detail: r.status.detail }} />
                  {r.status.reason && (
                    <Tooltip content={<div style={{ whiteSpace: 'pre-line' }}>{r.status.detail ?? r.status.reason}</div>}>
                      <div tabIndex={0} style={{ fontSize: 'var(--pf-t--global--font--size--sm)', color: 'var(--pf-t--global--text--color--subtle)', maxWidth: '18rem' }} data-testid="pvc-reason">
                        {r.status.reason}
                      </div>
                    </Tooltip>
                  )}
                </Td>
                <Td dataLabel="Size">
                  {r.currentBytes !== undefined ? formatSize(r.currentBytes) : r.requestedBytes !== undefined ? formatSize(r.requestedBytes) : '-'}
                  {r.currentBytes !== undefined && r.requestedBytes !== undefined && r.requestedBytes !== r.currentBytes && (
                    <div style={{ fontSize: 'var(--pf-t--global--font--size--sm)' }}>asks for {formatSize(r.requestedBytes)}</div>
                  )}
                </Td>
                <Td dataLabel="Access modes">
                  <Tooltip content={`${getClaimAccessModes(r.obj).join(', ') || 'none'}; ${getClaimVolumeMode(r.obj)}`}>
                    <span>{getClaimAccessModes(r.obj).map((m) => MODE_ABBR[m] ?? m).join(', ') || '-'}</span>
                  </Tooltip>
                </Td>
                <Td dataLabel="StorageClass">
                  {r.className ? <NextLink href={objectHref(StorageClassModel, r.className)}>{r.className}</NextLink> : <span>none</span>}
                </Td>
                <Td dataLabel="Volume" modifier="truncate">
                  {r.volume ? <NextLink href={objectHref(PersistentVolumeModel, r.volume)}>{r.volume}</NextLink> : '-'}
                </Td>
                <Td dataLabel="Node">
                  {r.node ? (
                    <Tooltip content={r.nodeSource === 'volume' ? "From the volume's node affinity: VMs using it run there." : 'Chosen by the scheduler for the VM that uses the claim.'}>
                      <span>{r.node}</span>
                    </Tooltip>
                  ) : r.nodeSource === 'shared' ? (
                    <Tooltip content="The volume has no node affinity: every node reaches it.">
                      <span>any</span>
                    </Tooltip>
                  ) : (
                    '-'
                  )}
                </Td>
                <Td dataLabel="Used by">
                  {r.consumers.length === 0
                    ? '-'
                    : r.consumers.map((c) => (
                        <div key={c.name}>
                          {c.vm ? <NextLink href={objectHref(VirtualMachineModel, c.name, r.namespace)}>{c.name}</NextLink> : c.name}{' '}
                          {c.running && (
                            <Label isCompact color="green">
                              running
                            </Label>
                          )}
                        </div>
                      ))}
                </Td>
                <Td dataLabel="Age">
                  <Tooltip content={getCreationTimestamp(r.obj) ?? 'unknown'}>
                    <span>{age(getCreationTimestamp(r.obj), now)}</span>
                  </Tooltip>
                </Td>
                <Td isActionCell>
                  <RowActions row={r} open={setAction} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </StorageListFrame>
      {action?.kind === 'expand' && <ExpandPvcModal row={action.row} pools={pools} onClose={close} />}
      {action?.kind === 'snapshot' && (
        <SnapshotPvcModal namespace={action.row.namespace} claim={action.row.name} driver={action.row.classView?.provisioner} suggestedName={action.name ?? ''} onClose={close} />
      )}
      {action?.kind === 'clone' && (
        <CopyClaimModal
          namespace={action.row.namespace}
          mode="clone"
          sourceName={action.row.name}
          sourceBytes={action.row.currentBytes ?? action.row.requestedBytes}
          sourceDriver={action.row.classView?.provisioner}
          sourceClass={action.row.className}
          sourceAccessModes={getClaimAccessModes(action.row.obj)}
          sourceVolumeMode={getClaimVolumeMode(action.row.obj)}
          suggestedName={action.name ?? ''}
          existing={rows.filter((x) => x.namespace === action.row.namespace).map((x) => x.name)}
          onClose={close}
        />
      )}
      {action?.kind === 'delete' && (
        <DeleteWithWarningModal
          model={PersistentVolumeClaimModel}
          name={action.row.name}
          namespace={action.row.namespace}
          consequence={
            action.row.volumeObj?.spec?.persistentVolumeReclaimPolicy === 'Retain' || action.row.classView?.reclaimPolicy === 'Retain'
              ? 'Its volume is kept (reclaim policy Retain) until an administrator deletes it.'
              : 'Its volume and the data on it are deleted with it.'
          }
          warning={
            action.row.consumers.length ? `Used by ${action.row.consumers.map((c) => `${c.vm ? 'VM' : 'VMI'} ${c.name}${c.running ? ' (running)' : ''}`).join(', ')}: the claim stays until they stop using it, and they lose this disk.` : undefined
          }
          onClose={close}
        />
      )}
    </>
  );
}

const rowName = (r: PvcRow) => r.name;
