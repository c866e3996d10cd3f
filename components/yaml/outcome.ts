// What came of saving or creating from YAML, in words a person can act on,
// with the problems placed in the text for the editor to mark.
import type { Document } from 'yaml';
import { K8sError } from '../api/k8sError';
import { type Problem, problemsFromStatus } from './manifests';
import type { EditorDiagnostic } from './YamlEditor';

export type YamlOutcome =
  /** The text does not parse: nothing was sent. */
  | { kind: 'syntax'; problems: Problem[] }
  /** The object was refused for its content: 422 causes, unknown fields under Strict, or our own checks. */
  | { kind: 'invalid'; title: string; problems: Problem[] }
  /** 409 on update: the object changed since it was loaded. */
  | { kind: 'conflict'; title: string; message: string }
  | { kind: 'forbidden'; title: string; message: string }
  | { kind: 'error'; title: string; message: string }
  | { kind: 'note'; title: string }
  | { kind: 'saved'; title: string };

/** How the request was meant: "update ConfigMap settings", "create PersistentVolumeClaim data". */
export interface Attempt {
  verb: 'update' | 'create';
  /** "ConfigMap settings". */
  what: string;
}

/** Turn a failed request into an outcome; `doc` is the document that was sent, for placing fields. */
export function outcomeFromError(err: unknown, text: string, doc: Document.Parsed | undefined, attempt: Attempt): YamlOutcome {
  if (!(err instanceof K8sError)) return { kind: 'error', title: `Cannot ${attempt.verb} ${attempt.what}`, message: (err as Error)?.message ?? String(err) };
  const status = { code: err.code, message: err.message, causes: err.status?.details?.causes };
  if (err.code === 409 && err.reason === 'Conflict' && attempt.verb === 'update') {
    return {
      kind: 'conflict',
      title: `${attempt.what} was changed by someone else since you loaded it`,
      message: 'Your edits were not saved. Reload to see the latest version (your edits are discarded), or keep your edits and save again to overwrite the other change.',
    };
  }
  if (err.code === 403) return { kind: 'forbidden', title: `You may not ${attempt.verb} ${attempt.what}`, message: err.message };
  const problems = problemsFromStatus(text, doc, status);
  if (err.code === 422) {
    return { kind: 'invalid', title: `${attempt.what} is invalid: the server refused it`, problems: problems.length ? problems : [{ message: err.message }] };
  }
  if (err.code === 400 && problems.length) {
    return { kind: 'invalid', title: `${attempt.what} has fields its kind does not know`, problems };
  }
  return { kind: 'error', title: `Cannot ${attempt.verb} ${attempt.what}`, message: err.message };
}

/** The editor marks for an outcome's problems that were found in the text. */
export function diagnosticsOf(outcome: YamlOutcome | null | undefined): EditorDiagnostic[] {
  if (!outcome || (outcome.kind !== 'syntax' && outcome.kind !== 'invalid')) return [];
  return outcome.problems.filter((p) => p.from !== undefined).map((p) => ({ from: p.from!, to: p.to ?? p.from! + 1, message: describeProblem(p) }));
}

/** One line for a problem: "spec.resources.requests[storage]: Invalid value: "lots"". */
export function describeProblem(p: Problem): string {
  return p.field ? `${p.field}: ${p.message}` : p.message;
}

/** Where a problem is, for a list beside the editor: "line 13", "line 9, column 3", "near line 8". */
export function describePlace(p: Problem): string | undefined {
  if (p.line === undefined) return undefined;
  if (p.approximate) return `near line ${p.line}`;
  return p.field ? `line ${p.line}` : `line ${p.line}, column ${p.column}`;
}
