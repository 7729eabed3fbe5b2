import { createServer } from 'node:http';
import { expect, openApp, test } from './fixtures/dock';

// The consent step of the authorization code flow, clicked by a person in a real browser that
// holds the panel's session (headless mode). The desktop app shows the same request as a dialog.
test('an MCP client’s authorization request is approved with Allow in the browser', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const codes: string[] = [];
  const callback = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Browsers also ask for /favicon.ico; only the redirect carries the answer.
    if (url.pathname === '/cb')
      codes.push(url.searchParams.get('code') ?? `error:${url.searchParams.get('error')}`);
    res.end('done');
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  const redirect = `http://127.0.0.1:${(callback.address() as { port: number }).port}/cb`;
  try {
    await openApp(dock);
    const registration = await fetch(`${origin}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [redirect],
        client_name: 'E2E MCP client',
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id } = (await registration.json()) as { client_id: string };
    const authorize = new URL(`${origin}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      client_id,
      response_type: 'code',
      redirect_uri: redirect,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'xyz',
    }).toString();

    const consent = await dock.page.context().newPage();
    await consent.goto(authorize.toString());
    await expect(consent.getByRole('heading', { name: 'Allow access?' })).toBeVisible();
    await expect(consent.getByText('E2E MCP client')).toBeVisible();
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect(consent).toHaveURL(new RegExp(`^${redirect}\\?code=`));
    expect(codes).toHaveLength(1);
    expect(codes[0]).not.toMatch(/^error:/);

    // The panel also listed it while it waited; once decided, the dialog is gone.
    await expect(dock.page.getByRole('dialog')).toBeHidden();
  } finally {
    callback.close();
  }
});

test('Allow in the panel finishes the sign-in in the browser tab that waits for it', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const codes: string[] = [];
  const callback = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/cb')
      codes.push(url.searchParams.get('code') ?? `error:${url.searchParams.get('error')}`);
    res.end('done');
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  const redirect = `http://127.0.0.1:${(callback.address() as { port: number }).port}/cb`;
  try {
    await openApp(dock);
    const registration = await fetch(`${origin}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: [redirect],
        client_name: 'Panel-approved client',
        token_endpoint_auth_method: 'none',
      }),
    });
    const { client_id } = (await registration.json()) as { client_id: string };
    const authorize = new URL(`${origin}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      client_id,
      response_type: 'code',
      redirect_uri: redirect,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'xyz',
    }).toString();

    const tab = await dock.page.context().newPage();
    await tab.goto(authorize.toString());
    await expect(tab.getByRole('heading', { name: 'Allow access?' })).toBeVisible();

    const dialog = dock.page.getByRole('dialog');
    await expect(dialog).toContainText('Panel-approved client');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await expect(dialog).toBeHidden();
    // The tab was waiting: it continues to the client by itself.
    await expect(tab).toHaveURL(new RegExp(`^${redirect}\\?code=`));
    expect(codes).toHaveLength(1);
    expect(codes[0]).not.toMatch(/^error:/);
  } finally {
    callback.close();
  }
});
