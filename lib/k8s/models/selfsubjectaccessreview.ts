// SelfSubjectAccessReview (authorization.k8s.io/v1).
import { defineModel } from './model';

export const SelfSubjectAccessReviewModel = defineModel({
  kind: 'SelfSubjectAccessReview',
  apiGroup: 'authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'selfsubjectaccessreviews',
  namespaced: false,
  label: 'SelfSubjectAccessReview',
  labelPlural: 'SelfSubjectAccessReviews',
  abbr: 'SSAR',
  createOnly: true,
});
