import { useEffect, useState } from 'react';
import type { SigningKeyView } from '../../../../../shared/oauth-admin';
import { tokensApi } from '../lib/tokens-store';
import { ErrorNote } from '../../../common/ErrorNote';

// The keys that sign access tokens. Rotating makes a new one current; the old ones stay published
// until the tokens they signed have expired.
export function SigningKeys() {
  const [keys, setKeys] = useState<SigningKeyView[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    tokensApi()
      .oauth.signingKeys()
      .then(
        (k) => live && setKeys(k),
        (e: Error) => live && setError(e.message),
      );
    return () => {
      live = false;
    };
  }, []);
  const rotate = async () => {
    try {
      setKeys(await tokensApi().oauth.rotateSigningKey());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="panel-section" aria-labelledby="keys-title">
      <h2 id="keys-title">Signing keys</h2>
      <ul aria-label="Signing keys">
        {keys.map((k) => (
          <li key={k.kid}>
            <code>{k.kid}</code> (ES256, made {new Date(k.createdAt * 1000).toLocaleString()})
            {k.current
              ? ' · signs new tokens'
              : k.retireAt
                ? ` · verifies until ${new Date(k.retireAt * 1000).toLocaleString()}`
                : ''}
          </li>
        ))}
      </ul>
      <ErrorNote message={error} />
      <button type="button" className="secondary" onClick={() => void rotate()}>
        Rotate signing key
      </button>
    </section>
  );
}
