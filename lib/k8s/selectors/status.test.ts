import { describe, expect, it } from 'vitest';
import { getGenericStatus } from './status';
import type { K8sObject } from '../types';

describe('getGenericStatus', () => {
  it.each<[string, K8sObject, string, string]>([
    ['terminating wins', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Bound' } }, 'Terminating', 'warning'],
    ['printableStatus of a VM', { status: { printableStatus: 'Running', phase: 'x' } }, 'Running', 'success'],
    ['phase of a PVC', { status: { phase: 'Pending' } }, 'Pending', 'warning'],
    ['failed phase', { status: { phase: 'Failed' } }, 'Failed', 'danger'],
    ['snapshot readiness', { status: { readyToUse: true } }, 'Ready', 'success'],
    ['Ready condition true', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Ready', 'success'],
    ['Ready condition false', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletDown' }] } }, 'Not ready', 'danger'],
    ['Warning event', { kind: 'Event', type: 'Warning', message: 'boom' }, 'Warning', 'warning'],
    ['nothing to say', { metadata: { name: 'x' } }, '-', 'neutral'],
  ])('%s', (_n, obj, text, tone) => {
    const s = getGenericStatus(obj);
    expect(s.text).toBe(text);
    expect(s.tone).toBe(tone);
  });
});
