// StorageClass views (lib/provisioning) as placement sees them.
import type { PoolUsage, StorageClassView } from '../provisioning';
import type { SchedulingClass } from './types';

/**
 * How a class constrains placement: Kura's node-local driver → 'node',
 * its shared driver → 'shared' (checked against `sharedPool` when given),
 * any other driver → 'unknown' unless the caller knows per-node capacity for
 * it (a real cluster's CSIStorageCapacity), in which case pass topology 'node'.
 */
export function schedulingClassOf(
  sc: StorageClassView,
  sharedPool?: Pick<PoolUsage, 'freeBytes'>,
  topology?: SchedulingClass['topology'],
): SchedulingClass {
  const scoreDivisor = sc.kura.scoreDivisor;
  if (topology) return { topology, scoreDivisor, sharedFreeBytes: topology === 'shared' ? sharedPool?.freeBytes : undefined };
  if (!sc.driver.known) return { topology: 'unknown', scoreDivisor };
  if (sc.driver.locality === 'node-local') return { topology: 'node', scoreDivisor };
  return { topology: 'shared', scoreDivisor, sharedFreeBytes: sharedPool?.freeBytes };
}

/** Every class by name, for placeVm / rankNodes; shared pools by class name. */
export function schedulingClasses(
  classes: readonly StorageClassView[],
  sharedPools: Readonly<Record<string, Pick<PoolUsage, 'freeBytes'>>> = {},
): Record<string, SchedulingClass> {
  const out: Record<string, SchedulingClass> = {};
  for (const sc of classes) out[sc.name] = schedulingClassOf(sc, Object.hasOwn(sharedPools, sc.name) ? sharedPools[sc.name] : undefined);
  return out;
}
