// The embedded nodes as Node objects (what a kubelet publishes): labels, the
// host's CPU and memory, node info, a Ready heartbeat, the health of the node's
// storage pool, and TopoLVM-style free-capacity annotations per node-local class.
import fs from 'node:fs';
import os from 'node:os';
import { NodeModel, StorageClassModel } from '@/lib/k8s/models';
import { formatSize, NODE_TOPOLOGY_KEY } from '@/lib/provisioning';
import { KUBERNETES_VERSION } from '../../apiserver';
import { isAlreadyExists } from '../runtime/client';
import type { Controller } from '../runtime/manager';
import { ClassViews } from './classes';
import { CAPACITY_ANNOTATION_PREFIX, EMBEDDED_NODE_LABEL } from './constants';
import { type StorageOptions, synced } from './context';
import { type Class, type Condition, findCondition, type NodeObject, rfc3339, setCondition } from './objects';
import type { PoolSet } from './pools';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'));
    if (m?.[1]) return m[1];
  } catch {
    /* not Linux, or no os-release */
  }
  return `${os.type()} ${os.release()}`;
}

/** The host as every embedded node reports it (they share one machine). */
export function hostFacts() {
  const memKi = `${Math.floor(os.totalmem() / 1024)}Ki`;
  const cpu = String(os.cpus().length || 1);
  const resources = { cpu, memory: memKi, pods: '110' };
  return {
    arch: ARCH[process.arch] ?? process.arch,
    capacity: resources,
    allocatable: resources,
    nodeInfo: {
      architecture: ARCH[process.arch] ?? process.arch,
      operatingSystem: 'linux',
      osImage: osImage(),
      kernelVersion: os.release(),
      kubeletVersion: KUBERNETES_VERSION.gitVersion,
      kubeProxyVersion: KUBERNETES_VERSION.gitVersion,
      containerRuntimeVersion: 'qemu://embedded',
      machineID: '',
      systemUUID: '',
      bootID: '',
    },
  };
}

export function nodeLabels(name: string, arch: string): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': arch, [NODE_TOPOLOGY_KEY]: name, [EMBEDDED_NODE_LABEL]: 'true' };
}

/** Conditions of a node now: Ready (with a fresh heartbeat) and the pool's health. */
export function nodeConditions(current: readonly Condition[] | undefined, pools: PoolSet, node: string, now: string): Condition[] {
  const pool = pools.nodePool(node);
  const s = pool && pools.safeStatus(pool);
  let conditions = setCondition(current, { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'Kura runs this node in its own process.', lastHeartbeatTime: now }, now);
  const poolReady: Condition = !s
    ? { type: 'StoragePoolReady', status: 'False', reason: 'NoPool', message: `${node} has no storage pool.`, lastHeartbeatTime: now }
    : s.healthy
      ? { type: 'StoragePoolReady', status: 'True', reason: 'PoolHealthy', message: `${formatSize(s.allocatedBytes)} of ${formatSize(s.capacityBytes)} promised to ${s.volumes} volume${s.volumes === 1 ? '' : 's'}, ${formatSize(s.usedBytes)} written.`, lastHeartbeatTime: now }
      : { type: 'StoragePoolReady', status: 'False', reason: 'PoolUnavailable', message: s.problem ?? 'The pool cannot be used.', lastHeartbeatTime: now };
  conditions = setCondition(conditions, poolReady, now);
  return conditions;
}

const comparable = (cs: readonly Condition[] | undefined) => JSON.stringify((cs ?? []).map(({ lastHeartbeatTime: _h, lastTransitionTime: _t, ...rest }) => rest));

export function nodesController(opts: StorageOptions): Controller {
  const now = opts.now ?? Date.now;
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  return {
    name: 'nodes',
    concurrency: 4,
    setup(ctx, queue) {
      const { client } = ctx;
      const pools = opts.pools;
      const nodes = ctx.informer<NodeObject>(NodeModel);
      const classInformer = ctx.informer<Class>(StorageClassModel);
      const classes = new ClassViews(classInformer);
      const all = () => opts.nodes.forEach((n) => queue.add(n));
      const mine = new Set(opts.nodes);
      nodes.on({ delete: (n) => mine.has(n.metadata.name) && queue.add(n.metadata.name) });
      classInformer.on({ add: all, update: all, delete: all });
      pools.onChange(all);
      all();

      const annotationsFor = (name: string): Record<string, string> => {
        const pool = pools.nodePool(name);
        const out: Record<string, string> = {};
        for (const sc of classes.all()) {
          if (sc.driver.known && sc.driver.locality === 'node-local' && pool) out[CAPACITY_ANNOTATION_PREFIX + sc.name] = String(pools.usage(pool, sc).freeBytes);
        }
        return out;
      };

      return async (name) => {
        await synced(nodes, classInformer);
        const facts = hostFacts();
        const t = rfc3339(now());
        const existing = nodes.get(undefined, name);
        const annotations = annotationsFor(name);
        if (!existing) {
          try {
            await client.create(NodeModel, {
              apiVersion: 'v1',
              kind: 'Node',
              metadata: { name, labels: nodeLabels(name, facts.arch), annotations },
              spec: {},
              status: {
                capacity: facts.capacity,
                allocatable: facts.allocatable,
                nodeInfo: facts.nodeInfo,
                addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
                conditions: nodeConditions(undefined, pools, name, t),
              },
            });
          } catch (e) {
            if (!isAlreadyExists(e)) throw e;
          }
          return { requeueAfterMs: heartbeatMs };
        }
        const labels = nodeLabels(name, facts.arch);
        const meta = existing.metadata;
        // Stale capacity annotations of classes that are gone are removed (null in a merge patch).
        const gone = Object.keys(meta.annotations ?? {}).filter((k) => k.startsWith(CAPACITY_ANNOTATION_PREFIX) && !(k in annotations));
        const labelDrift = Object.entries(labels).some(([k, v]) => meta.labels?.[k] !== v);
        const annotationDrift = gone.length > 0 || Object.entries(annotations).some(([k, v]) => meta.annotations?.[k] !== v);
        if (labelDrift || annotationDrift) {
          await client.patch(NodeModel, undefined, name, { metadata: { labels, annotations: { ...annotations, ...Object.fromEntries(gone.map((k) => [k, null])) } } });
        }
        const conditions = nodeConditions(existing.status?.conditions, pools, name, t);
        const beat = findCondition(existing.status?.conditions, 'Ready')?.lastHeartbeatTime;
        const due = !beat || now() - Date.parse(beat) >= heartbeatMs - 1000;
        const drift = comparable(conditions) !== comparable(existing.status?.conditions) || JSON.stringify(existing.status?.capacity) !== JSON.stringify(facts.capacity);
        if (due || drift) {
          await client.patch(NodeModel, undefined, name, { status: { conditions, capacity: facts.capacity, allocatable: facts.allocatable, nodeInfo: facts.nodeInfo } }, 'merge', 'status');
        }
        return { requeueAfterMs: heartbeatMs };
      };
    },
  };
}
