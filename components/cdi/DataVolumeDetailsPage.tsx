'use client';
// One DataVolume: what it is doing or waiting for in one line, its facts, an
// upload this page runs (or one a reload interrupted, to resume), and its
// conditions and events as one timeline. YAML and Events tabs as for any kind.
import { Alert, AlertActionLink, Grid, GridItem, Title, Tooltip } from '@patternfly/react-core';
import { useMemo, useState } from 'react';
import type { DataVolume } from '@/lib/cdi';
import {
  buildTimeline,
  dataVolumePhaseView,
  explainDataVolume,
  findPendingUpload,
  getDataVolumeClaimName,
  getDataVolumeConditions,
  getDataVolumePhase,
  getDataVolumeProgressBytes,
  getDataVolumeRequestedBytes,
  getDataVolumeStorageClassName,
  type TimelineEvent,
} from '@/lib/cdi-ui';
import { EventModel, type K8sModel, PersistentVolumeClaimModel, StorageClassModel, UploadTokenRequestModel } from '@/lib/k8s/models';
import { formatBytes } from '@/lib/k8s';
import { getName, getNamespace, getPvcSelectedNode, getUid } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import { defaultStorageClass, type PersistentVolumeClaim, type StorageClass, storageClassView } from '@/lib/provisioning';
import { deniedMessage, useAccess } from '../hooks/useAccess';
import { useK8sList } from '../hooks/useK8sList';
import { ResourceDetailsPage } from '../resources/ResourceDetailsPage';
import { DataVolumeSummary } from './DataVolumeSummary';
import { DataVolumeTimeline } from './DataVolumeTimeline';
import { PhaseLabel } from './PhaseLabel';
import { usePendingUploads } from './pendingUploadStore';
import { ResumeUploadAlert } from './ResumeUploadAlert';
import { UploadFileModal } from './UploadFileModal';
import { isActiveUpload, useUploadJob } from './uploadJobs';
import { UploadProgress } from './UploadProgress';
import { useTransferEstimates } from './useTransferEstimates';

type DV = DataVolume & K8sResource;
type Claim = PersistentVolumeClaim & K8sResource;
type CoreEvent = TimelineEvent & K8sResource;

const ALERT_VARIANT = { success: 'success', info: 'info', warning: 'warning', danger: 'danger' } as const;

function DataVolumeDetails({ dv }: { dv: DV }) {
  const ns = getNamespace(dv) ?? '';
  const name = getName(dv);
  const uid = getUid(dv);
  const claimName = getDataVolumeClaimName(dv);
  const events = useK8sList<CoreEvent>(EventModel, { namespace: ns, fieldSelector: `involvedObject.uid=${uid}`, enabled: Boolean(uid) });
  const claims = useK8sList<Claim>(PersistentVolumeClaimModel, { namespace: ns, fieldSelector: `metadata.name=${claimName}` });
  const classes = useK8sList<StorageClass & K8sResource>(StorageClassModel, { watch: false });
  const items = useMemo(() => [dv], [dv]);
  const estimate = useTransferEstimates(items).get(uid ?? '');
  const job = useUploadJob(ns, name);
  const pending = findPendingUpload(usePendingUploads(), ns, name);
  const mayUpload = useAccess({ group: UploadTokenRequestModel.apiGroup, resource: UploadTokenRequestModel.plural, verb: 'create', namespace: ns });
  const [choosing, setChoosing] = useState(false);

  const claim = claims.items?.[0];
  const views = useMemo(() => (classes.items ?? []).map(storageClassView), [classes.items]);
  const className = getDataVolumeStorageClassName(dv) ?? claim?.spec?.storageClassName ?? undefined;
  const sc = className ? views.find((c) => c.name === className) : defaultStorageClass(views);
  const warnings = (events.items ?? []).filter((e) => e.type === 'Warning');
  const latestWarning = warnings.at(-1);
  const uploading = isActiveUpload(job) || job?.state === 'sent';
  const bytes = getDataVolumeProgressBytes(dv);
  const arrived = Boolean(bytes?.total && bytes.done >= bytes.total);
  const explanation = explainDataVolume({
    dv,
    ...(claim ? { claim: { phase: claim.status?.phase, selectedNode: getPvcSelectedNode(claim), storageClassName: claim.spec?.storageClassName ?? undefined } } : {}),
    ...(sc ? { storageClass: { name: sc.name, volumeBindingMode: sc.volumeBindingMode } } : {}),
    ...(latestWarning ? { latestWarning } : {}),
    uploading,
  });
  const timeline = useMemo(() => buildTimeline(getDataVolumeConditions(dv), events.items ?? []), [dv, events.items]);
  const uploadReady = getDataVolumePhase(dv) === 'UploadReady';
  const denied = mayUpload.allowed === false ? deniedMessage('create', 'UploadTokenRequests', ns, mayUpload.reason) : undefined;

  return (
    <Grid hasGutter>
      <GridItem span={12}>
        <Alert
          isInline
          variant={ALERT_VARIANT[explanation.tone]}
          title={explanation.title}
          data-testid="dv-explanation"
          actionLinks={
            uploadReady && !uploading && !pending && !arrived ? (
              denied ? (
                <Tooltip content={denied}>
                  <AlertActionLink isAriaDisabled>Upload…</AlertActionLink>
                </Tooltip>
              ) : (
                <AlertActionLink onClick={() => setChoosing(true)} isAriaDisabled={mayUpload.isLoading}>
                  Upload…
                </AlertActionLink>
              )
            ) : undefined
          }
        >
          {explanation.detail}
        </Alert>
      </GridItem>
      {job && job.state !== 'cancelled' && (job.state !== 'sent' || uploadReady) && (
        <GridItem span={12}>
          <UploadProgress job={job} />
        </GridItem>
      )}
      {pending && uploadReady && !isActiveUpload(job) && !arrived && (
        <GridItem span={12}>
          <ResumeUploadAlert entry={pending} storedBytes={bytes?.done} />
        </GridItem>
      )}
      <GridItem lg={5} span={12}>
        <Title headingLevel="h2" size="lg" style={{ marginBottom: '0.75rem' }}>
          Summary
        </Title>
        <DataVolumeSummary
          dv={dv}
          estimate={estimate}
          claim={claim}
          upload={isActiveUpload(job) && job ? `Sending from this page: ${formatBytes(job.sentBytes)} of ${formatBytes(job.size)} (see above)` : undefined}
          storageClass={sc ? { name: sc.name, volumeBindingMode: sc.volumeBindingMode, isDefault: !className } : className ? { name: className } : undefined}
        />
      </GridItem>
      <GridItem lg={7} span={12}>
        <Title headingLevel="h2" size="lg" style={{ marginBottom: '0.75rem' }}>
          Timeline
        </Title>
        <DataVolumeTimeline entries={timeline} />
      </GridItem>
      {choosing && <UploadFileModal namespace={ns} dvName={name} requestedBytes={getDataVolumeRequestedBytes(dv)} onClose={() => setChoosing(false)} />}
    </Grid>
  );
}

export function DataVolumeDetailsPage({ model, name, namespace }: { model: K8sModel; name: string; namespace?: string }) {
  return (
    <ResourceDetailsPage
      model={model}
      name={name}
      namespace={namespace}
      renderDetails={(obj) => <DataVolumeDetails dv={obj as DV} />}
      renderStatus={(obj) => <PhaseLabel view={dataVolumePhaseView(obj as DV)} />}
    />
  );
}
