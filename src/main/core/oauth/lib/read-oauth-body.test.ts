import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FORM_BYTES, readForm, readJsonObject } from './read-oauth-body';

// A real server on 127.0.0.1 that echoes what was read, or lets the reader answer.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const read = req.url === '/form' ? await readForm(req, res) : await readJsonObject(req, res);
      if (read !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(read));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = async (path: string, type: string, body: string) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('reading OAuth request bodies', () => {
  it('reads a form, keeping repeated parameters repeated', async () => {
    expect(await post('/form', 'application/x-www-form-urlencoded', 'a=1&b=2&b=3')).toEqual({
      status: 200,
      body: { a: '1', b: ['2', '3'] },
    });
  });

  it('takes forms only as application/x-www-form-urlencoded', async () => {
    expect(await post('/form', 'application/json', '{}')).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'the token endpoint takes application/x-www-form-urlencoded bodies',
      },
    });
  });

  it('refuses a body over the limit with 413', async () => {
    const big = `a=${'x'.repeat(MAX_FORM_BYTES)}`;
    expect(await post('/form', 'application/x-www-form-urlencoded', big)).toEqual({
      status: 413,
      body: {
        error: 'invalid_request',
        error_description: `request body too large (at most ${MAX_FORM_BYTES} bytes)`,
      },
    });
    expect(
      (await post('/json', 'application/json', JSON.stringify({ a: 'x'.repeat(MAX_FORM_BYTES) }))).body.error,
    ).toBe('invalid_client_metadata');
  });

  it('reads a JSON object, and names what else arrived', async () => {
    expect(await post('/json', 'application/json', '{"a":1}')).toEqual({ status: 200, body: { a: 1 } });
    const refused = async (type: string, body: string) =>
      (await post('/json', type, body)).body.error_description;
    expect(await refused('text/plain', '{}')).toBe('registration takes an application/json body');
    expect(await refused('application/json', '[1]')).toBe('the body must be a JSON object');
    expect(await refused('application/json', 'null')).toBe('the body must be a JSON object');
    expect(await refused('application/json', '{')).toBe('the body is not JSON');
  });
});
