import { describe, expect, it } from 'vitest';
import {
  describeLabelSelector,
  formatLabelSelector,
  labelSelectorFromObject,
  matchesLabelSelector,
  matchesSelectorObject,
  parseLabelSelector,
  SelectorError,
  type LabelSelector,
} from './labels';

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['a=b', [{ key: 'a', operator: '=', values: ['b'] }]],
    ['a==b', [{ key: 'a', operator: '==', values: ['b'] }]],
    ['a!=b', [{ key: 'a', operator: '!=', values: ['b'] }]],
    ['a in (y,x,x)', [{ key: 'a', operator: 'in', values: ['x', 'y'] }]],
    ['a notin (x)', [{ key: 'a', operator: 'notin', values: ['x'] }]],
    ['a', [{ key: 'a', operator: 'exists', values: [] }]],
    ['!a', [{ key: 'a', operator: '!', values: [] }]],
    ['a>3', [{ key: 'a', operator: 'gt', values: ['3'] }]],
    ['a<3', [{ key: 'a', operator: 'lt', values: ['3'] }]],
    ['a=', [{ key: 'a', operator: '=', values: [''] }]],
    ['a in ()', [{ key: 'a', operator: 'in', values: [''] }]],
    ['a in (,b)', [{ key: 'a', operator: 'in', values: ['', 'b'] }]],
    ['a in (b,,c)', [{ key: 'a', operator: 'in', values: ['', 'b', 'c'] }]],
    // "in" is an operator only where an operator is expected.
    ['in in (in)', [{ key: 'in', operator: 'in', values: ['in'] }]],
    ['kubevirt.io/vm=my-vm', [{ key: 'kubevirt.io/vm', operator: '=', values: ['my-vm'] }]],
    [
      '  x = 1 ,\ta in ( b ) , !z ',
      [
        { key: 'a', operator: 'in', values: ['b'] },
        { key: 'x', operator: '=', values: ['1'] },
        { key: 'z', operator: '!', values: [] },
      ],
    ],
  ])('%j', (input, expected) => {
    expect(parseLabelSelector(input)).toEqual(expected);
  });

  it.each([
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['=b', "found '=', expected: !, identifier, or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b==c', "found '==', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['a/b/c=x', 'unable to parse requirement: Invalid value: "a/b/c": a valid label key must consist of'],
    ['a=-x', 'unable to parse requirement: values[0][a]: Invalid value: "-x": a valid label must be an empty string'],
    ['a>x', `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`],
  ])('%j fails: %s', (input, message) => {
    expect(() => parseLabelSelector(input)).toThrow(SelectorError);
    expect(() => parseLabelSelector(input)).toThrow(message);
  });

  it.each([
    ['x=1,a in (b)', 'a in (b),x=1'],
    ['a in (c, b)', 'a in (b,c)'],
    ['!a,b!=c,d==e,f notin (g),h>1,i<2,j', '!a,b!=c,d==e,f notin (g),h>1,i<2,j'],
  ])('formats %j back as %j', (input, text) => {
    expect(formatLabelSelector(parseLabelSelector(input))).toBe(text);
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db,web)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['missing=', false],
    ['n>3', true],
    ['n<3', false],
    ['n>5', false],
    ['app>3', false],
    ['missing>1', false],
    ['app=web,tier=back', false],
    ['app=web,tier in (front)', true],
    ['toString', false],
  ])('%j → %s', (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats missing labels as an empty set', () => {
    expect(matchesLabelSelector(parseLabelSelector('!a'), undefined)).toBe(true);
    expect(matchesLabelSelector(parseLabelSelector('a'), null)).toBe(false);
  });
});

describe('labelSelectorFromObject (metav1.LabelSelectorAsSelector)', () => {
  it.each<[LabelSelector | null | undefined, string | null]>([
    [null, null],
    [undefined, null],
    [{}, ''],
    [{ matchLabels: null, matchExpressions: null }, ''],
    [{ matchLabels: { b: '1', a: '2' } }, 'a=2,b=1'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist', values: [] },
        ],
      },
      'app=web,env notin (prod),gpu,!legacy,tier in (a,b)',
    ],
  ])('%j → %j', (selector, text) => {
    const requirements = labelSelectorFromObject(selector);
    expect(requirements === null ? null : formatLabelSelector(requirements)).toBe(text);
  });

  it.each<[LabelSelector, string]>([
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }, '"Equals" is not a valid label selector operator'],
    [{ matchLabels: { 'bad key': 'x' } }, 'key: Invalid value: "bad key": name part must consist of alphanumeric characters'],
    [{ matchLabels: { ok: 'bad value' } }, 'values[0][ok]: Invalid value: "bad value": a valid label must be'],
  ])('rejects %j', (selector, message) => {
    expect(() => labelSelectorFromObject(selector)).toThrow(SelectorError);
    expect(() => labelSelectorFromObject(selector)).toThrow(message);
  });
});

describe('matchesSelectorObject', () => {
  it.each<[LabelSelector | null | undefined, Record<string, string> | undefined, boolean]>([
    [null, {}, false],
    [undefined, { app: 'web' }, false],
    [{}, {}, true],
    [{}, undefined, true],
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a', 'b'] }] }, { 'topology.kubernetes.io/zone': 'b' }, true],
    [{ matchExpressions: [{ key: 'node-role', operator: 'DoesNotExist' }] }, { 'node-role': '' }, false],
  ])('%j on %j → %s', (selector, labels, expected) => {
    expect(matchesSelectorObject(selector, labels)).toBe(expected);
  });
});

describe('describeLabelSelector', () => {
  it.each<[LabelSelector | null, string]>([
    [null, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, '<error>'],
  ])('%j → %s', (selector, text) => {
    expect(describeLabelSelector(selector)).toBe(text);
  });
});
