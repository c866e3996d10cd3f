// CDI's aggregated API, served here: UploadTokenRequest, created, answered
// with a token and never stored (as cdi-apiserver does).
import { UploadTokenRequestModel } from '@/lib/k8s/models';
import type { ResourceDef } from '../types';
import { builtin } from './common';

export const cdiResources: ResourceDef[] = [{ ...builtin(UploadTokenRequestModel, { verbs: ['create'] }), virtual: true }];
