// Well-known identities: anonymous, authenticated, and ServiceAccount user names.
import { describe, expect, it } from 'vitest';
import { anonymousUser, parseServiceAccountUsername, serviceAccountUser, withAuthenticatedGroup } from './identity';

describe('identities', () => {
  it('anonymous is system:anonymous in system:unauthenticated', () => {
    expect(anonymousUser()).toEqual({ username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  it('adds system:authenticated once', () => {
    expect(withAuthenticatedGroup({ username: 'a', groups: ['x'] }).groups).toEqual(['x', 'system:authenticated']);
    expect(withAuthenticatedGroup({ username: 'a', groups: ['system:authenticated'] }).groups).toEqual(['system:authenticated']);
  });

  it('gives a ServiceAccount its user name and groups', () => {
    expect(serviceAccountUser('ns', 'builder', 'uid-1')).toEqual({
      username: 'system:serviceaccount:ns:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      uid: 'uid-1',
    });
  });

  it.each([
    ['system:serviceaccount:ns:builder', { namespace: 'ns', name: 'builder' }],
    ['system:serviceaccount:ns', undefined],
    ['system:serviceaccount::builder', undefined],
    ['system:serviceaccount:ns:a:b', undefined],
    ['alice', undefined],
  ])('parses %j', (username, expected) => {
    expect(parseServiceAccountUsername(username)).toEqual(expected);
  });
});
