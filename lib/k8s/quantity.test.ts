import { describe, expect, it } from 'vitest';
import {
  addQuantities,
  compareQuantities,
  formatBytes,
  formatQuantity,
  newMilliQuantity,
  newQuantity,
  parseQuantity,
  QuantityError,
  quantityMilliValue,
  quantityToBytes,
  quantityValue,
  subtractQuantities,
  tryParseQuantity,
} from './quantity';

describe('parseQuantity + formatQuantity (canonical form, as Quantity.String())', () => {
  it.each([
    ['0', '0'],
    ['0Gi', '0'],
    ['1', '1'],
    ['+1', '1'],
    ['01', '1'],
    ['1.', '1'],
    ['.', '0'],
    ['1Ki', '1Ki'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['100Ti', '100Ti'],
    ['1025Ki', '1025Ki'],
    ['5Ki', '5Ki'],
    ['512', '512'],
    ['1000M', '1G'],
    ['1000', '1k'],
    ['50k', '50k'],
    ['1.G', '1G'],
    ['300.2T', '300200G'],
    ['1.01E', '1010P'],
    ['12E', '12E'],
    ['100m', '100m'],
    ['0.1', '100m'],
    ['1.5', '1500m'],
    ['1.08', '1080m'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['1E-3', '1e-3'],
    ['0.5e-1', '50e-3'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    // Sub-nano amounts round up to the smallest step, never down to zero.
    ['.000000000001Ki', '2n'],
    ['3.001n', '4n'],
    ['0.0000000001', '1n'],
    ['1.1E-9', '2e-9'],
    ['1e-1000000', '1e-9'],
    // Binary quantities are capped at the largest int64.
    ['9Ei', '9223372036854775807'],
    ['-1.5Gi', '-1536Mi'],
    ['-100m', '-100m'],
    ['-0', '0'],
  ])('%s → %s', (input, canonical) => {
    expect(formatQuantity(parseQuantity(input))).toBe(canonical);
  });

  it.each([
    [2, '2'],
    [0.1, '100m'],
    [1.5, '1500m'],
    [1e21, '1e21'],
    [-0, '0'],
  ])('number %s → %s', (input, canonical) => {
    expect(formatQuantity(input)).toBe(canonical);
  });

  it('keeps the exponent past exa instead of printing a wrong number', () => {
    // Kubernetes prints "1" here (it has no suffix for 10^21); we keep the value.
    expect(formatQuantity('1000E')).toBe('1000E');
  });

  it.each([
    ['1Gi', 'BinarySI'],
    ['0.5Ki', 'BinarySI'],
    ['0.5', 'DecimalSI'],
    // A binary quantity below 1 switches to decimal, as Kubernetes does.
    ['.5Mi', 'BinarySI'],
    ['0.0001Ki', 'DecimalSI'],
    ['1k', 'DecimalSI'],
    ['1e3', 'DecimalExponent'],
    ['1E', 'DecimalSI'],
  ])('%s has format %s', (input, format) => {
    expect(parseQuantity(input).format).toBe(format);
  });
});

describe('parseQuantity rejects what Kubernetes rejects', () => {
  const FORMAT =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const SUFFIX = "unable to parse quantity's suffix";
  it.each([
    ['', FORMAT],
    [' 1Gi', FORMAT],
    ['1Gi ', FORMAT],
    ['1 ', FORMAT],
    ['1.2.3', FORMAT],
    ['1.1.M', FORMAT],
    ['1+1.0M', FORMAT],
    ['Gi', FORMAT],
    ['-', FORMAT],
    ['1gi', FORMAT],
    ['0.1am', FORMAT],
    ['aoeu', FORMAT],
    ['--1', FORMAT],
    ['0.1mi', SUFFIX],
    ['.5i', SUFFIX],
    ['1i', SUFFIX],
    ['1Mii', SUFFIX],
    ['1e', SUFFIX],
    ['-3.01e-', SUFFIX],
    ['1ee3', SUFFIX],
  ])('%j: %s', (input, message) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(message);
    expect(tryParseQuantity(input)).toBeUndefined();
  });

  it.each([NaN, Infinity])('rejects the number %s', (n) => {
    expect(() => parseQuantity(n)).toThrow(QuantityError);
  });
});

describe('exact values', () => {
  it.each([
    ['1Gi', 1073741824n],
    ['1.5Gi', 1610612736n],
    ['1G', 1000000000n],
    ['1e3', 1000n],
    ['1.5', 2n],
    ['100m', 1n],
    ['1n', 1n],
    ['-1.5', -2n],
    ['0', 0n],
    ['8Ei', 9223372036854775807n],
    ['18E', 18000000000000000000n],
  ])('quantityValue(%s) = %s (rounded away from zero like Value())', (input, value) => {
    expect(quantityValue(input)).toBe(value);
  });

  it.each([
    ['1.5', 1500n],
    ['100m', 100n],
    ['0.1m', 1n],
    ['1n', 1n],
    ['2', 2000n],
  ])('quantityMilliValue(%s) = %s', (input, milli) => {
    expect(quantityMilliValue(input)).toBe(milli);
  });

  it('quantityToBytes reads storage sizes', () => {
    expect(quantityToBytes('10Gi')).toBe(10737418240n);
    expect(quantityToBytes(parseQuantity('1.5Gi'))).toBe(1610612736n);
  });

  it.each([
    ['1Gi', '1024Mi', 0],
    ['1G', '1Gi', -1],
    ['100m', '0.1', 0],
    ['1e3', '1k', 0],
    ['-1', '0', -1],
    ['2Ti', '2T', 1],
    ['0.1', '0.10000000001', -1],
  ])('compareQuantities(%s, %s) = %s', (a, b, expected) => {
    expect(compareQuantities(a, b)).toBe(expected);
  });

  it.each([
    ['1Gi', '512Mi', '1536Mi'],
    ['0', '1Gi', '1Gi'],
    ['100m', '900m', '1'],
    ['1G', '1Gi', '2073741824'],
    ['0.1', '0.2', '300m'],
  ])('addQuantities(%s, %s) = %s', (a, b, sum) => {
    expect(formatQuantity(addQuantities(a, b))).toBe(sum);
  });

  it.each([
    ['2Gi', '512Mi', '1536Mi'],
    ['1', '1500m', '-500m'],
    ['0', '1Gi', '-1Gi'],
  ])('subtractQuantities(%s, %s) = %s', (a, b, difference) => {
    expect(formatQuantity(subtractQuantities(a, b))).toBe(difference);
  });

  it.each([
    [newQuantity(1073741824, 'BinarySI'), '1Gi'],
    [newQuantity(1000n), '1k'],
    [newMilliQuantity(1500), '1500m'],
    [newMilliQuantity(2000), '2'],
  ])('constructed quantity formats as %s', (q, text) => {
    expect(formatQuantity(q)).toBe(text);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [100, '100 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1610612736, '1.5 GiB'],
    [1073741824n, '1 GiB'],
    [1048575, '1 MiB'],
    [-1536, '-1.5 KiB'],
    [2n ** 60n, '1 EiB'],
    [2n ** 70n, '1024 EiB'],
    [1288490189, '1.2 GiB'],
    [10.4, '10 B'],
  ])('%s → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('honours fractionDigits', () => {
    expect(formatBytes(1395864371, 2)).toBe('1.3 GiB');
    expect(formatBytes(1417339208, 2)).toBe('1.32 GiB');
    expect(formatBytes(1610612736, 0)).toBe('2 GiB');
  });

  it('rejects non-finite numbers', () => {
    expect(() => formatBytes(NaN)).toThrow(RangeError);
  });
});
