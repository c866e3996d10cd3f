// SelfSubjectReview (authentication.k8s.io/v1).
import { defineModel } from './model';

export const SelfSubjectReviewModel = defineModel({
  kind: 'SelfSubjectReview',
  apiGroup: 'authentication.k8s.io',
  apiVersion: 'v1',
  plural: 'selfsubjectreviews',
  namespaced: false,
  label: 'SelfSubjectReview',
  labelPlural: 'SelfSubjectReviews',
  abbr: 'SSR',
  createOnly: true,
});
