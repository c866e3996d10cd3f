// The top line of a DataVolume's page: what it is doing or waiting for, in
// words, from its status, its claim, the claim's StorageClass and its latest
// warning ("Waiting for its first consumer: PVC x uses WaitForFirstConsumer
// class kura-local, so the import starts when a VM uses it").
import { type DataVolume, type DataVolumeOperation, dataVolumeOperation, immediateBindingRequested } from '../cdi';
import { getName, isTerminating } from '../k8s';
import { failureMessage } from './phase';
import { describeSource } from './source';
import { getDataVolumeClaimName, getDataVolumeCondition, getDataVolumePhase, getDataVolumeProgressBytes, getDataVolumeRestartCount } from './selectors';

export interface DataVolumeFacts {
  dv: DataVolume;
  /** The claim behind it, when it exists and the user may read it. */
  claim?: { phase?: string; selectedNode?: string; storageClassName?: string };
  /** The class the claim gets (named or default), when known. */
  storageClass?: { name: string; volumeBindingMode?: string };
  /** The newest Warning event about the DataVolume. */
  latestWarning?: { reason?: string; message?: string };
  /** This browser is sending the file (or has just sent it). */
  uploading?: boolean;
}

export interface Explanation {
  tone: 'success' | 'info' | 'warning' | 'danger';
  /** One sentence: what it is doing or waiting for. */
  title: string;
  /** What to do about it, or more of what CDI said. */
  detail?: string;
}

const NOUN: Record<DataVolumeOperation, string> = { import: 'import', upload: 'upload', clone: 'clone', external: 'population' };
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function warningDetail(w: DataVolumeFacts['latestWarning']): string | undefined {
  if (!w?.message && !w?.reason) return undefined;
  return `Latest warning${w.reason ? ` (${w.reason})` : ''}: ${w.message ?? ''}`.trim();
}

/** What the DataVolume is doing or waiting for. */
export function explainDataVolume(f: DataVolumeFacts): Explanation {
  const { dv } = f;
  const phase = getDataVolumePhase(dv);
  const op = dataVolumeOperation(dv.spec);
  const noun = NOUN[op ?? 'import'];
  const claim = getDataVolumeClaimName(dv);
  const source = describeSource(dv);
  const running = getDataVolumeCondition(dv, 'Running');
  const bound = getDataVolumeCondition(dv, 'Bound');
  const warning = warningDetail(f.latestWarning);

  if (isTerminating(dv)) return { tone: 'info', title: `Being deleted: PVC ${claim} and its data go with it.` };
  switch (phase) {
    case 'Succeeded':
      return { tone: 'success', title: `${capital(noun)} complete: PVC ${claim} holds the disk, ready for a VM.` };
    case 'Failed': {
      const why = failureMessage(dv) ?? f.latestWarning?.message;
      // CDI's messages often say "Disk import failed: …" themselves: not twice.
      const title = why && /\bfailed\b/i.test(why.slice(0, 40)) ? capital(why) : `${capital(noun)} failed${why ? `: ${why}` : ''}`;
      return { tone: 'danger', title, detail: 'Delete the DataVolume and create it again once the cause is fixed.' };
    }
    case 'WaitForFirstConsumer':
    case 'PendingPopulation': {
      const cls = f.storageClass?.name ?? f.claim?.storageClassName;
      const wffc = phase === 'WaitForFirstConsumer' || f.storageClass?.volumeBindingMode === 'WaitForFirstConsumer';
      if (wffc) {
        return {
          tone: 'info',
          title: `Waiting for its first consumer: PVC ${claim} uses WaitForFirstConsumer class ${cls ?? '(unknown)'}, so the ${noun} starts when a VM uses it.`,
          detail: `To ${noun} without waiting, create the DataVolume with “bind immediately” (annotation cdi.kubevirt.io/storage.bind.immediate.requested).`,
        };
      }
      return { tone: 'info', title: `Waiting to be filled: PVC ${claim} is filled by a volume populator.`, detail: warning };
    }
    case 'UploadReady': {
      const bytes = getDataVolumeProgressBytes(dv);
      if (bytes?.total && bytes.done >= bytes.total) return { tone: 'info', title: 'The whole file arrived: the volume is being filled from it.' };
      if (f.uploading) return { tone: 'info', title: 'Uploading: the file is on its way to the volume.' };
      if (bytes?.total && bytes.done > 0) {
        return {
          tone: 'info',
          title: `Waiting for the rest of the upload: ${Math.floor((bytes.done / bytes.total) * 100)}% of the file arrived.`,
          detail: 'Send the same file again to finish it: the upload goes on from what arrived.',
        };
      }
      return { tone: 'info', title: 'Waiting for the upload: open Upload to send the file.', detail: 'The upload server accepts the file now, from this page or with virtctl image-upload.' };
    }
    case 'UploadScheduled':
      return { tone: 'info', title: 'Preparing the upload: the upload server is starting.', detail: running?.message || warning };
    case 'ImportScheduled':
    case 'CloneScheduled': {
      const why = running?.message || running?.reason;
      return { tone: why ? 'warning' : 'info', title: `Waiting for the ${noun} to start${why ? `: ${why}` : '.'}`, detail: warning };
    }
    case 'ImportInProgress':
    case 'CloneInProgress':
    case 'SnapshotForSmartCloneInProgress':
    case 'CSICloneInProgress': {
      const what = op === 'clone' ? `Cloning ${source.text.replace(/^clone of /, '')}` : `Importing from ${source.full ?? source.text}`;
      const restarts = getDataVolumeRestartCount(dv);
      if (restarts > 0 && running?.status === 'False' && running.message) {
        return { tone: 'warning', title: `${what}: retrying after ${restarts} failed ${restarts === 1 ? 'attempt' : 'attempts'}.`, detail: `Last failure: ${running.message}` };
      }
      return { tone: 'info', title: `${what}.` };
    }
    case 'PVCBound':
      return { tone: 'info', title: `PVC ${claim} is bound; waiting for the ${noun} to start.`, detail: warning };
    case 'Paused':
      return { tone: 'info', title: 'Paused: a multi-stage import waits for its next checkpoint.' };
    case 'Unknown':
      return { tone: 'warning', title: `The state of PVC ${claim} is unknown${bound?.message ? `: ${bound.message}` : '.'}`, detail: warning };
    case 'Pending': {
      if (bound?.status === 'False' && bound.reason && bound.reason !== 'Pending' && bound.message) {
        return { tone: 'warning', title: `Waiting: ${bound.message}`, detail: warning };
      }
      if (f.claim && (f.claim.phase ?? 'Pending') === 'Pending') {
        if (f.storageClass?.volumeBindingMode === 'WaitForFirstConsumer' && !immediateBindingRequested(dv) && !f.claim.selectedNode) {
          return { tone: 'info', title: `Waiting for its first consumer: PVC ${claim} uses WaitForFirstConsumer class ${f.storageClass.name}, so the ${noun} starts when a VM uses it.` };
        }
        return { tone: 'info', title: `Waiting for PVC ${claim} to be bound to a volume.`, detail: warning };
      }
      return { tone: 'info', title: `Waiting for PVC ${claim} to be created.`, detail: warning };
    }
    default:
      return {
        tone: 'warning',
        title: `Waiting for CDI: no controller has reported on DataVolume ${getName(dv)} yet.`,
        detail: warning ?? 'Check that CDI is installed and running in the cluster.',
      };
  }
}
