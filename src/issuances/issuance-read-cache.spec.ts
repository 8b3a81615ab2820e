import type { AppConfigService } from '../core/config/app-config.service';
import type { Database } from '../core/db/database.service';
import { CompanyContext } from '../core/tenancy/company-context';
import type { IssuanceResponseDto } from './dto/issuance.dto';
import { IssuanceReadCache } from './issuance-read-cache';

const A = '0b0e7a34-8f1c-4d3a-9b51-6f0c2a1d9e77';
const B = '9d1f0c2a-1d9e-4c3a-8b51-6f0c2a1d9e77';
const ISSUANCE = '5b0c2b7e-6a51-4b7e-9d3c-1f2e3d4c5b6a';
const HOLDER = '7e1f0c2d-4b6a-4c3e-9a55-2f0b3c1e5d7a';

function listeningCache(): IssuanceReadCache {
  const settings: Record<string, unknown> = {
    ISSUANCE_CACHE_SIZE: 10,
    ISSUANCE_CACHE_TTL_MS: 60_000,
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
  };
  const config = { get: (key: string) => settings[key] } as unknown as AppConfigService;
  const db = { onReadCacheChange: () => undefined } as unknown as Database;
  const cache = new IssuanceReadCache(config, db);
  // As when its LISTEN connection is up (the listener itself is never started here).
  (cache as unknown as { reset(listening: boolean): void }).reset(true);
  return cache;
}

describe('IssuanceReadCache', () => {
  it('answers an entry only for the company that stored it', () => {
    const cache = listeningCache();
    const response = { id: ISSUANCE } as IssuanceResponseDto;
    CompanyContext.run(A, () => cache.store(cache.generation, response, HOLDER, 'user-1'));
    expect(CompanyContext.run(A, () => cache.issuance(ISSUANCE)?.response.id)).toBe(ISSUANCE);
    expect(CompanyContext.run(A, () => cache.holderUser(HOLDER))).toBe('user-1');
    expect(CompanyContext.run(B, () => cache.issuance(ISSUANCE))).toBeUndefined();
    expect(CompanyContext.run(B, () => cache.holderUser(HOLDER))).toBeUndefined();
  });

  it('forgets an entry when its row changes, as the notification names it', () => {
    const cache = listeningCache();
    CompanyContext.run(A, () =>
      cache.store(cache.generation, { id: ISSUANCE } as IssuanceResponseDto, HOLDER, null),
    );
    (cache as unknown as { forget(payload: string): void }).forget(`issuance:${A}:${ISSUANCE}`);
    expect(CompanyContext.run(A, () => cache.issuance(ISSUANCE))).toBeUndefined();
    expect(CompanyContext.run(A, () => cache.holderUser(HOLDER))).toBeNull();
  });

  describe('a read that raced with a notification', () => {
    const OTHER = '3c2d1e0f-9a8b-4c7d-8e6f-5a4b3c2d1e0f';
    const forget = (cache: IssuanceReadCache, payload: string) =>
      (cache as unknown as { forget(payload: string): void }).forget(payload);
    const storeAfter = (cache: IssuanceReadCache, notify: () => void): boolean => {
      const generation = cache.generation;
      notify();
      CompanyContext.run(A, () =>
        cache.store(generation, { id: ISSUANCE } as IssuanceResponseDto, HOLDER, null),
      );
      return CompanyContext.run(A, () => cache.issuance(ISSUANCE)) !== undefined;
    };

    it('is not kept when its issuance changed meanwhile', () => {
      const cache = listeningCache();
      expect(storeAfter(cache, () => forget(cache, `issuance:${A}:${ISSUANCE}`))).toBe(false);
    });

    it('is not kept when its holder changed meanwhile', () => {
      const cache = listeningCache();
      expect(storeAfter(cache, () => forget(cache, `shareholder:${A}:${HOLDER}`))).toBe(false);
    });

    it('is not kept after a TRUNCATE', () => {
      const cache = listeningCache();
      expect(storeAfter(cache, () => forget(cache, 'issuance:*'))).toBe(false);
    });

    it('is kept when only other rows changed, in its company or another', () => {
      const cache = listeningCache();
      const others = () => {
        forget(cache, `issuance:${A}:${OTHER}`);
        forget(cache, `shareholder:${B}:${OTHER}`);
      };
      expect(storeAfter(cache, others)).toBe(true);
    });

    it('is not kept when more changes were heard than are remembered one by one', () => {
      const cache = listeningCache();
      const many = () => {
        forget(cache, `issuance:${A}:${ISSUANCE}`);
        for (let k = 0; k < 5_000; k += 1)
          forget(cache, `issuance:${B}:00000000-0000-4000-8000-${String(k).padStart(12, '0')}`);
      };
      expect(storeAfter(cache, many)).toBe(false);
    });
  });
});
