// Public face of lib/scheduling: where a VM and its volumes fit (filter with
// reasons, TopoLVM-style storage score plus CPU/memory headroom), fast over a
// compiled cluster or plainly over a node list, and why a claim is pending.
export * from './types';
export { capacityToScore, leastAllocatedScore, combineScores } from './score';
export { type ClassNeed, type RequestPlan, planRequest } from './plan';
export { formatCpu } from './explain';
export { type NodeEvaluation, evaluateNode, rankNodes, compareRanked } from './evaluate';
export { type ClusterSnapshot, compileCluster, refreshNode, refreshSharedPool } from './snapshot';
export { placeVm } from './place';
export { schedulingClassOf, schedulingClasses } from './classes';
export * from './pending';
