// Where a new volume would fit, as one sentence for a form, before it is
// created: "Fits on 2 of 3 nodes, 180 GiB free in kura-local (at most 120 GiB
// on one node)" or "Does not fit: the most any node has free is 40 GiB".
import { checkFit, type ClassPool, formatSize } from '../provisioning';

export interface FitSentence {
  /** 'fits', 'no-room', or 'unknown' (nothing publishes the class's capacity). */
  kind: 'fits' | 'no-room' | 'unknown';
  text: string;
  /** Nodes that can take it (node-local classes). */
  nodes: string[];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The sentence for a volume of sizeBytes of a class, given the class's pools (undefined: capacity not published). */
export function fitSentence(className: string, pools: readonly ClassPool[] | undefined, sizeBytes: number): FitSentence {
  if (!pools?.length) {
    return {
      kind: 'unknown',
      text: `${className} publishes no capacity (no CSIStorageCapacity objects for it), so Kura cannot tell before it is made whether the volume fits.`,
      nodes: [],
    };
  }
  const fit = checkFit(className, pools, sizeBytes);
  if (fit.fits) return { kind: 'fits', text: capital(fit.message), nodes: fit.nodes };
  const largest = fit.summary.largestFree;
  if (fit.summary.shared) {
    return { kind: 'no-room', text: `Does not fit: ${className} has ${formatSize(largest?.bytes ?? 0)} free, and the volume needs ${formatSize(sizeBytes)}.`, nodes: [] };
  }
  const where = largest?.node ? ` (${largest.node})` : '';
  return {
    kind: 'no-room',
    text: `Does not fit: the most any node has free in ${className} is ${formatSize(largest?.bytes ?? 0)}${where}, and the volume needs ${formatSize(sizeBytes)}.`,
    nodes: [],
  };
}
