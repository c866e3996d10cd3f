'use client';
// The facts of one DataVolume: phase, progress with speed and time left,
// source, the claim behind it, sizes, class and restarts.
import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm, Label, Tooltip } from '@patternfly/react-core';
import NextLink from 'next/link';
import type { ReactNode } from 'react';
import { ANN_IMMEDIATE_BINDING, type DataVolume } from '@/lib/cdi';
import {
  BOOTABLE_LABEL,
  DEFAULT_PREFERENCE_LABEL,
  dataVolumePhaseView,
  describeDataVolumeTransfer,
  describeSource,
  getDataVolumeClaimName,
  getDataVolumeRequestedBytes,
  getDataVolumeRestartCount,
  type SourceDescription,
  type TransferEstimate,
} from '@/lib/cdi-ui';
import { DataSourceModel, PersistentVolumeClaimModel, StorageClassModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { getAnnotations, getCreationTimestamp, getLabels, getNamespace, getPvcPhase } from '@/lib/k8s/selectors';
import type { K8sObject } from '@/lib/k8s/types';
import { formatSize, getClaimCurrentBytes, type PersistentVolumeClaim } from '@/lib/provisioning';
import { useNow } from '../hooks/useNow';
import { objectHref } from '../shell/navigation';
import { PhaseLabel } from './PhaseLabel';
import { TransferProgress } from './TransferProgress';

const REF_MODELS = { PersistentVolumeClaim: PersistentVolumeClaimModel, VolumeSnapshot: VolumeSnapshotModel, DataSource: DataSourceModel } as const;

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <DescriptionListGroup>
      <DescriptionListTerm>{term}</DescriptionListTerm>
      <DescriptionListDescription>{children}</DescriptionListDescription>
    </DescriptionListGroup>
  );
}

function Source({ source }: { source: SourceDescription }) {
  if (source.ref) {
    const words = source.text.slice(0, source.text.lastIndexOf(' ') + 1);
    return (
      <>
        {words}
        <NextLink href={objectHref(REF_MODELS[source.ref.kind], source.ref.name, source.ref.namespace)}>
          {source.ref.namespace}/{source.ref.name}
        </NextLink>
      </>
    );
  }
  return <span style={{ wordBreak: 'break-all' }}>{source.full ? `${source.kind}: ${source.full}` : source.text}</span>;
}

export interface DataVolumeSummaryProps {
  dv: DataVolume;
  estimate?: TransferEstimate;
  /** The claim behind it, when it exists. */
  claim?: PersistentVolumeClaim & K8sObject;
  /** The class the claim gets, and how it binds. */
  storageClass?: { name: string; volumeBindingMode?: string; isDefault?: boolean };
  /** Progress of an upload this page runs, shown instead of the cluster's figure. */
  upload?: ReactNode;
}

export function DataVolumeSummary({ dv, estimate, claim, storageClass, upload }: DataVolumeSummaryProps) {
  const phase = dataVolumePhaseView(dv);
  const now = useNow();
  const transfer = describeDataVolumeTransfer(dv, estimate, now);
  const claimName = getDataVolumeClaimName(dv);
  const ns = getNamespace(dv);
  const requested = getDataVolumeRequestedBytes(dv);
  const capacity = claim?.status?.capacity?.storage !== undefined ? getClaimCurrentBytes(claim) : undefined;
  const labels = getLabels(dv);
  const immediate = Object.hasOwn(getAnnotations(dv), ANN_IMMEDIATE_BINDING);
  let progress: ReactNode = '-';
  if (upload) progress = upload;
  else if (phase.active && (transfer.percent !== undefined || transfer.line)) progress = <TransferProgress label="Transfer progress" size="md" {...transfer} />;
  else if (dv.status?.progress && dv.status.progress !== 'N/A') progress = dv.status.progress;

  return (
    <DescriptionList isHorizontal isCompact horizontalTermWidthModifier={{ default: '12rem' }} data-testid="dv-summary">
      <Item term="Phase">
        <PhaseLabel view={phase} />
      </Item>
      <Item term="Progress">{progress}</Item>
      <Item term="Source">
        <Source source={describeSource(dv)} />
      </Item>
      <Item term="PersistentVolumeClaim">
        <NextLink href={objectHref(PersistentVolumeClaimModel, claimName, ns)}>{claimName}</NextLink>{' '}
        {claim ? (
          <Label isCompact color={getPvcPhase(claim) === 'Bound' ? 'green' : 'orange'}>
            {getPvcPhase(claim)}
          </Label>
        ) : (
          <span style={{ color: 'var(--pf-t--global--text--color--subtle)' }}>(not created yet)</span>
        )}
      </Item>
      <Item term="Size">
        {requested !== undefined ? `${formatSize(requested)} disk` : 'as large as its source'}
        {capacity !== undefined && (
          <Tooltip content="The claim is larger than the disk: it leaves room for the file system that holds the image.">
            <span tabIndex={0}> · claim holds {formatSize(capacity)}</span>
          </Tooltip>
        )}
      </Item>
      <Item term="StorageClass">
        {storageClass ? (
          <>
            <NextLink href={objectHref(StorageClassModel, storageClass.name)}>{storageClass.name}</NextLink>
            {storageClass.isDefault && ' (the default)'}
            {storageClass.volumeBindingMode && ` · binds ${storageClass.volumeBindingMode}`}
            {immediate && storageClass.volumeBindingMode === 'WaitForFirstConsumer' && ' · asked to bind immediately'}
          </>
        ) : (
          '-'
        )}
      </Item>
      <Item term="Restarts">{getDataVolumeRestartCount(dv)}</Item>
      {(labels[BOOTABLE_LABEL] === 'true' || labels[DEFAULT_PREFERENCE_LABEL]) && (
        <Item term="Bootable">
          {labels[BOOTABLE_LABEL] === 'true' ? 'yes' : 'no'}
          {labels[DEFAULT_PREFERENCE_LABEL] && `, default preference ${labels[DEFAULT_PREFERENCE_LABEL]}`}
        </Item>
      )}
      <Item term="Created">{getCreationTimestamp(dv) ?? '-'}</Item>
    </DescriptionList>
  );
}
