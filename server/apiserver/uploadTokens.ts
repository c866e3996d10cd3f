// UploadTokenRequest answers: a token for one claim, for the upload proxy.
// RBAC has already decided that the user may create uploadtokenrequests in
// the namespace; the claim is checked to exist so a typo fails here, not later.
import { isDNS1123Subdomain } from '@/lib/k8s/names';
import { signUploadToken } from '../upload/token';
import { errors } from './errors';
import type { ApiDeps } from './rest/scope';

type Answer = ApiDeps['virtual'] extends Map<string, infer F> ? F : never;

const GVK = { group: 'upload.cdi.kubevirt.io', kind: 'UploadTokenRequest' };

export function uploadTokenAnswer(key: Buffer, claimExists: (namespace: string, name: string) => boolean, now: () => number = Date.now): Answer {
  return (body, _user, info) => {
    const namespace = info.namespace ?? '';
    const meta = (body.metadata ?? {}) as { name?: string };
    const pvcName = ((body.spec ?? {}) as { pvcName?: unknown }).pvcName;
    if (typeof pvcName !== 'string' || pvcName === '') {
      throw errors.invalid(GVK, meta.name ?? '', [{ reason: 'FieldValueRequired', field: 'spec.pvcName', message: 'Required value: name the PersistentVolumeClaim (the DataVolume) to upload into' }]);
    }
    const bad = isDNS1123Subdomain(pvcName);
    if (bad.length > 0) throw errors.invalid(GVK, meta.name ?? '', [{ reason: 'FieldValueInvalid', field: 'spec.pvcName', message: `Invalid value: ${JSON.stringify(pvcName)}: ${bad.join('; ')}` }]);
    if (!claimExists(namespace, pvcName)) {
      throw errors.invalid(GVK, meta.name ?? '', [{ reason: 'FieldValueNotFound', field: 'spec.pvcName', message: `Not found: PersistentVolumeClaim ${namespace}/${pvcName} does not exist; create the DataVolume with an upload source first` }]);
    }
    return {
      apiVersion: 'upload.cdi.kubevirt.io/v1beta1',
      kind: 'UploadTokenRequest',
      metadata: { ...(meta.name ? { name: meta.name } : {}), namespace, creationTimestamp: null },
      spec: { pvcName },
      status: { token: signUploadToken(key, namespace, pvcName, now()) },
    };
  };
}
