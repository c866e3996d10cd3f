'use client';
// VolumeSnapshots, live: readiness (and why not), source claim, restore size,
// class, content, when taken; restore one as a new claim, delete.
import { Label, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useMemo, useState } from 'react';
import { age } from '@/lib/format';
import { PersistentVolumeClaimModel, StorageClassModel, VolumeSnapshotClassModel, VolumeSnapshotContentModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import {
  getCreationTimestamp,
  getName,
  getNamespace,
  getSnapshotClassDriver,
  getSnapshotClassName,
  getSnapshotContentName,
  getSnapshotCreationTime,
  getSnapshotError,
  getSnapshotRestoreSize,
  getSnapshotSourceClaim,
  getSnapshotSourceContent,
  isDefaultSnapshotClass,
  isSnapshotReady,
  isTerminating,
} from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { chooseClaimClass, formatSize, getClaimAccessModes, getClaimVolumeMode, parseBytes, type PersistentVolumeClaim, type StorageClass, storageClassView } from '@/lib/provisioning';
import { suggestedName } from '@/lib/storage-ui';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { useK8sList } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';
import { importHref } from '../resources/importHref';
import { objectHref } from '../shell/navigation';
import { AccessButton } from './AccessButton';
import { CopyClaimModal } from './CopyClaimModal';
import { DeleteWithWarningModal } from './DeleteWithWarningModal';
import { GuardedMenuItem } from './GuardedMenuItem';
import { RowKebab } from './RowKebab';
import { SortableHead } from './SortableHead';
import { StorageListFrame } from './StorageListFrame';
import { type SortableColumn, useSortedRows } from './useSortedRows';

interface VsRow {
  obj: K8sResource;
  name: string;
  namespace: string;
  ready: boolean;
  error?: string;
  source?: string;
  sourceClaim?: PersistentVolumeClaim & K8sResource;
  restoreBytes?: number;
  className?: string;
  driver?: string;
  content?: string;
  taken?: string;
}

function columns(allNs: boolean): SortableColumn<VsRow>[] {
  return [
    { key: 'name', label: 'Name', sort: (r) => r.name },
    ...(allNs ? [{ key: 'namespace', label: 'Namespace', sort: (r: VsRow) => `${r.namespace}/${r.name}` }] : []),
    { key: 'ready', label: 'Status', sort: (r) => (r.error ? 0 : r.ready ? 2 : 1) },
    { key: 'source', label: 'Source', sort: (r) => r.source ?? '' },
    { key: 'size', label: 'Restore size', sort: (r) => r.restoreBytes ?? 0, info: 'The smallest claim it can be restored into.' },
    { key: 'class', label: 'VolumeSnapshotClass', sort: (r) => r.className ?? '' },
    { key: 'content', label: 'Content', sort: (r) => r.content ?? '' },
    { key: 'created', label: 'Taken', sort: (r) => -Date.parse(r.taken ?? '0'), info: 'When the storage took the snapshot.' },
  ];
}

export function VolumeSnapshotListPage({ namespace, title }: { namespace?: string; title: string }) {
  const allNs = namespace === ALL_NAMESPACES;
  const listNs = allNs ? undefined : namespace;
  const snapshots = useK8sList(VolumeSnapshotModel, { namespace: listNs });
  const snapshotClasses = useK8sList(VolumeSnapshotClassModel, { watch: false });
  const claims = useK8sList<PersistentVolumeClaim & K8sResource>(PersistentVolumeClaimModel, { namespace: listNs, watch: false });
  const storageClasses = useK8sList<StorageClass & K8sResource>(StorageClassModel, { watch: false });
  const now = useNow();
  const [action, setAction] = useState<{ kind: 'restore' | 'delete'; row: VsRow; name?: string }>();

  const rows = useMemo(() => {
    const views = (storageClasses.items ?? []).map(storageClassView);
    const vscs = snapshotClasses.items ?? [];
    return (snapshots.items ?? []).map((obj): VsRow => {
      const ns = getNamespace(obj) ?? '';
      const source = getSnapshotSourceClaim(obj);
      const sourceClaim = source ? claims.items?.find((c) => getName(c) === source && getNamespace(c) === ns) : undefined;
      const choice = sourceClaim ? chooseClaimClass(sourceClaim, views) : undefined;
      const claimDriver = choice && (choice.kind === 'named' || choice.kind === 'default') ? choice.storageClass?.provisioner : undefined;
      const named = getSnapshotClassName(obj);
      const vsc = named ? vscs.find((c) => getName(c) === named) : undefined;
      const driver = (vsc ? getSnapshotClassDriver(vsc) : undefined) || claimDriver;
      // A snapshot that names no class got its driver's default.
      const className = named ?? (driver ? vscs.find((c) => isDefaultSnapshotClass(c) && getSnapshotClassDriver(c) === driver)?.metadata.name : undefined);
      const size = getSnapshotRestoreSize(obj);
      return {
        obj,
        name: getName(obj),
        namespace: ns,
        ready: isSnapshotReady(obj),
        error: getSnapshotError(obj),
        source: source ?? (getSnapshotSourceContent(obj) ? `content ${getSnapshotSourceContent(obj)}` : undefined),
        sourceClaim,
        restoreBytes: size ? parseBytes(size).bytes : undefined,
        className,
        driver,
        content: getSnapshotContentName(obj),
        taken: getSnapshotCreationTime(obj),
      };
    });
  }, [snapshots.items, snapshotClasses.items, claims.items, storageClasses.items]);
  const cols = useMemo(() => columns(allNs), [allNs]);
  const { rows: shown, filter, setFilter, thSort } = useSortedRows(rows, cols, rowName);
  const createNs = listNs ?? 'default';

  return (
    <>
      <StorageListFrame
        title={title}
        model={VolumeSnapshotModel}
        list={snapshots}
        filter={filter}
        onFilter={setFilter}
        shown={shown.length}
        total={rows.length}
        where={allNs ? ' in any namespace' : ` in namespace ${namespace}`}
        actions={
          <ToolbarItem>
            <AccessButton
              access={{ group: VolumeSnapshotModel.apiGroup, resource: VolumeSnapshotModel.plural, verb: 'create', namespace: createNs }}
              kindPlural="VolumeSnapshots"
              href={importHref(VolumeSnapshotModel, createNs)}
              variant="secondary"
            >
              Create from YAML
            </AccessButton>
          </ToolbarItem>
        }
      >
        <Table aria-label={title} variant="compact">
          <SortableHead columns={cols} thSort={thSort} />
          <Tbody>
            {shown.map((r) => (
              <Tr key={r.obj.metadata.uid ?? `${r.namespace}/${r.name}`}>
                <Td dataLabel="Name">
                  <NextLink href={objectHref(VolumeSnapshotModel, r.name, r.namespace)}>{r.name}</NextLink>
                </Td>
                {allNs && <Td dataLabel="Namespace">{r.namespace}</Td>}
                <Td dataLabel="Status" data-testid="snapshot-status">
                  {isTerminating(r.obj) ? (
                    <Label isCompact color="orange">Terminating</Label>
                  ) : r.error ? (
                    <Tooltip content={r.error}>
                      <Label isCompact color="red">Failed</Label>
                    </Tooltip>
                  ) : r.ready ? (
                    <Label isCompact color="green">Ready</Label>
                  ) : (
                    <Tooltip content="The storage has not finished taking the snapshot.">
                      <Label isCompact color="orange">Not ready</Label>
                    </Tooltip>
                  )}
                  {r.error && <div style={{ fontSize: 'var(--pf-t--global--font--size--sm)', maxWidth: '16rem' }}>{r.error}</div>}
                </Td>
                <Td dataLabel="Source">
                  {r.source && getSnapshotSourceClaim(r.obj) ? <NextLink href={objectHref(PersistentVolumeClaimModel, r.source, r.namespace)}>{r.source}</NextLink> : (r.source ?? '-')}
                </Td>
                <Td dataLabel="Restore size">{r.restoreBytes !== undefined ? formatSize(r.restoreBytes) : '-'}</Td>
                <Td dataLabel="VolumeSnapshotClass">{r.className ? <NextLink href={objectHref(VolumeSnapshotClassModel, r.className)}>{r.className}</NextLink> : '-'}</Td>
                <Td dataLabel="Content" modifier="truncate">
                  {r.content ? <NextLink href={objectHref(VolumeSnapshotContentModel, r.content)}>{r.content}</NextLink> : '-'}
                </Td>
                <Td dataLabel="Taken">
                  <Tooltip content={r.taken ?? `Not taken yet (object created ${getCreationTimestamp(r.obj) ?? ''})`}>
                    <span>{r.taken ? age(r.taken, now) : '-'}</span>
                  </Tooltip>
                </Td>
                <Td isActionCell>
                  <RowKebab label={`Actions for ${r.name}`}>
                    <GuardedMenuItem
                      access={{ group: '', resource: 'persistentvolumeclaims', verb: 'create', namespace: r.namespace }}
                      kindPlural="PersistentVolumeClaims"
                      disabledReason={!r.ready ? `${r.name} is not ready to restore yet.` : undefined}
                      onClick={() => setAction({ kind: 'restore', row: r, name: suggestedName(r.source && !r.source.startsWith('content ') ? r.source : r.name, 'restore', new Date()) })}
                    >
                      Restore as new claim
                    </GuardedMenuItem>
                    <GuardedMenuItem
                      access={{ group: VolumeSnapshotModel.apiGroup, resource: VolumeSnapshotModel.plural, verb: 'delete', namespace: r.namespace }}
                      kindPlural="VolumeSnapshots"
                      disabledReason={isTerminating(r.obj) ? 'It is being deleted.' : undefined}
                      onClick={() => setAction({ kind: 'delete', row: r })}
                      isDanger
                    >
                      Delete
                    </GuardedMenuItem>
                  </RowKebab>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </StorageListFrame>
      {action?.kind === 'restore' && (
        <CopyClaimModal
          namespace={action.row.namespace}
          mode="restore"
          sourceName={action.row.name}
          sourceBytes={action.row.restoreBytes}
          sourceDriver={action.row.driver}
          sourceClass={action.row.sourceClaim ? (action.row.sourceClaim.spec?.storageClassName ?? undefined) : undefined}
          sourceAccessModes={action.row.sourceClaim ? getClaimAccessModes(action.row.sourceClaim) : undefined}
          sourceVolumeMode={action.row.sourceClaim ? getClaimVolumeMode(action.row.sourceClaim) : undefined}
          suggestedName={action.name ?? ''}
          existing={(claims.items ?? []).filter((c) => getNamespace(c) === action.row.namespace).map(getName)}
          onClose={() => setAction(undefined)}
        />
      )}
      {action?.kind === 'delete' && (
        <DeleteWithWarningModal
          model={VolumeSnapshotModel}
          name={action.row.name}
          namespace={action.row.namespace}
          consequence="Claims already restored from it keep their data."
          onClose={() => setAction(undefined)}
        />
      )}
    </>
  );
}

const rowName = (r: VsRow) => r.name;
