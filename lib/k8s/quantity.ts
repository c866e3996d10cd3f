// Kubernetes resource.Quantity (storage sizes, CPU, memory): parsing, exact
// arithmetic and the canonical spelling the API server writes back.
//
// Values are held as a bigint count of nano-units, because Kubernetes rounds
// every quantity up to 1n on parse: that makes "1.5Gi", "100m", "1e3" and
// "0.1" exact and keeps comparisons free of float error.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9 (Kubernetes' smallest representable step). */
  readonly nanos: bigint;
  /** How the value is spelled back: 1Gi (BinarySI), 1G (DecimalSI), 1e9 (DecimalExponent). */
  readonly format: QuantityFormat;
}

/** A string that is not a quantity; the message is the one Kubernetes gives. */
export class QuantityError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'QuantityError';
  }
}

const FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX_MESSAGE = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
const MAX_INT64 = 9_223_372_036_854_775_807n;
// Exponents past this would build absurdly large integers; no resource needs them.
const MAX_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_CHARS = new Set('eEinumkKMGTP');

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const abs = (v: bigint): bigint => (v < 0n ? -v : v);
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** Divides, rounding away from zero: Kubernetes rounds "some" up to the smallest step, never down to none. */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d === 0n ? q : q + (n < 0n ? -1n : 1n);
}

interface SuffixMeaning {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string, input: string): SuffixMeaning {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined && Object.hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined && Object.hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: bin, format: 'BinarySI' };
  // "E" alone is exa (matched above); e/E followed by a signed integer is an exponent.
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > 1e15) throw new QuantityError(SUFFIX_MESSAGE, input);
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityError(SUFFIX_MESSAGE, input);
}

/**
 * Parses a quantity the way the API server does ("1.5Gi", "100m", "1e3", 2).
 * Throws QuantityError for anything else ("", "1.2.3", "1gi", " 1Gi", "Gi").
 */
export function parseQuantity(input: string | number): Quantity {
  const s = typeof input === 'number' ? numberToQuantityString(input) : input;
  if (s === '') throw new QuantityError(FORMAT_MESSAGE, s);

  let pos = 0;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    pos++;
  }
  const intStart = pos;
  while (isDigit(s[pos])) pos++;
  const intDigits = s.slice(intStart, pos);
  let fracDigits = '';
  let sawPoint = false;
  if (s[pos] === '.') {
    sawPoint = true;
    const fracStart = ++pos;
    while (isDigit(s[pos])) pos++;
    fracDigits = s.slice(fracStart, pos);
  }
  // Kubernetes' hand-written parser reads "Gi" or "-" as zero, but its own
  // documented grammar (the regex in the message) needs a digit or a point.
  if (intDigits === '' && !sawPoint) throw new QuantityError(FORMAT_MESSAGE, s);

  const suffixStart = pos;
  while (pos < s.length && SUFFIX_CHARS.has(s[pos] as string)) pos++;
  if (s[pos] === '-' || s[pos] === '+') pos++;
  while (isDigit(s[pos])) pos++;
  if (pos !== s.length) throw new QuantityError(FORMAT_MESSAGE, s);
  const { base, exponent, format } = interpretSuffix(s.slice(suffixStart), s);

  const mantissa = BigInt((intDigits || '0') + fracDigits);
  if (mantissa === 0n) return { nanos: 0n, format };

  let nanos: bigint;
  if (base === 10) {
    const shift = exponent - fracDigits.length + 9;
    if (shift > MAX_EXPONENT) throw new QuantityError(`quantity ${JSON.stringify(s)} is too large`, s);
    if (shift >= 0) nanos = mantissa * pow10(shift);
    // Below one nano-unit: rounds up to the smallest step without building 10^huge.
    else if (mantissa.toString().length + shift < 0) nanos = 1n;
    else nanos = divAwayFromZero(mantissa, pow10(-shift));
  } else {
    nanos = divAwayFromZero(mantissa * (1n << BigInt(exponent)) * NANO, pow10(fracDigits.length));
  }

  let finalFormat = format;
  if (format === 'BinarySI') {
    // Kubernetes caps binary quantities at the largest int64 and prints
    // fractions of a byte in decimal ("0.5Ki" is 512, ".001Ki" is 1024m).
    if (nanos > MAX_INT64 * NANO) nanos = MAX_INT64 * NANO;
    if (nanos < NANO) finalFormat = 'DecimalSI';
  }
  return { nanos: negative ? -nanos : nanos, format: finalFormat };
}

/** Like parseQuantity, but returns undefined instead of throwing (for form validation). */
export function tryParseQuantity(input: string | number): Quantity | undefined {
  try {
    return parseQuantity(input);
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}

function numberToQuantityString(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(FORMAT_MESSAGE, String(n));
  // String(1e21) is "1e+21", which is a valid quantity spelling.
  return Object.is(n, -0) ? '0' : String(n);
}

function toQuantity(q: Quantity | string | number): Quantity {
  return typeof q === 'object' ? q : parseQuantity(q);
}

/** A quantity holding a whole number of units (bytes, cores…), like resource.NewQuantity. */
export function newQuantity(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(value) * NANO, format };
}

/** A quantity holding a number of thousandths (millicores), like resource.NewMilliQuantity. */
export function newMilliQuantity(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return { nanos: BigInt(milli) * 1_000_000n, format };
}

/** The value in whole units, rounded away from zero like Quantity.Value() ("1.5" is 2, "100m" is 1). */
export function quantityValue(q: Quantity | string | number): bigint {
  return divAwayFromZero(toQuantity(q).nanos, NANO);
}

/** The value in thousandths, rounded away from zero like Quantity.MilliValue(). */
export function quantityMilliValue(q: Quantity | string | number): bigint {
  return divAwayFromZero(toQuantity(q).nanos, 1_000_000n);
}

/** A storage quantity in bytes ("1Gi" is 1073741824n); fractions of a byte round up. */
export function quantityToBytes(q: Quantity | string | number): bigint {
  return quantityValue(q);
}

export function compareQuantities(a: Quantity | string | number, b: Quantity | string | number): -1 | 0 | 1 {
  const x = toQuantity(a).nanos;
  const y = toQuantity(b).nanos;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a + b, keeping a's format unless a is zero (as Quantity.Add does). */
export function addQuantities(a: Quantity | string | number, b: Quantity | string | number): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return { nanos: x.nanos + y.nanos, format: x.nanos === 0n ? y.format : x.format };
}

/** a - b, keeping a's format unless a is zero (as Quantity.Sub does). */
export function subtractQuantities(a: Quantity | string | number, b: Quantity | string | number): Quantity {
  const x = toQuantity(a);
  const y = toQuantity(b);
  return { nanos: x.nanos - y.nanos, format: x.nanos === 0n ? y.format : x.format };
}

/**
 * The canonical spelling Kubernetes writes back (Quantity.String()): binary
 * values that are whole multiples of 1024 keep a binary suffix ("1024Mi" is
 * "1Gi", "1.5Gi" is "1536Mi"), decimal ones take the largest suffix whose
 * exponent is a multiple of three ("1000" is "1k", "0.1" is "100m").
 */
export function formatQuantity(q: Quantity | string | number): string {
  const { nanos, format } = toQuantity(q);
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const magnitude = abs(nanos);

  if (format === 'BinarySI' && magnitude >= 1024n * NANO && magnitude % NANO === 0n) {
    let value = magnitude / NANO;
    let power = 0;
    // Past Ei there is no suffix; Kubernetes never stores more than 8Ei anyway.
    while (power < BINARY_NAMES.length - 1 && value % 1024n === 0n) {
      value /= 1024n;
      power++;
    }
    return `${sign}${value}${BINARY_NAMES[power]}`;
  }

  // Move trailing zeros into the exponent, then lower it to a multiple of 3.
  let mantissa = magnitude;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  if (exponent > 18) {
    // Beyond exa there is no SI suffix; keep the digits rather than drop the exponent.
    mantissa *= pow10(exponent - 18);
    exponent = 18;
  }
  return `${sign}${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * Human-readable size in binary units for display ("1.5 GiB", "512 MiB",
 * "100 B"), rounded half up to `fractionDigits` places, trailing zeros dropped.
 */
export function formatBytes(bytes: number | bigint, fractionDigits = 1): string {
  if (typeof bytes === 'number' && !Number.isFinite(bytes)) throw new RangeError(`formatBytes: ${bytes} is not a size`);
  const value = typeof bytes === 'bigint' ? bytes : BigInt(Math.round(bytes));
  const sign = value < 0n ? '-' : '';
  const magnitude = abs(value);
  const scale = pow10(fractionDigits);

  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && magnitude >= 1024n ** BigInt(unit + 1)) unit++;
  let scaled = roundHalfUp(magnitude * scale, 1024n ** BigInt(unit));
  // 1023.96 KiB rounds to 1024.0 KiB: show it as 1 MiB instead.
  if (scaled >= 1024n * scale && unit < BYTE_UNITS.length - 1) {
    unit++;
    scaled = roundHalfUp(magnitude * scale, 1024n ** BigInt(unit));
  }
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(fractionDigits, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''} ${BYTE_UNITS[unit]}`;
}

function roundHalfUp(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (d * 2n);
}
