import { describe, expect, it } from 'vitest';
import {
  coveredBy,
  parseCertificateArn,
  requiredNames,
} from '../../src/steps/certificate/domain-coverage.ts';

describe('coveredBy', () => {
  it('matches names exactly, ignoring case and the trailing dot', () => {
    expect(coveredBy('CodeOcean.Example.com.', ['codeocean.example.com'])).toBe(true);
    expect(coveredBy('codeocean.example.com', ['example.com'])).toBe(false);
  });

  it('lets a wildcard stand for exactly one label', () => {
    const names = ['*.codeocean.example.com'];
    expect(coveredBy('www.codeocean.example.com', names)).toBe(true);
    expect(coveredBy('codeocean.example.com', names)).toBe(false);
    expect(coveredBy('a.b.codeocean.example.com', names)).toBe(false);
  });

  it('covers a required wildcard only with the same wildcard', () => {
    expect(coveredBy('*.codeocean.example.com', ['*.codeocean.example.com'])).toBe(true);
    expect(coveredBy('*.codeocean.example.com', ['*.example.com'])).toBe(false);
    expect(coveredBy('*.codeocean.example.com', ['codeocean.example.com'])).toBe(false);
  });
});

describe('requiredNames', () => {
  it('adds the wildcard only when asked', () => {
    expect(requiredNames('CodeOcean.example.com.', false)).toEqual(['codeocean.example.com']);
    expect(requiredNames('codeocean.example.com', true)).toEqual([
      'codeocean.example.com',
      '*.codeocean.example.com',
    ]);
  });
});

describe('parseCertificateArn', () => {
  it('reads the region and account of an ACM certificate ARN, in any partition', () => {
    expect(parseCertificateArn('arn:aws:acm:eu-west-1:123456789012:certificate/ab-12')).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      id: 'ab-12',
    });
    expect(parseCertificateArn('arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/x')?.region).toBe(
      'us-gov-west-1',
    );
  });

  it('refuses what is not one', () => {
    expect(parseCertificateArn('arn:aws:iam::123456789012:role/x')).toBeUndefined();
    expect(parseCertificateArn('arn:aws:acm:eu-west-1:12345:certificate/x')).toBeUndefined();
  });
});
