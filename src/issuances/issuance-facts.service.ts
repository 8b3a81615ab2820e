import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ShareholdersService } from '../shareholders/shareholders.service';
import { CompanyService } from './company.service';
import { Issuance } from './issuance.entity';
import { IssuanceNotFoundError } from './issuances.errors';
import { normalizeNumeric, shareCount } from './money';
import { ShareClass } from './share-class.entity';

/** Everything a share certificate states about its issuance. */
export interface IssuanceFacts {
  issuanceId: string;
  shareholderId: string;
  holderName: string;
  companyLegalName: string;
  shareClassId: string;
  shareClassName: string;
  shareClassType: string;
  certificatePrefix: string;
  parValue: string;
  legendText: string | null;
  numberOfShares: number;
  price: string;
  totalAmount: string;
  currency: string;
  issueDate: string;
  certificateNumber: string | null;
}

/** The issuance ledger as other modules (certificates) may read and annotate it. */
@Injectable()
export class IssuanceFactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly company: CompanyService,
    private readonly shareholders: ShareholdersService,
  ) {}

  async factsFor(
    issuanceId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IssuanceFacts> {
    const issuance = await manager.findOne(Issuance, { where: { id: issuanceId } });
    if (!issuance) throw new IssuanceNotFoundError(issuanceId);
    // One after the other: `manager` may be a transaction, whose connection runs one query at a time.
    const shareClass = await manager.findOneOrFail(ShareClass, {
      where: { id: issuance.shareClassId },
    });
    const company = await this.company.find(manager);
    const holder = await this.shareholders.requireHolder(manager, issuance.shareholderId);
    return {
      issuanceId: issuance.id,
      shareholderId: issuance.shareholderId,
      holderName: holder.name,
      companyLegalName: company?.legalName ?? '',
      shareClassId: shareClass.id,
      shareClassName: shareClass.name,
      shareClassType: shareClass.type,
      certificatePrefix: shareClass.certificatePrefix,
      parValue: normalizeNumeric(shareClass.parValue),
      legendText: shareClass.legendText,
      numberOfShares: shareCount(issuance.numberOfShares),
      price: normalizeNumeric(issuance.price),
      totalAmount: normalizeNumeric(issuance.totalAmount),
      currency: issuance.currency,
      issueDate: issuance.date,
      certificateNumber: issuance.certificateNumber,
    };
  }

  /** Records the certificate number on the issuance, in the certificate's transaction. */
  async setCertificateNumber(
    tx: EntityManager,
    issuanceId: string,
    certificateNumber: string,
  ): Promise<void> {
    await tx.update(Issuance, { id: issuanceId }, { certificateNumber });
  }
}
