// Test fixtures shared by the field manager's tests.
import { objectMetaPatchMeta, type PatchMeta } from './patch';

/** A small kind ("Widget") with every list flavour: keyed (containers, and ports by two keys), set, atomic, and an atomic map. */
export const widgetPatchMeta: PatchMeta = {
  fields: {
    metadata: objectMetaPatchMeta,
    spec: {
      fields: {
        containers: {
          strategy: 'merge',
          mergeKey: 'name',
          items: { fields: { ports: { strategy: 'merge', mergeKey: 'containerPort', listMapKeys: ['containerPort', 'protocol'] } } },
        },
        tags: { strategy: 'merge' },
        args: {},
        selector: { mapType: 'atomic' },
      },
    },
  },
};
