// A throwaway kubeconfig pointing kubectl at a test server.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Write `<dir>/kubeconfig` for `server` (plain http is fine: kubectl follows the kubeconfig) and return its path. */
export function writeTestKubeconfig(dir: string, server: string, token = 'x'): string {
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: t, cluster: {server: "${server}"}}]`,
      `users: [{name: t, user: {token: ${token}}}]`,
      'contexts: [{name: t, context: {cluster: t, user: t}}]',
      'current-context: t',
    ].join('\n'),
  );
  return file;
}
