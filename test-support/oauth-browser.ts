// A browser's part in an OAuth redirect dance, for tests: keeps cookies and follows redirects by
// hand until one leaves for the client's redirect URI.
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }

  header(extra?: string): string {
    return [...[...this.#cookies].map(([k, v]) => `${k}=${v}`), ...(extra ? [extra] : [])].join('; ');
  }
}

export async function browseUntil(
  url: string,
  jar: CookieJar,
  stopAt: string,
  extraCookie?: string,
): Promise<Response> {
  let next = url;
  for (let i = 0; i < 10; i++) {
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header(extraCookie) } });
    jar.take(response);
    const location = response.headers.get('location');
    if (!location || location.startsWith(stopAt)) return response;
    next = new URL(location, next).toString();
  }
  throw new Error('too many redirects');
}
