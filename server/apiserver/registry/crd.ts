// CustomResourceDefinitions: validating them, and turning each served version
// into a ResourceDef so custom resources are served like any other kind.
import { defineModel, CustomResourceDefinitionModel } from '@/lib/k8s/models';
import { jsonPathText, parseJsonPath } from '@/lib/k8s/jsonpath';
import { isDNS1123Subdomain, isDNS1035Label } from '@/lib/k8s/names';
import type { K8sObject, StatusCause } from '@/lib/k8s/types';
import { humanDuration } from '@/lib/format';
import type { JSONSchemaProps, PrinterColumn, ResourceDef } from './types';
import { ageColumn, createdAtColumn, nameColumn } from './printers';
import { allVerbs, builtin, invalidValue, notSupported, required } from './builtin/common';

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: object; scale?: object };
  additionalPrinterColumns?: { name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string }[];
  selectableFields?: { jsonPath: string }[];
}

export interface CRDSpec {
  group: string;
  names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
  scope: 'Namespaced' | 'Cluster';
  versions: CRDVersion[];
  conversion?: { strategy?: string };
  preserveUnknownFields?: boolean;
}

export interface CRD extends K8sObject {
  spec: CRDSpec;
  status?: {
    acceptedNames?: CRDSpec['names'];
    storedVersions?: string[];
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

const dateCell = (v: unknown, now: number) => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
};

function printerColumn(c: NonNullable<CRDVersion['additionalPrinterColumns']>[number]): PrinterColumn {
  const steps = parseJsonPath(c.jsonPath);
  const type = (['string', 'integer', 'number', 'boolean', 'date'].includes(c.type) ? c.type : 'string') as PrinterColumn['type'];
  return {
    name: c.name,
    type,
    format: c.format,
    description: c.description,
    priority: c.priority ?? 0,
    jsonPath: c.jsonPath,
    value: (o, now) => {
      const text = jsonPathText(o, steps);
      if (type === 'date') return text ? dateCell(text, now) : '<unknown>';
      if ((type === 'integer' || type === 'number') && text !== '') return Number(text);
      if (type === 'boolean' && text !== '') return text === 'true';
      return text;
    },
  };
}

/** The ResourceDefs a CRD serves: one per served version, all stored together. */
export function resourcesFromCRD(crd: CRD): ResourceDef[] {
  const { spec } = crd;
  return spec.versions
    .filter((v) => v.served)
    .map((v) => {
      const columns = v.additionalPrinterColumns?.length ? [nameColumn, ...v.additionalPrinterColumns.map(printerColumn)] : [nameColumn, ageColumn];
      const subresources = [...(v.subresources?.status ? ['status'] : []), ...(v.subresources?.scale ? ['scale'] : [])];
      const fieldSelectors: ResourceDef['fieldSelectors'] = {};
      for (const f of v.selectableFields ?? []) {
        const steps = parseJsonPath(f.jsonPath);
        fieldSelectors[f.jsonPath.replace(/^\./, '')] = (o) => jsonPathText(o, steps);
      }
      return {
        model: defineModel({
          kind: spec.names.kind,
          apiGroup: spec.group,
          apiVersion: v.name,
          plural: spec.names.plural,
          singular: spec.names.singular || spec.names.kind.toLowerCase(),
          namespaced: spec.scope === 'Namespaced',
          shortNames: spec.names.shortNames,
          categories: spec.names.categories,
          label: spec.names.kind,
          labelPlural: spec.names.kind + 's',
          abbr: spec.names.kind.replace(/[a-z]/g, '').slice(0, 4) || spec.names.kind.slice(0, 2).toUpperCase(),
        }),
        verbs: allVerbs,
        subresources,
        printerColumns: columns,
        fieldSelectors,
        schema: v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        builtin: false,
        crdName: crd.metadata?.name,
        strategy: { allowUnconditionalUpdate: false },
      } satisfies ResourceDef;
    });
}

/** Checks kube-apiserver makes on a CRD before accepting it (schemas are checked by the schema module). */
export function validateCRD(crd: CRD, checkSchema: (schema: JSONSchemaProps, field: string) => StatusCause[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = crd.spec as Partial<CRDSpec> | undefined;
  if (!spec) return [required('spec')];
  const group = spec.group ?? '';
  if (!group) causes.push(required('spec.group'));
  else {
    for (const m of isDNS1123Subdomain(group)) causes.push(invalidValue('spec.group', group, m));
    if (group.split('.').length < 2) causes.push(invalidValue('spec.group', group, 'should be a domain with at least one dot'));
  }
  const names = spec.names;
  if (!names?.plural) causes.push(required('spec.names.plural'));
  else for (const m of isDNS1035Label(names.plural)) causes.push(invalidValue('spec.names.plural', names.plural, m));
  if (!names?.kind) causes.push(required('spec.names.kind'));
  else if (!/^[A-Z][A-Za-z0-9]*$/.test(names.kind)) causes.push(invalidValue('spec.names.kind', names.kind, 'may have mixed case, but should otherwise match: ^[A-Za-z0-9]*$ and start with a capital letter'));
  if (names?.singular) for (const m of isDNS1035Label(names.singular)) causes.push(invalidValue('spec.names.singular', names.singular, m));
  for (const s of names?.shortNames ?? []) for (const m of isDNS1035Label(s)) causes.push(invalidValue('spec.names.shortNames', s, m));
  if (names?.plural && group && crd.metadata?.name !== `${names.plural}.${group}`) {
    causes.push(invalidValue('metadata.name', crd.metadata?.name, `must be spec.names.plural+"."+spec.group`));
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') causes.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec.versions ?? [];
  if (versions.length === 0) causes.push(required('spec.versions'));
  const storage = versions.filter((v) => v.storage);
  if (versions.length && storage.length !== 1) causes.push(invalidValue('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  if (versions.length && !versions.some((v) => v.served)) causes.push(invalidValue('spec.versions', versions.map((v) => v.name), 'must have at least one served version'));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const f = `spec.versions[${i}]`;
    if (!v.name) causes.push(required(`${f}.name`));
    else {
      for (const m of isDNS1035Label(v.name)) causes.push(invalidValue(`${f}.name`, v.name, m));
      if (seen.has(v.name)) causes.push({ reason: 'FieldValueDuplicate', field: `${f}.name`, message: `Duplicate value: ${JSON.stringify(v.name)}` });
      seen.add(v.name);
    }
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) causes.push(required(`${f}.schema.openAPIV3Schema`));
    else causes.push(...checkSchema(schema, `${f}.schema.openAPIV3Schema`));
    for (const [j, c] of (v.additionalPrinterColumns ?? []).entries()) {
      try {
        parseJsonPath(c.jsonPath);
      } catch (e) {
        causes.push(invalidValue(`${f}.additionalPrinterColumns[${j}].jsonPath`, c.jsonPath, (e as Error).message));
      }
    }
  });
  if (spec.conversion?.strategy && spec.conversion.strategy !== 'None') {
    causes.push(notSupported('spec.conversion.strategy', spec.conversion.strategy, ['None']));
  }
  return causes;
}

/** The CRD kind itself (apiextensions.k8s.io/v1). */
export const crdResource: ResourceDef = {
  ...builtin(CustomResourceDefinitionModel, { subresources: ['status'] }),
  printerColumns: [nameColumn, createdAtColumn],
};
