#!/usr/bin/env node
// Validate FHIR R4 resources with independent validators; print a JSON report.
//
//   node validate.mjs [options] [FILE|DIR|-]...
//
// Inputs: .json files (a resource, a Bundle, or an array of resources), .ndjson files (one
// resource per line), directories (every .json/.ndjson below them, recursively, sorted), or '-' / nothing for
// stdin (JSON or NDJSON). Bundles are validated whole, then each entry resource on its own.
//
// Options:
//   --validators LIST   comma-separated subset of schema,medplum,lantana,fhir-json (default: all)
//   --us-core PATH      US Core package (.tgz); enables profile validation with Medplum
//   --profiles MODE     auto (default with --us-core): the US Core profiles that apply to the
//                       resource type (Condition problems/health concerns or encounter
//                       diagnosis by category, AllergyIntolerance, Patient, DocumentReference)
//                       plus any loaded meta.profile; declared: only meta.profile; none
//   --no-entries        do not validate Bundle entries on their own
//   --errors-only       list only resources that have errors
//
// Output (stdout): {"ok", "validators", "summary", "results": [{source, resourceType, id,
// errors, checks: [{validator, profile, errors: [{path, message}], warnings}]}]}.
// Exit status: 0 when no validator reports an error, 1 when any does, 2 on bad input/usage.
// Resource content never appears in the report beyond paths, codes and ids.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  VALIDATORS,
  VERSIONS,
  applicableUsCoreProfiles,
  loadIgPackage,
  unloadable,
  validateFhirJson,
  validateMedplum,
} from './lib.mjs';

function usage(msg) {
  process.stderr.write(`validate.mjs: ${msg}\nusage: node validate.mjs [--validators LIST] [--us-core PKG.tgz] [--profiles auto|declared|none] [--no-entries] [--errors-only] [FILE|DIR|-]...\n`);
  process.exit(2);
}

const opts = { validators: Object.keys(VALIDATORS), usCore: null, profiles: null, entries: true, errorsOnly: false, inputs: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--validators') {
    opts.validators = (argv[++i] ?? '').split(',').filter(Boolean);
    for (const v of opts.validators) if (!VALIDATORS[v]) usage(`unknown validator '${v}' (choose from ${Object.keys(VALIDATORS).join(', ')})`);
  } else if (a === '--us-core') opts.usCore = argv[++i] ?? usage('--us-core needs a path');
  else if (a === '--profiles') {
    opts.profiles = argv[++i];
    if (!['auto', 'declared', 'none'].includes(opts.profiles)) usage(`--profiles must be auto, declared or none`);
  } else if (a === '--no-entries') opts.entries = false;
  else if (a === '--errors-only') opts.errorsOnly = true;
  else if (a === '-h' || a === '--help') {
    process.stdout.write(readFileSync(new URL(import.meta.url)).toString().split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
    process.exit(0);
  } else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else opts.inputs.push(a);
}
if (opts.profiles === null) opts.profiles = opts.usCore ? 'auto' : 'declared';

// ---- read inputs ------------------------------------------------------------------------
function parseText(text, source) {
  const trimmed = text.trim();
  if (!trimmed) return [];
  try {
    const v = JSON.parse(trimmed);
    return (Array.isArray(v) ? v : [v]).map((r, i) => ({ source: Array.isArray(v) ? `${source}[${i}]` : source, resource: r }));
  } catch {
    // NDJSON
  }
  const out = [];
  trimmed.split('\n').forEach((line, n) => {
    if (!line.trim()) return;
    try {
      out.push({ source: `${source}:${n + 1}`, resource: JSON.parse(line) });
    } catch (err) {
      usage(`${source}:${n + 1} is not JSON (${err.message.replace(/ in JSON at.*$/, '')})`);
    }
  });
  return out;
}

function readInput(path) {
  if (path === '-') return parseText(readFileSync(0, 'utf8'), '<stdin>');
  let st;
  try {
    st = statSync(path);
  } catch {
    usage(`no such file or directory: ${path}`);
  }
  if (st.isDirectory()) {
    // Recursive: every .json/.ndjson below, in sorted order.
    return readdirSync(path, { withFileTypes: true })
      .filter((d) => d.isDirectory() || d.name.endsWith('.json') || d.name.endsWith('.ndjson'))
      .map((d) => d.name)
      .sort()
      .flatMap((f) => readInput(join(path, f)));
  }
  return parseText(readFileSync(path, 'utf8'), path);
}

const items = (opts.inputs.length ? opts.inputs : ['-']).flatMap(readInput);

// ---- profiles ---------------------------------------------------------------------------
let profiles = new Map();
if (opts.usCore) {
  try {
    profiles = loadIgPackage(opts.usCore);
  } catch (err) {
    usage(`cannot load US Core package ${opts.usCore}: ${err.message}`);
  }
}

function profilesFor(resource) {
  if (opts.profiles === 'none') return [];
  const urls = new Set();
  for (const p of resource?.meta?.profile ?? []) urls.add(p.split('|')[0]);
  if (opts.profiles === 'auto') for (const u of applicableUsCoreProfiles(resource)) urls.add(u);
  return [...urls];
}

// ---- validate -----------------------------------------------------------------------------
function check(resource, source, { standalone = false } = {}) {
  const checks = [];
  for (const name of opts.validators) {
    const { errors, warnings } = name === 'fhir-json' ? validateFhirJson(resource, { standalone }) : VALIDATORS[name](resource);
    checks.push({ validator: name, profile: null, errors, warnings });
  }
  if (opts.validators.includes('medplum')) {
    for (const url of profilesFor(resource)) {
      const sd = profiles.get(url);
      if (!sd && unloadable.has(url)) {
        checks.push({ validator: 'medplum', profile: url, errors: [{ path: resource.resourceType, message: `profile could not be loaded by Medplum (${unloadable.get(url)}); cannot check it` }], warnings: [] });
        continue;
      }
      if (!sd) {
        checks.push({ validator: 'medplum', profile: url, errors: [], warnings: [{ path: resource.resourceType, message: `profile ${url} is not loaded (pass --us-core PKG.tgz); not checked` }] });
        continue;
      }
      const { errors, warnings } = validateMedplum(resource, sd);
      checks.push({ validator: 'medplum', profile: url, errors, warnings });
    }
  }
  const errors = checks.reduce((n, c) => n + c.errors.length, 0);
  return { source, resourceType: resource?.resourceType ?? null, id: resource?.id ?? null, errors, checks };
}

const results = [];
for (const { source, resource } of items) {
  results.push(check(resource, source, { standalone: true }));
  if (opts.entries && resource?.resourceType === 'Bundle') {
    (resource.entry ?? []).forEach((e, i) => {
      if (e?.resource) results.push(check(e.resource, `${source}#entry[${i}]`));
    });
  }
}

const summary = { resources: results.length, with_errors: 0, errors: 0, warnings: 0, by_validator: {} };
for (const r of results) {
  if (r.errors) summary.with_errors++;
  for (const c of r.checks) {
    const key = c.profile ? `${c.validator}:${c.profile.split('/').pop()}` : c.validator;
    const b = (summary.by_validator[key] ??= { checked: 0, rejected: 0, errors: 0 });
    b.checked++;
    b.errors += c.errors.length;
    if (c.errors.length) b.rejected++;
    summary.errors += c.errors.length;
    summary.warnings += c.warnings.length;
  }
}
const validators = Object.fromEntries(opts.validators.map((v) => [v, VERSIONS[v]]));
if (opts.usCore) {
  validators.profiles = `${profiles.size} StructureDefinitions from ${opts.usCore}` + (unloadable.size ? `; not loadable by Medplum: ${[...unloadable.keys()].map((u) => u.split('/').pop()).join(', ')}` : '');
}
const report = {
  ok: summary.errors === 0,
  validators,
  summary,
  results: opts.errorsOnly ? results.filter((r) => r.errors) : results,
};
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
process.exitCode = report.ok ? 0 : 1;
