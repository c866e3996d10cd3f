import { describe, expect, it } from 'vitest';
import {
  generateNameSuffix,
  generateObjectName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  NAME_SUFFIX_ALPHABET,
  nameValidatorForKind,
  utf8Length,
  validateAnnotations,
  validateLabels,
  validateObjectMetaName,
} from './names';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
// The double space before "or" is Kubernetes' own (its RegexError joins "', " and " or ").
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('isDNS1123Subdomain', () => {
  it.each([
    ['example.com', []],
    ['a', []],
    ['0', []],
    ['my-pvc.v2', []],
    ['a'.repeat(253), []],
    ['a'.repeat(254), ['must be no more than 253 characters']],
    ['Foo', [SUBDOMAIN_MSG]],
    ['a_b', [SUBDOMAIN_MSG]],
    ['-a', [SUBDOMAIN_MSG]],
    ['a-', [SUBDOMAIN_MSG]],
    ['a..b', [SUBDOMAIN_MSG]],
    ['', [SUBDOMAIN_MSG]],
    ['A'.repeat(254), ['must be no more than 253 characters', SUBDOMAIN_MSG]],
  ])('%j → %j', (value, errors) => {
    expect(isDNS1123Subdomain(value)).toEqual(errors);
  });
});

describe('isDNS1123Label', () => {
  it.each([
    ['default', []],
    ['123-abc', []],
    ['my.name', ['must not contain dots']],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['MyName', [LABEL_MSG]],
    ['', [LABEL_MSG]],
  ])('%j → %j', (value, errors) => {
    expect(isDNS1123Label(value)).toEqual(errors);
  });
});

describe('isDNS1035Label', () => {
  it.each([
    ['my-name', []],
    ['123-abc', [DNS1035_MSG]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('%j → %j', (value, errors) => {
    expect(isDNS1035Label(value)).toEqual(errors);
  });
});

describe('isQualifiedName (label and annotation keys)', () => {
  it.each([
    ['app', []],
    ['MyName', []],
    ['my_name.v1', []],
    ['kubevirt.io/vm', []],
    ['app.kubernetes.io/name', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    ['/name', ['prefix part must be non-empty']],
    ['example.com/', ['name part must be non-empty', NAME_PART_MSG]],
    ['Example.com/x', [`prefix part ${SUBDOMAIN_MSG}`]],
    ['-bad', [NAME_PART_MSG]],
    ['with space', [NAME_PART_MSG]],
  ])('%j → %j', (value, errors) => {
    expect(isQualifiedName(value)).toEqual(errors);
  });

  it('rejects more than one slash with the whole-key message', () => {
    expect(isQualifiedName('a/b/c')).toEqual([
      "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });
});

describe('isValidLabelValue', () => {
  it.each([
    ['', []],
    ['v1.2_3-x', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['-x', [LABEL_VALUE_MSG]],
    ['a/b', [LABEL_VALUE_MSG]],
  ])('%j → %j', (value, errors) => {
    expect(isValidLabelValue(value)).toEqual(errors);
  });
});

describe('isValidPathSegmentName', () => {
  it.each([
    ['system:controller:foo', []],
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
  ])('%j → %j', (value, errors) => {
    expect(isValidPathSegmentName(value)).toEqual(errors);
  });
});

it('counts lengths in UTF-8 bytes, as Go does', () => {
  expect(utf8Length('abc')).toBe(3);
  expect(utf8Length('é')).toBe(2);
  expect(utf8Length('蔵')).toBe(3);
  expect(utf8Length('😀')).toBe(4);
});

describe('validateObjectMetaName', () => {
  it.each([
    [{ name: 'data-disk' }, 'PersistentVolumeClaim', []],
    [{ name: 'Data' }, 'PersistentVolumeClaim', [['metadata.name', `Invalid value: "Data": ${SUBDOMAIN_MSG}`]]],
    [{ name: 'my.ns' }, 'Namespace', [['metadata.name', 'Invalid value: "my.ns": must not contain dots']]],
    [{ name: 'system:admin' }, 'ClusterRole', []],
    [{ name: 'a/b' }, 'RoleBinding', [['metadata.name', `Invalid value: "a/b": may not contain '/'`]]],
    [{}, 'Secret', [['metadata.name', 'Required value: name or generateName is required']]],
    // A generateName prefix may end with "-": a suffix will follow.
    [{ generateName: 'disk-', name: 'disk-x7k2p' }, 'PersistentVolumeClaim', []],
    [
      { generateName: 'Disk-', name: 'disk-x7k2p' },
      'PersistentVolumeClaim',
      [['metadata.generateName', `Invalid value: "Disk-": ${SUBDOMAIN_MSG}`]],
    ],
  ])('%j as %s', (meta, kind, expected) => {
    const errs = validateObjectMetaName(meta, kind);
    expect(errs.map((e) => [e.field, e.message])).toEqual(expected);
  });

  it('uses the DNS subdomain rule for kinds without their own', () => {
    expect(nameValidatorForKind('VirtualMachine')('vm.one', false)).toEqual([]);
    expect(nameValidatorForKind('toString')('Bad', false)).toEqual([SUBDOMAIN_MSG]);
  });
});

describe('validateLabels and validateAnnotations', () => {
  it('reports bad keys and values on metadata.labels', () => {
    const errs = validateLabels({ ok: 'yes', 'bad key': 'v', k: '-v' });
    expect(errs.map((e) => e.message)).toEqual([
      `Invalid value: "bad key": ${NAME_PART_MSG}`,
      `Invalid value: "-v": ${LABEL_VALUE_MSG}`,
    ]);
    expect(errs.every((e) => e.field === 'metadata.labels' && e.reason === 'FieldValueInvalid')).toBe(true);
  });

  it('checks annotation keys case-insensitively and limits the total size', () => {
    expect(validateAnnotations({ 'Example.com/Note': 'x' })).toEqual([]);
    const big = { note: 'x'.repeat(256 * 1024) };
    expect(validateAnnotations(big)).toEqual([
      { reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: may not be more than 262144 bytes' },
    ]);
  });
});

describe('generateNameSuffix', () => {
  it.each([
    [0, 'bbbbb'],
    [0.999999, '99999'],
    [1, '99999'],
    [0.5, 'rrrrr'],
  ])('random() = %s → %s', (r, suffix) => {
    expect(generateNameSuffix(() => r)).toBe(suffix);
  });

  it('only uses the Kubernetes alphabet', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 50; i++) {
      expect(generateNameSuffix(random)).toMatch(new RegExp(`^[${NAME_SUFFIX_ALPHABET}]{5}$`));
    }
  });

  it('cuts long generateName prefixes to 58 characters, as SimpleNameGenerator does', () => {
    expect(generateObjectName('vm-', () => 0)).toBe('vm-bbbbb');
    const name = generateObjectName('x'.repeat(80), () => 0);
    expect(name).toHaveLength(63);
    expect(name.endsWith('bbbbb')).toBe(true);
  });
});
