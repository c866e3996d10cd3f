// Kubernetes' version priority: GA before beta before alpha, higher numbers
// first, then anything else alphabetically (v1 > v1beta2 > v1beta1 > v1alpha1 > foo).
const re = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function rank(v: string): [number, number, number, string] {
  const m = re.exec(v);
  if (!m) return [3, 0, 0, v];
  const major = Number(m[1]);
  const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return [stage, -major, -Number(m[3] ?? 0), ''];
}

/** Negative when `a` is preferred over `b`. */
export function compareKubeVersions(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
  return ra[3].localeCompare(rb[3]);
}
