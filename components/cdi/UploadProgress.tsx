'use client';
// An upload this page is running: bytes sent, speed and time left, and what
// happens when the connection drops (retrying in N s, or Retry), with Cancel.
import { Alert, AlertActionLink } from '@patternfly/react-core';
import { formatBytes } from '@/lib/k8s';
import { UPLOAD_BACKOFF_MS } from '@/lib/cdi-ui';
import { TransferProgress } from './TransferProgress';
import { cancelUpload, retryUpload, type UploadJobView } from './uploadJobs';

function title(job: UploadJobView): { variant: 'info' | 'success' | 'warning' | 'danger' | 'custom'; text: string } {
  switch (job.state) {
    case 'preparing':
      return { variant: 'info', text: job.message ?? 'Preparing the upload…' };
    case 'starting':
      return { variant: 'info', text: job.failures ? `Reconnecting to the upload server (attempt ${job.failures + 1})…` : 'Connecting to the upload server…' };
    case 'sending':
      return { variant: 'info', text: `Uploading ${job.fileName}${job.resumable ? '' : ' (in one piece: this cluster cannot resume uploads)'}` };
    case 'waiting':
      return {
        variant: 'warning',
        text: `The upload stopped: ${job.message ?? 'the connection dropped'}. Trying again in ${Math.round((job.retryInMs ?? 0) / 1000)} s (attempt ${job.failures + 1} of ${UPLOAD_BACKOFF_MS.length + 1}).`,
      };
    case 'interrupted':
      return { variant: 'danger', text: `Upload interrupted: ${job.message ?? 'the connection dropped'}` };
    case 'refused':
      return { variant: 'danger', text: `The upload was refused: ${job.message ?? ''}` };
    case 'failed':
      return { variant: 'danger', text: `The upload could not start: ${job.message ?? ''}` };
    case 'sent':
      return { variant: 'success', text: `All of ${job.fileName} arrived; the volume is being filled from it.` };
    case 'cancelled':
      return { variant: 'custom', text: `Upload of ${job.fileName} cancelled.` };
  }
}

export function UploadProgress({ job }: { job: UploadJobView }) {
  const t = title(job);
  const percent = job.size > 0 ? (job.sentBytes / job.size) * 100 : 0;
  const canCancel = !['sent', 'cancelled', 'refused', 'failed'].includes(job.state);
  const canRetry = job.state === 'interrupted' || job.state === 'failed';
  const showBar = ['sending', 'waiting', 'starting', 'interrupted'].includes(job.state) && (job.sentBytes > 0 || job.state === 'sending');
  return (
    <Alert
      isInline
      variant={t.variant}
      title={t.text}
      data-testid="upload-progress"
      aria-live="polite"
      actionLinks={
        <>
          {canRetry && <AlertActionLink onClick={() => retryUpload(job.namespace, job.dvName)}>Retry</AlertActionLink>}
          {canCancel && <AlertActionLink onClick={() => void cancelUpload(job.namespace, job.dvName)}>Cancel upload</AlertActionLink>}
        </>
      }
    >
      {showBar && (
        <TransferProgress
          label={`Upload of ${job.fileName}`}
          percent={percent}
          amount={`${formatBytes(job.sentBytes)} of ${formatBytes(job.size)} sent`}
          line={job.line}
          size="md"
          variant={job.state === 'interrupted' ? 'danger' : undefined}
        />
      )}
    </Alert>
  );
}
