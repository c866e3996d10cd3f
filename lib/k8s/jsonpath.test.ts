import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathError, jsonPathText, parseJsonPath } from './jsonpath';

const vm = {
  metadata: { name: 'vm1', labels: { 'app.kubernetes.io/name': 'x' } },
  spec: { template: { spec: { domain: { resources: { requests: { memory: '1Gi' } } } } }, volumes: [{ name: 'a' }, { name: 'b' }] },
  status: {
    printableStatus: 'Running',
    ready: true,
    count: 3,
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Paused', status: 'False' },
    ],
  },
};

describe('evaluateJsonPath', () => {
  it.each<[string, unknown[]]>([
    ['.status.printableStatus', ['Running']],
    ['{.status.printableStatus}', ['Running']],
    ['status.printableStatus', ['Running']],
    [".status.conditions[?(@.type=='Ready')].status", ['True']],
    ['.status.conditions[?(@.type=="Paused")].status', ['False']],
    [".status.conditions[?(@.type!='Ready')].type", ['Paused']],
    ['.status.conditions[?(@.reason)].type', []],
    ['.status.conditions[0].type', ['Ready']],
    ['.status.conditions[-1].type', ['Paused']],
    ['.spec.volumes[*].name', ['a', 'b']],
    ['.spec.template.spec.domain.resources.requests.memory', ['1Gi']],
    [".metadata.labels['app.kubernetes.io/name']", ['x']],
    ['.status.ready', [true]],
    ['.status.missing', []],
    ['.status.conditions[7].type', []],
    ['.status.ready[?(@.x=="y")]', []],
    ['.status.count', [3]],
  ])('%s', (expr, want) => {
    expect(evaluateJsonPath(vm, expr)).toEqual(want);
  });

  it('prints several matches joined by commas', () => {
    expect(jsonPathText(vm, '.spec.volumes[*].name')).toBe('a,b');
    expect(jsonPathText(vm, '.spec.volumes[0]')).toBe('{"name":"a"}');
  });

  it.each(['..name', '.a[', '.a[?(foo)]', '.a[1:2]'])('refuses %s', (expr) => {
    expect(() => parseJsonPath(expr)).toThrow(JsonPathError);
  });
});
