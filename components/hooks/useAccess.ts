'use client';
// May the signed-in user do this? Asked of the cluster with a
// SelfSubjectAccessReview, cached per attributes, so buttons can say why they
// are off instead of failing after a click.
import { useQuery } from '@tanstack/react-query';
import { SelfSubjectAccessReviewModel } from '@/lib/k8s/models';
import { resourcePath } from '@/lib/k8s/paths';
import { k8sRequest } from '../api/client';
import { useSession } from './useSession';

export interface AccessAttributes {
  group: string;
  /** Plural resource name, e.g. "persistentvolumeclaims". */
  resource: string;
  verb: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface AccessReview {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export interface Access {
  /** True or false once the cluster answered; undefined while asking. */
  allowed?: boolean;
  /** The authorizer's reason, when it gave one. */
  reason?: string;
  isLoading: boolean;
}

export function accessKey(a: AccessAttributes) {
  return ['access', a.group, a.resource, a.subresource ?? '', a.verb, a.namespace ?? '', a.name ?? ''] as const;
}

export function useAccess(attributes: AccessAttributes, { enabled = true }: { enabled?: boolean } = {}): Access {
  // The review is a POST: it needs the session's CSRF token, which arrives with the session.
  const hasSession = Boolean(useSession().data?.csrfToken);
  const query = useQuery({
    queryKey: accessKey(attributes),
    enabled: enabled && hasSession,
    staleTime: 60_000,
    retry: false,
    queryFn: async ({ signal }) => {
      const review = await k8sRequest<AccessReview>(resourcePath(SelfSubjectAccessReviewModel), {
        method: 'POST',
        signal,
        json: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { ...attributes, namespace: attributes.namespace ?? '', name: attributes.name ?? '' } },
        },
      });
      return review.status ?? {};
    },
  });
  // A cluster that cannot answer the review (no authorization API) should not
  // lock the user out: the request itself will be checked anyway.
  if (query.isError) return { allowed: true, isLoading: false };
  if (!query.data) return { isLoading: enabled };
  return { allowed: query.data.allowed === true, reason: query.data.reason || query.data.evaluationError || undefined, isLoading: false };
}

/** Why a button is off: "You may not update PersistentVolumeClaims in namespace team-a." plus the authorizer's reason. */
export function deniedMessage(verb: string, kindPlural: string, namespace?: string, reason?: string): string {
  return `You may not ${verb} ${kindPlural}${namespace ? ` in namespace ${namespace}` : ''}.${reason ? ` ${reason}` : ''}`;
}
