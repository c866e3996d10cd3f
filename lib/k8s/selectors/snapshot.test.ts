import { describe, expect, it } from 'vitest';
import { getSnapshotClassName, getSnapshotContentName, getSnapshotError, getSnapshotRestoreSize, getSnapshotSourceClaim, isSnapshotReady } from './snapshot';

describe('VolumeSnapshot selectors', () => {
  it('reads source, class, readiness, size, content and error', () => {
    const vs = {
      spec: { source: { persistentVolumeClaimName: 'data' }, volumeSnapshotClassName: 'kura-local-snapshots' },
      status: { readyToUse: true, restoreSize: '10Gi', boundVolumeSnapshotContentName: 'snapcontent-1', error: { message: 'boom' } },
    };
    expect(getSnapshotSourceClaim(vs)).toBe('data');
    expect(getSnapshotClassName(vs)).toBe('kura-local-snapshots');
    expect(isSnapshotReady(vs)).toBe(true);
    expect(getSnapshotRestoreSize(vs)).toBe('10Gi');
    expect(getSnapshotContentName(vs)).toBe('snapcontent-1');
    expect(getSnapshotError(vs)).toBe('boom');
    expect(isSnapshotReady({})).toBe(false);
  });
});
