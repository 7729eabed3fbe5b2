import { expect, openApp, test } from './fixtures/dock';
import { authorizeUrl, startCallback } from './fixtures/oauth-callback';

// The consent step of the authorization code flow, clicked by a person in a real browser that
// holds the panel's session (headless mode). The desktop app shows the same request as a dialog.
test('an MCP client’s authorization request is approved with Allow in the browser', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const callback = await startCallback();
  try {
    await openApp(dock);
    const consent = await dock.page.context().newPage();
    await consent.goto(await authorizeUrl(origin, 'E2E MCP client', callback.redirect));
    await expect(consent.getByRole('heading', { name: 'Allow access?' })).toBeVisible();
    await expect(consent.getByText('E2E MCP client')).toBeVisible();
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect(consent).toHaveURL(new RegExp(`^${callback.redirect}\\?code=`));
    expect(callback.codes).toHaveLength(1);
    expect(callback.codes[0]).not.toMatch(/^error:/);

    // The panel also listed it while it waited; once decided, the dialog is gone.
    await expect(dock.page.getByRole('dialog')).toBeHidden();
  } finally {
    callback.close();
  }
});

test('Allow in the panel finishes the sign-in in the browser tab that waits for it', async ({ dock }) => {
  const origin = await dock.httpOrigin();
  const callback = await startCallback();
  try {
    await openApp(dock);
    const tab = await dock.page.context().newPage();
    await tab.goto(await authorizeUrl(origin, 'Panel-approved client', callback.redirect));
    await expect(tab.getByRole('heading', { name: 'Allow access?' })).toBeVisible();

    const dialog = dock.page.getByRole('dialog');
    await expect(dialog).toContainText('Panel-approved client');
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await expect(dialog).toBeHidden();
    // The tab was waiting: it continues to the client by itself.
    await expect(tab).toHaveURL(new RegExp(`^${callback.redirect}\\?code=`));
    expect(callback.codes).toHaveLength(1);
    expect(callback.codes[0]).not.toMatch(/^error:/);
  } finally {
    callback.close();
  }
});
