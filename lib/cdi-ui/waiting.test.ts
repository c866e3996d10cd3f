import { describe, expect, it } from 'vitest';
import type { DataVolume } from '../cdi';
import { type DataVolumeFacts, explainDataVolume } from './waiting';

const dv = (status: DataVolume['status'], spec: DataVolume['spec'] = { source: { http: { url: 'https://example.com/d.qcow2' } } }, annotations?: Record<string, string>): DataVolume => ({
  metadata: { name: 'disk', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec,
  status,
});

describe('explainDataVolume', () => {
  it.each<[string, DataVolumeFacts, { tone: string; title: string }]>([
    [
      'waits for its first consumer',
      { dv: dv({ phase: 'WaitForFirstConsumer' }), storageClass: { name: 'kura-local', volumeBindingMode: 'WaitForFirstConsumer' } },
      { tone: 'info', title: 'Waiting for its first consumer: PVC disk uses WaitForFirstConsumer class kura-local, so the import starts when a VM uses it.' },
    ],
    [
      'an upload waits for the file',
      { dv: dv({ phase: 'UploadReady' }, { source: { upload: {} } }) },
      { tone: 'info', title: 'Waiting for the upload: open Upload to send the file.' },
    ],
    [
      'an upload on its way',
      { dv: dv({ phase: 'UploadReady' }, { source: { upload: {} } }), uploading: true },
      { tone: 'info', title: 'Uploading: the file is on its way to the volume.' },
    ],
    [
      'an upload whose bytes all arrived',
      { dv: { ...dv({ phase: 'UploadReady' }, { source: { upload: {} } }), metadata: { name: 'disk', annotations: { 'progress.kura.dev/bytes': '100/100' } } } },
      { tone: 'info', title: 'The whole file arrived: the volume is being filled from it.' },
    ],
    [
      'an upload that stopped half-way',
      { dv: { ...dv({ phase: 'UploadReady' }, { source: { upload: {} } }), metadata: { name: 'disk', annotations: { 'progress.kura.dev/bytes': '44/100' } } } },
      { tone: 'info', title: 'Waiting for the rest of the upload: 44% of the file arrived.' },
    ],
    [
      'failed',
      { dv: dv({ phase: 'Failed', conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'the server answered 404 for https://example.com/d.qcow2' }] }) },
      { tone: 'danger', title: 'Import failed: the server answered 404 for https://example.com/d.qcow2' },
    ],
    [
      'a failed clone',
      { dv: dv({ phase: 'Failed' }, { source: { pvc: { namespace: 'ns', name: 'base' } } }), latestWarning: { reason: 'CloneFailed', message: 'source PVC ns/base not found' } },
      { tone: 'danger', title: 'Clone failed: source PVC ns/base not found' },
    ],
    [
      'a failure that says so itself',
      { dv: dv({ phase: 'Failed', conditions: [{ type: 'Running', status: 'False', reason: 'NotFound', message: 'Disk import failed: the server answered 404' }] }) },
      { tone: 'danger', title: 'Disk import failed: the server answered 404' },
    ],
    ['done', { dv: dv({ phase: 'Succeeded', claimName: 'disk' }) }, { tone: 'success', title: 'Import complete: PVC disk holds the disk, ready for a VM.' }],
    ['importing', { dv: dv({ phase: 'ImportInProgress' }) }, { tone: 'info', title: 'Importing from https://example.com/d.qcow2.' }],
    [
      'retrying',
      { dv: dv({ phase: 'ImportInProgress', restartCount: 1, conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'connection reset' }] }) },
      { tone: 'warning', title: 'Importing from https://example.com/d.qcow2: retrying after 1 failed attempt.' },
    ],
    [
      'scheduled but stuck',
      { dv: dv({ phase: 'ImportScheduled', conditions: [{ type: 'Running', status: 'False', reason: 'Unschedulable', message: 'Importer pod cannot be scheduled' }] }) },
      { tone: 'warning', title: 'Waiting for the import to start: Importer pod cannot be scheduled' },
    ],
    [
      'a clone source that is missing',
      { dv: dv({ phase: 'Pending', conditions: [{ type: 'Bound', status: 'False', reason: 'CloneSourceMissing', message: 'source PVC ns/base not found' }] }) },
      { tone: 'warning', title: 'Waiting: source PVC ns/base not found' },
    ],
    [
      'pending on a WaitForFirstConsumer class before CDI says so',
      { dv: dv({ phase: 'Pending' }), claim: { phase: 'Pending' }, storageClass: { name: 'kura-local', volumeBindingMode: 'WaitForFirstConsumer' } },
      { tone: 'info', title: 'Waiting for its first consumer: PVC disk uses WaitForFirstConsumer class kura-local, so the import starts when a VM uses it.' },
    ],
    [
      'pending with immediate binding asked for',
      { dv: dv({ phase: 'Pending' }, undefined, { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' }), claim: { phase: 'Pending' }, storageClass: { name: 'kura-local', volumeBindingMode: 'WaitForFirstConsumer' } },
      { tone: 'info', title: 'Waiting for PVC disk to be bound to a volume.' },
    ],
    ['no controller', { dv: dv(undefined) }, { tone: 'warning', title: 'Waiting for CDI: no controller has reported on DataVolume disk yet.' }],
  ])('%s', (_n, facts, want) => {
    expect(explainDataVolume(facts)).toMatchObject(want);
  });

  it('tells how to skip the wait for a consumer', () => {
    const e = explainDataVolume({ dv: dv({ phase: 'WaitForFirstConsumer' }), storageClass: { name: 'kura-local', volumeBindingMode: 'WaitForFirstConsumer' } });
    expect(e.detail).toContain('bind immediately');
  });
});
