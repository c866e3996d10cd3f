// Who a bearer token belongs to, asked of the cluster itself (SelfSubjectReview),
// so the console never decides on its own that a token is good.
import type { ClusterTarget } from './cluster';
import { clusterRequest } from './cluster';

export interface Identity {
  username: string;
  groups: string[];
}

export class TokenRejected extends Error {}

export async function whoAmI(target: ClusterTarget, token: string): Promise<Identity> {
  const review = await clusterRequest(target, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    token,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  if (review.status === 401) throw new TokenRejected('the cluster did not accept this token (401 Unauthorized); check that it is complete and not expired');
  if (review.status === 200 || review.status === 201) {
    const body = JSON.parse(review.body.toString()) as { status?: { userInfo?: { username?: string; groups?: string[] } } };
    const info = body.status?.userInfo;
    if (info?.username) return { username: info.username, groups: info.groups ?? [] };
  }
  // Clusters older than 1.28 lack SelfSubjectReview: any authenticated request proves the token.
  const probe = await clusterRequest(target, 'GET', '/api', { token });
  if (probe.status === 401) throw new TokenRejected('the cluster did not accept this token (401 Unauthorized); check that it is complete and not expired');
  if (probe.status >= 500) throw new Error(`the cluster answered ${probe.status} while checking the token`);
  return { username: 'token user', groups: [] };
}
