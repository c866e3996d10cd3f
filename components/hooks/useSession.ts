'use client';
// The signed-in user, their CSRF token and the cluster the console talks to.
import { useQuery } from '@tanstack/react-query';
import { consoleKeys } from '@/lib/k8s/queryKeys';
import { consoleFetch, setCsrfToken } from '../api/client';

export interface ClusterInfo {
  mode: 'embedded' | 'kubeconfig' | 'in-cluster';
  name: string;
  server?: string;
  reachable: boolean;
  version?: string;
  problem?: string;
}

export interface SessionInfo {
  authenticated: boolean;
  username?: string;
  groups?: string[];
  csrfToken?: string;
  cluster: ClusterInfo;
}

export async function fetchSession(): Promise<SessionInfo> {
  const res = await consoleFetch('/api/session');
  const body = (await res.json()) as SessionInfo;
  setCsrfToken(body.csrfToken);
  return body;
}

export function useSession() {
  return useQuery({ queryKey: consoleKeys.session, queryFn: fetchSession, staleTime: 15_000, refetchInterval: 30_000 });
}
