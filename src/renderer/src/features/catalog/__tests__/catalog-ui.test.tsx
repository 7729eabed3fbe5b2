import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogPage } from '../../../../../shared/registry';
import { App } from '../../../app/App';
import { startSync } from '../../../app/start';
import { createPreloadStub } from '../../../common/mocks/preload-stub';
import { connectToDock } from '../../../lib/dock-client';
import { resetConnectionStore } from '../../connection';
import { resetEngineStore } from '../../engine';
import { resetCatalogStore } from '../lib/catalog-store';

const PAGE: CatalogPage = {
  registry: 'https://registry.modelcontextprotocol.io',
  source: 'cache',
  fetchedAt: '2026-12-01T10:00:00.000Z',
  stale: true,
  error: 'the registry cannot be reached: ENOTFOUND',
  entries: [
    {
      name: 'io.github.example/weather-mcp',
      title: 'Weather',
      description: 'Forecasts for any city',
      version: '2.1.0',
      suggestedName: 'weather-mcp',
      options: [
        {
          kind: 'npm',
          target: '@example/weather-mcp@2.1.0',
          transport: 'stdio',
          inputs: [
            { name: 'WEATHER_API_KEY', source: 'env', description: 'Your key', required: true, secret: true },
          ],
        },
        { kind: 'remote', target: 'https://weather.example/mcp', transport: 'streamable-http', inputs: [] },
      ],
    },
  ],
};

let stop: (() => void) | undefined;
beforeEach(() => {
  resetEngineStore();
  resetConnectionStore();
  resetCatalogStore();
  window.location.hash = '#catalog';
});
afterEach(() => {
  stop?.();
  delete window.mcpDock;
  window.location.hash = '';
});

describe('Catalog pane', () => {
  it('lists the registry, says when the listing is stale, and installs with the entry’s secret as a password', async () => {
    const stub = createPreloadStub();
    stub.raw.catalog.search.mockResolvedValue({ ok: true, value: PAGE } as never);
    stub.raw.catalog.add.mockResolvedValueOnce({
      ok: true,
      value: {
        kind: 'remote',
        remote: {
          spec: {
            name: 'weather-mcp',
            url: 'https://weather.example/mcp',
            transport: 'auto',
            auth: { type: 'oauth' },
          },
          state: 'signed-out',
          tools: [],
          secretsSet: [],
        },
      },
    } as never);
    window.mcpDock = stub.raw;
    stop = startSync(connectToDock(window));
    render(<App />);
    const card = await screen.findByRole('article', { name: 'Weather' });
    expect(
      screen
        .getAllByRole('status')
        .map((s) => s.textContent)
        .join(' '),
    ).toMatch(/may be out of date \(the registry could not be asked: .*ENOTFOUND\)/);
    await userEvent.click(
      within(card).getByRole('button', { name: 'Install io.github.example/weather-mcp' }),
    );
    const form = within(card).getByRole('form', { name: 'Install io.github.example/weather-mcp' });
    const secret = within(form).getByLabelText(
      /WEATHER_API_KEY \(required\) \(secret, stored encrypted\): Your key/,
    );
    expect(secret.getAttribute('type')).toBe('password');
    await userEvent.selectOptions(within(form).getByLabelText('Install as'), '1');
    expect(within(form).queryByLabelText(/WEATHER_API_KEY/)).toBeNull();
    await userEvent.click(within(form).getByRole('button', { name: 'Install' }));
    expect(stub.raw.catalog.add).toHaveBeenCalledWith({
      entry: 'io.github.example/weather-mcp',
      as: 'weather-mcp',
      kind: 'remote',
      values: {},
    });
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('status')
          .some((s) => s.textContent?.includes('Installed io.github.example/weather-mcp as weather-mcp')),
      ).toBe(true),
    );
  });

  it('says why a search failed', async () => {
    const stub = createPreloadStub();
    stub.raw.catalog.search.mockResolvedValue({
      ok: false,
      error: {
        code: 'REGISTRY_UNREACHABLE',
        message: 'the registry https://r.example cannot be reached: ECONNREFUSED',
      },
    } as never);
    window.mcpDock = stub.raw;
    stop = startSync(connectToDock(window));
    render(<App />);
    expect(await screen.findByText(/cannot be reached: ECONNREFUSED/)).toBeTruthy();
  });
});
