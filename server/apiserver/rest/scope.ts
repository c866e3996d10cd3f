// What every resource handler works with: the dependencies of the API server
// and one request already authenticated, authorized and resolved to a resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry, ResourceDef } from '../registry';
import type { RequestInfo, ResourceRequestInfo } from '../requestInfo';
import type { Store } from '../store';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** Hooks that run on every write, like admission plugins (namespace lifecycle, RBAC escalation…). */
export interface AdmissionContext {
  user: UserInfo;
  def: ResourceDef;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  namespace?: string;
  subresource?: string;
}

export type AdmissionHook = (obj: Record<string, unknown>, old: Record<string, unknown> | undefined, ctx: AdmissionContext) => void | Promise<void>;

export interface Authorizer {
  authorize(attrs: {
    user: UserInfo;
    verb: string;
    resourceRequest: boolean;
    apiGroup?: string;
    resource?: string;
    subresource?: string;
    name?: string;
    namespace?: string;
    path?: string;
  }): { allowed: boolean; reason: string };
}

export interface ApiDeps {
  store: Store;
  registry: Registry;
  authorizer: Authorizer;
  admission: AdmissionHook[];
  now: () => number;
  /** Answers for kinds that are never stored (access reviews and the like). */
  virtual: Map<string, (body: Record<string, unknown>, user: UserInfo, info: ResourceRequestInfo) => Record<string, unknown> | Promise<Record<string, unknown>>>;
  /** The address clients reach this server at, for discovery. */
  serverAddress: string;
}

export interface Scope {
  deps: ApiDeps;
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequestInfo;
  def: ResourceDef;
  user: UserInfo;
  query: URLSearchParams;
}

export type AnyRequestInfo = RequestInfo;
