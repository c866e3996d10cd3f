import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, []);
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', cluster: 'embedded', dataDir: '.kura', apiAddr: '127.0.0.1:6443', dev: false, nodes: 3, nodePoolSize: '100Gi', sharedPoolSize: '200Gi' });
  });
  it('reads the disk-image settings, and refuses an import allow list it cannot read', () => {
    expect(loadConfig({}, [])).toMatchObject({ importAllow: '', uploadAddr: '127.0.0.1:6444', insecureRegistries: '' });
    const c = loadConfig({ KURA_IMPORT_ALLOW: '127.0.0.1, 10.0.0.0/8', KURA_UPLOAD_ADDR: '0.0.0.0:7000', KURA_UPLOAD_PROXY_URL: 'https://upload.example.com', KURA_INSECURE_REGISTRIES: 'reg.lab:5000' }, []);
    expect(c).toMatchObject({ importAllow: '127.0.0.1, 10.0.0.0/8', uploadAddr: '0.0.0.0:7000', uploadProxyUrl: 'https://upload.example.com', insecureRegistries: 'reg.lab:5000' });
    expect(() => loadConfig({ KURA_IMPORT_ALLOW: '10.0.0.0/99' }, [])).toThrow(/KURA_IMPORT_ALLOW/);
    expect(() => loadConfig({ KURA_UPLOAD_ADDR: 'nowhere' }, [])).toThrow(/KURA_UPLOAD_ADDR/);
  });
  it('reads the environment and lets flags override it', () => {
    const c = loadConfig({ PORT: '8080', KURA_CLUSTER: 'kubeconfig', KUBECONFIG: '/a' }, ['--port', '9090', '--kubeconfig=/b']);
    expect(c.port).toBe(9090);
    expect(c.cluster).toBe('kubeconfig');
    expect(c.kubeconfig).toBe('/b');
  });
  it.each<[Record<string, string>, string[], RegExp]>([
    [{ KURA_CLUSTER: 'minikube' }, [], /KURA_CLUSTER/],
    [{ PORT: 'eighty' }, [], /PORT/],
    [{ KURA_API_ADDR: '6443' }, [], /KURA_API_ADDR: must be host:port/],
    [{ KURA_TLS_CERT: '/c.pem' }, [], /given together/],
    [{ KURA_NODES: '0' }, [], /KURA_NODES: must be at least 1/],
    [{ KURA_NODE_POOL_SIZE: 'lots' }, [], /KURA_NODE_POOL_SIZE: must be a size/],
    [{}, ['--colour', 'blue'], /unknown flag --colour/],
    [{}, ['stray'], /unexpected argument "stray"/],
  ])('refuses %o %o with a message naming the setting', (env, argv, msg) => {
    expect(() => loadConfig(env, argv)).toThrow(ConfigError);
    expect(() => loadConfig(env, argv)).toThrow(msg);
  });
});
