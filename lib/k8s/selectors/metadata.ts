// Selectors over ObjectMeta: components read objects through these, never by digging.
import type { K8sObject, OwnerReference } from '../types';

/** The object's name ('' when it has none yet). */
export const getName = (o: K8sObject | undefined): string => o?.metadata?.name ?? '';
/** The object's namespace (undefined for cluster-scoped objects). */
export const getNamespace = (o: K8sObject | undefined): string | undefined => o?.metadata?.namespace;
/** When the object was created, RFC 3339. */
export const getCreationTimestamp = (o: K8sObject | undefined): string | undefined => o?.metadata?.creationTimestamp;
/** The object's uid. */
export const getUid = (o: K8sObject | undefined): string | undefined => o?.metadata?.uid;
/** Labels, never undefined. */
export const getLabels = (o: K8sObject | undefined): Record<string, string> => o?.metadata?.labels ?? {};
/** Annotations, never undefined. */
export const getAnnotations = (o: K8sObject | undefined): Record<string, string> => o?.metadata?.annotations ?? {};
/** True once deletion was requested (finalizers may still hold the object). */
export const isTerminating = (o: K8sObject | undefined): boolean => Boolean(o?.metadata?.deletionTimestamp);
/** The object's resourceVersion (opaque: compare for equality only). */
export const getResourceVersion = (o: K8sObject | undefined): string | undefined => o?.metadata?.resourceVersion;
/** Owner references, never undefined. */
export const getOwnerReferences = (o: K8sObject | undefined): OwnerReference[] => o?.metadata?.ownerReferences ?? [];
/** Finalizers that hold the object until removed, never undefined. */
export const getFinalizers = (o: K8sObject | undefined): string[] => o?.metadata?.finalizers ?? [];
