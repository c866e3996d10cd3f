// A DataVolume's story in time order: its conditions (Bound, Running, Ready)
// as they last changed, and the Events recorded about it, merged in one list.
import type { DataVolumeCondition } from '../cdi';
import type { EventFields } from '../k8s/types';

/** The fields of a core v1 Event the timeline reads (old and new event APIs). */
export interface TimelineEvent extends EventFields {
  metadata?: { uid?: string; name?: string; creationTimestamp?: string };
}

export interface TimelineEntry {
  key: string;
  /** RFC 3339; undefined when the source gave no time (sorted first). */
  time?: string;
  source: 'condition' | 'event';
  /** "Running: False (Error)", "ImportInProgress". */
  title: string;
  detail?: string;
  tone: 'success' | 'info' | 'warning' | 'danger' | 'neutral';
  /** An event seen more than once. */
  count?: number;
  /** A condition's status has held since this time (when its message changed later). */
  since?: string;
}

/** When an event last happened: the fields differ between the old and new event APIs. */
export const eventLastSeen = (e: TimelineEvent): string | undefined =>
  e.series?.lastObservedTime || e.lastTimestamp || e.eventTime || e.metadata?.creationTimestamp || undefined;

function conditionTone(c: DataVolumeCondition): TimelineEntry['tone'] {
  if (c.type === 'Running' && c.status === 'False' && c.reason && !['Completed', 'WaitForFirstConsumer', 'Paused', 'Pending', ''].includes(c.reason)) return 'danger';
  if (c.status === 'True') return c.type === 'Running' ? 'info' : 'success';
  if (c.status === 'Unknown') return 'neutral';
  return 'neutral';
}

function conditionEntry(c: DataVolumeCondition): TimelineEntry {
  const changed = c.lastHeartbeatTime && c.lastTransitionTime && c.lastHeartbeatTime !== c.lastTransitionTime;
  return {
    key: `condition/${c.type}`,
    time: (changed ? c.lastHeartbeatTime : c.lastTransitionTime) || c.lastHeartbeatTime || undefined,
    source: 'condition',
    title: `${c.type}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`,
    ...(c.message ? { detail: c.message } : {}),
    tone: conditionTone(c),
    ...(changed ? { since: c.lastTransitionTime } : {}),
  };
}

function eventEntry(e: TimelineEvent, i: number): TimelineEntry {
  const count = e.series?.count ?? e.count ?? 1;
  return {
    key: `event/${e.metadata?.uid ?? e.metadata?.name ?? i}`,
    time: eventLastSeen(e),
    source: 'event',
    title: e.reason || 'Event',
    ...(e.message ? { detail: e.message } : {}),
    tone: e.type === 'Warning' ? 'warning' : 'neutral',
    ...(count > 1 ? { count } : {}),
  };
}

/**
 * Events carry whole seconds, and a fast transfer records several in one:
 * within a second, CDI's reasons go in the order they happen
 * (…Scheduled, …InProgress or UploadReady, …Succeeded or …Failed).
 */
function stage(e: TimelineEntry): number {
  if (e.source === 'condition') return 9;
  if (/Scheduled$/.test(e.title)) return 1;
  if (/InProgress$|^UploadReady$/.test(e.title)) return 2;
  if (/(Succeeded|Failed|Paused)$/.test(e.title)) return 3;
  return 0;
}

const timeOf = (t: string | undefined) => {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? -Infinity : ms;
};

/** Conditions and events, oldest first; within a second, events in CDI's order, then the conditions they led to. */
export function buildTimeline(conditions: readonly DataVolumeCondition[], events: readonly TimelineEvent[]): TimelineEntry[] {
  const entries = [...events.map(eventEntry), ...conditions.map(conditionEntry)];
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => timeOf(a.e.time) - timeOf(b.e.time) || stage(a.e) - stage(b.e) || a.i - b.i)
    .map(({ e }) => e);
}
