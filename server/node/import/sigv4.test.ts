// SigV4 against AWS's published examples: S3 GET Object with a Range header, and IAM ListUsers.
import { describe, expect, it } from 'vitest';
import { regionFromHost, signV4 } from './sigv4';

describe('signV4', () => {
  it('signs the S3 "GET Object" example from the AWS documentation', () => {
    const h = signV4(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { Range: 'bytes=0-9' } },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3' },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(h['x-amz-content-sha256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs the IAM "ListUsers" example of the Signature Version 4 test suite (query string, no payload header)', () => {
    const h = signV4(
      { method: 'GET', url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } },
      { accessKeyId: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'iam' },
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,SignedHeaders=content-type;host;x-amz-date,Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('adds the session token and signs it', () => {
    const h = signV4({ method: 'GET', url: new URL('http://minio.local:9000/b/k') }, { accessKeyId: 'a', secretKey: 's', sessionToken: 'tok', region: 'us-east-1', service: 's3' });
    expect(h['x-amz-security-token']).toBe('tok');
    expect(h.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });

  it.each([
    ['s3.eu-west-1.amazonaws.com', 'eu-west-1'],
    ['bucket.s3.us-west-2.amazonaws.com', 'us-west-2'],
    ['s3-ap-south-1.amazonaws.com', 'ap-south-1'],
    ['s3.amazonaws.com', undefined],
    ['minio.internal', undefined],
  ])('finds the region of %s', (host, region) => {
    expect(regionFromHost(host)).toBe(region);
  });
});
