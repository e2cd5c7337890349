// Checks every HTTP response of the suite against docs/openapi.json, and the HTTP client that
// does it (global fetch). A response whose (path, method, status) the document does not list, whose
// Content-Type it does not list, or whose body does not match the schema fails the test with a
// ContractError.
//
// Beyond the documented operations the transport answers two generic errors (docs/api.md): an
// unknown path -> 404 and a known path with an undocumented method -> 405 with an Allow header.
// Those must carry the document's Error schema.
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { REPO } from './server.mjs';

export const OPENAPI_PATH = join(REPO, 'docs', 'openapi.json');
export const openapi = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
const DOC_ID = 'openapi.json';

if (!/^3\./.test(openapi.openapi ?? '')) throw new Error(`${OPENAPI_PATH} is not an OpenAPI 3 document`);

// OpenAPI 3.0 schemas are a JSON Schema dialect: strict off so its extra keywords (example,
// nullable, discriminator, ...) are ignored; refs resolve inside the whole document.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, DOC_ID);

const validators = new Map();
function validatorAt(pointer) {
  let v = validators.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
    validators.set(pointer, v);
  }
  return v;
}

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class ContractError extends AssertionError {
  constructor(message) {
    super({ message });
    this.name = 'ContractError';
  }
}

// Path templates, literal ones first so "/api/v1/episodes" wins over a parameter.
const templates = Object.keys(openapi.paths)
  .map((t) => ({
    template: t,
    params: (t.match(/\{[^}]+\}/g) || []).length,
    re: new RegExp(`^${t.split('/').map((seg) => (/^\{[^}]+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`),
  }))
  .sort((a, b) => a.params - b.params);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function matchPath(pathname) {
  return templates.find((t) => t.re.test(pathname))?.template ?? null;
}

export function documentedMethods(template) {
  return METHODS.filter((m) => openapi.paths[template][m]).map((m) => m.toUpperCase());
}

// Validates one response; returns the parsed body (JSON) or text. Throws ContractError.
export function checkResponse({ method, pathname, status, contentType, text, headers }) {
  const where = `${method} ${pathname} -> ${status}`;
  const fail = (why) => {
    throw new ContractError(`response not as documented in docs/openapi.json: ${where}: ${why}\nbody: ${text.slice(0, 2000)}`);
  };
  const template = matchPath(pathname);
  const operation = template ? openapi.paths[template][method.toLowerCase()] : undefined;
  const media = (contentType || '').split(';')[0].trim().toLowerCase();
  let schemaPointer;
  if (!operation) {
    // Transport-level answers outside the documented operations, with the Error schema.
    if (!template && status !== 404) fail('undocumented path (only 404 is allowed)');
    if (template && status !== 405) fail(`undocumented method for ${template} (only 405 is allowed)`);
    if (status === 405) {
      const allow = (headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
      for (const m of documentedMethods(template))
        if (!allow.includes(m)) fail(`Allow header "${headers.get('allow')}" lacks ${m}`);
    }
    if (media !== 'application/json') fail(`Content-Type "${contentType}", expected application/json`);
    schemaPointer = '/components/schemas/Error';
  } else {
    const responses = operation.responses || {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) fail(`status ${status} is not documented for ${method} ${template} (documented: ${Object.keys(responses).join(', ')})`);
    const content = responses[key].content || {};
    if (Object.keys(content).length === 0) {
      if (text.length) fail('the document specifies no body');
      return undefined;
    }
    if (!content[media]) fail(`Content-Type "${contentType}" is not documented (${Object.keys(content).join(', ')})`);
    if (content[media].schema) {
      schemaPointer = `/paths/${esc(template)}/${method.toLowerCase()}/responses/${esc(key)}/content/${esc(media)}/schema`;
    }
  }
  let value = text;
  if (/json/.test(media)) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      fail(`body is not JSON (${e.message})`);
    }
  }
  if (schemaPointer) {
    const validate = validatorAt(schemaPointer);
    if (!validate(value)) {
      const errs = validate.errors.slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
      fail(`body does not match ${schemaPointer}:\n  ${errs.join('\n  ')}`);
    }
  }
  return value;
}

// Whether `e` is a transport failure (connection refused/reset, aborted) rather than a contract
// or assertion failure: tests that kill the server treat those as "no response".
export function isNetworkError(e) {
  return !(e instanceof AssertionError) && (e?.name === 'TypeError' || e?.name === 'AbortError' ||
    e?.name === 'TimeoutError' || /fetch failed|terminated|socket|ECONN|EPIPE/i.test(`${e?.message} ${e?.cause?.code ?? ''}`));
}

const REQUEST_TIMEOUT_MS = 15_000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

// A client for one server. Every call validates its response (see checkResponse) and resolves to
// { status, headers, body, text }. Options per call: json (sent as application/json), body (raw
// string, or a ReadableStream sent chunked), contentType, headers, query (object), token (overrides
// the client's), timeoutMs.
export function client(baseUrl, { token } = {}) {
  async function request(method, path, opts = {}) {
    const url = new URL(path, `${baseUrl}/`);
    for (const [k, v] of Object.entries(opts.query || {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = { ...(opts.headers || {}) };
    const bearer = opts.token !== undefined ? opts.token : token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] = opts.contentType ?? 'application/json';
    } else if (opts.body !== undefined) {
      body = opts.body;
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    const init = { method, headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? REQUEST_TIMEOUT_MS) };
    if (body instanceof ReadableStream) init.duplex = 'half';  // sent chunked, no Content-Length
    const res = await fetch(url, init);
    const bytes = new Uint8Array(await res.arrayBuffer());
    let text;
    try {
      text = utf8.decode(bytes);  // JSON text is UTF-8 (RFC 8259 section 8.1)
    } catch {
      throw new ContractError(`${method} ${url.pathname} -> ${res.status}: the body is not valid UTF-8\n` +
        `body: ${new TextDecoder().decode(bytes).slice(0, 2000)}`);
    }
    const parsed = checkResponse({
      method,
      pathname: url.pathname,
      status: res.status,
      contentType: res.headers.get('content-type'),
      text,
      headers: res.headers,
    });
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
  return {
    baseUrl,
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, json, opts = {}) => request('POST', path, { ...opts, json }),
    put: (path, json, opts = {}) => request('PUT', path, { ...opts, json }),
  };
}
