// Name, label and annotation validation with apimachinery's rules and wording,
// plus generateName suffixes. Validators return a list of messages: empty = valid.

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const QUALIFIED_NAME_MAX_LENGTH = 63;

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MAX_LENGTH = 63;

/** Total size of all annotation keys and values on one object (TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_TOTAL_BYTES = 256 * 1024;

const whole = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const DNS1123_LABEL_RE = whole(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN_RE = whole(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL_RE = whole(DNS1035_LABEL_FMT);
const QUALIFIED_NAME_RE = whole(QUALIFIED_NAME_FMT);
const LABEL_VALUE_RE = whole(LABEL_VALUE_FMT);

/** Length in UTF-8 bytes: Kubernetes (Go) limits count bytes, not characters. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export const maxLenError = (length: number): string => `must be no more than ${length} characters`;
export const emptyError = (): string => 'must be non-empty';

/** apimachinery's RegexError: the rule, examples, and the regex used. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** IsDNS1123Label: names of namespaces and other things used as a hostname. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain: the name rule of most resources (PVCs, secrets, nodes…). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** IsDNS1035Label: like a DNS-1123 label but must start with a letter (Service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL_RE.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/**
 * IsQualifiedName: label and annotation keys, "name" or "prefix/name" where
 * the prefix is a DNS subdomain and the name at most 63 characters.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (utf8Length(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** IsLabelKey is the newer name of the same rule. */
export const isLabelKey = isQualifiedName;

/** IsValidLabelValue: at most 63 characters, may be empty. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** IsValidPathSegmentName: the rule for RBAC object names (anything that fits in a URL path segment). */
export function isValidPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return isValidPathSegmentPrefix(value);
}

/** IsValidPathSegmentPrefix: as above minus the exact-name checks, since a suffix will follow. */
export function isValidPathSegmentPrefix(value: string): string[] {
  return ['/', '%'].filter((illegal) => value.includes(illegal)).map((illegal) => `may not contain '${illegal}'`);
}

/** Validates a name, or a generateName prefix when `prefix` is true. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * A generateName prefix is validated as if a suffix were appended: Kubernetes
 * replaces a trailing "x-" with "a" first (apimachinery's maskTrailingDash).
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);
export const nameIsPathSegment: NameValidator = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

const NAME_VALIDATORS_BY_KIND: Record<string, NameValidator> = {
  Namespace: nameIsDNSLabel,
  Service: nameIsDNS1035Label,
  Role: nameIsPathSegment,
  ClusterRole: nameIsPathSegment,
  RoleBinding: nameIsPathSegment,
  ClusterRoleBinding: nameIsPathSegment,
};

/** The name rule Kubernetes applies to a kind; DNS subdomain unless the kind says otherwise. */
export function nameValidatorForKind(kind: string): NameValidator {
  return Object.hasOwn(NAME_VALIDATORS_BY_KIND, kind) ? (NAME_VALIDATORS_BY_KIND[kind] ?? nameIsDNSSubdomain) : nameIsDNSSubdomain;
}

/** One invalid field, shaped to become a Kubernetes Status cause (reason, field, message). */
export interface FieldViolation {
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueTooLong';
  /** Path of the field, e.g. "metadata.name" or "metadata.labels". */
  field: string;
  /** The Status cause message, e.g. `Invalid value: "Foo": a lowercase RFC 1123 …`. */
  message: string;
}

const invalid = (field: string, value: string, detail: string): FieldViolation => ({
  reason: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
});

/**
 * ValidateObjectMeta's name checks: generateName (as a prefix) and name with
 * the kind's rule; "name or generateName is required" when name is empty
 * (the API server generates the name before validating).
 */
export function validateObjectMetaName(
  meta: { name?: string | null; generateName?: string | null },
  kind: string | NameValidator,
): FieldViolation[] {
  const validate = typeof kind === 'function' ? kind : nameValidatorForKind(kind);
  const errs: FieldViolation[] = [];
  if (meta.generateName) {
    for (const msg of validate(meta.generateName, true)) errs.push(invalid('metadata.generateName', meta.generateName, msg));
  }
  if (!meta.name) {
    errs.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  } else {
    for (const msg of validate(meta.name, false)) errs.push(invalid('metadata.name', meta.name, msg));
  }
  return errs;
}

/** ValidateLabels: every key a qualified name, every value a label value. */
export function validateLabels(labels: Record<string, string> | null | undefined, field = 'metadata.labels'): FieldViolation[] {
  const errs: FieldViolation[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(key)) errs.push(invalid(field, key, msg));
    for (const msg of isValidLabelValue(value)) errs.push(invalid(field, value, msg));
  }
  return errs;
}

/** ValidateAnnotations: keys are qualified names (case-insensitively), total size at most 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | null | undefined,
  field = 'metadata.annotations',
): FieldViolation[] {
  const errs: FieldViolation[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(field, key, msg));
    total += utf8Length(key) + utf8Length(value);
  }
  if (total > ANNOTATIONS_MAX_TOTAL_BYTES) {
    errs.push({ reason: 'FieldValueTooLong', field, message: `Too long: may not be more than ${ANNOTATIONS_MAX_TOTAL_BYTES} bytes` });
  }
  return errs;
}

/** The alphabet of Kubernetes' random suffixes: no vowels (no accidental words), no look-alikes (0/o, 1/l, 3/e). */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const NAME_SUFFIX_LENGTH = 5;
/** Longest generateName prefix kept before the suffix (63 - 5), as SimpleNameGenerator does. */
export const MAX_GENERATE_NAME_PREFIX_LENGTH = DNS1123_LABEL_MAX_LENGTH - NAME_SUFFIX_LENGTH;

/** Five random characters for generateName; `random` returns [0, 1) like Math.random. */
export function generateNameSuffix(random: () => number): string {
  let out = '';
  for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) {
    const index = Math.min(NAME_SUFFIX_ALPHABET.length - 1, Math.max(0, Math.floor(random() * NAME_SUFFIX_ALPHABET.length)));
    out += NAME_SUFFIX_ALPHABET[index];
  }
  return out;
}

/** The name the API server makes from metadata.generateName: the prefix cut to 58 characters, plus a suffix. */
export function generateObjectName(generateName: string, random: () => number): string {
  return generateName.slice(0, MAX_GENERATE_NAME_PREFIX_LENGTH) + generateNameSuffix(random);
}
