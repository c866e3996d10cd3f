import type { NextConfig } from 'next';

// The console is served by server/main.ts (a custom Node server, so websocket
// upgrades and the Kubernetes proxy can stream); Next renders the pages only.
const config: NextConfig = {
  // The container image runs the standalone output (see Dockerfile); npm start runs .next in place.
  output: process.env.KURA_STANDALONE === '1' ? 'standalone' : undefined,
  reactStrictMode: true,
  // `npm test` type-checks the whole tree with tsc; checking again here only slows `npm start`.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // Native and Node-only packages stay out of the page bundles.
  serverExternalPackages: ['better-sqlite3', '@kubernetes/client-node'],
  transpilePackages: ['@patternfly/react-core', '@patternfly/react-table', '@patternfly/react-icons'],
};

export default config;
