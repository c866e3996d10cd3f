// The status column of a PersistentVolumeClaim: its phase, and for a claim
// that is not bound a short reason (from lib/scheduling's explainPendingClaim
// and the claim's latest Warning event), with the whole story for a tooltip.
import { getFinalizers, getPvcPhase, getPvcResizeState, isTerminating, type K8sObject, type StatusTone } from '../k8s';
import type { PendingExplanation, PendingReason } from '../scheduling';

/** A core v1 Event, the fields read here. */
export interface ClaimEvent {
  type?: string;
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { lastObservedTime?: string } | null;
  metadata?: { creationTimestamp?: string };
}

export interface ClaimStatus {
  /** The phase as kubectl shows it (or Terminating). */
  text: string;
  tone: StatusTone;
  /** One short line under the phase: "Waiting for a VM to use it (WaitForFirstConsumer)". */
  reason?: string;
  /** The whole explanation, for a tooltip. */
  detail?: string;
}

const SHORT: Record<PendingReason, string> = {
  Bound: 'Bound',
  Lost: 'Its volume is gone',
  Terminating: 'Being deleted',
  InvalidClaim: 'Cannot be satisfied',
  VolumeNotFound: 'Its volume does not exist',
  VolumeTaken: 'Its volume belongs to another claim',
  VolumeMismatch: 'Its volume does not fit',
  MatchingVolume: 'Binding to a matching volume',
  WaitingForFirstConsumer: 'Waiting for a VM to use it (WaitForFirstConsumer)',
  WaitingForScheduling: 'Waiting for its VM to get a node',
  NoMatchingVolume: 'No matching volume',
  NoDefaultClass: 'No storage class, and no default class',
  ClassNotFound: 'Its storage class does not exist',
  NoRoomOnSelectedNode: "No room on its VM's node",
  NoRoom: 'Not enough free space',
  Provisioning: 'Provisioning',
  ExternalProvisioner: 'Waiting for the provisioner',
};

/** The short form of an explanation, for a table cell. */
export function shortPendingReason(reason: PendingReason): string {
  return SHORT[reason];
}

/** Reasons where the rules see nothing wrong: a Warning event then says more than they can. */
const QUIET: readonly PendingReason[] = ['Provisioning', 'ExternalProvisioner', 'MatchingVolume'];

const eventTime = (e: ClaimEvent): number => Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '') || 0;

/** The most recent Warning among a claim's events. */
export function latestWarning(events: readonly ClaimEvent[]): ClaimEvent | undefined {
  let best: ClaimEvent | undefined;
  for (const e of events) if (e.type === 'Warning' && (!best || eventTime(e) >= eventTime(best))) best = e;
  return best;
}

/** "ProvisioningFailed" → "Provisioning failed". */
function words(reason: string): string {
  const s = reason.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Phase, short reason and detail of a claim; `explanation` is
 * explainPendingClaim's answer when the data allowed one; `stoppedVms` are
 * VMs that use the claim but do not run (they are what a
 * WaitForFirstConsumer claim waits for).
 */
export function claimStatus(claim: K8sObject, explanation: PendingExplanation | undefined, events: readonly ClaimEvent[] = [], stoppedVms: readonly string[] = []): ClaimStatus {
  if (isTerminating(claim)) {
    const held = getFinalizers(claim);
    const detail = held.length ? `Held until ${held.join(', ')} ${held.length === 1 ? 'is' : 'are'} removed: a claim goes once no VM uses it.` : undefined;
    return { text: 'Terminating', tone: 'warning', reason: SHORT.Terminating, detail };
  }
  const phase = getPvcPhase(claim);
  if (phase === 'Bound') {
    const resizing = getPvcResizeState(claim);
    return { text: 'Bound', tone: 'success', reason: resizing, detail: resizing };
  }
  if (phase === 'Lost') return { text: 'Lost', tone: 'danger', reason: SHORT.Lost, detail: explanation?.message };
  const warning = latestWarning(events);
  const warningText = warning?.message ? `${warning.reason ? `${warning.reason}: ` : ''}${warning.message}` : undefined;
  if (!explanation) {
    return { text: phase, tone: 'warning', reason: warning?.reason ? words(warning.reason) : undefined, detail: warningText };
  }
  if (QUIET.includes(explanation.reason) && warning?.reason) {
    return { text: phase, tone: 'warning', reason: words(warning.reason), detail: [warningText, explanation.message].filter(Boolean).join('\n') };
  }
  if (explanation.reason === 'WaitingForFirstConsumer' && stoppedVms.length) {
    const vms = stoppedVms.join(', ');
    const message = `The volume is made when a VM that uses it is scheduled; ${stoppedVms.length === 1 ? `VM ${vms} uses it but is` : `VMs ${vms} use it but are`} not running.`;
    return { text: phase, tone: 'warning', reason: `Waiting for ${stoppedVms.length === 1 ? `VM ${vms}` : 'its VMs'} to start (WaitForFirstConsumer)`, detail: message };
  }
  const detail = [explanation.message, warningText && `Latest warning: ${warningText}`].filter(Boolean).join('\n');
  return { text: phase, tone: explanation.reason === 'Provisioning' ? 'info' : 'warning', reason: SHORT[explanation.reason], detail };
}
