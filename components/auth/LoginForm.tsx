'use client';
// Sign-in with a bearer token. The token goes to the console once, in a POST
// body; the browser keeps only an HttpOnly session cookie.
import { ActionGroup, Alert, Button, Form, FormGroup, FormHelperText, HelperText, HelperTextItem, LoginPage, TextArea } from '@patternfly/react-core';
import { useSearchParams } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { consoleKeys } from '@/lib/k8s/queryKeys';
import { fetchSession } from '../hooks/useSession';
import { consoleFetch } from '../api/client';
import { errorFromResponse } from '../api/k8sError';
import { safeNext } from './safeNext';

export function LoginForm() {
  const params = useSearchParams();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Say before anyone pastes a token when there is no cluster to check it with.
  const { data: session } = useQuery({ queryKey: consoleKeys.session, queryFn: fetchSession, refetchInterval: 10_000 });
  const cluster = session?.cluster;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await consoleFetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      if (!res.ok) {
        setError((await errorFromResponse(res)).message);
        return;
      }
      window.location.assign(safeNext(params.get('next')));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <LoginPage
      brandImgSrc="/kura.svg"
      brandImgProps={{ alt: 'Kura', style: { height: '48px' } } as never}
      loginTitle="Sign in to Kura"
      loginSubtitle="Virtual machines and storage on Kubernetes"
      textContent="Kura acts with your own Kubernetes credentials: everything you see and do is what your token allows on the cluster."
    >
      <Form onSubmit={(e) => void submit(e)}>
        {cluster && !cluster.reachable && (
          <Alert variant="warning" isInline title={`Cluster ${cluster.name} is not available`} data-testid="login-cluster-problem">
            {cluster.problem ?? 'The console cannot reach its cluster.'}
          </Alert>
        )}
        {error && (
          <Alert variant="danger" isInline title="Sign-in failed" data-testid="login-error">
            {error}
          </Alert>
        )}
        <FormGroup label="Bearer token" isRequired fieldId="token">
          <TextArea
            id="token"
            name="token"
            aria-label="Bearer token"
            value={token}
            onChange={(_e, v) => setToken(v)}
            autoComplete="off"
            spellCheck={false}
            rows={4}
            isRequired
            resizeOrientation="vertical"
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>
                A service account token (<code>kubectl create token NAME</code>), a token from <code>npm run kura -- user add NAME</code>, or the admin
                sign-in link <code>npm start</code> printed.
              </HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <ActionGroup>
          <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy || !token.trim()}>
            Sign in
          </Button>
        </ActionGroup>
      </Form>
    </LoginPage>
  );
}
