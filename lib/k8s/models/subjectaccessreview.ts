// SubjectAccessReview (authorization.k8s.io/v1).
import { defineModel } from './model';

export const SubjectAccessReviewModel = defineModel({
  kind: 'SubjectAccessReview',
  apiGroup: 'authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'subjectaccessreviews',
  namespaced: false,
  label: 'SubjectAccessReview',
  labelPlural: 'SubjectAccessReviews',
  abbr: 'SAR',
  createOnly: true,
});
