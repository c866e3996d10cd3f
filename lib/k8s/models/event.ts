// Event (v1).
import { defineModel } from './model';

export const EventModel = defineModel({
  kind: 'Event',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'events',
  namespaced: true,
  shortNames: ['ev'],
  label: 'Event',
  labelPlural: 'Events',
  abbr: 'E',
});
