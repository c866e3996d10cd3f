// Sizes in provisioning and scheduling are plain numbers of bytes. Why not
// bigint: these values cross to the browser as JSON (bigint does not
// serialise), the scheduler's hot loop runs on Float64Arrays, and ratios such
// as overprovisioning are fractional anyway. A double holds every whole byte
// count exactly up to 2^53 − 1 B (8 PiB − 1 B); larger sizes are refused at
// the boundary (bytesFromQuantity) rather than silently rounded.
import { formatBytes, quantityToBytes, type Quantity, QuantityError } from '../k8s';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const PiB = 1024 * TiB;

/** The largest size Kura accounts exactly: Number.MAX_SAFE_INTEGER bytes (just under 8 PiB). */
export const MAX_SAFE_BYTES = Number.MAX_SAFE_INTEGER;

/** A storage quantity ("10Gi", "1.5T", 1073741824) in bytes; throws QuantityError or RangeError (above 8 PiB). */
export function bytesFromQuantity(q: Quantity | string | number): number {
  const bytes = quantityToBytes(q);
  if (bytes > BigInt(MAX_SAFE_BYTES) || bytes < -BigInt(MAX_SAFE_BYTES)) {
    throw new RangeError(`${typeof q === 'object' ? 'size' : String(q)} is 8 PiB or more, beyond what Kura can account exactly`);
  }
  return Number(bytes);
}

/** Like bytesFromQuantity, but returns the problem as a message instead of throwing (for validation). */
export function parseBytes(q: string | number | undefined | null): { bytes: number; error?: undefined } | { bytes?: undefined; error: string } {
  if (q === undefined || q === null) return { error: 'required' };
  try {
    return { bytes: bytesFromQuantity(q) };
  } catch (e) {
    if (e instanceof QuantityError) return { error: e.message };
    if (e instanceof RangeError) return { error: e.message };
    throw e;
  }
}

/** A size for people: "20 GiB", "1.5 TiB" (negative sizes show as 0: nothing free is nothing free). */
export function formatSize(bytes: number): string {
  return formatBytes(Math.max(0, bytes));
}
