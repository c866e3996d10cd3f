import { describe, expect, it } from 'vitest';
import { buildTimeline } from './timeline';

describe('buildTimeline', () => {
  it('merges conditions and events oldest first', () => {
    const entries = buildTimeline(
      [
        { type: 'Bound', status: 'True', reason: 'Bound', message: 'PVC d Bound', lastTransitionTime: '2026-01-01T00:00:05Z', lastHeartbeatTime: '2026-01-01T00:00:05Z' },
        { type: 'Running', status: 'False', reason: 'Error', message: 'the server answered 404', lastTransitionTime: '2026-01-01T00:00:10Z', lastHeartbeatTime: '2026-01-01T00:00:30Z' },
        { type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' },
      ],
      [
        { metadata: { uid: 'e1' }, type: 'Normal', reason: 'ImportScheduled', message: 'Import into PVC d scheduled', lastTimestamp: '2026-01-01T00:00:05Z' },
        { metadata: { uid: 'e2' }, type: 'Warning', reason: 'ImportFailed', message: 'failed, will retry', count: 3, lastTimestamp: '2026-01-01T00:00:20Z' },
        { metadata: { uid: 'e3' }, type: 'Normal', reason: 'Old', eventTime: '2025-12-31T23:59:00Z' },
      ],
    );
    expect(entries.map((e) => e.title)).toEqual(['Old', 'Ready: False', 'ImportScheduled', 'Bound: True (Bound)', 'ImportFailed', 'Running: False (Error)']);
    expect(entries.find((e) => e.title === 'ImportFailed')).toMatchObject({ tone: 'warning', count: 3 });
    // The message changed after the status did: placed at the change, "since" the transition.
    expect(entries.at(-1)).toMatchObject({ time: '2026-01-01T00:00:30Z', since: '2026-01-01T00:00:10Z', tone: 'danger', detail: 'the server answered 404' });
  });

  it('orders the events of one second the way CDI records them', () => {
    const at = '2026-01-01T00:00:05Z';
    const entries = buildTimeline([], [
      { reason: 'ImportFailed', type: 'Warning', lastTimestamp: at },
      { reason: 'ImportInProgress', lastTimestamp: at },
      { reason: 'Provisioning', lastTimestamp: at },
      { reason: 'ImportScheduled', lastTimestamp: at },
    ]);
    expect(entries.map((e) => e.title)).toEqual(['Provisioning', 'ImportScheduled', 'ImportInProgress', 'ImportFailed']);
  });

  it('puts entries without a time first', () => {
    expect(buildTimeline([{ type: 'Bound', status: 'Unknown' }], [{ reason: 'X', lastTimestamp: '2026-01-01T00:00:00Z' }]).map((e) => e.title)).toEqual(['Bound: Unknown', 'X']);
  });
});
