// The response checker itself (lib/openapi.mjs): it must reject what the document does not
// promise, or the other suites would prove nothing. No server needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContractError, checkResponse, matchPath, openapi } from './lib/openapi.mjs';

const json = 'application/json';
const err = (code = 'x', path = '') => JSON.stringify({ error: { code, message: 'm', path } });
const check = (method, pathname, status, text, { contentType = json, allow } = {}) => checkResponse({
  method, pathname, status, contentType, text, headers: new Headers(allow ? { allow } : {}),
});
const rejects = (why, ...args) => assert.throws(() => check(...args), ContractError, why);

test('the document is OpenAPI 3 and lists every endpoint of docs/api.md', () => {
  assert.match(openapi.openapi, /^3\.0\./);
  for (const [method, path] of [
    ['get', '/healthz'], ['get', '/metrics'], ['get', '/api/v1/openapi.json'], ['get', '/api/v1/knowledge'],
    ['post', '/api/v1/assess'], ['post', '/api/v1/episodes'], ['get', '/api/v1/episodes'],
    ['get', '/api/v1/episodes/{id}'], ['post', '/api/v1/episodes/{id}/events'],
    ['get', '/api/v1/episodes/{id}/audit'], ['get', '/api/v1/worklist'],
    ['post', '/api/v1/procedures'], ['get', '/api/v1/procedures'], ['get', '/api/v1/procedures/{id}'],
    ['post', '/api/v1/procedures/{id}/squeezes'], ['get', '/api/v1/registry'],
  ]) assert.ok(openapi.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
});

test('path templates: literals win over parameters', () => {
  assert.equal(matchPath('/api/v1/episodes'), '/api/v1/episodes');
  assert.equal(matchPath('/api/v1/episodes/abc'), '/api/v1/episodes/{id}');
  assert.equal(matchPath('/api/v1/episodes/abc/events'), '/api/v1/episodes/{id}/events');
  assert.equal(matchPath('/api/v1/episodes/abc/other'), null);
  assert.equal(matchPath('/api/v1/worklist/'), null);
});

test('accepts documented responses', () => {
  check('GET', '/api/v1/worklist', 200, JSON.stringify({ as_of: '2026-01-01', items: [], next_cursor: null }));
  check('GET', '/api/v1/worklist', 400, err('invalid_input', 'limit'));
  check('GET', '/metrics', 200, '# nothing\n', { contentType: 'text/plain; version=0.0.4; charset=utf-8' });
  check('GET', '/nope', 404, err('not_found'));
  check('PUT', '/api/v1/worklist', 405, err('method_not_allowed'), { allow: 'GET, HEAD, OPTIONS' });
});

test('rejects what the document does not promise', () => {
  rejects('undocumented status', 'GET', '/api/v1/worklist', 418, err());
  rejects('undocumented status', 'GET', '/api/v1/worklist', 404, err());
  rejects('missing required member', 'GET', '/api/v1/worklist', 200, JSON.stringify({ as_of: '2026-01-01', items: [] }));
  rejects('extra member', 'GET', '/api/v1/worklist', 200, JSON.stringify({ as_of: '2026-01-01', items: [], next_cursor: null, x: 1 }));
  rejects('bad nested item', 'GET', '/api/v1/worklist', 200, JSON.stringify({ as_of: '2026-01-01', items: [{ rank: 9 }], next_cursor: null }));
  rejects('$ref into components', 'GET', '/api/v1/episodes/x', 200, '{}');
  rejects('error shape', 'GET', '/api/v1/episodes/x', 404, JSON.stringify({ error: 'not found' }));
  rejects('not JSON', 'GET', '/healthz', 200, 'ok');
  rejects('content type', 'GET', '/healthz', 200, '{}', { contentType: 'text/plain' });
  rejects('content type', 'GET', '/metrics', 200, 'x', { contentType: json });
  rejects('unknown path must be 404', 'GET', '/nope', 200, '{}');
  rejects('undocumented method must be 405', 'PUT', '/api/v1/worklist', 200, '{}');
  rejects('405 needs Allow with the documented methods', 'PUT', '/api/v1/worklist', 405, err());
  rejects('405 needs Allow with the documented methods', 'DELETE', '/api/v1/episodes', 405, err(), { allow: 'GET' });
});
