// The declaration-file reader: what it reads, and that it steps over what it cannot.
import { describe, expect, it } from 'vitest';
import { cleanDoc, parseDeclarations } from './dts';

function fieldsOf(text: string, iface: string) {
  return parseDeclarations(text).interfaces.get(iface)?.fields.map((f) => ({ name: f.name, optional: f.optional, type: f.type }));
}

describe('parseDeclarations: field types', () => {
  it.each([
    ['a?: string;', { kind: 'name', name: 'string' }],
    ['a?: Array<V1Disk>;', { kind: 'array', of: { kind: 'name', name: 'V1Disk' } }],
    ['a?: V1Disk[];', { kind: 'array', of: { kind: 'name', name: 'V1Disk' } }],
    ['a?: { [key: string]: string; };', { kind: 'map', of: { kind: 'name', name: 'string' } }],
    ['a?: Record<string, number>;', { kind: 'map', of: { kind: 'name', name: 'number' } }],
    ["a?: 'Always' | 'Never';", { kind: 'literals', values: ['Always', 'Never'] }],
    ['a?: string | null;', { kind: 'union', of: [{ kind: 'name', name: 'string' }, { kind: 'name', name: 'null' }] }],
    ['a?: { b: string; };', { kind: 'object', fields: [{ name: 'b', optional: false, type: { kind: 'name', name: 'string' }, doc: undefined }] }],
    ['a?: Array<{ [key: string]: Array<string>; }>;', { kind: 'array', of: { kind: 'map', of: { kind: 'array', of: { kind: 'name', name: 'string' } } } }],
  ])('%s', (member, type) => {
    expect(fieldsOf(`interface X {\n  ${member}\n}`, 'X')).toEqual([{ name: 'a', optional: true, type }]);
  });

  it('required fields, quoted names and readonly', () => {
    expect(fieldsOf(`interface X { spec: V1Spec; 'odd-name'?: string; readonly r: boolean; }`, 'X')).toEqual([
      { name: 'spec', optional: false, type: { kind: 'name', name: 'V1Spec' } },
      { name: 'odd-name', optional: true, type: { kind: 'name', name: 'string' } },
      { name: 'r', optional: false, type: { kind: 'name', name: 'boolean' } },
    ]);
  });

  it('members it cannot read are skipped, the rest kept', () => {
    const text = `interface X {
      fetchApi?: (input: RequestInfo, init?: RequestInit) => Promise<Response>;
      method(a: string): void;
      keep?: number;
      weird?: typeof Foo[keyof typeof Foo];
      last: string;
    }`;
    expect(fieldsOf(text, 'X')?.map((f) => f.name)).toEqual(['keep', 'last']);
  });
});

describe('parseDeclarations: declarations', () => {
  const text = `
/**
 * KubeVirt API
 */
declare const BASE_PATH: string;
declare class Configuration {
    private configuration;
    constructor(configuration?: ConfigurationParameters);
    get basePath(): string;
}
/**
 * A disk.
 * @export
 * @interface V1Disk
 */
interface V1Disk {
    /**
     * Name of the disk.
     *
     * Second paragraph.
     * @type {string}
     * @memberof V1Disk
     */
    name: string;
    /**
     *
     * @type {V1DiskTarget}
     * @memberof V1Disk
     */
    disk?: V1DiskTarget;
}
interface V1Cdrom extends V1Disk { readonly?: boolean; }
declare const V1PullPolicyEnum: {
    readonly Always: "Always";
    readonly IfNotPresent: "IfNotPresent";
};
declare type V1PullPolicyEnum = typeof V1PullPolicyEnum[keyof typeof V1PullPolicyEnum];
declare enum V1VolumeModeEnum {
    Block = "Block",
    Filesystem = "Filesystem"
}
declare type HTTPMethod = 'GET' | 'POST';
declare function V1DiskFromJSON(json: any): V1Disk;
export { V1Disk, V1Cdrom, type HTTPMethod };
`;
  const decls = parseDeclarations(text);

  it('interfaces with their JSDoc, tags dropped', () => {
    const disk = decls.interfaces.get('V1Disk');
    expect(disk?.doc).toBe('A disk.');
    expect(disk?.fields[0]?.doc).toBe('Name of the disk.\n\nSecond paragraph.');
    expect(disk?.fields[1]?.doc).toBeUndefined();
  });

  it('extends', () => {
    expect(decls.interfaces.get('V1Cdrom')?.extends).toEqual(['V1Disk']);
  });

  it('both ways of writing a string enum', () => {
    expect(decls.enums.get('V1PullPolicyEnum')).toEqual(['Always', 'IfNotPresent']);
    expect(decls.enums.get('V1VolumeModeEnum')).toEqual(['Block', 'Filesystem']);
  });

  it('aliases it can read; the typeof alias is skipped', () => {
    expect(decls.aliases.get('HTTPMethod')).toEqual({ kind: 'literals', values: ['GET', 'POST'] });
    expect(decls.aliases.has('V1PullPolicyEnum')).toBe(false);
  });

  it('classes, functions and exports are stepped over', () => {
    expect([...decls.interfaces.keys()]).toEqual(['V1Disk', 'V1Cdrom']);
  });
});

describe('cleanDoc', () => {
  it.each([
    [undefined, undefined],
    ['\n *\n * @type {string}\n ', undefined],
    ['\n * One.\n * Two.\n * @memberof X\n ', 'One.\nTwo.'],
    ['\n * A\n *\n *\n *\n * B\n ', 'A\n\nB'],
  ])('%j', (raw, expected) => {
    expect(cleanDoc(raw)).toBe(expected);
  });
});
