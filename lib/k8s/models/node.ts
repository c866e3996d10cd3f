// Node (v1).
import { defineModel } from './model';

export const NodeModel = defineModel({
  kind: 'Node',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'nodes',
  namespaced: false,
  shortNames: ['no'],
  label: 'Node',
  labelPlural: 'Nodes',
  abbr: 'N',
});
