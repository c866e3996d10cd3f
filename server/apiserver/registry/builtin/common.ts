// Pieces shared by the built-in resource definitions.
import type { K8sModel } from '@/lib/k8s/models';
import type { StatusCause } from '@/lib/k8s/types';
import { tryParseQuantity } from '@/lib/k8s/quantity';
import type { PrinterColumn, ResourceDef, Strategy } from '../types';
import { ageColumn, nameColumn } from '../printers';

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function builtin(
  model: K8sModel,
  opts: { columns?: PrinterColumn[]; subresources?: string[]; fieldSelectors?: ResourceDef['fieldSelectors']; strategy?: Strategy; verbs?: string[] } = {},
): ResourceDef {
  return {
    model,
    verbs: opts.verbs ?? allVerbs,
    subresources: opts.subresources ?? [],
    // Age comes last unless the kind places it (kubectl's wide columns follow Age for some kinds).
    printerColumns: opts.columns?.includes(ageColumn) ? [nameColumn, ...opts.columns] : [nameColumn, ...(opts.columns ?? []), ageColumn],
    fieldSelectors: opts.fieldSelectors,
    builtin: true,
    strategy: { allowUnconditionalUpdate: true, ...opts.strategy },
  };
}

export const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', field, message: 'Required value' });
export const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
});
export const notSupported = (field: string, value: unknown, allowed: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`,
});

/** Check a map of resource quantities (requests, capacity…): each a valid, non-negative quantity. */
export function validateQuantities(map: unknown, field: string, causes: StatusCause[]): void {
  if (map === undefined || map === null) return;
  if (typeof map !== 'object') {
    causes.push(invalidValue(field, map, 'must be a map of resource names to quantities'));
    return;
  }
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    const q = typeof v === 'string' || typeof v === 'number' ? tryParseQuantity(v) : undefined;
    if (!q) causes.push(invalidValue(`${field}[${k}]`, v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
    else if (q.nanos < 0n) causes.push(invalidValue(`${field}[${k}]`, v, 'must be greater than or equal to 0'));
  }
}
