import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AttemptThrottle } from './attempt-throttle';
import { authenticateClient, readClientCredentials } from './client-authentication';
import { hashClientSecret } from './client-secret-hash';

// What a failed authentication costs must not tell whether the client id exists: every failure
// with a secret pays for exactly one scrypt check, like a client whose secret the user chose.
// (How long that takes is measured in bench/, not asserted here.)
function request(headers: Record<string, string> = {}): IncomingMessage {
  return { headers, socket: new Socket() } as unknown as IncomingMessage;
}

async function setup() {
  const stored: Record<string, Record<string, unknown>> = {
    chosen: {
      client_id: 'chosen',
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: await hashClientSecret('user-chosen'),
    },
    generated: {
      client_id: 'generated',
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: await hashClientSecret('A'.repeat(43), { generated: true }),
    },
    public: { client_id: 'public', token_endpoint_auth_method: 'none' },
  };
  const paid: string[] = [];
  const { verifyClientSecret } = await import('./client-secret-hash');
  const options = {
    findClient: async (id: string) => stored[id],
    throttle: new AttemptThrottle(),
    limits: () => ({ failedPerClientPerMinute: 1000, failedPerSourcePerMinute: 1000 }),
    verify: (hash: string, presented: string) => {
      paid.push(hash.split('$')[0]!);
      return verifyClientSecret(hash, presented);
    },
  };
  const attempt = async (clientId: string, secret?: string) => {
    paid.length = 0;
    const result = await authenticateClient(
      request(),
      { client_id: clientId, ...(secret ? { client_secret: secret } : {}) },
      options,
    );
    return { result, paid: [...paid] };
  };
  return attempt;
}

describe('authenticateClient', () => {
  it.each([
    ['an unknown client id', 'nobody'],
    ['a wrong user-chosen secret', 'chosen'],
    ['a wrong generated secret', 'generated'],
    ['a secret sent for a public client', 'public'],
  ])('%s costs one scrypt check and reads like any other failure', async (_label, clientId) => {
    const attempt = await setup();
    const { result, paid } = await attempt(clientId, 'wrong');
    expect(result).toEqual({
      status: 401,
      error: 'invalid_client',
      description: 'client authentication failed',
    });
    expect(paid.filter((kind) => kind === 'scrypt')).toHaveLength(1);
  });

  it('a right secret is accepted at its own cost: one HMAC for a generated one', async () => {
    const attempt = await setup();
    expect(await attempt('generated', 'A'.repeat(43))).toEqual({
      result: { clientId: 'generated', confidential: true, secret: 'A'.repeat(43) },
      paid: ['hmac-sha256'],
    });
    expect((await attempt('chosen', 'user-chosen')).result).toMatchObject({ confidential: true });
    expect(await attempt('public')).toEqual({
      result: { clientId: 'public', confidential: false },
      paid: [],
    });
  });

  it('a confidential client without its secret fails like an unknown public one', async () => {
    const attempt = await setup();
    expect((await attempt('chosen')).result).toEqual((await attempt('nobody')).result);
  });
});

describe('readClientCredentials', () => {
  const basic = (raw: string) => request({ authorization: `Basic ${Buffer.from(raw).toString('base64')}` });

  it('decodes form-encoded Basic credentials (RFC 6749 §2.3.1)', () => {
    expect(readClientCredentials(basic('my%20client:s%3Acret+x'), {})).toEqual({
      clientId: 'my client',
      secret: 's:cret x',
    });
  });

  it.each([
    ['a bad %-escape', basic('alice:%E0%A4%A'), {}, /not properly %-encoded/],
    ['no colon', basic('alice'), {}, /Basic <base64/],
    ['not Basic', request({ authorization: 'Bearer x' }), {}, /Basic <base64/],
    ['two secrets', basic('alice:s'), { client_secret: 's' }, /once/],
    ['two different ids', basic('alice:s'), { client_id: 'bob' }, /differs/],
    ['an empty secret', basic('alice:'), {}, /no client secret/],
  ])('refuses %s with 400 invalid_request', (_label, req, form, description) => {
    expect(readClientCredentials(req, form)).toMatchObject({
      status: 400,
      error: 'invalid_request',
      description: expect.stringMatching(description),
    });
  });
});
