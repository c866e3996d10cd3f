import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../types';
import { getNodeAllocatable, getNodeCapacity, getNodeReadyMessage, getNodeReadyStatus, getNodeRoles, isNodeSchedulable } from './node';

describe('Node selectors', () => {
  it.each<[string, K8sObject, 'True' | 'False' | 'Unknown']>([
    ['ready', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'True'],
    ['not ready', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, 'False'],
    ['no conditions', {}, 'Unknown'],
  ])('Ready: %s', (_n, node, want) => {
    expect(getNodeReadyStatus(node)).toBe(want);
  });
  it('joins the Ready reason and message', () => {
    expect(getNodeReadyMessage({ status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletDown', message: 'no heartbeat' }] } })).toBe('KubeletDown: no heartbeat');
  });
  it('finds roles in both label styles', () => {
    const node = { metadata: { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'storage', other: 'x' } } };
    expect(getNodeRoles(node)).toEqual(['control-plane', 'storage', 'worker']);
  });
  it('reads cordoning, allocatable and capacity', () => {
    const node = { spec: { unschedulable: true }, status: { allocatable: { cpu: '3800m', memory: '15Gi' }, capacity: { cpu: '4', memory: '16Gi' } } };
    expect(isNodeSchedulable(node)).toBe(false);
    expect(isNodeSchedulable({})).toBe(true);
    expect(getNodeAllocatable(node)).toEqual({ cpu: '3800m', memory: '15Gi' });
    expect(getNodeCapacity(node)).toEqual({ cpu: '4', memory: '16Gi' });
  });
});
