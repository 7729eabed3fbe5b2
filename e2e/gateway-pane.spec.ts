import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { ensureTestImage } from '../test-support/test-image';
import { expect, openApp, test } from './fixtures/dock';

// The reference sequential-thinking server describes its one tool in about 2,000 characters of
// paragraphs and bullet lists: the Gateway pane must stay a list of tools.
test('the Gateway pane clamps a long tool description and shows it whole, line breaks kept, on request', async ({
  dock,
}) => {
  const docker = new Docker({ socketPath: dock.engineSocket });
  const image = await ensureTestImage(docker);
  const name = `e2e-${randomBytes(3).toString('hex')}`;
  const { page } = dock;
  try {
    await openApp(dock);
    await page.getByRole('button', { name: 'Add server' }).click();
    const form = page.getByRole('form', { name: 'Add a server' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Image', { exact: true }).fill(image);
    await form.getByLabel('MCP command (stdio)').fill('mcp-server-sequential-thinking');
    await form.getByRole('button', { name: 'Add server' }).click();
    const card = page.getByRole('article', { name, exact: true });
    await card.getByRole('button', { name: 'Start' }).click();
    await expect(card.getByLabel(`${name} state`)).toHaveText('running', { timeout: 30_000 });

    await page.getByRole('link', { name: 'Gateway' }).click();
    const section = page.getByRole('article', { name, exact: true });
    const tool = `${name}__sequentialthinking`;
    const description = section.getByLabel(`Description of ${tool}`);
    await expect(description).toBeVisible({ timeout: 60_000 });
    const collapsed = (await description.boundingBox())!.height;
    expect(collapsed).toBeLessThan(100);
    await expect(description).toHaveText(/…$/);
    await page.screenshot({ path: test.info().outputPath('gateway-collapsed.png') });

    await section.getByRole('button', { name: 'Show more' }).click();
    const full = await description.evaluate((el) => ({
      text: el.textContent ?? '',
      lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
      whiteSpace: getComputedStyle(el).whiteSpace,
    }));
    expect(full.text.length).toBeGreaterThan(1000);
    expect(full.text).toContain('\n');
    expect(full.whiteSpace).toBe('pre-line');
    // One line per line of the description, at least: its bullet lists are not run together.
    expect(full.lines).toBeGreaterThanOrEqual(full.text.split('\n').length);
    await page.screenshot({ path: test.info().outputPath('gateway-expanded.png'), fullPage: true });
    await section.getByRole('button', { name: 'Show less' }).click();
    await expect(description).toHaveText(/…$/);
  } finally {
    await docker
      .getContainer(`mcp-dock-${name}`)
      .remove({ force: true })
      .catch(() => undefined);
  }
});
