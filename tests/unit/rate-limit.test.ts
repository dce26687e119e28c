import { describe, expect, it } from 'vitest';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { MAX_UPLOAD_BYTES } from '../../src/adapters/images/validate';
import { BODY_LIMITS, bodyLimitFor } from '../../src/api/middleware/body-limit';
import { clientIp, ipKey } from '../../src/api/middleware/client-ip';
import { decide, isExempt, type LimitResult } from '../../src/api/middleware/rate-limit';

describe('isExempt', () => {
  it('skips monitoring, docs and the codec', () => {
    for (const p of [
      '/health',
      '/health/detailed',
      '/health/db',
      '/ready',
      '/ping',
      '/metrics',
      '/docs',
      '/docs/assets/swagger-ui.css',
      '/openapi.json',
      '/codec/decode',
      '/codec/encode',
    ]) {
      expect(isExempt(p), p).toBe(true);
    }
  });
  it('limits everything else', () => {
    for (const p of ['/v1/meals', '/v1/meals/batch', '/v1/workflows', '/pingx', '/metrics/x', '/codec', '/nope', '/']) {
      expect(isExempt(p), p).toBe(false);
    }
  });
});

describe('ipKey', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6 and ports', () => {
    expect(ipKey('203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(ipKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('203.0.113.7:51234')).toBe('203.0.113.7');
  });
  it('groups IPv6 by /64 so rotating within one allocation does not escape the limit', () => {
    expect(ipKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipKey('[2001:db8:1:2::1]:443')).toBe('2001:db8:1:2::/64');
    expect(ipKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
    expect(ipKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
  it('rejects what is not an address', () => {
    for (const v of [undefined, '', 'unknown', 'example.com', '999.1.1.1', '1.2.3', 'not:an:ip'])
      expect(ipKey(v), String(v)).toBeUndefined();
  });
});

describe('clientIp', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted', () => {
    expect(clientIp({ trustProxy: false, forwardedFor: '198.51.100.1', socketAddress: '10.0.0.5' })).toBe('10.0.0.5');
    expect(clientIp({ trustProxy: false, forwardedFor: '198.51.100.1' })).toBe('unknown');
  });
  it('takes only the first X-Forwarded-For entry when trusted', () => {
    expect(
      clientIp({ trustProxy: true, forwardedFor: '198.51.100.1, 10.0.0.2, 10.0.0.3', socketAddress: '10.0.0.5' }),
    ).toBe('198.51.100.1');
    expect(clientIp({ trustProxy: true, forwardedFor: '198.51.100.1' })).toBe('198.51.100.1');
  });
  it('falls back to the socket, then to "unknown"', () => {
    expect(clientIp({ trustProxy: true, forwardedFor: 'garbage', socketAddress: '::ffff:10.0.0.5' })).toBe('10.0.0.5');
    expect(clientIp({ trustProxy: true })).toBe('unknown');
    expect(clientIp({ trustProxy: false, socketAddress: 'weird' })).toBe('unknown');
  });
});

const result = (
  limit: 'user' | 'ip',
  points: number,
  remaining: number,
  ms: number,
  rejected = false,
): LimitResult => ({
  limit,
  points,
  res: new RateLimiterRes(remaining, ms, points - remaining, false),
  rejected,
});

describe('decide', () => {
  it('passes with the headers of the limit closest to running out', () => {
    const d = decide([result('ip', 600, 590, 30_000), result('user', 120, 3, 12_400)]);
    expect(d.rejected).toBeUndefined();
    expect(d.headers).toEqual({ 'RateLimit-Limit': '120', 'RateLimit-Remaining': '3', 'RateLimit-Reset': '13' });
  });
  it('clamps negative remaining (burst in use) to 0', () => {
    expect(decide([result('user', 5, -2, 1_000)]).headers['RateLimit-Remaining']).toBe('0');
  });
  it('rejects with Retry-After >= 1, naming the limit that waits longest', () => {
    const d = decide([result('ip', 600, -1, 40_000, true), result('user', 120, -1, 5_000, true)]);
    expect(d.rejected).toEqual({ limit: 'ip', retryAfterSeconds: 40 });
    expect(d.headers).toEqual({
      'RateLimit-Limit': '600',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '40',
      'Retry-After': '40',
    });
    const soon = decide([result('ip', 600, 500, 40_000), result('user', 5, -1, 10, true)]);
    expect(soon.rejected).toEqual({ limit: 'user', retryAfterSeconds: 1 });
    expect(soon.headers['Retry-After']).toBe('1');
  });
  it('sets no headers when nothing was checked', () => {
    expect(decide([])).toEqual({ headers: {} });
  });
});

describe('bodyLimitFor', () => {
  it('gives the upload limit only to a multipart POST /v1/meals', () => {
    expect(bodyLimitFor('POST', '/v1/meals', 'multipart/form-data; boundary=x')).toBe('upload');
    expect(bodyLimitFor('post', '/v1/meals', 'Multipart/Form-Data; boundary=x')).toBe('upload');
    expect(bodyLimitFor('POST', '/v1/meals', 'application/json')).toBe('json');
    // Claiming multipart elsewhere no longer buys a 10 MB buffer.
    expect(bodyLimitFor('POST', '/v1/journal-entries', 'multipart/form-data; boundary=x')).toBe('json');
    expect(bodyLimitFor('POST', '/v1/meals/abc/description', 'multipart/form-data; boundary=x')).toBe('json');
  });
  it('sizes the batch and codec routes for their largest valid bodies', () => {
    expect(bodyLimitFor('POST', '/v1/meals/batch', 'application/json')).toBe('batch');
    expect(bodyLimitFor('POST', '/codec/decode', 'application/json')).toBe('codec');
    expect(bodyLimitFor('PUT', '/v1/me/profile', 'application/json')).toBe('json');
    expect(bodyLimitFor('GET', '/v1/meals/batch/1', undefined)).toBe('json');
  });
  it('limits are ordered and fit their contents', () => {
    expect(BODY_LIMITS.json).toBeGreaterThanOrEqual(3 * 10_000); // a 10,000-character journal entry in UTF-8
    expect(BODY_LIMITS.batch).toBeGreaterThanOrEqual(500 * (3 * 2_000 + 150)); // 500 non-Latin meals
    expect(BODY_LIMITS.upload).toBeGreaterThan(MAX_UPLOAD_BYTES);
  });
});
