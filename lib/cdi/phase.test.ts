import { describe, expect, it } from 'vitest';
import { type DataVolumeObservation, dataVolumeEvents, dataVolumeOperation, formatTime, nextDataVolumeStatus, setCondition, workerMayStart } from './phase';
import { ANN_IMMEDIATE_BINDING, type DataVolume, type DataVolumeSpec, type DataVolumeStatus } from './types';

const T0 = '2026-03-01T10:00:00Z';
const T1 = '2026-03-01T10:00:05Z';
const T2 = '2026-03-01T10:01:00Z';

const SOURCES: Record<string, DataVolumeSpec['source']> = {
  import: { http: { url: 'https://images.example.com/fedora.qcow2' } },
  upload: { upload: {} },
  clone: { pvc: { namespace: 'golden', name: 'fedora' } },
  blank: { blank: {} },
};

function dv(op: keyof typeof SOURCES | 'external' = 'import', status?: DataVolumeStatus, annotations?: Record<string, string>): DataVolume {
  const spec: DataVolumeSpec =
    op === 'external'
      ? { storage: { resources: { requests: { storage: '1Gi' } }, dataSourceRef: { apiGroup: 'example.com', kind: 'Thing', name: 't' } } }
      : { source: SOURCES[op], storage: { resources: { requests: { storage: '10Gi' } } } };
  return {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'disk', namespace: 'vms', ...(annotations ? { annotations } : {}) },
    spec,
    ...(status ? { status } : {}),
  };
}

const pending = { name: 'disk', phase: 'Pending' };
const bound = { name: 'disk', phase: 'Bound' };

describe('dataVolumeOperation', () => {
  it.each<[DataVolumeSpec | undefined, string | undefined]>([
    [{ source: SOURCES.import }, 'import'],
    [{ source: SOURCES.blank }, 'import'],
    [{ source: { registry: { url: 'docker://x/y' } } }, 'import'],
    [{ source: SOURCES.upload }, 'upload'],
    [{ source: SOURCES.clone }, 'clone'],
    [{ source: { snapshot: { namespace: 'a', name: 'b' } } }, 'clone'],
    [{ sourceRef: { kind: 'DataSource', name: 'fedora' } }, 'clone'],
    [{ storage: { dataSourceRef: { kind: 'X', name: 'y' } } }, 'external'],
    [{}, undefined],
  ])('%j → %s', (spec, op) => {
    expect(dataVolumeOperation(spec)).toBe(op);
  });
});

describe('nextDataVolumeStatus: phase', () => {
  it.each<[string, DataVolume, DataVolumeObservation, string]>([
    ['no claim yet', dv(), {}, 'Pending'],
    ['a claim pending on an Immediate class', dv(), { claim: pending }, 'Pending'],
    ['a claim with no status yet', dv(), { claim: { name: 'disk' } }, 'Pending'],
    ['WaitForFirstConsumer, no VM yet', dv(), { claim: pending, waitForFirstConsumer: true }, 'WaitForFirstConsumer'],
    ['WaitForFirstConsumer through a populator', dv(), { claim: pending, waitForFirstConsumer: true, usesPopulator: true }, 'PendingPopulation'],
    ['WaitForFirstConsumer once a node is chosen', dv(), { claim: { ...pending, selectedNode: 'node-1' }, waitForFirstConsumer: true }, 'Pending'],
    ['immediate binding asked on a WaitForFirstConsumer class', dv('import', undefined, { [ANN_IMMEDIATE_BINDING]: '' }), { claim: pending, waitForFirstConsumer: true }, 'Pending'],
    ['immediate binding: the importer runs as first consumer', dv('import', undefined, { [ANN_IMMEDIATE_BINDING]: 'true' }), { claim: pending, waitForFirstConsumer: true, worker: { state: 'running' } }, 'ImportInProgress'],
    ['bound, no worker yet', dv(), { claim: bound }, 'PVCBound'],
    ['import scheduled', dv(), { claim: bound, worker: { state: 'pending' } }, 'ImportScheduled'],
    ['import running', dv(), { claim: bound, worker: { state: 'running', doneBytes: 1, totalBytes: 2 } }, 'ImportInProgress'],
    ['a populator fills a still-pending claim', dv(), { claim: pending, usesPopulator: true, worker: { state: 'running' } }, 'ImportInProgress'],
    ['blank disks import too', dv('blank'), { claim: bound, worker: { state: 'pending' } }, 'ImportScheduled'],
    ['import done', dv(), { claim: bound, worker: { state: 'succeeded' } }, 'Succeeded'],
    ['a checkpoint of a multi-stage import', dv(), { claim: bound, worker: { state: 'succeeded' }, paused: true }, 'Paused'],
    ['a final failure', dv(), { claim: bound, worker: { state: 'failed', reason: 'Error', message: '404', final: true } }, 'Failed'],
    ['a final failure before the claim exists', dv(), { worker: { state: 'failed', reason: 'Error', message: 'refused', final: true } }, 'Failed'],
    ['a failure to retry keeps the running phase', dv('import', { phase: 'ImportInProgress' }), { claim: bound, worker: { state: 'failed', reason: 'Error', message: '503', final: false } }, 'ImportInProgress'],
    ['a failure to retry from nowhere is scheduled', dv('import', { phase: 'PVCBound' }), { claim: bound, worker: { state: 'failed', reason: 'Error', message: '503', final: false } }, 'ImportScheduled'],
    ['a lost claim', dv('import', { phase: 'Succeeded' }), { claim: { name: 'disk', phase: 'Lost' } }, 'Failed'],
    ['a claim in a phase nobody knows', dv(), { claim: { name: 'disk', phase: 'Weird' } }, 'Unknown'],
    ['upload server starting', dv('upload'), { claim: bound, worker: { state: 'pending' } }, 'UploadScheduled'],
    ['upload server up, not ready', dv('upload'), { claim: bound, worker: { state: 'running' } }, 'UploadScheduled'],
    ['upload server ready', dv('upload'), { claim: bound, worker: { state: 'running' }, uploadReady: true }, 'UploadReady'],
    ['upload done', dv('upload'), { claim: bound, worker: { state: 'succeeded' } }, 'Succeeded'],
    ['clone scheduled', dv('clone'), { claim: bound, worker: { state: 'pending' } }, 'CloneScheduled'],
    ['clone copying', dv('clone'), { claim: bound, worker: { state: 'running' } }, 'CloneInProgress'],
    ['smart clone taking its snapshot', dv('clone'), { claim: pending, worker: { state: 'running' }, cloneState: 'snapshotting' }, 'SnapshotForSmartCloneInProgress'],
    ['CSI clone', dv('clone'), { claim: pending, worker: { state: 'running' }, cloneState: 'csi-cloning' }, 'CSICloneInProgress'],
    ['a clone failure to retry keeps the clone phase', dv('clone', { phase: 'CSICloneInProgress' }), { claim: pending, worker: { state: 'failed', reason: 'Error', message: 'x', final: false } }, 'CSICloneInProgress'],
    ['external population pending', dv('external'), { claim: pending }, 'PendingPopulation'],
    ['external population done', dv('external'), { claim: bound }, 'Succeeded'],
  ])('%s → %s', (_, d, o, phase) => {
    expect(nextDataVolumeStatus(d, o, T0).phase).toBe(phase);
  });
});

const cond = (s: DataVolumeStatus, type: string) => s.conditions?.find((c) => c.type === type);

describe('nextDataVolumeStatus: conditions', () => {
  it.each<[string, DataVolume, DataVolumeObservation, [string, string, string], [string, string, string], [string, string, string]]>([
    // [case, dv, observed, Bound, Ready, Running] as [status, reason, message]
    ['no claim', dv(), {}, ['False', 'NotFound', 'PVC disk not found'], ['False', '', ''], ['False', '', '']],
    ['no claim: the clone source is missing', dv('clone'), { claimBlocked: { reason: 'CloneWithoutSource', message: 'The source pvc golden/fedora does not exist' } },
      ['False', 'CloneWithoutSource', 'The source pvc golden/fedora does not exist'], ['False', '', ''], ['False', '', '']],
    ['claim pending', dv(), { claim: pending }, ['False', 'Pending', 'PVC disk Pending'], ['False', '', ''], ['False', '', '']],
    ['waiting for a consumer', dv(), { claim: pending, waitForFirstConsumer: true }, ['False', 'Pending', 'PVC disk Pending'], ['False', '', ''],
      ['False', 'WaitForFirstConsumer', 'PVC disk waits for its first consumer: it is bound where that VM runs']],
    ['importer unschedulable', dv(), { claim: bound, worker: { state: 'pending', unschedulable: true } }, ['True', 'Bound', 'PVC disk Bound'], ['False', '', ''],
      ['False', 'Unschedulable', 'Importer pod cannot be scheduled']],
    ['upload server unschedulable', dv('upload'), { claim: bound, worker: { state: 'pending', unschedulable: true } }, ['True', 'Bound', 'PVC disk Bound'], ['False', '', ''],
      ['False', 'Unschedulable', 'Upload server pod cannot be scheduled']],
    ['running', dv(), { claim: bound, worker: { state: 'running' } }, ['True', 'Bound', 'PVC disk Bound'], ['False', 'TransferRunning', ''], ['True', 'Pod is running', '']],
    ['import done', dv(), { claim: bound, worker: { state: 'succeeded' } }, ['True', 'Bound', 'PVC disk Bound'], ['True', '', ''], ['False', 'Completed', 'Import Complete']],
    ['clone done', dv('clone'), { claim: bound, worker: { state: 'succeeded' } }, ['True', 'Bound', 'PVC disk Bound'], ['True', '', ''], ['False', 'Completed', 'Clone Complete']],
    ['failed', dv(), { claim: bound, worker: { state: 'failed', reason: 'Error', message: 'the server answered 404 (not found)', final: true } },
      ['True', 'Bound', 'PVC disk Bound'], ['False', '', ''], ['False', 'Error', 'the server answered 404 (not found)']],
    ['claim lost', dv(), { claim: { name: 'disk', phase: 'Lost' } }, ['False', 'ClaimLost', 'PVC disk Lost: its PersistentVolume is gone'], ['False', '', ''], ['False', '', '']],
    ['claim in a strange phase', dv(), { claim: { name: 'disk', phase: 'Weird' } }, ['Unknown', 'Unknown', 'PVC disk is Weird'], ['Unknown', '', ''], ['False', '', '']],
  ])('%s', (_, d, o, b, r, run) => {
    const s = nextDataVolumeStatus(d, o, T0);
    for (const [type, [status, reason, message]] of [['Bound', b], ['Ready', r], ['Running', run]] as const) {
      expect(cond(s, type), type).toMatchObject({ status, reason, message, lastTransitionTime: T0, lastHeartbeatTime: T0 });
    }
    expect(s.conditions?.map((c) => c.type)).toEqual(['Bound', 'Ready', 'Running']);
  });
});

describe('nextDataVolumeStatus: progress, restarts, claim name', () => {
  it.each<[string, DataVolume, DataVolumeObservation, string]>([
    ['N/A before anything', dv(), {}, 'N/A'],
    ['two decimals while running', dv(), { claim: bound, worker: { state: 'running', doneBytes: 4713, totalBytes: 10000 } }, '47.13%'],
    ['kept while the total is unknown', dv('import', { progress: '12.00%' }), { claim: bound, worker: { state: 'running', doneBytes: 5 } }, '12.00%'],
    ['kept across a retry', dv('import', { phase: 'ImportInProgress', progress: '80.50%' }), { claim: bound, worker: { state: 'failed', reason: 'Error', message: 'reset', final: false } }, '80.50%'],
    ['"100.0%" once done, as CDI writes it', dv('import', { progress: '99.99%' }), { claim: bound, worker: { state: 'succeeded' } }, '100.0%'],
  ])('%s', (_, d, o, progress) => {
    expect(nextDataVolumeStatus(d, o, T0).progress).toBe(progress);
  });

  it.each<[number | undefined, number | undefined, number]>([
    [undefined, undefined, 0],
    [undefined, 1, 0],
    [undefined, 3, 2],
    [5, 3, 5],
  ])('restartCount %s with %s attempts → %s', (prev, attempts, count) => {
    const d = dv('import', prev === undefined ? undefined : { restartCount: prev });
    expect(nextDataVolumeStatus(d, { claim: bound, worker: { state: 'running' }, ...(attempts !== undefined ? { attempts } : {}) }, T0).restartCount).toBe(count);
  });

  it('records the claim name', () => {
    expect(nextDataVolumeStatus(dv(), { claim: { name: 'disk', phase: 'Bound' } }, T0).claimName).toBe('disk');
  });
});

describe('nextDataVolumeStatus: condition times', () => {
  const first = nextDataVolumeStatus(dv(), { claim: bound, worker: { state: 'pending' } }, T0);
  const running = nextDataVolumeStatus(dv('import', first), { claim: bound, worker: { state: 'running', doneBytes: 10, totalBytes: 100 } }, T1);
  const failed = nextDataVolumeStatus(dv('import', running), { claim: bound, worker: { state: 'failed', reason: 'Error', message: 'reset', final: false } }, T2);

  it('moves lastTransitionTime only when the status changes', () => {
    expect(cond(running, 'Running')).toMatchObject({ status: 'True', lastTransitionTime: T1, lastHeartbeatTime: T1 });
    expect(cond(running, 'Bound')).toMatchObject({ status: 'True', lastTransitionTime: T0, lastHeartbeatTime: T0 });
    // Ready stays False but its reason becomes TransferRunning: a heartbeat, not a transition.
    expect(cond(running, 'Ready')).toMatchObject({ status: 'False', reason: 'TransferRunning', lastTransitionTime: T0, lastHeartbeatTime: T1 });
    expect(cond(failed, 'Running')).toMatchObject({ status: 'False', reason: 'Error', lastTransitionTime: T2 });
  });

  it('returns the same status object when nothing changed', () => {
    const again = nextDataVolumeStatus(dv('import', running), { claim: bound, worker: { state: 'running', doneBytes: 10, totalBytes: 100 } }, T2);
    expect(again).toBe(running);
  });

  it('writes a new status when only the progress moved', () => {
    const more = nextDataVolumeStatus(dv('import', running), { claim: bound, worker: { state: 'running', doneBytes: 20, totalBytes: 100 } }, T2);
    expect(more).not.toBe(running);
    expect(more.progress).toBe('20.00%');
    expect(more.conditions).toBe(running.conditions);
  });

  it('spells times the way Kubernetes does', () => {
    expect(formatTime(Date.parse('2026-03-01T10:00:00.987Z'))).toBe('2026-03-01T10:00:00Z');
    expect(formatTime(new Date('2026-03-01T10:00:00Z'))).toBe('2026-03-01T10:00:00Z');
    expect(() => formatTime('yesterday')).toThrow(RangeError);
  });

  it('setCondition keeps the array when nothing changes', () => {
    const cs = [{ type: 'Ready', status: 'True', reason: '', message: '', lastTransitionTime: T0, lastHeartbeatTime: T0 }];
    expect(setCondition(cs, 'Ready', { status: 'True', reason: '', message: '' }, T1)).toBe(cs);
  });
});

describe('workerMayStart', () => {
  it.each<[string, DataVolume, DataVolumeObservation, boolean]>([
    ['no claim', dv(), {}, false],
    ['bound', dv(), { claim: bound }, true],
    ['pending on an Immediate class (a populator fills it)', dv(), { claim: pending }, true],
    ['waiting for a consumer', dv(), { claim: pending, waitForFirstConsumer: true }, false],
    ['a node was chosen', dv(), { claim: { ...pending, selectedNode: 'node-2' }, waitForFirstConsumer: true }, true],
    ['immediate binding asked', dv('import', undefined, { [ANN_IMMEDIATE_BINDING]: '' }), { claim: pending, waitForFirstConsumer: true }, true],
    ['lost', dv(), { claim: { name: 'disk', phase: 'Lost' } }, false],
  ])('%s → %s', (_, d, o, may) => {
    expect(workerMayStart(d, o)).toBe(may);
  });
});

describe('dataVolumeEvents', () => {
  it.each<[string, DataVolume, DataVolumeObservation, { type: string; reason: string; message: string }[]]>([
    ['import scheduled', dv('import', { phase: 'PVCBound' }), { claim: bound, worker: { state: 'pending' } }, [{ type: 'Normal', reason: 'ImportScheduled', message: 'Import into PVC disk scheduled' }]],
    ['import in progress', dv('import', { phase: 'ImportScheduled' }), { claim: bound, worker: { state: 'running' } }, [{ type: 'Normal', reason: 'ImportInProgress', message: 'Import into PVC disk in progress' }]],
    ['import succeeded', dv('import', { phase: 'ImportInProgress' }), { claim: bound, worker: { state: 'succeeded' } }, [{ type: 'Normal', reason: 'ImportSucceeded', message: 'Import into PVC disk succeeded' }]],
    ['upload ready', dv('upload', { phase: 'UploadScheduled' }), { claim: bound, worker: { state: 'running' }, uploadReady: true },
      [{ type: 'Normal', reason: 'UploadReady', message: 'Upload into PVC disk ready: the upload server accepts data' }]],
    ['clone failed for good', dv('clone', { phase: 'CloneInProgress' }), { claim: bound, worker: { state: 'failed', reason: 'Error', message: 'source gone', final: true } },
      [{ type: 'Warning', reason: 'CloneFailed', message: 'Clone into PVC disk failed: source gone' }]],
    ['claim lost', dv('import', { phase: 'Succeeded' }), { claim: { name: 'disk', phase: 'Lost' } },
      [{ type: 'Warning', reason: 'ErrClaimLost', message: 'Import into PVC disk failed: PVC disk lost its PersistentVolume' }]],
    ['a failure to retry', dv('import', { phase: 'ImportInProgress', conditions: [{ type: 'Running', status: 'True', reason: 'Pod is running', message: '' }] }),
      { claim: bound, worker: { state: 'failed', reason: 'Error', message: 'the connection was reset', final: false } },
      [{ type: 'Warning', reason: 'ImportFailed', message: 'Import into PVC disk failed, will retry: the connection was reset' }]],
    ['nothing new', dv('import', { phase: 'PVCBound' }), { claim: bound }, []],
  ])('%s', (_, d, o, events) => {
    expect(dataVolumeEvents(d, nextDataVolumeStatus(d, o, T0), o)).toEqual(events);
  });

  it('does not repeat the warning while the same failure stands', () => {
    const o: DataVolumeObservation = { claim: bound, worker: { state: 'failed', reason: 'Error', message: 'reset', final: false } };
    const once = nextDataVolumeStatus(dv('import', { phase: 'ImportInProgress' }), o, T0);
    expect(dataVolumeEvents(dv('import', once), nextDataVolumeStatus(dv('import', once), o, T1), o)).toEqual([]);
  });
});
