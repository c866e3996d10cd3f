import { describe, expect, it } from 'vitest';
import type { DataVolume } from '../cdi';
import { dataVolumePhaseView } from './phase';

const dv = (status: DataVolume['status'], extra: Partial<DataVolume> = {}): DataVolume => ({
  metadata: { name: 'd', namespace: 'ns' },
  spec: { source: { http: { url: 'https://example.com/d.img' } }, storage: {} },
  status,
  ...extra,
});

describe('dataVolumePhaseView', () => {
  it.each<[string, DataVolume['status'], { text: string; tone: string; active: boolean }]>([
    ['no status yet', undefined, { text: 'Pending', tone: 'neutral', active: false }],
    ['importing', { phase: 'ImportInProgress', progress: '12.5%' }, { text: 'ImportInProgress', tone: 'info', active: true }],
    ['waiting for a consumer', { phase: 'WaitForFirstConsumer' }, { text: 'WaitForFirstConsumer', tone: 'warning', active: false }],
    ['done', { phase: 'Succeeded' }, { text: 'Succeeded', tone: 'success', active: false }],
    ['upload ready', { phase: 'UploadReady' }, { text: 'UploadReady', tone: 'info', active: true }],
  ])('%s', (_n, status, want) => {
    expect(dataVolumePhaseView(dv(status))).toMatchObject(want);
  });

  it("says why it failed with the Running condition's message", () => {
    const v = dataVolumePhaseView(
      dv({ phase: 'Failed', conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'the server answered 404 for https://example.com/d.img' }] }),
    );
    expect(v).toMatchObject({ text: 'Failed', tone: 'danger', detail: 'the server answered 404 for https://example.com/d.img' });
  });

  it('notes a retry while the phase stays', () => {
    const v = dataVolumePhaseView(dv({ phase: 'ImportInProgress', restartCount: 2, conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'connection reset' }] }));
    expect(v.retrying).toBe('connection reset');
  });

  it('shows a deleted DataVolume as Terminating', () => {
    expect(dataVolumePhaseView(dv({ phase: 'Succeeded' }, { metadata: { name: 'd', deletionTimestamp: '2026-01-01T00:00:00Z' } })).text).toBe('Terminating');
  });
});
