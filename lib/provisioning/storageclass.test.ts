import { describe, expect, it } from 'vitest';
import {
  BETA_DEFAULT_CLASS_ANNOTATION,
  DEFAULT_CLASS_ANNOTATION,
  isDefaultStorageClass,
  parseKuraParameters,
  parseStorageClass,
} from './storageclass';
import type { StorageClass } from './types';

const sc = (over: Partial<StorageClass> = {}, annotations?: Record<string, string>): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'kura-local', annotations, creationTimestamp: '2026-01-01T00:00:00Z' },
  provisioner: 'local.kura.dev',
  ...over,
});

describe('parseStorageClass', () => {
  it('fills in Kubernetes and Kura defaults', () => {
    const { storageClass, errors } = parseStorageClass(sc({ volumeBindingMode: 'WaitForFirstConsumer' }));
    expect(errors).toEqual([]);
    expect(storageClass).toMatchObject({
      name: 'kura-local',
      provisioner: 'local.kura.dev',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
      mountOptions: [],
      isDefault: false,
      kura: { overprovisionRatio: 1, scoreDivisor: 1, imageFormat: 'qcow2' },
      driver: { known: true, locality: 'node-local' },
    });
  });

  it('reads every field it is given', () => {
    const { storageClass } = parseStorageClass(
      sc({
        reclaimPolicy: 'Retain',
        allowVolumeExpansion: true,
        mountOptions: ['discard'],
        parameters: { 'kura.dev/overprovision-ratio': '2.5', 'kura.dev/score-divisor': '10', 'kura.dev/image-format': 'qcow2' },
      }),
    );
    expect(storageClass).toMatchObject({
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: true,
      mountOptions: ['discard'],
      kura: { overprovisionRatio: 2.5, scoreDivisor: 10, imageFormat: 'qcow2' },
    });
  });

  it.each<[string, Partial<StorageClass>, { field: string; reason: string; message: RegExp }]>([
    ['no provisioner', { provisioner: '' }, { field: 'provisioner', reason: 'FieldValueRequired', message: /^Required value: name the CSI driver/ }],
    ['Recycle', { reclaimPolicy: 'Recycle' }, { field: 'reclaimPolicy', reason: 'FieldValueNotSupported', message: /"Delete", "Retain"/ }],
    ['a binding mode typo', { volumeBindingMode: 'Later' }, { field: 'volumeBindingMode', reason: 'FieldValueNotSupported', message: /^Unsupported value: "Later"/ }],
    ['a non-string parameter', { parameters: { 'kura.dev/score-divisor': 2 } }, { field: 'parameters[kura.dev/score-divisor]', reason: 'FieldValueInvalid', message: /must be a string/ }],
  ])('refuses %s', (_, over, want) => {
    const { errors } = parseStorageClass(sc(over));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(want);
    expect(errors[0]?.message).toMatch(want.message);
  });

  it('warns about Immediate binding on node-local volumes only', () => {
    expect(parseStorageClass(sc()).warnings[0]).toMatch(/WaitForFirstConsumer lets the scheduler pick a node/);
    expect(parseStorageClass(sc({ volumeBindingMode: 'WaitForFirstConsumer' })).warnings).toEqual([]);
    expect(parseStorageClass(sc({ provisioner: 'shared.kura.dev' })).warnings).toEqual([]);
  });

  it('says "unknown" for another driver instead of refusing its parameters', () => {
    const { storageClass, errors } = parseStorageClass(sc({ provisioner: 'topolvm.io', parameters: { 'topolvm.io/device-class': 'ssd' } }));
    expect(errors).toEqual([]);
    expect(storageClass.driver).toEqual({ known: false, name: 'topolvm.io', provisions: true });
  });
});

describe('default class annotations', () => {
  it.each<[Record<string, string> | undefined, boolean]>([
    [undefined, false],
    [{ [DEFAULT_CLASS_ANNOTATION]: 'true' }, true],
    [{ [BETA_DEFAULT_CLASS_ANNOTATION]: 'true' }, true],
    [{ [DEFAULT_CLASS_ANNOTATION]: 'True' }, false], // Kubernetes compares with "true" exactly
    [{ [DEFAULT_CLASS_ANNOTATION]: 'false', [BETA_DEFAULT_CLASS_ANNOTATION]: 'true' }, true],
  ])('%j → %s', (annotations, want) => {
    expect(isDefaultStorageClass(sc({}, annotations))).toBe(want);
    expect(parseStorageClass(sc({}, annotations)).storageClass.isDefault).toBe(want);
  });
});

describe('parseKuraParameters', () => {
  it.each<[string, string, Record<string, string>, string | undefined]>([
    ['ratio 1.0', 'local.kura.dev', { 'kura.dev/overprovision-ratio': '1.0' }, undefined],
    ['ratio 3', 'local.kura.dev', { 'kura.dev/overprovision-ratio': '3' }, undefined],
    ['ratio below 1', 'local.kura.dev', { 'kura.dev/overprovision-ratio': '0.5' }, 'parameters[kura.dev/overprovision-ratio]: Invalid value: "0.5": must be a decimal number of at least 1.0'],
    ['ratio not a number', 'local.kura.dev', { 'kura.dev/overprovision-ratio': 'double' }, 'parameters[kura.dev/overprovision-ratio]: Invalid value: "double"'],
    ['ratio with exponent', 'local.kura.dev', { 'kura.dev/overprovision-ratio': '1e3' }, 'parameters[kura.dev/overprovision-ratio]: Invalid value: "1e3"'],
    ['divisor 0', 'local.kura.dev', { 'kura.dev/score-divisor': '0' }, 'parameters[kura.dev/score-divisor]: Invalid value: "0": must be a decimal number greater than 0'],
    ['divisor negative', 'local.kura.dev', { 'kura.dev/score-divisor': '-1' }, 'parameters[kura.dev/score-divisor]: Invalid value: "-1"'],
    ['divisor 0.5', 'local.kura.dev', { 'kura.dev/score-divisor': '0.5' }, undefined],
    ['image format vmdk', 'local.kura.dev', { 'kura.dev/image-format': 'vmdk' }, 'parameters[kura.dev/image-format]: Unsupported value: "vmdk": supported values: "raw", "qcow2"'],
    ['unknown kura.dev key', 'topolvm.io', { 'kura.dev/ratio': '2' }, 'parameters[kura.dev/ratio]: Unsupported value: "kura.dev/ratio": Kura has no such parameter'],
    ['a typo on a Kura driver', 'shared.kura.dev', { fstype: 'xfs' }, 'parameters[fstype]: Unsupported value: "fstype": shared.kura.dev has no such parameter'],
    ["external-provisioner's keys", 'local.kura.dev', { 'csi.storage.k8s.io/fstype': 'xfs' }, undefined],
    ["another driver's keys", 'ebs.csi.aws.com', { type: 'gp3' }, undefined],
  ])('%s', (_, provisioner, params, want) => {
    const { errors } = parseKuraParameters(provisioner, params);
    const text = errors.map((e) => `${e.field}: ${e.message}`);
    if (want === undefined) expect(text).toEqual([]);
    else {
      expect(text).toHaveLength(1);
      expect(text[0]?.startsWith(want)).toBe(true);
    }
  });

  it('falls back to the default when a value is invalid, so the class can still be shown', () => {
    const { parameters } = parseKuraParameters('local.kura.dev', { 'kura.dev/overprovision-ratio': '0.5', 'kura.dev/score-divisor': 'x' });
    expect(parameters).toEqual({ overprovisionRatio: 1, scoreDivisor: 1, imageFormat: 'qcow2' });
  });
});
