// Every way a CDS client JWT must be refused (CDS Hooks 2.0 §"Trusting CDS Clients"), against the
// real server with tokens signed by jose. Each rejection is a 401 naming the failed check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, base64url } from 'jose';
import { ISS, example, hookRequest, makeKeys, prefetchOf, randomUUID, startServer, token } from './lib/harness.mjs';

const PV = 'calfdvt-patient-view';
let keys;
let srv;
let body;
let aud;

before(async () => {
  keys = await makeKeys();
  srv = await startServer({ keys });
  aud = `${srv.url}/cds-services/${PV}`;
  const { patientId, prefetch } = prefetchOf(example('gastrocnemius-low-risk'));
  body = JSON.stringify(hookRequest('patient-view', patientId, { prefetch }));
});
after(async () => { await srv?.stop(); });

async function send(authorization) {
  const headers = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(aud, { method: 'POST', headers, body });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function rejected(authorization, rule) {
  const r = await send(authorization);
  assert.equal(r.status, 401, `expected 401 (${rule}), got ${r.status}`);
  assert.equal(r.body.error.code, 'unauthenticated');
  if (rule) assert.match(r.body.error.message, new RegExp(`\\(${rule}\\)`));
  assert.match(r.headers.get('www-authenticate'), /^Bearer/);
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (o) => base64url.encode(JSON.stringify(o));

describe('accepted', () => {
  test('ES384 and RS384 tokens', async () => {
    assert.equal((await send(`Bearer ${await token(keys, aud)}`)).status, 200);
    assert.equal((await send(`Bearer ${await token(keys, aud, { alg: 'RS384' })}`)).status, 200);
  });
});

describe('rejected', () => {
  test('no token', async () => rejected(undefined));
  test('not the Bearer scheme', async () => rejected(`Basic ${Buffer.from('a:b').toString('base64')}`));
  test('malformed token', async () => {
    await rejected('Bearer abc', 'format');
    await rejected('Bearer a.b.c.d', 'format');
    await rejected('Bearer !!!.???.***', 'format');
  });
  test('alg none', async () => {
    const claims = { iss: ISS, aud, exp: now() + 60, iat: now(), jti: randomUUID() };
    await rejected(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, 'alg');
  });
  test('HMAC: HS256 and HS384', async () => {
    for (const alg of ['HS256', 'HS384']) {
      const jwt = await new SignJWT({}).setProtectedHeader({ alg, typ: 'JWT', kid: 'es-1' })
        .setIssuer(ISS).setAudience(aud).setIssuedAt().setExpirationTime('2m').setJti(randomUUID())
        .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs384-000000'));
      await rejected(`Bearer ${jwt}`, 'alg');
    }
  });
  test('wrong signature (an untrusted key under a trusted kid)', async () => {
    await rejected(`Bearer ${await token(keys, aud, { key: keys.rogue.privateKey })}`, 'signature');
  });
  test('tampered payload', async () => {
    const [h, , s] = (await token(keys, aud)).split('.');
    const claims = { iss: ISS, aud, exp: now() + 60, iat: now(), jti: randomUUID(), extra: 1 };
    await rejected(`Bearer ${h}.${b64(claims)}.${s}`, 'signature');
  });
  test('unknown issuer', async () => rejected(`Bearer ${await token(keys, aud, { iss: 'https://rogue.example' })}`, 'iss'));
  test('unknown kid', async () => rejected(`Bearer ${await token(keys, aud, { kid: 'nope' })}`, 'kid'));
  test('wrong audience', async () => {
    await rejected(`Bearer ${await token(keys, `${srv.url}/cds-services`)}`, 'aud');
    await rejected(`Bearer ${await token(keys, 'https://elsewhere.example/cds-services/calfdvt-patient-view')}`, 'aud');
  });
  test('expired', async () => rejected(`Bearer ${await token(keys, aud, { exp: now() - 120 })}`, 'exp'));
  test('exp more than 5 minutes ahead', async () => rejected(`Bearer ${await token(keys, aud, { exp: now() + 3600 })}`, 'exp'));
  test('missing jti', async () => rejected(`Bearer ${await token(keys, aud, { jti: null })}`, 'jti'));
  test('replayed jti', async () => {
    const t = await token(keys, aud);
    assert.equal((await send(`Bearer ${t}`)).status, 200);
    await rejected(`Bearer ${t}`, 'replay');
  });
  test('wrong typ', async () => rejected(`Bearer ${await token(keys, aud, { typ: 'JWS' })}`, 'typ'));
  test('a token for another endpoint cannot call discovery either', async () => {
    const res = await fetch(`${srv.url}/cds-services`, { headers: { authorization: `Bearer ${await token(keys, aud)}` } });
    assert.equal(res.status, 401);
  });
});
