// SelfSubjectRulesReview (authorization.k8s.io/v1).
import { defineModel } from './model';

export const SelfSubjectRulesReviewModel = defineModel({
  kind: 'SelfSubjectRulesReview',
  apiGroup: 'authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'selfsubjectrulesreviews',
  namespaced: false,
  label: 'SelfSubjectRulesReview',
  labelPlural: 'SelfSubjectRulesReviews',
  abbr: 'SSRR',
  createOnly: true,
});
