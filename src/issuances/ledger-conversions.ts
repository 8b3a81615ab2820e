import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { shareCount } from '../core/money/money';
import {
  AuthorizedSharesExceededError,
  ConversionNotDefinedError,
  FractionPriceRequiredError,
} from './issuances.errors';
import { ConversionRequest, ConversionTerms, convertedShares } from './ledger-plan';
import type { SecurityRow } from './persistence/ledger.repository';
import { ShareClassesRepository } from './persistence/share-classes.repository';

/**
 * The terms of a conversion on its date, inside the transaction that records it: the security's
 * class must convert into the class asked for; the ratio is the one in force on the date (the
 * latest dated adjustment, else the class's own); a fraction of a share left over needs the
 * price it is paid out at. The target class's outstanding total is raised here, under its row
 * lock, so that it never exceeds its authorized shares (409 otherwise, nothing written).
 */
@Injectable()
export class LedgerConversions {
  constructor(private readonly shareClasses: ShareClassesRepository) {}

  async terms(
    tx: EntityManager,
    security: SecurityRow,
    date: string,
    quantity: bigint,
    request: ConversionRequest,
  ): Promise<ConversionTerms> {
    const source = await this.shareClasses.conversionOn(tx, security.share_class_id, date);
    if (!source?.target || source.target !== request.toShareClassId)
      throw new ConversionNotDefinedError(
        source?.name ?? security.share_class_id,
        request.toShareClassId,
      );
    const terms: ConversionTerms = {
      targetClassId: source.target,
      numerator: BigInt(source.numerator),
      denominator: BigInt(source.denominator),
      fractionPrice: request.fractionPrice,
    };
    const { whole, fraction } = convertedShares(quantity, terms);
    if (fraction && request.fractionPrice === null)
      throw new FractionPriceRequiredError(`${fraction.numerator}/${fraction.denominator}`);
    if (whole > 0n && !(await this.shareClasses.raiseWithinAuthorized(tx, source.target, whole))) {
      const target = await this.shareClasses.find(tx, source.target);
      throw new AuthorizedSharesExceededError(target?.name ?? source.target, {
        authorized: shareCount(target?.authorizedShares ?? '0'),
        issued: shareCount(target?.issuedShares ?? '0'),
        requested: Number(whole),
      });
    }
    return terms;
  }
}
