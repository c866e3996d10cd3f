// A kind-agnostic status for generic lists: what a person scanning a table
// wants to know before a purpose-built page exists for the kind.
import type { K8sObject } from '../types';
import { isTerminating } from './metadata';

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** status.conditions, or undefined when the object has none (not every kind reports conditions). */
export function getConditions(o: K8sObject | undefined): Condition[] | undefined {
  const conditions = (o?.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(conditions) ? (conditions as Condition[]) : undefined;
}

export type StatusTone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

export interface GenericStatus {
  /** Short text for the status column. */
  text: string;
  tone: StatusTone;
  /** Longer explanation for a tooltip, when the object says more. */
  detail?: string;
}

const toneByText: Record<string, StatusTone> = {
  bound: 'success', available: 'success', active: 'success', ready: 'success', running: 'success', succeeded: 'success',
  true: 'success', released: 'warning', pending: 'warning', provisioning: 'info', starting: 'info', stopping: 'info',
  stopped: 'neutral', paused: 'warning', terminating: 'warning', failed: 'danger', lost: 'danger', error: 'danger',
  notready: 'danger', crashloopbackoff: 'danger', unknown: 'warning', normal: 'neutral', warning: 'warning',
};

function toneOf(text: string): StatusTone {
  return toneByText[text.toLowerCase().replace(/[^a-z]/g, '')] ?? 'neutral';
}

/** Status of any object: terminating, printableStatus, phase, Ready condition, Event type, or '-'. */
export function getGenericStatus(o: K8sObject): GenericStatus {
  if (isTerminating(o)) return { text: 'Terminating', tone: 'warning' };
  const status = (o.status ?? {}) as { printableStatus?: unknown; phase?: unknown; conditions?: unknown; readyToUse?: unknown };
  if (typeof status.printableStatus === 'string') return { text: status.printableStatus, tone: toneOf(status.printableStatus) };
  if (typeof status.phase === 'string') return { text: status.phase, tone: toneOf(status.phase) };
  if (typeof status.readyToUse === 'boolean') return status.readyToUse ? { text: 'Ready', tone: 'success' } : { text: 'Not ready', tone: 'warning' };
  if (Array.isArray(status.conditions)) {
    const ready = (status.conditions as Condition[]).find((c) => c.type === 'Ready');
    if (ready) {
      const detail = [ready.reason, ready.message].filter(Boolean).join(': ') || undefined;
      if (ready.status === 'True') return { text: 'Ready', tone: 'success', detail };
      if (ready.status === 'False') return { text: 'Not ready', tone: 'danger', detail };
      return { text: 'Unknown', tone: 'warning', detail };
    }
  }
  if (o.kind === 'Event' && typeof o.type === 'string') {
    return { text: o.type, tone: toneOf(o.type), detail: typeof o.message === 'string' ? o.message : undefined };
  }
  return { text: '-', tone: 'neutral' };
}
