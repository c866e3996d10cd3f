// Answers to the review kinds, which are created, answered and never stored:
// SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview, SelfSubjectReview.
import { attributesFromReviewSpec, type RbacAuthorizer, type SubjectAccessReviewSpec } from './auth';
import { errors } from './errors';
import type { ApiDeps, UserInfo } from './rest/scope';

type Answer = ApiDeps['virtual'] extends Map<string, infer F> ? F : never;

function accessReview(authorizer: RbacAuthorizer, kind: string, self: boolean): Answer {
  return (body, user) => {
    const spec = (body.spec ?? {}) as SubjectAccessReviewSpec;
    const subject: UserInfo = self ? user : { username: spec.user ?? '', groups: spec.groups ?? [], uid: spec.uid, extra: spec.extra };
    if (!self && !subject.username && !subject.groups.length) {
      throw errors.invalid({ group: 'authorization.k8s.io', kind }, '', [{ reason: 'FieldValueRequired', field: 'spec.user', message: 'Invalid value: "": at least one of user or group must be specified' }]);
    }
    const attrs = attributesFromReviewSpec(spec, subject as never);
    if ('error' in attrs) {
      throw errors.invalid({ group: 'authorization.k8s.io', kind }, '', [{ reason: 'FieldValueInvalid', field: 'spec', message: `Invalid value: ${attrs.error}` }]);
    }
    return { apiVersion: 'authorization.k8s.io/v1', kind, metadata: { creationTimestamp: null }, spec, status: authorizer.subjectAccessReview(attrs) };
  };
}

export function reviewAnswers(authorizer: RbacAuthorizer): ApiDeps['virtual'] {
  const answers: ApiDeps['virtual'] = new Map();
  answers.set('authorization.k8s.io/selfsubjectaccessreviews', accessReview(authorizer, 'SelfSubjectAccessReview', true));
  answers.set('authorization.k8s.io/subjectaccessreviews', accessReview(authorizer, 'SubjectAccessReview', false));
  answers.set('authorization.k8s.io/selfsubjectrulesreviews', (body, user) => {
    const namespace = ((body.spec ?? {}) as { namespace?: string }).namespace ?? '';
    return {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: { creationTimestamp: null },
      spec: { namespace },
      status: authorizer.rulesFor(user as never, namespace),
    };
  });
  answers.set('authentication.k8s.io/selfsubjectreviews', (_body, user) => ({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: null },
    status: { userInfo: { username: user.username, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}), ...(user.extra ? { extra: user.extra } : {}) } },
  }));
  return answers;
}
