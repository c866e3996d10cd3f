// UploadTokenRequest (upload.cdi.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const UploadTokenRequestModel = defineModel({
  kind: 'UploadTokenRequest',
  apiGroup: 'upload.cdi.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'uploadtokenrequests',
  namespaced: true,
  shortNames: ['utr', 'utrs'],
  label: 'UploadTokenRequest',
  labelPlural: 'UploadTokenRequests',
  abbr: 'UTR',
  createOnly: true,
});
