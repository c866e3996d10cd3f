'use client';
// Redeems a one-time sign-in link. The secret sits in the URL fragment, which
// browsers never send to a server; this page posts it once and forgets it.
import { Alert, Bullseye, Button, Spinner } from '@patternfly/react-core';
import { useEffect, useRef, useState } from 'react';
import { consoleFetch } from '../api/client';
import { errorFromResponse } from '../api/k8sError';

export function SignInLink() {
  const [error, setError] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const secret = window.location.hash.slice(1);
    // Drop the secret from the address bar and history before anything else.
    window.history.replaceState(null, '', window.location.pathname);
    void (async () => {
      if (!secret) {
        setError('This sign-in link has no secret in it. Copy the whole link that npm start printed.');
        return;
      }
      try {
        const res = await consoleFetch('/api/auth/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret }) });
        if (!res.ok) {
          setError((await errorFromResponse(res)).message);
          return;
        }
        window.location.assign('/');
      } catch (e) {
        setError((e as Error).message);
      }
    })();
  }, []);
  return (
    <Bullseye style={{ minHeight: '60vh' }}>
      {error ? (
        <div style={{ maxWidth: 560 }}>
          <Alert variant="danger" title="This sign-in link does not work" data-testid="link-error">
            {error}
          </Alert>
          <Button variant="link" component="a" href="/login">
            Sign in with a token instead
          </Button>
        </div>
      ) : (
        <Spinner aria-label="Signing in" />
      )}
    </Bullseye>
  );
}
