import { afterEach, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

// A console error in a renderer test is a bug (a React warning, a failed prop type): fail on it.
const originalError = console.error;
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
console.error = (...args: unknown[]) => {
  originalError(...args);
  throw new Error(`console.error in a renderer test: ${args.map(String).join(' ')}`);
};
