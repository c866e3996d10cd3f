// The DataVolume status machine: from what the controller observed (the
// claim, its class's binding mode, the worker that fills it) to the status
// CDI would write: phase, progress, restartCount, claimName and the Bound,
// Ready and Running conditions.
//
// Phases follow CDI's controller: Pending until the claim exists;
// WaitForFirstConsumer (or PendingPopulation, when the claim is filled by a
// populator) while a WaitForFirstConsumer class waits for a VM; PVCBound once
// bound with no worker yet; <Op>Scheduled while the worker waits to start;
// <Op>InProgress (UploadReady for uploads) while it runs; Succeeded, or Paused
// for a multi-stage import between checkpoints; Failed for a lost claim or a
// failure that will not be retried. A failure that will be retried keeps the
// phase (CDI restarts the pod) and raises restartCount.
//
// Annotations on the DataVolume:
// - cdi.kubevirt.io/storage.bind.immediate.requested (any value): the worker
//   starts at once even on a WaitForFirstConsumer class, becoming the claim's
//   first consumer; the DataVolume never shows WaitForFirstConsumer.
// - cdi.kubevirt.io/storage.deleteAfterCompletion: not modelled. CDI removed
//   the garbage collection of succeeded DataVolumes in v1.62; Kura keeps a
//   succeeded DataVolume until someone deletes it, as current CDI does.
//
// Condition times: lastTransitionTime changes only when a condition's status
// changes; lastHeartbeatTime also when its reason or message does (as CDI).
import { getAnnotations, getName } from '../k8s';
import { PROGRESS_DONE, PROGRESS_UNKNOWN, formatProgress } from './progress';
import { getDataVolumeSourceKind } from './source';
import {
  ANN_IMMEDIATE_BINDING,
  type ConditionStatus,
  type DataVolume,
  type DataVolumeCondition,
  type DataVolumeConditionType,
  type DataVolumePhase,
  type DataVolumeSpec,
  type DataVolumeStatus,
} from './types';

/** What a DataVolume's controller does to fill the claim. */
export type DataVolumeOperation = 'import' | 'upload' | 'clone' | 'external';

/** import for http, s3, gcs, registry, imageio, vddk and blank; clone for pvc, snapshot and DataSource references. */
export function dataVolumeOperation(spec: DataVolumeSpec | undefined): DataVolumeOperation | undefined {
  const kind = getDataVolumeSourceKind(spec);
  switch (kind) {
    case undefined:
      return undefined;
    case 'upload':
      return 'upload';
    case 'pvc':
    case 'snapshot':
    case 'sourceRef':
      return 'clone';
    case 'external':
      return 'external';
    default:
      return 'import';
  }
}

/** The worker (importer, upload server, cloner) as the node side sees it. */
export type WorkerObservation =
  /** Not created yet. */
  | { state: 'absent' }
  /** Created, not started: waiting for a node, an image, a slot. */
  | { state: 'pending'; unschedulable?: boolean; reason?: string; message?: string }
  /** Transferring; totalBytes unknown for a stream without Content-Length. */
  | { state: 'running'; doneBytes?: number; totalBytes?: number }
  | { state: 'succeeded'; message?: string }
  /** `final`: retryDecision said not to retry (a 404, a refused image…). */
  | { state: 'failed'; reason: string; message: string; final: boolean };

export interface DataVolumeObservation {
  /** The DataVolume's claim; undefined or null before it is created. `phase` is its status.phase. */
  claim?: { name: string; phase?: string; selectedNode?: string } | null;
  /** Why the claim has not been created (a missing clone source, a quota): shown on the Bound condition. */
  claimBlocked?: { reason: string; message: string };
  /** The claim's class binds WaitForFirstConsumer. */
  waitForFirstConsumer?: boolean;
  /** The claim is filled through a populator (dataSourceRef to a Volume*Source), as current CDI does. */
  usesPopulator?: boolean;
  worker?: WorkerObservation;
  /** How many times a worker has been started for this DataVolume (restartCount is one less). */
  attempts?: number;
  /** Upload: the upload server accepts data. */
  uploadReady?: boolean;
  /** Clone: which stage runs; "snapshotting" is a smart clone's snapshot, "csi-cloning" the driver's own clone. */
  cloneState?: 'snapshotting' | 'csi-cloning' | 'copying';
  /** A multi-stage import finished one checkpoint and waits for the next. */
  paused?: boolean;
}

const SCHEDULED: Record<Exclude<DataVolumeOperation, 'external'>, DataVolumePhase> = {
  import: 'ImportScheduled',
  upload: 'UploadScheduled',
  clone: 'CloneScheduled',
};
const WORKER_NAME: Record<DataVolumeOperation, string> = { import: 'Importer', upload: 'Upload server', clone: 'Cloner', external: 'Populator' };
const COMPLETE_MESSAGE: Record<DataVolumeOperation, string> = { import: 'Import Complete', upload: 'Upload Complete', clone: 'Clone Complete', external: 'Population Complete' };

function activePhases(op: Exclude<DataVolumeOperation, 'external'>): DataVolumePhase[] {
  switch (op) {
    case 'import':
      return ['ImportScheduled', 'ImportInProgress'];
    case 'upload':
      return ['UploadScheduled', 'UploadReady'];
    case 'clone':
      return ['CloneScheduled', 'CloneInProgress', 'SnapshotForSmartCloneInProgress', 'CSICloneInProgress'];
  }
}

function runningPhase(op: Exclude<DataVolumeOperation, 'external'>, o: DataVolumeObservation): DataVolumePhase {
  if (op === 'import') return 'ImportInProgress';
  if (op === 'upload') return o.uploadReady ? 'UploadReady' : 'UploadScheduled';
  if (o.cloneState === 'snapshotting') return 'SnapshotForSmartCloneInProgress';
  if (o.cloneState === 'csi-cloning') return 'CSICloneInProgress';
  return 'CloneInProgress';
}

/** True when the DataVolume asks to bind at once on a WaitForFirstConsumer class. */
export function immediateBindingRequested(dv: DataVolume): boolean {
  return Object.hasOwn(getAnnotations(dv), ANN_IMMEDIATE_BINDING);
}

/** True while the claim waits for a consumer before anything may start (WaitForFirstConsumer, no node chosen, no immediate binding asked). */
export function waitsForFirstConsumer(dv: DataVolume, o: DataVolumeObservation): boolean {
  const phase = o.claim?.phase || 'Pending';
  return Boolean(o.claim && phase === 'Pending' && o.waitForFirstConsumer && !o.claim.selectedNode && !immediateBindingRequested(dv));
}

/** True when the controller may start the worker now: the claim exists and is bound, or nothing waits for a consumer. */
export function workerMayStart(dv: DataVolume, o: DataVolumeObservation): boolean {
  if (!o.claim || o.claim.phase === 'Lost') return false;
  return !waitsForFirstConsumer(dv, o);
}

function nextPhase(dv: DataVolume, o: DataVolumeObservation, op: DataVolumeOperation | undefined): DataVolumePhase {
  const worker = o.worker ?? { state: 'absent' };
  const prev = (dv.status?.phase ?? '') as DataVolumePhase;
  if (worker.state === 'failed' && worker.final) return 'Failed';
  if (!o.claim) return 'Pending';
  const claimPhase = o.claim.phase || 'Pending';
  if (claimPhase === 'Lost') return 'Failed';
  if (claimPhase !== 'Pending' && claimPhase !== 'Bound') return 'Unknown';

  if (op === 'external' || op === undefined) {
    if (claimPhase === 'Bound') return op === undefined ? 'PVCBound' : 'Succeeded';
    return waitsForFirstConsumer(dv, o) || op === 'external' ? 'PendingPopulation' : 'Pending';
  }
  switch (worker.state) {
    case 'succeeded':
      return o.paused ? 'Paused' : 'Succeeded';
    case 'running':
      return runningPhase(op, o);
    case 'pending':
      return SCHEDULED[op];
    case 'failed':
      // Will be retried: CDI keeps the phase while the pod restarts.
      return activePhases(op).includes(prev) ? prev : SCHEDULED[op];
    case 'absent':
      if (claimPhase === 'Bound') return 'PVCBound';
      if (waitsForFirstConsumer(dv, o)) return o.usesPopulator ? 'PendingPopulation' : 'WaitForFirstConsumer';
      return 'Pending';
  }
}

export interface ConditionValue {
  status: ConditionStatus;
  reason: string;
  message: string;
}

function boundCondition(o: DataVolumeObservation, dvName: string): ConditionValue {
  if (!o.claim) {
    if (o.claimBlocked) return { status: 'False', reason: o.claimBlocked.reason, message: o.claimBlocked.message };
    return { status: 'False', reason: 'NotFound', message: `PVC ${dvName} not found` };
  }
  const name = o.claim.name;
  switch (o.claim.phase || 'Pending') {
    case 'Bound':
      return { status: 'True', reason: 'Bound', message: `PVC ${name} Bound` };
    case 'Pending':
      return { status: 'False', reason: 'Pending', message: `PVC ${name} Pending` };
    case 'Lost':
      return { status: 'False', reason: 'ClaimLost', message: `PVC ${name} Lost: its PersistentVolume is gone` };
    default:
      return { status: 'Unknown', reason: 'Unknown', message: `PVC ${name} is ${o.claim.phase}` };
  }
}

function runningCondition(dv: DataVolume, o: DataVolumeObservation, op: DataVolumeOperation | undefined, phase: DataVolumePhase): ConditionValue {
  const worker = o.worker ?? { state: 'absent' };
  const who = WORKER_NAME[op ?? 'import'];
  switch (worker.state) {
    case 'running':
      return { status: 'True', reason: 'Pod is running', message: '' };
    case 'pending':
      if (worker.unschedulable) return { status: 'False', reason: 'Unschedulable', message: worker.message || `${who} pod cannot be scheduled` };
      return { status: 'False', reason: worker.reason ?? '', message: worker.message ?? '' };
    case 'succeeded':
      if (phase === 'Paused') return { status: 'False', reason: 'Paused', message: worker.message || 'Checkpoint done; waiting for the next one' };
      return { status: 'False', reason: 'Completed', message: worker.message || COMPLETE_MESSAGE[op ?? 'import'] };
    case 'failed':
      return { status: 'False', reason: worker.reason || 'Error', message: worker.message };
    case 'absent':
      if (phase === 'WaitForFirstConsumer' || (phase === 'PendingPopulation' && waitsForFirstConsumer(dv, o))) {
        return { status: 'False', reason: 'WaitForFirstConsumer', message: `PVC ${o.claim?.name ?? getName(dv)} waits for its first consumer: it is bound where that VM runs` };
      }
      return { status: 'False', reason: '', message: '' };
  }
}

function readyCondition(o: DataVolumeObservation, phase: DataVolumePhase): ConditionValue {
  if (phase === 'Succeeded') return { status: 'True', reason: '', message: '' };
  if (phase === 'Unknown') return { status: 'Unknown', reason: '', message: '' };
  if (o.worker?.state === 'running') return { status: 'False', reason: 'TransferRunning', message: '' };
  return { status: 'False', reason: '', message: '' };
}

/** Kubernetes' metav1.Time spelling: RFC 3339 in UTC, whole seconds. */
export function formatTime(now: Date | string | number): string {
  const d = now instanceof Date ? now : new Date(now);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(now)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets one condition with CDI's time rules; returns the same array when nothing changed. */
export function setCondition(conditions: readonly DataVolumeCondition[], type: DataVolumeConditionType, value: ConditionValue, now: string): DataVolumeCondition[] {
  const i = conditions.findIndex((c) => c.type === type);
  const old = i >= 0 ? conditions[i] : undefined;
  let next: DataVolumeCondition;
  if (!old || old.status !== value.status) {
    next = { type, status: value.status, reason: value.reason, message: value.message, lastTransitionTime: now, lastHeartbeatTime: now };
  } else if ((old.reason ?? '') !== value.reason || (old.message ?? '') !== value.message) {
    next = { ...old, reason: value.reason, message: value.message, lastHeartbeatTime: now };
  } else {
    return conditions as DataVolumeCondition[];
  }
  if (i < 0) return [...conditions, next];
  const out = [...conditions];
  out[i] = next;
  return out;
}

function nextProgress(prev: string | undefined, phase: DataVolumePhase, worker: WorkerObservation): string {
  if (phase === 'Succeeded') return PROGRESS_DONE;
  if (worker.state === 'running' && worker.totalBytes !== undefined && worker.doneBytes !== undefined) {
    const p = formatProgress(worker.doneBytes, worker.totalBytes);
    if (p !== PROGRESS_UNKNOWN) return p;
  }
  return prev || PROGRESS_UNKNOWN;
}

/**
 * The status a DataVolume should have given what was observed, at `now`.
 * Returns `dv.status` itself when nothing changes, so a controller writes
 * only real changes (compare with ===).
 */
export function nextDataVolumeStatus(dv: DataVolume, observed: DataVolumeObservation, now: Date | string | number): DataVolumeStatus {
  const time = formatTime(now);
  const prev = dv.status ?? {};
  const op = dataVolumeOperation(dv.spec);
  const worker = observed.worker ?? { state: 'absent' };
  const phase = nextPhase(dv, observed, op);

  let conditions = prev.conditions ?? [];
  conditions = setCondition(conditions, 'Bound', boundCondition(observed, getName(dv)), time);
  conditions = setCondition(conditions, 'Ready', readyCondition(observed, phase), time);
  conditions = setCondition(conditions, 'Running', runningCondition(dv, observed, op, phase), time);

  const progress = nextProgress(prev.progress, phase, worker);
  const restartCount = Math.max(prev.restartCount ?? 0, (observed.attempts ?? 0) - 1, 0);
  const claimName = observed.claim?.name ?? prev.claimName;

  const unchanged =
    prev.phase === phase && prev.progress === progress && prev.restartCount === restartCount && prev.claimName === claimName && conditions === prev.conditions;
  if (unchanged && dv.status) return dv.status;
  return { ...prev, phase, progress, restartCount, ...(claimName !== undefined ? { claimName } : {}), conditions };
}

export interface DataVolumeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const OP_WORD: Record<Exclude<DataVolumeOperation, 'external'>, { noun: string; done: string; failed: string }> = {
  import: { noun: 'Import', done: 'ImportSucceeded', failed: 'ImportFailed' },
  upload: { noun: 'Upload', done: 'UploadSucceeded', failed: 'UploadFailed' },
  clone: { noun: 'Clone', done: 'CloneSucceeded', failed: 'CloneFailed' },
};

/**
 * The Events a status change deserves, as CDI records them: one per phase
 * change (reason = the new phase's name, or <Op>Succeeded / <Op>Failed), and
 * a warning when an attempt fails and will be retried (once per failure:
 * the Running condition changes then).
 */
export function dataVolumeEvents(dv: DataVolume, next: DataVolumeStatus, observed: DataVolumeObservation): DataVolumeEvent[] {
  const prev = dv.status ?? {};
  const op = dataVolumeOperation(dv.spec);
  const claim = observed.claim?.name ?? next.claimName ?? getName(dv);
  const events: DataVolumeEvent[] = [];
  const worker = observed.worker ?? { state: 'absent' };
  const words = op && op !== 'external' ? OP_WORD[op] : undefined;

  if (prev.phase !== next.phase) {
    const into = `into PVC ${claim}`;
    switch (next.phase) {
      case 'ImportScheduled':
      case 'UploadScheduled':
      case 'CloneScheduled':
        events.push({ type: 'Normal', reason: next.phase, message: `${words?.noun ?? 'Transfer'} ${into} scheduled` });
        break;
      case 'ImportInProgress':
      case 'CloneInProgress':
      case 'SnapshotForSmartCloneInProgress':
      case 'CSICloneInProgress':
        events.push({ type: 'Normal', reason: next.phase, message: `${words?.noun ?? 'Transfer'} ${into} in progress` });
        break;
      case 'UploadReady':
        events.push({ type: 'Normal', reason: 'UploadReady', message: `Upload ${into} ready: the upload server accepts data` });
        break;
      case 'Paused':
        events.push({ type: 'Normal', reason: 'ImportPaused', message: `Import ${into} paused until the next checkpoint` });
        break;
      case 'Succeeded':
        events.push({ type: 'Normal', reason: words?.done ?? 'Succeeded', message: `${words?.noun ?? 'Population'} ${into} succeeded` });
        break;
      case 'Failed': {
        const why = worker.state === 'failed' ? worker.message : observed.claim?.phase === 'Lost' ? `PVC ${claim} lost its PersistentVolume` : '';
        events.push({ type: 'Warning', reason: observed.claim?.phase === 'Lost' ? 'ErrClaimLost' : (words?.failed ?? 'Failed'), message: `${words?.noun ?? 'Transfer'} ${into} failed${why ? `: ${why}` : ''}` });
        break;
      }
      default:
        break;
    }
  }
  const prevRunning = prev.conditions?.find((c) => c.type === 'Running');
  const nextRunning = next.conditions?.find((c) => c.type === 'Running');
  if (worker.state === 'failed' && !worker.final && prevRunning !== nextRunning) {
    events.push({ type: 'Warning', reason: words?.failed ?? 'Failed', message: `${words?.noun ?? 'Transfer'} into PVC ${claim} failed, will retry: ${worker.message}` });
  }
  return events;
}
