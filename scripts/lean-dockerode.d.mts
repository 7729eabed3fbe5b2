import type { Plugin } from 'vite';

export function leanDockerode(): Plugin;
