import { describe, expect, it } from 'vitest';
import { matchesNodeSelectorTerms, nodeAffinityFor, pinnedNodeOf, volumeReachableFrom } from './nodeaffinity';
import { makeVolume } from './testing';
import type { NodeSelectorTerm } from './types';

const node = { name: 'node-1', labels: { 'topology.kura.dev/node': 'node-1', zone: 'a', gpus: '4' } };
const expr = (key: string, operator: string, values?: string[]): NodeSelectorTerm[] => [{ matchExpressions: [{ key, operator, values }] }];

describe('matchesNodeSelectorTerms', () => {
  it.each<[string, NodeSelectorTerm[], boolean]>([
    ['In, matching', expr('zone', 'In', ['a', 'b']), true],
    ['In, not matching', expr('zone', 'In', ['b']), false],
    ['NotIn', expr('zone', 'NotIn', ['b']), true],
    ['NotIn, label absent', expr('rack', 'NotIn', ['r1']), true],
    ['Exists', expr('zone', 'Exists'), true],
    ['DoesNotExist', expr('zone', 'DoesNotExist'), false],
    ['Gt', expr('gpus', 'Gt', ['3']), true],
    ['Lt', expr('gpus', 'Lt', ['3']), false],
    ['Gt with a non-integer', expr('zone', 'Gt', ['1']), false],
    ['an unknown operator', expr('zone', 'Like', ['a']), false],
    ['matchFields on the name', [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }], true],
    ['an empty term selects nothing', [{}], false],
    ['no terms select nothing', [], false],
    ['terms are ORed', [...expr('zone', 'In', ['b']), ...expr('zone', 'In', ['a'])], true],
    ['requirements in a term are ANDed', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpus', operator: 'In', values: ['8'] }] }], false],
  ])('%s', (_, terms, want) => {
    expect(matchesNodeSelectorTerms(terms, node)).toBe(want);
  });
});

describe('volume node affinity', () => {
  it.each([
    ['no affinity: every node', makeVolume('pv'), 'node-2', true, undefined],
    ["Kura's topology key", makeVolume('pv', { nodeAffinity: nodeAffinityFor('node-1') }), 'node-1', true, 'node-1'],
    ['another node', makeVolume('pv', { nodeAffinity: nodeAffinityFor('node-1') }), 'node-2', false, 'node-1'],
    ['a local PV by hostname', makeVolume('pv', { nodeAffinity: { required: { nodeSelectorTerms: expr('kubernetes.io/hostname', 'In', ['node-3']) } } }), 'node-3', false, 'node-3'],
    ['a zone: reachable, but not pinned to one node', makeVolume('pv', { nodeAffinity: { required: { nodeSelectorTerms: expr('zone', 'In', ['a']) } } }), 'node-1', true, undefined],
  ])('%s', (_, pv, nodeName, reachable, pinned) => {
    const n = nodeName === 'node-1' ? node : { name: nodeName, labels: { 'topology.kura.dev/node': nodeName } };
    expect(volumeReachableFrom(pv, n)).toBe(reachable);
    expect(pinnedNodeOf(pv)).toBe(pinned);
  });
});
