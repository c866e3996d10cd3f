import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../k8s';
import type { PendingExplanation } from '../scheduling';
import { type ClaimEvent, claimStatus, latestWarning, shortPendingReason } from './claimStatus';

const pending = { metadata: { name: 'data' }, status: { phase: 'Pending' } };
const wffc: PendingExplanation = { reason: 'WaitingForFirstConsumer', message: 'kura-local waits for the first consumer: …' };

describe('claimStatus', () => {
  it('explains a claim waiting for its first consumer', () => {
    expect(claimStatus(pending, wffc)).toEqual({ text: 'Pending', tone: 'warning', reason: 'Waiting for a VM to use it (WaitForFirstConsumer)', detail: wffc.message });
  });
  it('names the stopped VM a WaitForFirstConsumer claim waits for', () => {
    expect(claimStatus(pending, wffc, [], ['builder'])).toEqual({
      text: 'Pending',
      tone: 'warning',
      reason: 'Waiting for VM builder to start (WaitForFirstConsumer)',
      detail: 'The volume is made when a VM that uses it is scheduled; VM builder uses it but is not running.',
    });
  });
  it('lets a Warning event speak when the rules see nothing wrong', () => {
    const events: ClaimEvent[] = [
      { type: 'Warning', reason: 'ProvisioningFailed', message: 'disk full', lastTimestamp: '2026-01-01T00:00:02Z' },
      { type: 'Warning', reason: 'Old', message: 'older', lastTimestamp: '2026-01-01T00:00:01Z' },
      { type: 'Normal', reason: 'Provisioning', message: 'started', lastTimestamp: '2026-01-01T00:00:03Z' },
    ];
    const s = claimStatus(pending, { reason: 'Provisioning', message: 'local.kura.dev is making the volume' }, events);
    expect(s.reason).toBe('Provisioning failed');
    expect(s.detail).toBe('ProvisioningFailed: disk full\nlocal.kura.dev is making the volume');
  });
  it('keeps a specific explanation first and adds the warning after it', () => {
    const s = claimStatus(pending, { reason: 'NoRoom', message: 'No node has room for data: it needs 500 GiB' }, [{ type: 'Warning', reason: 'ProvisioningFailed', message: 'no space' }]);
    expect(s).toMatchObject({ reason: 'Not enough free space', detail: 'No node has room for data: it needs 500 GiB\nLatest warning: ProvisioningFailed: no space' });
  });
  it('falls back on the event alone when the data allowed no explanation', () => {
    expect(claimStatus(pending, undefined, [{ type: 'Warning', reason: 'ExternalProvisioning', message: 'waiting' }])).toMatchObject({ reason: 'External provisioning', detail: 'ExternalProvisioning: waiting' });
    expect(claimStatus(pending, undefined)).toEqual({ text: 'Pending', tone: 'warning', reason: undefined, detail: undefined });
  });
  it.each<[string, K8sObject, string, string | undefined]>([
    ['bound', { status: { phase: 'Bound' } }, 'Bound', undefined],
    ['bound and resizing', { status: { phase: 'Bound', conditions: [{ type: 'Resizing', status: 'True' }] } }, 'Bound', 'Resizing the volume'],
    ['lost', { status: { phase: 'Lost' } }, 'Lost', 'Its volume is gone'],
    ['terminating', { metadata: { deletionTimestamp: 'x', finalizers: ['kubernetes.io/pvc-protection'] }, status: { phase: 'Bound' } }, 'Terminating', 'Being deleted'],
  ])('%s', (_n, claim, text, reason) => {
    const s = claimStatus(claim, undefined);
    expect(s.text).toBe(text);
    expect(s.reason).toBe(reason);
  });
  it('has a short text for every reason', () => {
    expect(shortPendingReason('NoRoomOnSelectedNode')).toBe("No room on its VM's node");
  });
});

describe('latestWarning', () => {
  it('prefers series time, then lastTimestamp, then eventTime', () => {
    const a: ClaimEvent = { type: 'Warning', reason: 'A', series: { lastObservedTime: '2026-01-01T00:00:09Z' }, lastTimestamp: '2026-01-01T00:00:01Z' };
    const b: ClaimEvent = { type: 'Warning', reason: 'B', lastTimestamp: '2026-01-01T00:00:05Z' };
    expect(latestWarning([a, b])?.reason).toBe('A');
    expect(latestWarning([{ type: 'Normal' }])).toBeUndefined();
  });
});
