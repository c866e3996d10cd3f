'use client';
// DataVolumes, live: phase (and why one failed), the transfer's progress with
// speed and time left, where the data comes from, the size asked for and the
// claim behind it; uploads this browser runs or may resume; view YAML and
// delete, each checked against the user's rights.
import { DropdownItem, ToolbarItem, Tooltip } from '@patternfly/react-core';
import { Table, Tbody, Td, Tr } from '@patternfly/react-table';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import type { DataVolume } from '@/lib/cdi';
import {
  dataVolumePhaseView,
  describeDataVolumeTransfer,
  describeSource,
  getDataVolumeClaimName,
  getDataVolumePhase,
  getDataVolumeProgressBytes,
  getDataVolumeRequestedBytes,
  type PhaseView,
  type SourceDescription,
} from '@/lib/cdi-ui';
import { age } from '@/lib/format';
import { DataVolumeModel, PersistentVolumeClaimModel } from '@/lib/k8s/models';
import { getCreationTimestamp, getName, getNamespace, getUid, isTerminating } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { formatSize } from '@/lib/provisioning';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';
import { useK8sList } from '../hooks/useK8sList';
import { useNow } from '../hooks/useNow';
import { importHref } from '../resources/importHref';
import { objectHref } from '../shell/navigation';
import { AccessButton } from '../storage/AccessButton';
import { DeleteWithWarningModal } from '../storage/DeleteWithWarningModal';
import { GuardedMenuItem } from '../storage/GuardedMenuItem';
import { createFormHref } from '../storage/links';
import { RowKebab } from '../storage/RowKebab';
import { SortableHead } from '../storage/SortableHead';
import { StorageListFrame } from '../storage/StorageListFrame';
import { type SortableColumn, useSortedRows } from '../storage/useSortedRows';
import { PhaseLabel } from './PhaseLabel';
import { forgetUpload, usePendingUploads } from './pendingUploadStore';
import { ResumeUploadAlert } from './ResumeUploadAlert';
import { TransferProgress } from './TransferProgress';
import { isActiveUpload, uploadJobKey, useUploadJobs } from './uploadJobs';
import { useTransferEstimates } from './useTransferEstimates';

type DV = DataVolume & K8sResource;

interface DvRow {
  obj: DV;
  name: string;
  namespace: string;
  phase: PhaseView;
  source: SourceDescription;
  requestedBytes?: number;
  claim: string;
}

const PHASE_ORDER: Record<string, number> = { Failed: 0, Unknown: 1, WaitForFirstConsumer: 2, Pending: 3, Succeeded: 9 };

function columns(allNs: boolean): SortableColumn<DvRow>[] {
  return [
    { key: 'name', label: 'Name', sort: (r) => r.name },
    ...(allNs ? [{ key: 'namespace', label: 'Namespace', sort: (r: DvRow) => `${r.namespace}/${r.name}` }] : []),
    { key: 'phase', label: 'Phase', sort: (r) => PHASE_ORDER[r.phase.text] ?? 5 },
    { key: 'progress', label: 'Progress', info: 'How far the import, upload or clone is; speed and time left when the cluster says how many bytes have moved.' },
    { key: 'source', label: 'Source', sort: (r) => r.source.text },
    { key: 'size', label: 'Size', sort: (r) => r.requestedBytes ?? 0, info: 'The disk size asked for (the claim adds room for the file system).' },
    { key: 'claim', label: 'PVC', sort: (r) => r.claim, info: 'The PersistentVolumeClaim that holds the data.' },
    { key: 'age', label: 'Age', sort: (r) => -Date.parse(getCreationTimestamp(r.obj) ?? '0') },
  ];
}

/** Room for what wraps, so short columns (name, size, age) stay on one line. */
const WIDTHS: Partial<Record<string, 15 | 20 | 25>> = { phase: 20, progress: 20, source: 25 };

const subtle = { fontSize: 'var(--pf-t--global--font--size--sm)', color: 'var(--pf-t--global--text--color--subtle)', maxWidth: '18rem', overflowWrap: 'anywhere' } as const;

export function DataVolumeListPage({ namespace, title }: { namespace?: string; title: string }) {
  const router = useRouter();
  const allNs = namespace === ALL_NAMESPACES;
  const listNs = allNs ? undefined : namespace;
  const createNs = listNs ?? 'default';
  const dvs = useK8sList<DV>(DataVolumeModel, { namespace: listNs });
  const estimates = useTransferEstimates(dvs.items);
  const jobs = useUploadJobs();
  const pending = usePendingUploads();
  const now = useNow();
  const [deleting, setDeleting] = useState<DvRow>();

  const rows = useMemo(
    () =>
      (dvs.items ?? []).map(
        (obj): DvRow => ({
          obj,
          name: getName(obj),
          namespace: getNamespace(obj) ?? '',
          phase: dataVolumePhaseView(obj),
          source: describeSource(obj),
          requestedBytes: getDataVolumeRequestedBytes(obj),
          claim: getDataVolumeClaimName(obj),
        }),
      ),
    [dvs.items],
  );
  const cols = useMemo(() => columns(allNs), [allNs]);
  const { rows: shown, filter, setFilter, thSort } = useSortedRows(rows, cols, rowName);

  // Uploads this browser left unfinished, for DataVolumes of this list that still wait for the file.
  const items = dvs.error ? undefined : dvs.items;
  const idle = useMemo(
    () =>
      pending
        .filter((e) => (allNs || e.namespace === listNs) && !isActiveUpload(jobs.get(uploadJobKey(e.namespace, e.dvName))))
        .map((entry) => ({ entry, dv: items?.find((d) => getName(d) === entry.dvName && getNamespace(d) === entry.namespace) })),
    [pending, jobs, items, allNs, listNs],
  );
  const resumable = idle.filter((p) => getDataVolumePhase(p.dv) === 'UploadReady');
  useEffect(() => {
    if (!items) return;
    // Forget entries whose DataVolume is gone or no longer takes an upload.
    for (const { entry, dv } of idle) {
      const phase = getDataVolumePhase(dv);
      if (!dv || phase === 'Succeeded' || phase === 'Failed') forgetUpload(entry.namespace, entry.dvName);
    }
  }, [items, idle]);

  const actions = (
    <>
      <ToolbarItem>
        <AccessButton access={{ group: DataVolumeModel.apiGroup, resource: DataVolumeModel.plural, verb: 'create', namespace: createNs }} kindPlural="DataVolumes" href={createFormHref(DataVolumeModel, createNs)}>
          Create DataVolume
        </AccessButton>
      </ToolbarItem>
      <ToolbarItem>
        <AccessButton access={{ group: DataVolumeModel.apiGroup, resource: DataVolumeModel.plural, verb: 'create', namespace: createNs }} kindPlural="DataVolumes" href={importHref(DataVolumeModel, createNs)} variant="secondary">
          Create from YAML
        </AccessButton>
      </ToolbarItem>
    </>
  );

  return (
    <>
      <StorageListFrame
        title={title}
        model={DataVolumeModel}
        list={dvs}
        filter={filter}
        onFilter={setFilter}
        shown={shown.length}
        total={rows.length}
        where={allNs ? ' in any namespace' : ` in namespace ${namespace}`}
        actions={actions}
        above={
          resumable.length ? (
            <div style={{ display: 'grid', gap: '0.5rem' }}>
              {resumable.map(({ entry, dv }) => (
                <ResumeUploadAlert key={`${entry.namespace}/${entry.dvName}`} entry={entry} storedBytes={getDataVolumeProgressBytes(dv)?.done} />
              ))}
            </div>
          ) : undefined
        }
      >
        <Table aria-label={title} variant="compact">
          <SortableHead columns={cols} thSort={thSort} widths={WIDTHS} />
          <Tbody>
            {shown.map((r) => {
              const job = jobs.get(uploadJobKey(r.namespace, r.name));
              const transfer = r.phase.active ? describeDataVolumeTransfer(r.obj, estimates.get(getUid(r.obj) ?? ''), now) : undefined;
              return (
                <Tr key={r.obj.metadata.uid ?? `${r.namespace}/${r.name}`}>
                  <Td dataLabel="Name" modifier="nowrap">
                    <NextLink href={objectHref(DataVolumeModel, r.name, r.namespace)}>{r.name}</NextLink>
                  </Td>
                  {allNs && <Td dataLabel="Namespace">{r.namespace}</Td>}
                  <Td dataLabel="Phase" data-testid="dv-phase-cell">
                    <PhaseLabel view={r.phase} />
                    {r.phase.text === 'Failed' && <div style={subtle} data-testid="dv-failure">{r.phase.detail}</div>}
                    {r.phase.retrying && <div style={subtle}>Retrying: {r.phase.retrying}</div>}
                  </Td>
                  <Td dataLabel="Progress">
                    {isActiveUpload(job) && job ? (
                      <TransferProgress
                        label={`Upload of ${job.fileName}`}
                        percent={job.size ? (job.sentBytes / job.size) * 100 : undefined}
                        amount={`${formatSize(job.sentBytes)} of ${formatSize(job.size)} sent`}
                        line={job.state === 'waiting' ? `reconnecting: ${job.message ?? ''}` : job.line}
                      />
                    ) : transfer && (transfer.percent !== undefined || transfer.line) ? (
                      <TransferProgress label={`Progress of ${r.name}`} {...transfer} />
                    ) : r.phase.text === 'Succeeded' ? (
                      '100%'
                    ) : (
                      '-'
                    )}
                  </Td>
                  <Td dataLabel="Source">
                    <div style={{ maxWidth: '22rem', overflowWrap: 'anywhere' }}>
                      {r.source.full ? (
                        <Tooltip content={r.source.full}>
                          <span tabIndex={0}>{r.source.text}</span>
                        </Tooltip>
                      ) : (
                        r.source.text
                      )}
                    </div>
                  </Td>
                  <Td dataLabel="Size">{r.requestedBytes !== undefined ? formatSize(r.requestedBytes) : <span title="Taken from the source">as source</span>}</Td>
                  <Td dataLabel="PVC" modifier="nowrap">
                    <NextLink href={objectHref(PersistentVolumeClaimModel, r.claim, r.namespace)}>{r.claim}</NextLink>
                  </Td>
                  <Td dataLabel="Age">
                    <Tooltip content={getCreationTimestamp(r.obj) ?? 'unknown'}>
                      <span>{age(getCreationTimestamp(r.obj), now)}</span>
                    </Tooltip>
                  </Td>
                  <Td isActionCell>
                    <RowKebab label={`Actions for ${r.name}`}>
                      <DropdownItem onClick={() => router.push(`${objectHref(DataVolumeModel, r.name, r.namespace)}?tab=yaml`)}>View YAML</DropdownItem>
                      <GuardedMenuItem
                        access={{ group: DataVolumeModel.apiGroup, resource: DataVolumeModel.plural, verb: 'delete', namespace: r.namespace }}
                        kindPlural="DataVolumes"
                        disabledReason={isTerminating(r.obj) ? 'It is being deleted.' : undefined}
                        onClick={() => setDeleting(r)}
                        isDanger
                      >
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
          model={DataVolumeModel}
          name={deleting.name}
          namespace={deleting.namespace}
          consequence={`Its PersistentVolumeClaim ${deleting.claim} and the data on it are deleted with it.`}
          warning={deleting.phase.active ? 'Its transfer is still running: it stops, and what arrived so far is lost.' : undefined}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </>
  );
}

const rowName = (r: DvRow) => r.name;
