// A DataVolume's phase as the console shows it: CDI's own phase name (what
// `kubectl get dv` prints), a tone and an icon, whether a transfer is running
// (so a progress bar belongs beside it), and for a failure the reason CDI gave.
import { type DataVolume, type DataVolumeOperation, dataVolumeOperation } from '../cdi';
import { isTerminating } from '../k8s';
import { getDataVolumeCondition, getDataVolumePhase, getDataVolumeRestartCount } from './selectors';

export type PhaseTone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';
export type PhaseIcon = 'done' | 'failed' | 'running' | 'waiting' | 'paused' | 'unknown' | 'deleting';

export interface PhaseView {
  /** The phase as CDI writes it ("ImportInProgress"), "Pending" when none yet, "Terminating" while deleted. */
  text: string;
  tone: PhaseTone;
  icon: PhaseIcon;
  /** A sentence for a tooltip, and for Failed the message CDI gave. */
  detail: string;
  /** Data is moving: a progress bar belongs beside the phase. */
  active: boolean;
  /** The transfer failed and is being retried (restartCount > 0): the last failure, for a warning. */
  retrying?: string;
}

const NOUN: Record<DataVolumeOperation, string> = { import: 'import', upload: 'upload', clone: 'clone', external: 'population' };

function describe(phase: string, op: DataVolumeOperation | undefined): Omit<PhaseView, 'text' | 'retrying'> {
  const noun = NOUN[op ?? 'import'];
  switch (phase) {
    case 'Succeeded':
      return { tone: 'success', icon: 'done', detail: `The ${noun} finished: the disk is ready to use.`, active: false };
    case 'Failed':
      return { tone: 'danger', icon: 'failed', detail: `The ${noun} failed.`, active: false };
    case 'ImportInProgress':
      return { tone: 'info', icon: 'running', detail: 'The image is being downloaded and written into the volume.', active: true };
    case 'CloneInProgress':
    case 'SnapshotForSmartCloneInProgress':
    case 'CSICloneInProgress':
      return { tone: 'info', icon: 'running', detail: 'The source volume is being copied.', active: true };
    case 'UploadReady':
      return { tone: 'info', icon: 'running', detail: 'The upload server accepts the file: send it from this console or with virtctl image-upload.', active: true };
    case 'ImportScheduled':
    case 'UploadScheduled':
    case 'CloneScheduled':
      return { tone: 'info', icon: 'waiting', detail: `The ${noun} is scheduled and waits to start.`, active: false };
    case 'WaitForFirstConsumer':
      return { tone: 'warning', icon: 'waiting', detail: `Its StorageClass binds WaitForFirstConsumer: the ${noun} starts when a VM uses the volume.`, active: false };
    case 'PendingPopulation':
      return { tone: 'warning', icon: 'waiting', detail: 'The volume waits to be filled (by a populator, or for its first consumer).', active: false };
    case 'PVCBound':
      return { tone: 'info', icon: 'waiting', detail: `The claim is bound; the ${noun} has not started yet.`, active: false };
    case 'Paused':
      return { tone: 'neutral', icon: 'paused', detail: 'A multi-stage import is paused until its next checkpoint.', active: false };
    case 'Unknown':
      return { tone: 'neutral', icon: 'unknown', detail: "CDI cannot tell the state of the volume's claim.", active: false };
    case 'Pending':
      return { tone: 'info', icon: 'waiting', detail: 'The claim for the data is being made.', active: false };
    default:
      return { tone: 'neutral', icon: 'waiting', detail: 'No CDI controller has reported on this DataVolume yet.', active: false };
  }
}

/** The failure CDI recorded: the Running condition's message (or reason), else the Bound condition's. */
export function failureMessage(dv: DataVolume | undefined): string | undefined {
  const running = getDataVolumeCondition(dv, 'Running');
  const bound = getDataVolumeCondition(dv, 'Bound');
  const text = running?.message || (running?.reason && running.reason !== 'Completed' ? running.reason : '') || (bound?.status !== 'True' ? bound?.message : '');
  return text || undefined;
}

export function dataVolumePhaseView(dv: DataVolume | undefined): PhaseView {
  const phase = getDataVolumePhase(dv);
  const op = dataVolumeOperation(dv?.spec);
  if (dv && isTerminating(dv)) return { text: 'Terminating', tone: 'neutral', icon: 'deleting', detail: 'Deletion was requested; the claim and its data go with it.', active: false };
  const view: PhaseView = { text: phase || 'Pending', ...describe(phase, op) };
  if (phase === 'Failed') {
    const why = failureMessage(dv);
    if (why) view.detail = why;
  }
  const running = getDataVolumeCondition(dv, 'Running');
  // CDI keeps the phase while a failed transfer is retried; the Running condition holds the last failure.
  if (view.tone !== 'success' && phase !== 'Failed' && getDataVolumeRestartCount(dv) > 0 && running?.status === 'False' && running.message) {
    view.retrying = running.message;
  }
  return view;
}
