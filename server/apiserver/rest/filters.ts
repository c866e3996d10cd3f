// Label and field selectors of list and watch requests, checked once per request.
import { objectMetaFields, parseFieldSelector, unsupportedFieldLabel, matchesFieldSelector, type FieldSelectorRequirement } from '@/lib/k8s/fields';
import { matchesLabelSelector, parseLabelSelector, type LabelSelectorRequirement } from '@/lib/k8s/labels';
import type { K8sObject } from '@/lib/k8s/types';
import { errors } from '../errors';
import type { ResourceDef } from '../registry';

export interface ObjectFilter {
  /** True when an object passes both selectors. */
  matches(obj: K8sObject): boolean;
  /** No selector at all: everything passes. */
  everything: boolean;
  /** A `metadata.name=x` field selector, which lets a read skip to one key. */
  name?: string;
}

export function buildFilter(def: ResourceDef, query: URLSearchParams): ObjectFilter {
  let labels: LabelSelectorRequirement[] = [];
  let fields: FieldSelectorRequirement[] = [];
  try {
    labels = parseLabelSelector(query.get('labelSelector') ?? '');
  } catch (e) {
    throw errors.badRequest(`unable to parse requirement: ${(e as Error).message}`);
  }
  try {
    fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  } catch (e) {
    throw errors.badRequest(`invalid field selector: ${(e as Error).message}`);
  }
  const extra = def.fieldSelectors ?? {};
  const supported = ['metadata.name', ...(def.model.namespaced ? ['metadata.namespace'] : []), ...Object.keys(extra)];
  const unsupported = unsupportedFieldLabel(fields, supported);
  if (unsupported) throw errors.badRequest(unsupported);
  const name = fields.find((f) => f.field === 'metadata.name' && f.operator === '=')?.value;
  const everything = labels.length === 0 && fields.length === 0;
  return {
    everything,
    name,
    matches(obj) {
      if (everything) return true;
      if (labels.length && !matchesLabelSelector(labels, obj.metadata?.labels ?? {})) return false;
      if (!fields.length) return true;
      const set = objectMetaFields(obj.metadata, def.model.namespaced);
      for (const f of fields) {
        if (f.field in set) continue;
        const get = extra[f.field];
        set[f.field] = get?.(obj) ?? '';
      }
      return matchesFieldSelector(fields, set);
    },
  };
}
