// PersistentVolume node affinity: which nodes reach a volume, and the one
// node a node-local volume lives on.
import { NODE_TOPOLOGY_KEY } from './drivers';
import type { NodeInfo, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume } from './types';

const HOSTNAME_KEY = 'kubernetes.io/hostname';
const INT = /^-?[0-9]+$/;

function matchesRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const wanted = values[0];
      if (value === undefined || values.length !== 1 || wanted === undefined || !INT.test(value) || !INT.test(wanted)) return false;
      return r.operator === 'Gt' ? BigInt(value) > BigInt(wanted) : BigInt(value) < BigInt(wanted);
    }
    default:
      return false; // an operator we do not know selects nothing, as Kubernetes does
  }
}

function matchesTerm(term: NodeSelectorTerm, node: NodeInfo): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term selects no node (v1.NodeSelectorTerm's documented meaning).
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.labels ?? {};
  return (
    expressions.every((r) => matchesRequirement(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) &&
    fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, node.name))
  );
}

/** Whether a node satisfies node selector terms: any term, every requirement in it. */
export function matchesNodeSelectorTerms(terms: readonly NodeSelectorTerm[], node: NodeInfo): boolean {
  return terms.some((t) => matchesTerm(t, node));
}

/** Whether a volume can be used from a node (a volume without node affinity is reachable from all). */
export function volumeReachableFrom(pv: PersistentVolume, node: NodeInfo): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  return matchesNodeSelectorTerms(required.nodeSelectorTerms ?? [], node);
}

/**
 * The single node a volume's data lives on, when its node affinity names
 * exactly one (local.kura.dev's topology key, or kubernetes.io/hostname for
 * local PVs): what pins the volume's consumer to that node.
 */
export function pinnedNodeOf(pv: PersistentVolume): string | undefined {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  if (terms.length !== 1) return undefined;
  const term = terms[0];
  for (const r of [...(term?.matchExpressions ?? []), ...(term?.matchFields ?? [])]) {
    const byNode = r.key === NODE_TOPOLOGY_KEY || r.key === HOSTNAME_KEY || r.key === 'metadata.name';
    if (byNode && r.operator === 'In' && r.values?.length === 1) return r.values[0];
  }
  return undefined;
}

/** Node affinity that pins a volume to one node, as local.kura.dev writes it on the PVs it makes. */
export function nodeAffinityFor(node: string): { required: { nodeSelectorTerms: NodeSelectorTerm[] } } {
  return { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_TOPOLOGY_KEY, operator: 'In', values: [node] }] }] } };
}
