#!/usr/bin/env node
// An in-memory FHIR R4 server for tests: @medplum/fhir-router over a MemoryRepository behind a
// small node:http listener, bound to 127.0.0.1 only.
//
//   node server.mjs [PORT] [--max-lifetime SECONDS] [--fail-first N] [--no-validate]
//
// PORT 0 (the default) picks a free port. On start it prints one JSON line to stdout:
//   {"ready": true, "port": 41234, "base_url": "http://127.0.0.1:41234/fhir/R4"}
//
// What it serves (under /fhir/R4): POST of a batch or transaction Bundle (urn:uuid references
// rewritten, conditional create with ifNoneExist, conditional update), create, read, update,
// delete, and search (for example Condition?subject=Patient/1, Condition?code=SYS|CODE,
// Provenance?target=Condition/ID), plus GET /metadata.
//
// Like a real server it ignores client ids on create (POST) and assigns its own; it checks
// every created or updated resource with Medplum's validator (types, cardinality, FHIRPath
// invariants) and answers 400 with the OperationOutcome when a resource is invalid
// (--no-validate turns that off). A transaction is validated as a whole before anything is
// written; its entries then run in order (MemoryRepository has no rollback), and a failing
// entry makes the answer that entry's error. Unlike a production Medplum server, it does not
// limit transactions with conditional create to 8 entries. --fail-first N answers 503 to the first N requests, to
// exercise client retries.
//
// Bounds: loopback only; request bodies over 32 MiB get 413; at most 200000 stored resources;
// it exits when its stdin pipe closes or its parent process goes away, on SIGTERM/SIGINT, and after
// --max-lifetime seconds (default 900).
import { fstatSync } from 'node:fs';
import http from 'node:http';
import {
  OperationOutcomeError,
  badRequest,
  getStatus,
  normalizeOperationOutcome,
  validateResource,
} from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { loadMedplum } from './lib.mjs';

const BASE_PATH = '/fhir/R4';
const MAX_BODY = 32 * 1024 * 1024;
const MAX_RESOURCES = 200000;

function usage(msg) {
  process.stderr.write(`server.mjs: ${msg}\nusage: node server.mjs [PORT] [--max-lifetime SECONDS] [--fail-first N] [--no-validate]\n`);
  process.exit(2);
}

const opts = { port: 0, maxLifetime: 900, failFirst: 0, validate: true };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--max-lifetime') opts.maxLifetime = Number(argv[++i]);
  else if (a === '--fail-first') opts.failFirst = Number(argv[++i]);
  else if (a === '--no-validate') opts.validate = false;
  else if (/^\d+$/.test(a)) opts.port = Number(a);
  else usage(`unknown argument ${a}`);
}
if (!(opts.port >= 0 && opts.port < 65536)) usage('PORT must be 0..65535');
if (!(opts.maxLifetime > 0)) usage('--max-lifetime must be a positive number of seconds');
if (!(opts.failFirst >= 0)) usage('--fail-first must be >= 0');

loadMedplum({ searchParameters: true });

/** Medplum's issues for a resource (validateResource throws when it finds errors). */
function medplumIssues(resource) {
  try {
    return validateResource(resource) ?? [];
  } catch (err) {
    if (err?.outcome?.issue) return err.outcome.issue;
    throw err;
  }
}

class CheckedMemoryRepository extends MemoryRepository {
  constructor() {
    super();
    this.count = 0;
    this.updating = 0;
  }

  check(resource) {
    if (!opts.validate) return;
    const issues = medplumIssues(resource);
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    if (errors.length) {
      throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue: errors });
    }
  }

  async createResource(resource, options) {
    this.check(resource);
    if (this.updating === 0) {
      if (this.count >= MAX_RESOURCES) throw new OperationOutcomeError(badRequest(`server holds ${MAX_RESOURCES} resources, its limit`));
      if (!options?.assignedId) {
        // A server assigns ids on create; client ids in a POST body are ignored
        // (FHIR http.html#create). Inside a batch the router has already assigned one.
        resource = { ...resource };
        delete resource.id;
      }
      this.count++;
    }
    return super.createResource(resource, options);
  }

  async updateResource(resource, options) {
    this.check(resource);
    this.updating++;
    try {
      return await super.updateResource(resource, options);
    } finally {
      this.updating--;
    }
  }
}

const repo = new CheckedMemoryRepository();
const router = new FhirRouter();
let requestsSeen = 0;

const capabilityStatement = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: new Date().toISOString(),
  kind: 'instance',
  software: { name: 'ehrnlp test server (@medplum/fhir-router, in memory)' },
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }] }],
};

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function outcome(status, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: status === 404 ? 'not-found' : status === 413 ? 'too-costly' : 'invalid', details: { text } }] };
}

async function handle(req, res) {
  requestsSeen++;
  const url = new URL(req.url, 'http://127.0.0.1');
  if (!url.pathname.startsWith(BASE_PATH)) {
    return send(res, 404, outcome(404, `this server serves FHIR under ${BASE_PATH}`));
  }
  if (requestsSeen <= opts.failFirst) {
    return send(res, 503, outcome(503, 'deliberate failure (--fail-first)'), { 'retry-after': '0' });
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return send(res, 413, outcome(413, `request body over ${MAX_BODY} bytes`));
    chunks.push(chunk);
  }
  let body;
  if (size > 0) {
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, outcome(400, 'request body is not valid JSON'));
    }
  }
  const rel = url.pathname.slice(BASE_PATH.length).replace(/^\/+/, '') + url.search;
  if (req.method === 'GET' && rel.replace(/\?.*$/, '') === 'metadata') return send(res, 200, capabilityStatement);
  const isTransaction = req.method === 'POST' && rel.replace(/\?.*$/, '') === '' && body?.resourceType === 'Bundle' && body.type === 'transaction';
  if (isTransaction && opts.validate) {
    // All-or-nothing for invalid content: check every entry before writing anything.
    const issues = [];
    (body.entry ?? []).forEach((e, i) => {
      if (!e?.resource) return;
      for (const issue of medplumIssues(e.resource)) {
        if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
        issues.push({ ...issue, expression: (issue.expression ?? []).map((x) => `Bundle.entry[${i}].resource.${x}`) });
      }
    });
    if (issues.length) return send(res, 400, { resourceType: 'OperationOutcome', issue: issues });
  }
  const fhirReq = {
    method: req.method,
    url: rel,
    pathname: '',
    body,
    params: {},
    query: {},
    headers: req.headers,
    // Medplum's serializable-transaction mode refuses more than 8 entries with conditional
    // create; a MemoryRepository has no real transactions anyway, so entries run in order
    // and a failed entry turns the whole answer into that entry's error (see below).
    config: { transactions: false },
  };
  let result;
  try {
    result = await router.handleRequest(fhirReq, repo);
  } catch (err) {
    result = [normalizeOperationOutcome(err)];
  }
  const [oo, resource] = result;
  let status = getStatus(oo);
  if (isTransaction && status < 300 && resource?.resourceType === 'Bundle') {
    const failed = (resource.entry ?? []).find((e) => Number(String(e.response?.status ?? '').split(' ')[0]) >= 400);
    if (failed) {
      const failedStatus = Number(String(failed.response.status).split(' ')[0]);
      return send(res, failedStatus, failed.response.outcome ?? outcome(failedStatus, 'a transaction entry failed'));
    }
    resource.type = 'transaction-response';
  }
  const headers = {};
  if (status === 201 && resource?.id) headers.location = `${BASE_PATH}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? ''}`;
  return send(res, status, resource ?? oo, headers);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) send(res, 500, outcome(500, `server error: ${err?.message ?? err}`));
    else res.destroy();
  });
});
server.requestTimeout = 60000;
server.headersTimeout = 10000;
server.keepAliveTimeout = 5000;

function shutdown(code = 0) {
  server.close();
  process.exit(code);
}

server.listen(opts.port, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({ ready: true, port, base_url: `http://127.0.0.1:${port}${BASE_PATH}` }) + '\n');
});
server.on('error', (err) => {
  process.stderr.write(`server.mjs: cannot listen on 127.0.0.1:${opts.port}: ${err.message}\n`);
  process.exit(1);
});

// Stop by ourselves: parent gone, stdin closed, signals, lifetime.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent || process.ppid === 1) shutdown(0);
  try {
    process.kill(parent, 0);
  } catch {
    shutdown(0);
  }
}, 1000).unref();
let stdinIsPipe = false;
try {
  stdinIsPipe = fstatSync(0).isFIFO() || fstatSync(0).isSocket();
} catch {
  // no stdin
}
if (stdinIsPipe) {
  // Started by a test harness with a pipe on stdin: its closing means the parent is done.
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('error', () => shutdown(0));
  process.stdin.resume();
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
setTimeout(() => shutdown(0), opts.maxLifetime * 1000).unref();
