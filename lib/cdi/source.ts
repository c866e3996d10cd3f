// Validation of a DataVolume spec: where the data comes from (spec.source or
// spec.sourceRef) and the target claim (spec.storage or spec.pvc), refused
// the way CDI's admission webhook refuses it, with each problem also said in
// one plain sentence a form can show under the field.
//
// Differences from CDI, on purpose:
// - every problem is reported, not just the first, so a form marks all fields;
// - field paths are the JSON ones (spec.source.http.url), not Go's (spec.source.HTTP.url);
// - credentials written into a URL (https://user:pass@host/…) are refused:
//   they would sit in plain text in the object, its events and its logs; a
//   Secret named in secretRef carries them instead.
import { isDNS1123Label, isDNS1123Subdomain } from '../k8s';
import { ACCESS_MODES, type FieldErrorReason, MiB, VOLUME_MODES, fieldError, formatSize, parseBytes } from '../provisioning';
import type { CdiFieldError, ClaimSpecFields, DataVolumeSource, DataVolumeSourceObjectRef, DataVolumeSpec } from './types';

/** Every source CDI knows, in the order CDI's API lists them; sourceRef and external population are not members of spec.source. */
export const SOURCE_KINDS = ['http', 's3', 'gcs', 'registry', 'pvc', 'snapshot', 'upload', 'blank', 'imageio', 'vddk'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** The sources Kura's embedded CDI imports from (no GCS, oVirt imageio or VMware VDDK). */
export const EMBEDDED_SOURCE_KINDS: readonly SourceKind[] = ['http', 's3', 'registry', 'pvc', 'snapshot', 'upload', 'blank'];

/** What fills a DataVolume: one spec.source member, a DataSource (sourceRef), or a populator named in the claim (external). */
export type DataVolumeSourceKind = SourceKind | 'sourceRef' | 'external';

/** Headers that carry secrets: fine in secretExtraHeaders, a leak in extraHeaders. */
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token', 'private-token']);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MIN_DISK_BYTES = MiB;

export interface DataVolumeValidationOptions {
  /** The DataVolume's own namespace and name: a claim cannot be cloned into itself. */
  namespace?: string;
  name?: string;
  /** Sources this CDI imports from (default: all of real CDI's). Kura's embedded CDI passes EMBEDDED_SOURCE_KINDS. */
  supportedSources?: readonly SourceKind[];
}

export interface DataVolumeValidation {
  errors: CdiFieldError[];
  /** Valid, but probably not what was meant (a token in extraHeaders…). */
  warnings: string[];
}

function problem(reason: FieldErrorReason, field: string, value: unknown, apiDetail: string, sentence: string): CdiFieldError {
  return { ...fieldError(reason, field, value, apiDetail), detail: sentence };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The spec.source members that are set, in SOURCE_KINDS order. */
export function setSourceKinds(source: DataVolumeSource | null | undefined): SourceKind[] {
  if (!isObject(source)) return [];
  return SOURCE_KINDS.filter((k) => source[k] !== undefined && source[k] !== null);
}

function targetOf(spec: DataVolumeSpec): ClaimSpecFields | undefined {
  return (spec.storage ?? spec.pvc) || undefined;
}

/** What fills the DataVolume, or undefined when the spec names no source or several. */
export function getDataVolumeSourceKind(spec: DataVolumeSpec | undefined): DataVolumeSourceKind | undefined {
  if (!spec) return undefined;
  const kinds = setSourceKinds(spec.source);
  const hasRef = isObject(spec.sourceRef);
  if (kinds.length === 1 && !hasRef) return kinds[0];
  if (kinds.length === 0 && hasRef) return 'sourceRef';
  const target = targetOf(spec);
  if (kinds.length === 0 && !hasRef && (target?.dataSourceRef || target?.dataSource)) return 'external';
  return undefined;
}

/** True when the data comes from another volume (a claim, a snapshot or a DataSource): the size may then be left out. */
export function isCloneSource(spec: DataVolumeSpec | undefined): boolean {
  const kind = getDataVolumeSourceKind(spec);
  return kind === 'pvc' || kind === 'snapshot' || kind === 'sourceRef';
}

// --- URLs -------------------------------------------------------------------

interface UrlRules {
  field: string;
  /** "HTTP", "S3": how CDI names the source in messages. */
  label: string;
  schemes: readonly string[];
  /** Extra check of a parsed URL; returns [apiDetail, sentence] when wrong. */
  extra?: (url: URL) => [string, string] | undefined;
}

function checkUrl(raw: unknown, rules: UrlRules, out: CdiFieldError[]): void {
  const { field, label, schemes } = rules;
  const schemeList = schemes.map((s) => `${s}://`).join(' or ');
  if (raw === undefined || raw === null || raw === '') {
    out.push(problem('FieldValueRequired', field, undefined, `${label} source URL is empty`, `Enter the URL of the ${label === 'registry' ? 'container image' : 'disk image'}.`));
    return;
  }
  if (typeof raw !== 'string') {
    out.push(problem('FieldValueInvalid', field, raw, 'must be a string', 'The URL must be text.'));
    return;
  }
  if (/\s/.test(raw)) {
    out.push(problem('FieldValueInvalid', field, raw, `invalid ${label} source URL: contains white space`, 'The URL contains spaces or line breaks; write spaces as %20.'));
    return;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const sentence = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? 'The URL is not valid.' : `The URL must start with ${schemeList}`;
    out.push(problem('FieldValueInvalid', field, raw, `invalid ${label} source URL`, sentence));
    return;
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!schemes.includes(scheme)) {
    out.push(problem('FieldValueInvalid', field, raw, `invalid ${label} source URL scheme "${scheme}": supported schemes: ${schemes.join(', ')}`, `The URL must start with ${schemeList}`));
    return;
  }
  // The value is not printed: it holds the password.
  if (url.username || url.password) {
    out.push(
      problem('FieldValueForbidden', field, undefined, 'credentials embedded in the URL are not allowed; name a Secret in secretRef instead',
        'Remove the user name and password from the URL and put them in a Secret (keys accessKeyId and secretKey) named in secretRef.'),
    );
    return;
  }
  const bad = rules.extra?.(url);
  if (bad) out.push(problem('FieldValueInvalid', field, raw, bad[0], bad[1]));
}

function requireHost(url: URL): [string, string] | undefined {
  return url.hostname ? undefined : ['the URL has no host', 'The URL has no server name, as in https://example.com/disk.qcow2.'];
}

// --- names --------------------------------------------------------------------

function checkObjectName(value: unknown, field: string, what: string, required: boolean, out: CdiFieldError[]): void {
  if (value === undefined || value === null || value === '') {
    if (required) out.push(problem('FieldValueRequired', field, undefined, `${what} name is required`, `Enter the name of the ${what}.`));
    return;
  }
  if (typeof value !== 'string') {
    out.push(problem('FieldValueInvalid', field, value, 'must be a string', `The name of the ${what} must be text.`));
    return;
  }
  const errs = isDNS1123Subdomain(value);
  if (errs.length > 0) {
    out.push(problem('FieldValueInvalid', field, value, errs.join('; '), `"${value}" is not a valid ${what} name: use lower-case letters, digits, '-' and '.'.`));
  }
}

function checkNamespace(value: unknown, field: string, required: boolean, out: CdiFieldError[]): void {
  if (value === undefined || value === null || value === '') {
    if (required) out.push(problem('FieldValueRequired', field, undefined, 'namespace is required', 'Choose the namespace the source is in.'));
    return;
  }
  const errs = typeof value === 'string' ? isDNS1123Label(value) : ['must be a string'];
  if (errs.length > 0) out.push(problem('FieldValueInvalid', field, value, errs.join('; '), `"${String(value)}" is not a valid namespace name.`));
}

// --- sources --------------------------------------------------------------------

function checkHeaders(http: Record<string, unknown>, base: string, out: CdiFieldError[], warnings: string[]): void {
  const extra = http.extraHeaders;
  if (extra !== undefined && extra !== null) {
    if (!Array.isArray(extra)) {
      out.push(problem('FieldValueInvalid', `${base}.extraHeaders`, extra, 'must be a list of "Name: value" strings', 'Extra headers must be a list of lines such as "Accept: */*".'));
    } else {
      extra.forEach((h: unknown, i) => {
        const field = `${base}.extraHeaders[${i}]`;
        const text = typeof h === 'string' ? h : '';
        const colon = text.indexOf(':');
        const name = colon > 0 ? text.slice(0, colon).trim() : '';
        if (!name || !HEADER_NAME.test(name) || /[\r\n\0]/.test(text)) {
          out.push(problem('FieldValueInvalid', field, h, 'must be an HTTP header line "Name: value"', `Header ${i + 1} must look like "Name: value", on one line.`));
        } else if (SENSITIVE_HEADERS.has(name.toLowerCase())) {
          warnings.push(`${field} carries ${name} in plain text in the DataVolume; put it in a Secret and name the Secret in secretExtraHeaders.`);
        }
      });
    }
  }
  const secretHeaders = http.secretExtraHeaders;
  if (secretHeaders !== undefined && secretHeaders !== null) {
    if (!Array.isArray(secretHeaders)) {
      out.push(problem('FieldValueInvalid', `${base}.secretExtraHeaders`, secretHeaders, 'must be a list of Secret names', 'Secret headers must be a list of Secret names.'));
    } else {
      secretHeaders.forEach((s: unknown, i) => checkObjectName(s, `${base}.secretExtraHeaders[${i}]`, 'Secret', true, out));
    }
  }
}

function validateHttp(http: Record<string, unknown>, out: CdiFieldError[], warnings: string[]): void {
  const base = 'spec.source.http';
  checkUrl(http.url, { field: `${base}.url`, label: 'HTTP', schemes: ['http', 'https'], extra: requireHost }, out);
  checkObjectName(http.secretRef, `${base}.secretRef`, 'Secret', false, out);
  checkObjectName(http.certConfigMap, `${base}.certConfigMap`, 'ConfigMap', false, out);
  checkHeaders(http, base, out, warnings);
  if (typeof http.url === 'string' && http.url.startsWith('http://') && (http.secretRef || (Array.isArray(http.secretExtraHeaders) && http.secretExtraHeaders.length > 0))) {
    warnings.push(`${base}.url is plain http:// but credentials are attached: they cross the network unencrypted.`);
  }
}

function s3Path(url: URL): [string, string] | undefined {
  const host = requireHost(url);
  if (host) return host;
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length < 2) {
    return ['an S3 URL names a bucket and an object: http(s)://host/bucket/object', 'An S3 URL must name the bucket and the object, as in https://s3.example.com/bucket/disk.qcow2.'];
  }
  return undefined;
}

function validateS3(s3: Record<string, unknown>, out: CdiFieldError[]): void {
  const base = 'spec.source.s3';
  checkUrl(s3.url, { field: `${base}.url`, label: 'S3', schemes: ['http', 'https'], extra: s3Path }, out);
  checkObjectName(s3.secretRef, `${base}.secretRef`, 'Secret', false, out);
  checkObjectName(s3.certConfigMap, `${base}.certConfigMap`, 'ConfigMap', false, out);
}

function registryReference(url: URL): [string, string] | undefined {
  const rest = url.href.slice(url.protocol.length + 2);
  if (!rest || rest === '/') return ['the URL names no image', 'Name the image after the scheme, as in docker://quay.io/containerdisks/fedora:40.'];
  return undefined;
}

function validateRegistry(reg: Record<string, unknown>, contentType: string, out: CdiFieldError[]): void {
  const base = 'spec.source.registry';
  const hasUrl = reg.url !== undefined && reg.url !== null;
  const hasStream = reg.imageStream !== undefined && reg.imageStream !== null;
  if (hasUrl === hasStream) {
    out.push(
      problem(hasUrl ? 'FieldValueForbidden' : 'FieldValueRequired', base, undefined, 'source registry should have either url or imageStream',
        hasUrl ? 'Give either an image URL or an image stream, not both.' : 'Enter the image, as in docker://quay.io/containerdisks/fedora:40.'),
    );
  }
  if (hasUrl) checkUrl(reg.url, { field: `${base}.url`, label: 'registry', schemes: ['docker', 'oci-archive'], extra: registryReference }, out);
  const pull = reg.pullMethod;
  if (pull !== undefined && pull !== null && pull !== '' && pull !== 'pod' && pull !== 'node') {
    out.push(problem('FieldValueNotSupported', `${base}.pullMethod`, pull, 'supported values: "pod", "node"', 'The pull method is "pod" (CDI pulls the image) or "node" (the node\'s container runtime pulls it).'));
  }
  if (hasStream) {
    if (typeof reg.imageStream !== 'string' || reg.imageStream === '') {
      out.push(problem('FieldValueInvalid', `${base}.imageStream`, reg.imageStream, 'source registry imageStream is not valid', 'Enter the name of the image stream.'));
    } else if (pull !== 'node') {
      out.push(problem('FieldValueInvalid', `${base}.pullMethod`, pull ?? '', 'imageStream is supported only with pullMethod node', 'An image stream can only be pulled by the node: set the pull method to "node".'));
    }
  }
  checkObjectName(reg.secretRef, `${base}.secretRef`, 'Secret', false, out);
  checkObjectName(reg.certConfigMap, `${base}.certConfigMap`, 'ConfigMap', false, out);
  if (contentType === 'archive') {
    out.push(problem('FieldValueInvalid', 'spec.contentType', contentType, 'contentType must be kubevirt when the source is a registry', 'A container image holds a disk: its content type is "kubevirt".'));
  }
}

function validateCloneRef(kind: 'pvc' | 'snapshot', ref: DataVolumeSourceObjectRef, options: DataVolumeValidationOptions, out: CdiFieldError[]): void {
  const base = `spec.source.${kind}`;
  const what = kind === 'pvc' ? 'PersistentVolumeClaim' : 'VolumeSnapshot';
  checkNamespace(ref.namespace, `${base}.namespace`, true, out);
  checkObjectName(ref.name, `${base}.name`, what, true, out);
  if (kind === 'pvc' && ref.name && ref.name === options.name && ref.namespace === options.namespace) {
    out.push(problem('FieldValueInvalid', `${base}.name`, ref.name, 'a DataVolume cannot clone its own claim', 'A disk cannot be copied from itself: choose another PersistentVolumeClaim.'));
  }
}

function validateSourceRef(spec: DataVolumeSpec, out: CdiFieldError[]): void {
  const ref = spec.sourceRef as Record<string, unknown>;
  const base = 'spec.sourceRef';
  if (!ref.kind) {
    out.push(problem('FieldValueRequired', `${base}.kind`, undefined, 'missing sourceRef kind', 'The source reference names a DataSource: set kind to DataSource.'));
  } else if (ref.kind !== 'DataSource') {
    out.push(problem('FieldValueNotSupported', `${base}.kind`, ref.kind, 'supported values: "DataSource"', 'A source reference can only name a DataSource.'));
  }
  checkObjectName(ref.name, `${base}.name`, 'DataSource', true, out);
  checkNamespace(ref.namespace, `${base}.namespace`, false, out);
}

function validateSources(spec: DataVolumeSpec, options: DataVolumeValidationOptions, out: CdiFieldError[], warnings: string[]): void {
  const kinds = setSourceKinds(spec.source);
  const hasSource = isObject(spec.source);
  const hasRef = isObject(spec.sourceRef);
  const target = targetOf(spec);
  const external = Boolean(target?.dataSource || target?.dataSourceRef);
  const targetField = spec.storage ? 'spec.storage' : 'spec.pvc';
  const contentType = typeof spec.contentType === 'string' ? spec.contentType : '';

  if (contentType !== '' && contentType !== 'kubevirt' && contentType !== 'archive') {
    out.push(problem('FieldValueNotSupported', 'spec.contentType', spec.contentType, 'supported values: "kubevirt", "archive"', 'The content type is "kubevirt" (a disk image) or "archive" (a tar of files).'));
  }

  if (external) {
    if (hasSource || hasRef) {
      out.push(
        problem('FieldValueForbidden', `${targetField}.dataSourceRef`, undefined, 'external population is incompatible with source and sourceRef',
          'A volume filled by a populator cannot also have a source: remove one of them.'),
      );
    }
    return;
  }
  if (hasSource && hasRef) {
    out.push(problem('FieldValueForbidden', 'spec.sourceRef', undefined, 'data volume should have either source or sourceRef, not both', 'Give either a source or a DataSource reference, not both.'));
    return;
  }
  if (hasRef) {
    validateSourceRef(spec, out);
    return;
  }
  if (kinds.length === 0) {
    out.push(problem('FieldValueRequired', 'spec.source', undefined, 'missing data volume source: set spec.source or spec.sourceRef', 'Choose where the disk\'s data comes from.'));
    return;
  }
  if (kinds.length > 1) {
    out.push(problem('FieldValueInvalid', 'spec.source', kinds, 'multiple data volume sources: exactly one may be set', `Choose one source: this DataVolume names ${kinds.join(' and ')}.`));
    return;
  }
  const kind = kinds[0] as SourceKind;
  const supported = options.supportedSources ?? SOURCE_KINDS;
  if (!supported.includes(kind)) {
    out.push(
      problem('FieldValueNotSupported', `spec.source.${kind}`, kind, `supported values: ${supported.map((k) => `"${k}"`).join(', ')}`,
        `This cluster cannot import from ${kind}; it imports from ${supported.join(', ')}.`),
    );
    return;
  }
  const source = spec.source as Record<string, unknown>;
  const member = isObject(source[kind]) ? (source[kind] as Record<string, unknown>) : {};
  switch (kind) {
    case 'http':
      validateHttp(member, out, warnings);
      break;
    case 's3':
      validateS3(member, out);
      break;
    case 'gcs':
      checkUrl(member.url, { field: 'spec.source.gcs.url', label: 'GCS', schemes: ['gs', 'http', 'https'], extra: requireHost }, out);
      break;
    case 'registry':
      validateRegistry(member, contentType, out);
      break;
    case 'pvc':
    case 'snapshot':
      validateCloneRef(kind, member, options, out);
      break;
    case 'blank':
      if (contentType === 'archive') {
        out.push(problem('FieldValueInvalid', 'spec.contentType', contentType, 'a blank source cannot have contentType archive', 'A blank disk has no files to unpack: use content type "kubevirt".'));
      }
      break;
    default:
      break;
  }
}

// --- target -------------------------------------------------------------------

function validateTarget(spec: DataVolumeSpec, out: CdiFieldError[]): void {
  const hasPvc = isObject(spec.pvc);
  const hasStorage = isObject(spec.storage);
  if (!hasPvc && !hasStorage) {
    out.push(problem('FieldValueRequired', 'spec.storage', undefined, 'missing data volume target: set spec.storage (or spec.pvc)', 'Say how big the disk should be and where to keep it.'));
    return;
  }
  if (hasPvc && hasStorage) {
    out.push(problem('FieldValueForbidden', 'spec.pvc', undefined, 'duplicate storage definition: spec.pvc and spec.storage are mutually exclusive', 'Use either storage or pvc, not both.'));
    return;
  }
  const base = hasPvc ? 'spec.pvc' : 'spec.storage';
  const target = (hasPvc ? spec.pvc : spec.storage) as ClaimSpecFields;

  const sizeField = `${base}.resources.requests[storage]`;
  const raw = target.resources?.requests?.storage;
  if (raw === undefined || raw === null) {
    if (hasPvc || !isCloneSource(spec)) {
      const why = hasPvc ? 'spec.pvc needs an exact size' : 'only a clone may leave the size to its source';
      out.push(problem('FieldValueRequired', sizeField, undefined, `${hasPvc ? 'PVC' : 'Storage'} size is missing: ${why}`, 'Say how big the disk should be, such as 10Gi.'));
    }
  } else {
    const size = parseBytes(raw);
    if (size.error !== undefined) {
      out.push(problem('FieldValueInvalid', sizeField, raw, size.error, `"${String(raw)}" is not a size: write it like 10Gi or 512Mi.`));
    } else if (size.bytes <= 0) {
      out.push(problem('FieldValueInvalid', sizeField, raw, 'size must be greater than zero', 'The size must be greater than zero.'));
    } else if (size.bytes < MIN_DISK_BYTES) {
      out.push(problem('FieldValueInvalid', sizeField, raw, 'size should be at least 1Mi', `A disk must hold at least 1 MiB; ${formatSize(size.bytes)} is too small.`));
    }
  }

  const modes = target.accessModes;
  if (modes !== undefined && modes !== null && !Array.isArray(modes)) {
    out.push(problem('FieldValueInvalid', `${base}.accessModes`, modes, 'must be a list', 'Access modes must be a list.'));
  } else {
    const list = modes ?? [];
    if (hasPvc && list.length === 0) {
      out.push(problem('FieldValueRequired', `${base}.accessModes`, undefined, 'at least 1 access mode is required', 'Choose an access mode (ReadWriteOnce for a disk one VM uses).'));
    } else if (hasPvc && list.length > 1) {
      out.push(problem('FieldValueInvalid', `${base}.accessModes`, list, 'a DataVolume PVC takes exactly one access mode', 'Choose one access mode.'));
    }
    list.forEach((mode, i) => {
      if (!(ACCESS_MODES as readonly string[]).includes(mode)) {
        out.push(problem('FieldValueNotSupported', `${base}.accessModes[${i}]`, mode, `supported values: ${ACCESS_MODES.map((m) => `"${m}"`).join(', ')}`, `"${mode}" is not an access mode.`));
      }
    });
  }

  const mode = target.volumeMode;
  if (mode !== undefined && mode !== null && mode !== '' && !(VOLUME_MODES as readonly string[]).includes(mode)) {
    out.push(problem('FieldValueNotSupported', `${base}.volumeMode`, mode, 'supported values: "Block", "Filesystem"', 'The volume mode is Filesystem or Block.'));
  } else if (mode === 'Block' && spec.contentType === 'archive') {
    out.push(problem('FieldValueInvalid', `${base}.volumeMode`, mode, 'contentType archive cannot have volumeMode Block', 'Files unpacked from an archive need a filesystem: use volume mode Filesystem.'));
  }

  const sc = target.storageClassName;
  if (typeof sc === 'string' && sc !== '') {
    const errs = isDNS1123Subdomain(sc);
    if (errs.length > 0) out.push(problem('FieldValueInvalid', `${base}.storageClassName`, sc, errs.join('; '), `"${sc}" is not a valid StorageClass name.`));
  }
}

/**
 * Field errors and warnings of a DataVolume spec: the target claim (size,
 * access modes, volume mode) and the source (exactly one; URLs, Secret and
 * ConfigMap names, clone references, the DataSource reference).
 */
export function validateDataVolumeSpec(spec: DataVolumeSpec | undefined, options: DataVolumeValidationOptions = {}): DataVolumeValidation {
  const errors: CdiFieldError[] = [];
  const warnings: string[] = [];
  if (!isObject(spec)) {
    errors.push(problem('FieldValueRequired', 'spec', undefined, 'a DataVolume needs a spec', 'The DataVolume has no spec.'));
    return { errors, warnings };
  }
  validateTarget(spec, errors);
  validateSources(spec, options, errors, warnings);
  return { errors, warnings };
}
