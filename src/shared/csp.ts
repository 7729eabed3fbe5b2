// One Content-Security-Policy for every way the UI is served (Electron's app:// protocol,
// headless HTTP, the meta tag in index.html): no inline or remote script, no plugins, no framing.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
